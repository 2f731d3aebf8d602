package nra

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Record is what a written file said, order by order and refund by
// refund, kept so that a month filed again after late changes can say
// which orders differ from the last file made.
type Record struct {
	Made    time.Time         `json:"made"`
	Orders  map[string]string `json:"orders"`  // ord_n -> fingerprint
	Refunds map[string]string `json:"refunds"` // refund id -> fingerprint
}

// Changes are the differences between the last file made and this one.
type Changes struct {
	Since                                   time.Time
	Added, Removed, Changed                 []string // order numbers
	RefundsAdded, RefundsRemoved, RefundsCh []string // "refund ID of order N"
}

// Empty reports whether nothing differs.
func (c *Changes) Empty() bool {
	return len(c.Added)+len(c.Removed)+len(c.Changed)+len(c.RefundsAdded)+len(c.RefundsRemoved)+len(c.RefundsCh) == 0
}

// Record fingerprints the file: every figure and id it writes of each
// order and refund.
func (f *File) Record(made time.Time) Record {
	r := Record{Made: made, Orders: map[string]string{}, Refunds: map[string]string{}}
	for i := range f.Orders {
		o := &f.Orders[i]
		h := sha256.New()
		fmt.Fprintf(h, "%s|%s|%s|%s|%s|%s|%s|%s|%d|%s|%s|%s|%s", o.Number, o.Date.Format(time.DateOnly), o.DocNumber,
			o.DocDate.Format(time.DateOnly), number(o.Total1), number(o.Disc), number(o.VAT), number(o.Total2), o.Paym,
			o.POSNumber, o.TransID, o.ProcID, f.Currency)
		for _, it := range o.Items {
			fmt.Fprintf(h, "|%s|%s|%s|%s|%s|%s", it.Name, quantity(it.Quant), number(it.Price), percent(it.VATRate), number(it.VAT), number(it.Sum))
		}
		r.Orders[o.Number] = hex.EncodeToString(h.Sum(nil)[:12])
	}
	for i := range f.Refunds {
		rf := &f.Refunds[i]
		r.Refunds[refundLabel(rf)] = fmt.Sprintf("%s|%s|%s|%d|%s", rf.Number, number(rf.Amount), rf.Date.Format(time.DateOnly), rf.Paym, f.Currency)
	}
	return r
}

func refundLabel(r *Refund) string {
	return "refund " + strconv.FormatInt(r.RefundID, 10) + " of order " + r.Number
}

// Diff says what this file changes against the last one made.
func (last *Record) Diff(f *File) Changes {
	now := f.Record(time.Time{})
	c := Changes{Since: last.Made}
	c.Added, c.Removed, c.Changed = diffMaps(last.Orders, now.Orders)
	c.RefundsAdded, c.RefundsRemoved, c.RefundsCh = diffMaps(last.Refunds, now.Refunds)
	return c
}

func diffMaps(old, cur map[string]string) (added, removed, changed []string) {
	for k, v := range cur {
		switch w, ok := old[k]; {
		case !ok:
			added = append(added, k)
		case w != v:
			changed = append(changed, k)
		}
	}
	for k := range old {
		if _, ok := cur[k]; !ok {
			removed = append(removed, k)
		}
	}
	slices.Sort(added)
	slices.Sort(removed)
	slices.Sort(changed)
	return added, removed, changed
}
