package store

import (
	"bytes"
	"compress/flate"
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sync"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Keys. Every integer is 8 bytes big-endian so that byte order is numeric
// order.

// orderKey is shop|id: the key of orders and raw.
func orderKey(k ledger.OrderKey) []byte {
	b := make([]byte, 16)
	binary.BigEndian.PutUint64(b, uint64(k.Shop))
	binary.BigEndian.PutUint64(b[8:], uint64(k.ID))
	return b
}

// historyKey is shop|id|seq.
func historyKey(k ledger.OrderKey, seq uint64) []byte {
	return binary.BigEndian.AppendUint64(orderKey(k), seq)
}

// pos is an order's place in the newest-first list: by creation time, then
// shop, then id. Its 24-byte encoding created|shop|id is the key of
// by_created and, behind a version byte, the page token.
type pos struct {
	created, shop, id uint64
}

func (p pos) createdKey() []byte {
	b := make([]byte, 24)
	binary.BigEndian.PutUint64(b, p.created)
	binary.BigEndian.PutUint64(b[8:], p.shop)
	binary.BigEndian.PutUint64(b[16:], p.id)
	return b
}

// shopKey is the by_shop key: shop|created|id.
func (p pos) shopKey() []byte {
	b := make([]byte, 24)
	binary.BigEndian.PutUint64(b, p.shop)
	binary.BigEndian.PutUint64(b[8:], p.created)
	binary.BigEndian.PutUint64(b[16:], p.id)
	return b
}

func (p pos) less(q pos) bool {
	switch {
	case p.created != q.created:
		return p.created < q.created
	case p.shop != q.shop:
		return p.shop < q.shop
	}
	return p.id < q.id
}

func posFromCreatedKey(k []byte) pos {
	return pos{
		created: binary.BigEndian.Uint64(k),
		shop:    binary.BigEndian.Uint64(k[8:]),
		id:      binary.BigEndian.Uint64(k[16:]),
	}
}

func posFromShopKey(k []byte) pos {
	return pos{
		shop:    binary.BigEndian.Uint64(k),
		created: binary.BigEndian.Uint64(k[8:]),
		id:      binary.BigEndian.Uint64(k[16:]),
	}
}

func orderPos(o *ledger.Order) pos {
	return pos{created: nanos(o.Created), shop: uint64(o.Shop), id: uint64(o.ID)}
}

var maxNanosTime = time.Unix(0, math.MaxInt64)

// nanos is t in Unix nanoseconds, clamped to [0, MaxInt64]: a zero or
// pre-1970 time sorts as the oldest.
func nanos(t time.Time) uint64 {
	switch {
	case t.IsZero() || t.Before(time.Unix(0, 0)):
		return 0
	case t.After(maxNanosTime):
		return math.MaxInt64
	}
	return uint64(t.UnixNano())
}

// Page tokens are a version byte and the last returned order's pos.
const tokenV1 = 1

func encodeToken(p pos) []byte {
	return append([]byte{tokenV1}, p.createdKey()...)
}

func decodeToken(tok []byte) (pos, error) {
	if len(tok) != 25 || tok[0] != tokenV1 {
		return pos{}, fmt.Errorf("invalid page token")
	}
	return posFromCreatedKey(tok[1:]), nil
}

// Records are JSON: the ledger types carry tags, the format survives added
// fields, and decoding needs no code of ours to keep in step with ledger.

func encodeJSON(v any) ([]byte, error) {
	return json.Marshal(v)
}

// decodeJSON decodes data, which may be bbolt memory; nothing of it is kept
// (json.Unmarshal copies strings and json.RawMessage).
func decodeJSON(data []byte, v any) error {
	return json.Unmarshal(data, v)
}

// Compressed values. The order record and the raw payload are stored as a
// format byte and the bytes: formatPlain as they are (for values that do not
// shrink), formatDictV1 compressed with compress/flate against a preset
// dictionary, one per bucket (dict/order-v1.json for orders,
// dict/raw-v1.json for raw, which holds a legacy and a wc/v3 order as
// WooCommerce sends them).
//
// A dictionary is part of the file format: once released it must never
// change (a test pins their hashes). A better one gets a new format byte and
// lives beside the old one, which stays readable.
//
// Why a dictionary: an order is too short for flate to find much repetition
// on its own. Against the dictionary its keys and common values become back
// references: a typical 3.5 KB payload is stored in about 650 bytes instead
// of about 1,300 without one, and the 1.5 KB JSON record in about 300
// instead of 600. compress/flate ignores dictionaries at BestSpeed; level 2
// is the fastest that uses one, and it stores within 2% of level 4's bytes
// (1,576 against 1,550 per order) in half the time. The level is not part
// of the format: any level decompresses the same way.
// Decompressing is a small part of reading a record; JSON decoding is most
// of it.
const (
	formatPlain  = 0
	formatDictV1 = 1
)

const compressLevel = 2

var (
	//go:embed dict/order-v1.json
	orderDictV1 []byte
	//go:embed dict/raw-v1.json
	rawDictV1 []byte
)

var (
	orderCodec = newDictCodec(orderDictV1)
	rawCodec   = newDictCodec(rawDictV1)
)

// dictCodec compresses against one dictionary with fastEncoder (see
// deflate.go), which writes the same DEFLATE that compress/flate reads;
// values too long for it go to compress/flate's writer, pooled (one is
// hundreds of KB: too big to make per value). Readers are pooled too.
type dictCodec struct {
	dict    []byte
	fast    *fastEncoder
	writers sync.Pool // *flate.Writer
	readers sync.Pool // io.ReadCloser that is a flate.Resetter
}

func newDictCodec(dict []byte) *dictCodec {
	c := &dictCodec{dict: dict}
	c.writers.New = func() any {
		w, err := flate.NewWriterDict(nil, compressLevel, dict)
		if err != nil {
			panic(err) // only for a bad level
		}
		return w
	}
	c.readers.New = func() any {
		return flate.NewReaderDict(bytes.NewReader(nil), dict)
	}
	c.fast = newFastEncoder(dict, stdlibEncode(&c.writers))
	return c
}

// encode returns the stored form of data.
func (c *dictCodec) encode(data []byte) []byte {
	return c.appendEncoded(make([]byte, 0, len(data)/3+16), data)
}

// appendEncoded appends the stored form of data to dst.
func (c *dictCodec) appendEncoded(dst, data []byte) []byte {
	start := len(dst)
	dst = c.fast.appendEncoded(append(dst, formatDictV1), data)
	if len(dst)-start-1 > len(data) {
		return append(append(dst[:start], formatPlain), data...)
	}
	return dst
}

// decode appends the data stored in v to dst and returns it. v may be bbolt
// memory: nothing of it is kept.
func (c *dictCodec) decode(dst, v []byte) ([]byte, error) {
	if len(v) == 0 {
		return dst, fmt.Errorf("empty value")
	}
	switch v[0] {
	case formatPlain:
		return append(dst, v[1:]...), nil
	case formatDictV1:
		r := c.readers.Get().(io.ReadCloser)
		defer c.readers.Put(r)
		if err := r.(flate.Resetter).Reset(bytes.NewReader(v[1:]), c.dict); err != nil {
			return dst, err
		}
		buf := bytes.NewBuffer(dst)
		if _, err := buf.ReadFrom(r); err != nil {
			return dst, fmt.Errorf("decompress: %w", err)
		}
		return buf.Bytes(), nil
	}
	return dst, fmt.Errorf("unknown value format %d", v[0])
}

// decodeBuffers recycles the scratch space records are decompressed into.
var decodeBuffers = sync.Pool{New: func() any { return new([]byte) }}

// encodeOrder returns the stored form of o. Raw is never part of it (its
// tag is "-").
func encodeOrder(o *ledger.Order) ([]byte, error) {
	plain, err := encodeJSON(o)
	if err != nil {
		return nil, err
	}
	return orderCodec.encode(plain), nil
}

// decodeOrder decodes a stored order record into o, replacing all of it.
func decodeOrder(v []byte, o *ledger.Order) error {
	bp := decodeBuffers.Get().(*[]byte)
	defer decodeBuffers.Put(bp)
	plain, err := orderCodec.decode((*bp)[:0], v)
	*bp = plain
	if err != nil {
		return err
	}
	*o = ledger.Order{}
	return decodeJSON(plain, o)
}

// orderHead is what ApplyOrders needs of a stored order to decide what to
// do with an incoming one. Decoding only these fields skips the allocations
// and amount parsing of the lines. The tags must match ledger.Order's (a
// test checks).
type orderHead struct {
	Status     ledger.Status       `json:"status"`
	Created    time.Time           `json:"date_created_gmt"`
	Modified   time.Time           `json:"date_modified_gmt"`
	Warehouse  ledger.WarehouseID  `json:"warehouse"`
	CostCenter ledger.CostCenterID `json:"cost_center"`
	Deleted    bool                `json:"deleted"`
	// The refunds, which an incoming payload may not list (refunds.go).
	Refunds      []ledger.Refund `json:"refunds"`
	RefundsStale bool            `json:"refunds_stale"`
}

// decodeOrderHead decodes the head of a stored order record and returns it
// with the record's plain JSON.
func decodeOrderHead(v []byte) (orderHead, []byte, error) {
	var h orderHead
	plain, err := orderCodec.decode(nil, v)
	if err != nil {
		return h, nil, err
	}
	return h, plain, decodeJSON(plain, &h)
}

// encodeRaw returns the stored form of a raw payload.
func encodeRaw(raw []byte) []byte { return rawCodec.encode(raw) }

// decodeRaw returns a fresh copy of the payload stored in v.
func decodeRaw(v []byte) ([]byte, error) {
	raw, err := rawCodec.decode(nil, v)
	if err != nil {
		return nil, fmt.Errorf("raw payload: %w", err)
	}
	return raw, nil
}
