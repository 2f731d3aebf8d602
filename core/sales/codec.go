package sales

import (
	"encoding/binary"
	"errors"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// The stored form of a Record is binary and small (about 100 bytes for an
// order with two tax rates), because a year's totals read every record of
// the year: varints, strings with their length, a version byte first so
// the layout can change (the store rebuilds records of another version).
// The key (shop, id) is not in it: the store keeps it in the key.

// Version is the layout written by Append (2: a refund's SplitUnknown).
const Version = 2

var errBadRecord = errors.New("malformed sales record")

// Append appends the stored form of r to b.
func (r *Record) Append(b []byte) []byte {
	b = append(b, Version)
	var flags byte
	if r.Deleted {
		flags |= 1
	}
	b = append(b, flags)
	b = appendString(b, string(r.Status))
	b = appendString(b, r.Currency)
	b = appendString(b, r.Method)
	b = appendString(b, r.MethodTitle)
	b = binary.AppendUvarint(b, uint64(r.Warehouse))
	b = binary.AppendUvarint(b, uint64(r.CostCenter))
	for _, t := range [...]int64{r.Created, r.Paid, r.Completed, r.Modified} {
		b = binary.AppendVarint(b, t)
	}
	for _, a := range [...]ledger.Amount{r.Total, r.CartTax, r.Shipping, r.ShippingTax, r.Discount, r.Coupons, r.Fees, r.Items} {
		b = binary.AppendVarint(b, int64(a))
	}
	b = appendRates(b, r.Rates, true)
	b = binary.AppendUvarint(b, uint64(len(r.Refunds)))
	for i := range r.Refunds {
		f := &r.Refunds[i]
		b = binary.AppendVarint(b, f.ID)
		b = binary.AppendVarint(b, f.Date)
		var flags byte
		if f.SplitUnknown {
			flags |= 1
		}
		b = append(b, flags)
		for _, a := range [...]ledger.Amount{f.Amount, f.Tax, f.Shipping, f.ShippingTax, f.Fees, f.Items} {
			b = binary.AppendVarint(b, int64(a))
		}
		b = appendRates(b, f.Rates, false)
	}
	return b
}

func appendRates(b []byte, rates []Rate, gross bool) []byte {
	b = binary.AppendUvarint(b, uint64(len(rates)))
	for _, t := range rates {
		b = binary.AppendVarint(b, t.ID)
		b = appendString(b, t.Label)
		b = binary.AppendVarint(b, int64(t.Percent))
		b = binary.AppendVarint(b, int64(t.Tax))
		b = binary.AppendVarint(b, int64(t.ShippingTax))
		b = binary.AppendVarint(b, int64(t.Net))
		if gross {
			b = binary.AppendVarint(b, int64(t.Gross))
		}
	}
	return b
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// Decoder decodes stored records into one Record it reuses, interning
// strings (statuses, currencies, methods, labels repeat across orders), so
// reading a year of records allocates almost nothing.
type Decoder struct {
	strs map[string]string
	// last is the string each field slot decoded last: records in a row
	// mostly repeat them, and comparing is cheaper than hashing.
	last [slots]string
}

// Field slots of Decoder.last.
const (
	slotStatus = iota
	slotCurrency
	slotMethod
	slotTitle
	slotRate // + the rate's position, for the first few
	slots    = slotRate + 8
)

// Decode decodes v, the stored form of the record of (shop, id), into r,
// reusing r's slices. r is valid until the next Decode into it.
func (d *Decoder) Decode(shop ledger.ShopID, id int64, v []byte, r *Record) error {
	if d.strs == nil {
		d.strs = make(map[string]string)
	}
	rd := reader{b: v, d: d}
	if rd.byte() != Version {
		return errBadRecord
	}
	flags := rd.byte()
	rates, refunds := r.Rates[:0], r.Refunds[:0]
	*r = Record{Shop: shop, ID: id, Deleted: flags&1 != 0}
	r.Status = ledger.Status(rd.str(slotStatus))
	r.Currency, r.Method, r.MethodTitle = rd.str(slotCurrency), rd.str(slotMethod), rd.str(slotTitle)
	r.Warehouse, r.CostCenter = ledger.WarehouseID(rd.uvarint()), ledger.CostCenterID(rd.uvarint())
	r.Created, r.Paid, r.Completed, r.Modified = rd.varint(), rd.varint(), rd.varint(), rd.varint()
	for _, a := range [...]*ledger.Amount{&r.Total, &r.CartTax, &r.Shipping, &r.ShippingTax, &r.Discount, &r.Coupons, &r.Fees, &r.Items} {
		*a = ledger.Amount(rd.varint())
	}
	r.Rates = rd.rates(rates, true)
	count := rd.uvarint()
	if count > uint64(len(v)) { // each refund takes bytes: a larger count is damage
		return errBadRecord
	}
	n := int(count)
	for i := range n {
		var f *Refund
		if i < cap(refunds) {
			refunds = refunds[:i+1]
			f = &refunds[i]
			f.Rates = f.Rates[:0]
		} else {
			refunds = append(refunds, Refund{})
			f = &refunds[i]
		}
		keep := f.Rates
		*f = Refund{ID: rd.varint(), Date: rd.varint()}
		f.SplitUnknown = rd.byte()&1 != 0
		for _, a := range [...]*ledger.Amount{&f.Amount, &f.Tax, &f.Shipping, &f.ShippingTax, &f.Fees, &f.Items} {
			*a = ledger.Amount(rd.varint())
		}
		f.Rates = rd.rates(keep, false)
	}
	r.Refunds = refunds[:n]
	if rd.bad || len(rd.b) != 0 {
		return errBadRecord
	}
	return nil
}

type reader struct {
	b   []byte
	d   *Decoder
	bad bool
}

func (r *reader) byte() byte {
	if len(r.b) == 0 {
		r.bad = true
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad = true
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	if len(r.b) > 0 && r.b[0] < 0x80 { // one byte: most counts, ids and zeros
		c := int64(r.b[0])
		r.b = r.b[1:]
		return c>>1 ^ -(c & 1)
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad = true
		r.b = nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) str(slot int) string {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.bad = true
		r.b = nil
		return ""
	}
	b := r.b[:n]
	r.b = r.b[n:]
	if slot < slots && r.d.last[slot] == string(b) {
		return r.d.last[slot]
	}
	if s, ok := r.d.strs[string(b)]; ok {
		if slot < slots {
			r.d.last[slot] = s
		}
		return s
	}
	s := string(b)
	if len(r.d.strs) < 4096 { // labels and methods are few; a flood is not interned
		r.d.strs[s] = s
	}
	return s
}

func (r *reader) rates(dst []Rate, gross bool) []Rate {
	count := r.uvarint()
	if count > uint64(len(r.b)) {
		r.bad = true
		return dst[:0]
	}
	n := int(count)
	dst = dst[:0]
	for i := range n {
		t := Rate{ID: r.varint(), Label: r.str(slotRate + i)}
		t.Percent = ledger.Amount(r.varint())
		t.Tax = ledger.Amount(r.varint())
		t.ShippingTax = ledger.Amount(r.varint())
		t.Net = ledger.Amount(r.varint())
		if gross {
			t.Gross = ledger.Amount(r.varint())
		}
		dst = append(dst, t)
	}
	return dst
}
