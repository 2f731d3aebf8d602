package woo

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Decoding a list of orders in one pass.
//
// Read as a list of json.RawMessage and then order by order, a page is
// scanned four times by encoding/json: validated, split, and each order
// validated again and decoded. The fast path decodes the whole list into
// the dialect's structs in one json.Unmarshal (one validation, one
// decoding) and finds each order's bytes, for its Raw, with a plain byte
// scan that relies on the JSON having been validated. When anything is off
// (a decoding error, an order without an id, a count that does not match)
// the page is decoded again the slow way, order by order, so errors name
// the order and read as they always have.

// wcListFast decodes a wc/v3 list body; ok is false when the slow path
// must decide.
func wcListFast(body []byte) (orders []ledger.Order, ok bool) {
	list := trimToJSON(body)
	if len(list) == 0 || list[0] != '[' {
		return nil, false
	}
	var ws []wcOrder
	if json.Unmarshal(list, &ws) != nil {
		return nil, false
	}
	raws := splitArray(list, make([][]byte, 0, len(ws)))
	if len(raws) != len(ws) {
		return nil, false
	}
	orders = make([]ledger.Order, len(ws))
	for i := range ws {
		if ws[i].ID <= 0 || raws[i][0] != '{' {
			return nil, false
		}
		orders[i] = ws[i].toLedger()
		orders[i].Raw = bytes.Clone(raws[i])
	}
	return orders, true
}

// legacyListFast decodes a legacy {"orders":[…]} body; ok is false when
// the slow path must decide.
func legacyListFast(body []byte) (orders []ledger.Order, ok bool) {
	obj := trimToJSON(body)
	if len(obj) == 0 || obj[0] != '{' {
		return nil, false
	}
	var env struct {
		Orders []legacyOrder `json:"orders"`
	}
	if json.Unmarshal(obj, &env) != nil {
		return nil, false
	}
	list, sure := objectMember(obj, "orders")
	if !sure || len(env.Orders) == 0 || len(list) == 0 || list[0] != '[' {
		return nil, false
	}
	raws := splitArray(list, make([][]byte, 0, len(env.Orders)))
	if len(raws) != len(env.Orders) {
		return nil, false
	}
	orders = make([]ledger.Order, len(raws))
	for i := range env.Orders {
		// An order wrapped in {"order":…} is unwrapped by DecodeLegacyOrder;
		// lists never hold one, but leave such a page to it.
		if env.Orders[i].ID <= 0 || raws[i][0] != '{' {
			return nil, false
		}
		if v, sure := objectMember(raws[i], "order"); v != nil || !sure {
			return nil, false
		}
		orders[i] = env.Orders[i].toLedger()
		orders[i].Raw = bytes.Clone(raws[i])
	}
	return orders, true
}

// The scanners below expect valid JSON (json.Unmarshal has accepted it);
// on anything else they return what they have, which the callers' counts
// then reject.

// splitArray appends to dst each element of the JSON array b, as bytes
// without surrounding white space.
func splitArray(b []byte, dst [][]byte) [][]byte {
	i := skipSpace(b, 1)
	if i >= len(b) || b[i] == ']' {
		return dst
	}
	for i < len(b) {
		end := skipValue(b, i)
		if end <= i {
			return dst
		}
		dst = append(dst, b[i:end])
		i = skipSpace(b, end)
		if i >= len(b) || b[i] != ',' {
			return dst
		}
		i = skipSpace(b, i+1)
	}
	return dst
}

// objectMember returns the value of the JSON object b's member name (the
// last one, as encoding/json keeps), or nil. ok is false when b has a key
// that encoding/json might also match to name: one that differs from it
// only in case, or has escapes or non-ASCII bytes (it folds "ſ" to "s").
func objectMember(b []byte, name string) (value []byte, ok bool) {
	ok = true
	i := skipSpace(b, 1)
	for i < len(b) && b[i] == '"' {
		kEnd := skipString(b, i)
		if kEnd-1 <= i {
			return value, false
		}
		key := b[i+1 : kEnd-1]
		i = skipSpace(b, kEnd)
		if i >= len(b) || b[i] != ':' {
			return value, ok
		}
		i = skipSpace(b, i+1)
		vEnd := skipValue(b, i)
		if vEnd <= i {
			return value, ok
		}
		switch {
		case string(key) == name:
			value = b[i:vEnd]
		case len(key) == len(name) && strings.EqualFold(string(key), name):
			ok = false
		default:
			for _, c := range key {
				if c == '\\' || c >= 0x80 {
					ok = false
					break
				}
			}
		}
		i = skipSpace(b, vEnd)
		if i >= len(b) || b[i] != ',' {
			return value, ok
		}
		i = skipSpace(b, i+1)
	}
	return value, ok
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t') {
		i++
	}
	return i
}

// skipValue returns the end of the JSON value that starts at b[i].
func skipValue(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			i = skipString(b, i)
			if depth == 0 {
				return i
			}
		case '{', '[':
			depth++
			i++
		case '}', ']':
			depth--
			i++
			if depth <= 0 {
				return i
			}
		default:
			if depth == 0 { // a number, true, false or null
				for i < len(b) && !isDelim(b[i]) {
					i++
				}
				return i
			}
			i++
		}
	}
	return i
}

