package ledger

import (
	"bytes"
	"strings"
)

// SearchSep separates the fields of SearchText, so that a word never
// matches across two of them; a search query never contains it.
const SearchSep = '\x1f'

// MaxSearchText caps one order's search text.
const MaxSearchText = 1<<16 - 1

// SearchText is what a search of the order list looks in, lowercased: the
// number, the billing name, company and email, and the lines' SKUs. The
// store keeps it beside each order, so the search index is filled without
// decoding whole orders.
func SearchText(o *Order) []byte {
	var b bytes.Buffer
	field := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteByte(SearchSep)
		}
		b.WriteString(strings.ToLower(s))
	}
	field(o.Number)
	field(o.Billing.FirstName + " " + o.Billing.LastName)
	field(o.Billing.Company)
	field(o.Billing.Email)
	for i := range o.Lines {
		field(o.Lines[i].SKU)
	}
	text := b.Bytes()
	if len(text) > MaxSearchText {
		text = text[:MaxSearchText]
	}
	return text
}
