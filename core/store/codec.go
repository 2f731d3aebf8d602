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
	"runtime"
	"sync"
	"time"

	"github.com/klauspost/compress/zstd"

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

// Compressed values. The order record, the raw payload and a webhook
// delivery's body are stored as a format byte and the bytes:
//
//   - formatPlain: as they are, for values that do not shrink;
//   - formatDictV1: DEFLATE against a preset dictionary (dict/order-v1.json
//     for records, dict/raw-v1.json for payloads and bodies, each a typical
//     order by hand). Written until schema version 5; still read, with
//     compress/flate, and rewritten as formatZstdV2 by the compaction at
//     open (compact.go);
//   - formatZstdV2: a zstd frame (github.com/klauspost/compress/zstd;
//     without its checksum, 4 bytes a value, as formatDictV1 had none)
//     against a trained dictionary, dict/order-v2.zstd or dict/raw-v2.zstd.
//     dict/gen made them (`go generate`, which runs the line below: 32 KB
//     each, klauspost/compress/dict's BuildZstdDict over 2,000 woosim
//     orders of seed 7 in each dialect and the real orders in
//     core/woo/testdata/samples); it makes the next format's the same way.
//
// A dictionary is part of the file format: once released it must never
// change (a test pins their hashes). A better one gets a new format byte and
// lives beside the old one, which stays readable.
//
// Why a dictionary: an order is too short for a compressor to find much
// repetition on its own. Against the dictionary its keys and common values
// become back references. zstd's trained dictionary also carries entropy
// tables fitted to orders, which DEFLATE sends in every value. Per value
// (BenchmarkCodec; docs/PERFORMANCE.md, "Store codec", has the CPU): woosim
// wc/v3 payloads 871 -> 684 bytes and records 474 -> 330 against
// formatDictV1; a real shop's orders that no dictionary was made from, 740
// -> 749 and 498 -> 444. The level (SpeedFastest) is not part of the
// format: any level decodes the same way.
const (
	formatPlain  = 0
	formatDictV1 = 1
	formatZstdV2 = 2
)

// maxStoredValue is the largest value compressed, and the most the decoder
// will produce from one: it bounds what a damaged frame can make it
// allocate. Larger values are stored plain.
const maxStoredValue = 256 << 20

//go:generate go run ./dict/gen -version 2

var (
	//go:embed dict/order-v1.json
	orderDictV1 []byte
	//go:embed dict/raw-v1.json
	rawDictV1 []byte
	//go:embed dict/order-v2.zstd
	orderDictV2 []byte
	//go:embed dict/raw-v2.zstd
	rawDictV2 []byte
)

var (
	orderCodec = newDictCodec(orderDictV1, orderDictV2)
	rawCodec   = newDictCodec(rawDictV1, rawDictV2)
)

// dictCodec writes formatZstdV2 against one dictionary and reads every
// format. Its zstd encoder and decoder are safe for concurrent use; made
// with a nil stream and used only whole-value (EncodeAll, DecodeAll), they
// start no goroutines. compress/flate's readers for formatDictV1 are
// pooled.
type dictCodec struct {
	enc     *zstd.Encoder
	dec     *zstd.Decoder
	v1      []byte    // formatDictV1's dictionary
	readers sync.Pool // io.ReadCloser that is a flate.Resetter
}

func newDictCodec(v1, v2 []byte) *dictCodec {
	// Each encoder holds over half a megabyte of tables once used: at most four
	// (the sync prepares on two workers), as the decoders are by default.
	enc, err := zstd.NewWriter(nil,
		zstd.WithEncoderDict(v2),
		zstd.WithEncoderLevel(zstd.SpeedFastest),
		zstd.WithEncoderCRC(false),
		zstd.WithEncoderConcurrency(min(runtime.GOMAXPROCS(0), 4)),
	)
	if err != nil {
		panic(fmt.Sprintf("zstd dictionary: %v", err)) // only for a bad embedded dictionary
	}
	dec, err := zstd.NewReader(nil,
		zstd.WithDecoderDicts(v2),
		zstd.WithDecoderMaxMemory(maxStoredValue),
	)
	if err != nil {
		panic(fmt.Sprintf("zstd dictionary: %v", err))
	}
	c := &dictCodec{enc: enc, dec: dec, v1: v1}
	c.readers.New = func() any {
		return flate.NewReaderDict(bytes.NewReader(nil), v1)
	}
	return c
}

// encode returns the stored form of data.
func (c *dictCodec) encode(data []byte) []byte {
	return c.appendEncoded(make([]byte, 0, len(data)/3+32), data)
}

// appendEncoded appends the stored form of data to dst.
func (c *dictCodec) appendEncoded(dst, data []byte) []byte {
	start := len(dst)
	if len(data) <= maxStoredValue {
		dst = c.enc.EncodeAll(data, append(dst, formatZstdV2))
		if len(dst)-start-1 < len(data) {
			return dst
		}
	}
	return append(append(dst[:start], formatPlain), data...)
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
	case formatZstdV2:
		out, err := c.dec.DecodeAll(v[1:], dst)
		if err != nil {
			return dst, fmt.Errorf("decompress: %w", err)
		}
		return out, nil
	case formatDictV1:
		r := c.readers.Get().(io.ReadCloser)
		defer c.readers.Put(r)
		if err := r.(flate.Resetter).Reset(bytes.NewReader(v[1:]), c.v1); err != nil {
			return dst, err
		}
		buf := bytes.NewBuffer(dst)
		if _, err := buf.ReadFrom(io.LimitReader(r, maxStoredValue+1)); err != nil {
			return dst, fmt.Errorf("decompress: %w", err)
		}
		if buf.Len()-len(dst) > maxStoredValue {
			return dst, fmt.Errorf("decompress: more than %d bytes", maxStoredValue)
		}
		return buf.Bytes(), nil
	}
	return dst, fmt.Errorf("unknown value format %d", v[0])
}

// recode returns v in the format the codec writes, and whether it changed:
// the compaction's rewrite of older formats.
func (c *dictCodec) recode(v []byte) ([]byte, bool, error) {
	if len(v) == 0 || v[0] != formatDictV1 {
		return v, false, nil
	}
	plain, err := c.decode(nil, v)
	if err != nil {
		return v, false, err
	}
	return c.encode(plain), true, nil
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