func isDelim(c byte) bool {
	switch c {
	case ',', ']', '}', ' ', '\n', '\r', '\t':
		return true
	}
	return false
}

// skipString returns the end of the JSON string that starts at b[i].
func skipString(b []byte, i int) int {
	i++
	for {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return len(b)
		}
		i += j
		// The quote is escaped when an odd number of backslashes precede it.
		k := i - 1
		for k >= 0 && b[k] == '\\' {
			k--
		}
		i++
		if (i-2-k)%2 == 0 {
			return i
		}
	}
}

// memberDecoder is a flat object that decodes itself member by member:
// decodeMember reports false for a key it does not know, which leaves the
// object to encoding/json (it matches keys case-insensitively, too).
type memberDecoder interface {
	decodeMember(key, value []byte) (known bool, err error)
}

// decodeMembers decodes the JSON object b (validated) into d; ok is false
// when encoding/json must decide: a key with escapes, upper case or
// non-ASCII bytes.
func decodeMembers(b []byte, d memberDecoder) (ok bool, err error) {
	i := skipSpace(b, 1)
	for i < len(b) && b[i] == '"' {
		kEnd := skipString(b, i)
		key := b[i+1 : kEnd-1]
		i = skipSpace(b, kEnd)
		if i >= len(b) || b[i] != ':' {
			return false, nil
		}
		i = skipSpace(b, i+1)
		vEnd := skipValue(b, i)
		if vEnd <= i {
			return false, nil
		}
		known, err := d.decodeMember(key, b[i:vEnd])
		if err != nil {
			return true, err
		}
		if !known {
			for _, c := range key {
				if c == '\\' || c >= 'A' && c <= 'Z' || c >= 0x80 {
					return false, nil // might match a field after unescaping or folding
				}
			}
		}
		i = skipSpace(b, vEnd)
		if i >= len(b) || b[i] != ',' {
			break
		}
		i = skipSpace(b, i+1)
	}
	return true, nil
}

func (a *wcAddress) decodeMember(key, v []byte) (bool, error) {
	var f *flexString
	switch string(key) {
	case "first_name":
		f = &a.FirstName
	case "last_name":
		f = &a.LastName
	case "company":
		f = &a.Company
	case "address_1":
		f = &a.Address1
	case "address_2":
		f = &a.Address2
	case "city":
		f = &a.City
	case "state":
		f = &a.State
	case "postcode":
		f = &a.Postcode
	case "country":
		f = &a.Country
	case "email":
		f = &a.Email
	case "phone":
		f = &a.Phone
	default:
		return false, nil
	}
	return true, f.UnmarshalJSON(v)
}

func (p *legacyPayment) decodeMember(key, v []byte) (bool, error) {
	switch string(key) {
	case "method_id":
		return true, p.MethodID.UnmarshalJSON(v)
	case "method_title":
		return true, p.MethodTitle.UnmarshalJSON(v)
	case "paid":
		return true, p.Paid.UnmarshalJSON(v)
	case "transaction_id":
		return true, p.TransactionID.UnmarshalJSON(v)
	}
	return false, nil
}

// scan sets Count and Newest from the body without decoding it: each
// order's date_modified_gmt (updated_at in the legacy API), or its
// date_created_gmt (created_at) when that is empty, as the decoders read
// them. It reports false for a body it cannot read that way.
func (p *FetchedPage) scan() bool {
	modified, created := "date_modified_gmt", "date_created_gmt"
	list := trimToJSON(p.resp.body)
	if p.c.dialect == ledger.DialectLegacyV3 {
		modified, created = "updated_at", "created_at"
		if len(list) == 0 || list[0] != '{' {
			return false
		}
		var sure bool
		if list, sure = objectMember(list, "orders"); !sure {
			return false
		}
	}
	if len(list) == 0 || list[0] != '[' {
		return false
	}
	var newest time.Time
	n := 0
	i := skipSpace(list, 1)
	for i < len(list) && list[i] != ']' {
		end := skipValue(list, i)
		if end <= i || list[i] != '{' {
			return false
		}
		order := list[i:end]
		var t flexTime
		v, sure := objectMember(order, modified)
		if !sure || v != nil && t.UnmarshalJSON(v) != nil {
			return false
		}
		if time.Time(t).IsZero() {
			v, sure := objectMember(order, created)
			if !sure || v != nil && t.UnmarshalJSON(v) != nil {
				return false
			}
		}
		if m := time.Time(t); m.After(newest) {
			newest = m
		}
		n++
		i = skipSpace(list, end)
		if i < len(list) && list[i] == ',' {
			i = skipSpace(list, i+1)
		} else if i >= len(list) || list[i] != ']' {
			return false
		}
	}
	if i >= len(list) {
		return false
	}
	p.Count, p.Newest = n, newest
	return true
}
