package nra

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"
)

// ErrNotWritable is matched by a NotWritableError.
var ErrNotWritable = fmt.Errorf("the audit file cannot be made")

// NotWritableError says why a file is refused: its Problems.
type NotWritableError struct {
	Shop     string
	Problems []Problem
}

func (e *NotWritableError) Error() string {
	return fmt.Sprintf("the audit file of %q cannot be made: %s", e.Shop, problemsText(e.Problems))
}

func (e *NotWritableError) Is(target error) bool { return target == ErrNotWritable }

// WriteXML writes the file in Windows-1251, the encoding of НАП's schema
// and sample, with a character outside it (Müller, Zoë, €) as a numeric
// character reference. A file with Problems is refused.
func (f *File) WriteXML(w io.Writer, shop string) error {
	if len(f.Problems) > 0 {
		return &NotWritableError{Shop: shop, Problems: f.Problems}
	}
	// Streamed through the encoder: a month of 100,000 orders is ~140 MB
	// of XML, never held whole.
	tw := transform.NewWriter(w, encoding.HTMLEscapeUnsupported(charmap.Windows1251.NewEncoder()))
	b := bufio.NewWriterSize(tw, 64<<10)
	b.WriteString(`<?xml version="1.0" encoding="WINDOWS-1251"?>` + "\n<audit>\n")
	s := &f.Settings
	el(b, 1, "eik", s.EIK)
	el(b, 1, "e_shop_n", s.EShopNumber)
	el(b, 1, "domain_name", s.Domain)
	el(b, 1, "e_shop_type", strconv.Itoa(s.EShopType()))
	el(b, 1, "creation_date", f.CreationDate.Format("2006-01-02"))
	el(b, 1, "mon", fmt.Sprintf("%02d", int(f.Month)))
	el(b, 1, "god", strconv.Itoa(f.Year))
	b.WriteString("  <order>\n")
	for i := range f.Orders {
		writeOrder(b, &f.Orders[i])
	}
	b.WriteString("  </order>\n")
	// r_ord is the count of refunded orders; rorder lists the refunds.
	el(b, 1, "r_ord", strconv.Itoa(f.ROrd))
	if len(f.Refunds) > 0 {
		b.WriteString("  <rorder>\n")
		for i := range f.Refunds {
			r := &f.Refunds[i]
			b.WriteString("    <rorderenum>\n")
			el(b, 3, "r_ord_n", r.Number)
			el(b, 3, "r_amount", number(r.Amount))
			el(b, 3, "r_date", r.Date.Format("2006-01-02"))
			el(b, 3, "r_paym", strconv.Itoa(int(r.Paym)))
			b.WriteString("    </rorderenum>\n")
		}
		b.WriteString("  </rorder>\n")
	}
	el(b, 1, "r_total", number(f.RTotal))
	b.WriteString("</audit>\n")
	if err := b.Flush(); err != nil {
		return fmt.Errorf("write the audit file: %w", err)
	}
	if err := tw.Close(); err != nil {
		return fmt.Errorf("write the audit file: %w", err)
	}
	return nil
}

func writeOrder(b *bufio.Writer, o *Order) {
	b.WriteString("    <orderenum>\n")
	el(b, 3, "ord_n", o.Number)
	el(b, 3, "ord_d", o.Date.Format("2006-01-02"))
	el(b, 3, "doc_n", o.DocNumber)
	el(b, 3, "doc_date", o.DocDate.Format("2006-01-02"))
	b.WriteString("      <art>\n")
	for i := range o.Items {
		it := &o.Items[i]
		b.WriteString("        <artenum>\n")
		el(b, 5, "art_name", it.Name)
		el(b, 5, "art_quant", quantity(it.Quant))
		el(b, 5, "art_price", number(it.Price))
		el(b, 5, "art_vat_rate", percent(it.VATRate))
		el(b, 5, "art_vat", number(it.VAT))
		el(b, 5, "art_sum", number(it.Sum))
		b.WriteString("        </artenum>\n")
	}
	b.WriteString("      </art>\n")
	el(b, 3, "ord_total1", number(o.Total1))
	el(b, 3, "ord_disc", number(o.Disc))
	el(b, 3, "ord_vat", number(o.VAT))
	el(b, 3, "ord_total2", number(o.Total2))
	el(b, 3, "paym", strconv.Itoa(int(o.Paym)))
	// The ids are optional: an empty one is left out.
	optional(b, 3, "pos_n", o.POSNumber)
	optional(b, 3, "trans_n", o.TransID)
	optional(b, 3, "proc_id", o.ProcID)
	b.WriteString("    </orderenum>\n")
}

func el(b *bufio.Writer, depth int, name, text string) {
	for range depth {
		b.WriteString("  ")
	}
	b.WriteString("<" + name + ">")
	_ = xml.EscapeText(b, []byte(text)) // a bufio.Writer's error is kept for Flush
	b.WriteString("</" + name + ">\n")
}

func optional(b *bufio.Writer, depth int, name, text string) {
	if text != "" {
		el(b, depth, name, text)
	}
}
