package orders

import (
	"cmp"
	"errors"
	"slices"
	"strconv"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/orderindex"
	"codeberg.org/shopledger/shopledger/core/store"
)

// sortKey is what the list is sorted by.
type sortKey uint8

const (
	byDate sortKey = iota // the books' own order
	byNumber
	byCustomer
	byTotal
	byStatus
)

// sorting is how the list is sorted. The zero value is the books' own
// order, newest first, which the store and the search index list
// directly; any other is sorted from the matches' orders.
type sorting struct {
	by sortKey
	up bool // ascending
}

func (s sorting) natural() bool { return s == sorting{} }

// sortKeys are the sortable columns' keys.
var sortKeys = map[int]sortKey{ColNumber: byNumber, ColDate: byDate, ColCustomer: byCustomer, ColTotal: byTotal, ColStatus: byStatus}

// tapped is the sorting after a tap on a column's heading: the column
// sorted by goes the other way; another one sorts ascending, except the
// date, which starts newest first.
func (s sorting) tapped(col int) (sorting, bool) {
	by, ok := sortKeys[col]
	switch {
	case !ok:
		return s, false
	case by == s.by:
		return sorting{by: by, up: !s.up}, true
	default:
		return sorting{by: by, up: by != byDate}, true
	}
}

// shows tells which way col's heading points: 0 for none.
func (s sorting) shows(col int) int {
	if by, ok := sortKeys[col]; !ok || by != s.by {
		return 0
	} else if s.up {
		return 1
	}
	return -1
}

// sortValue is what an order is compared by.
type sortValue struct {
	text     []byte // a collation key, or the number as typed
	n        int64  // a numeric number, an amount, a status's rank
	numeric  bool
	currency string
}

// statusRank orders statuses as an order goes through them (WooCommerce's
// own list), the shop's deleted ones last.
func statusRank(o *ledger.Order) int64 {
	if o.Deleted {
		return int64(len(ledger.KnownStatuses)) + 1
	}
	if i := slices.Index(ledger.KnownStatuses, o.Status); i >= 0 {
		return int64(i)
	}
	return int64(len(ledger.KnownStatuses)) // a shop's own status
}

// sorter collects the matches of a query and sorts them.
type sorter struct {
	by   sortKey
	keys []ledger.OrderKey // as listed, newest first
	vals []sortValue
	coll *collate.Collator
	buf  collate.Buffer
}

func newSorter(by sortKey) *sorter {
	// Names sort as the Unicode collation does (Latin, then Cyrillic;
	// case and accents secondary), whatever the window's language.
	return &sorter{by: by, coll: collate.New(language.Und)}
}

func (s *sorter) add(o *ledger.Order) {
	v := sortValue{}
	switch s.by {
	case byNumber:
		n, err := strconv.ParseInt(o.Number, 10, 64)
		v.n, v.numeric, v.text = n, err == nil, []byte(o.Number)
	case byCustomer:
		v.text = slices.Clone(s.coll.KeyFromString(&s.buf, o.CustomerName()))
		s.buf.Reset()
	case byTotal:
		v.n, v.currency = int64(o.Total), o.Currency
	case byStatus:
		v.n = statusRank(o)
	}
	s.keys = append(s.keys, o.Key())
	s.vals = append(s.vals, v)
}

// compare orders two values ascending: numbers before other numbers'
// text, amounts within their currency (currencies apart, by code).
func (s *sorter) compare(a, b *sortValue) int {
	switch s.by {
	case byNumber:
		if a.numeric && b.numeric {
			return cmp.Compare(a.n, b.n)
		}
		if a.numeric != b.numeric {
			if a.numeric {
				return -1
			}
			return 1
		}
		return slices.Compare(a.text, b.text)
	case byCustomer:
		return slices.Compare(a.text, b.text)
	case byTotal:
		return cmp.Or(cmp.Compare(a.currency, b.currency), cmp.Compare(a.n, b.n))
	case byStatus:
		return cmp.Compare(a.n, b.n)
	}
	return 0
}

// sorted returns the keys in the order asked for; ties keep the books'
// order, newest first.
func (s *sorter) sorted(up bool) []ledger.OrderKey {
	if s.by == byDate {
		if up {
			slices.Reverse(s.keys)
		}
		return s.keys
	}
	idx := make([]int, len(s.keys))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		c := s.compare(&s.vals[i], &s.vals[j])
		if !up {
			c = -c
		}
		return c
	})
	out := make([]ledger.OrderKey, len(idx))
	for i, k := range idx {
		out[i] = s.keys[k]
	}
	return out
}

// readSorted answers a query sorted otherwise than newest first: it reads
// every match (the store's list, or a search's orders), sorts their keys
// and reads the first page of them. At 100,000 orders that is a read of
// every order, about a second, in the background.
func readSorted(b Backend, ix *orderindex.Index, ready bool, q Query, size int) (Result, error) {
	if q.search() && !ready {
		return Result{waiting: true, keys: []ledger.OrderKey{}}, nil
	}
	s := newSorter(q.sort.by)
	if q.search() {
		for _, k := range ix.Search(indexQuery(q)) {
			o, err := b.Order(k)
			if errors.Is(err, store.ErrNotFound) {
				continue // gone since the index was read
			}
			if err != nil {
				return Result{}, err
			}
			s.add(&o)
		}
	} else if err := b.EachOrder(q.Filter, func(o *ledger.Order) error { s.add(o); return nil }); err != nil {
		return Result{}, err
	}
	keys := s.sorted(q.sort.up)
	first, err := orderindex.Fetch(b, keys[:min(len(keys), size)])
	return Result{count: len(keys), keys: keys, first: first}, err
}
