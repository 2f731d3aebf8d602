package orders

import (
	"slices"
	"strings"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/orderindex"
	"codeberg.org/shopledger/shopledger/core/store"
)

// Query is what the filters ask for. Without text the store lists the
// orders page by page (its indexes filter by shop, status and date); with
// text the order index finds them.
type Query struct {
	Filter store.OrderFilter
	Text   string
	sort   sorting // the zero value: newest first
}

func (q Query) search() bool { return strings.TrimSpace(q.Text) != "" }

// filtered tells whether any filter narrows the list.
func (q Query) filtered() bool {
	f := q.Filter
	return f.Shop != 0 || f.Status != "" || len(f.Statuses) > 0 || !f.From.IsZero() || !f.To.IsZero()
}

// reversed tells whether the dates end before they start.
func (q Query) reversed() bool {
	f := q.Filter
	return !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From.AddDate(0, 0, 1))
}

// same tells whether q asks what o asks.
func (q Query) same(o Query) bool {
	a, b := q.Filter, o.Filter
	return q.Text == o.Text && q.sort == o.sort && a.Shop == b.Shop && a.Status == b.Status && slices.Equal(a.Statuses, b.Statuses) &&
		a.From.Equal(b.From) && a.To.Equal(b.To)
}

// Result is a query's answer: how many orders match and the first page of
// them, plus what the list needs to read the rest.
type Result struct {
	count int
	first []ledger.Order
	next  []byte            // the store's token after the first page
	keys  []ledger.OrderKey // a search's matches, newest first
	// waiting: the query needs the index, which is still being read.
	waiting bool
}

// Read answers q with its first size orders, off the UI goroutine. ready
// says whether the index has been read; ix may be nil when it has not.
func Read(b Backend, ix *orderindex.Index, ready bool, q Query, size int) (r Result, err error) {
	if !q.sort.natural() {
		return readSorted(b, ix, ready, q, size)
	}
	if !q.search() {
		if r.count, err = b.CountOrders(q.Filter); err != nil {
			return r, err
		}
		r.first, r.next, err = b.Orders(q.Filter, nil, size)
		return r, err
	}
	if !ready {
		return Result{waiting: true, keys: []ledger.OrderKey{}}, nil
	}
	r.keys = ix.Search(indexQuery(q))
	r.count = len(r.keys)
	r.first, err = orderindex.Fetch(b, r.keys[:min(len(r.keys), size)])
	return r, err
}

// indexQuery is q as the search index takes it.
func indexQuery(q Query) orderindex.Query {
	f := q.Filter
	return orderindex.Query{Text: q.Text, Shop: f.Shop, Status: f.Status, Statuses: f.Statuses, From: f.From, To: f.To}
}

// Reading is one read of the list that the shell runs with its snapshot:
// planned on the UI goroutine (Page.Prepare), read off it (Read), shown on
// it (Page.Show) unless a later query overtook it.
type Reading struct {
	page  *Page
	gen   int
	q     Query
	b     Backend
	ix    *orderindex.Index
	ready bool
	size  int
}

// Read reads the orders the filters asked for; it runs off the UI
// goroutine.
func (r Reading) Read() (Result, error) { return Read(r.b, r.ix, r.ready, r.q, r.size) }
