package orders

import (
	"context"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/orderindex"
	"codeberg.org/shopledger/shopledger/core/store"
)

// orderPages is the order list's model: it holds a few pages of orders, not
// the list, so 100,000 orders cost a handful of pages in memory and the
// table builds widgets only for the rows on screen.
//
// The store pages by keyset tokens, not offsets: page p can only be read
// with the token that ends page p-1. So the model remembers every token it
// has seen (24 bytes a page), keeps the orders of the most recently used
// pages, and reaches an unseen page by walking forward from the last known
// token. Scrolling page by page is one read per page; a jump to the end of
// a long list walks once, then every token is known.
//
// A search does not page through the store: the order index returns the
// keys of every match at once (resetKeys), and page p is then the orders
// of keys[p*size:], read by key — any page directly, no walk.
//
// All methods run on the UI goroutine; fetch runs off it and its result
// comes back through apply.
type orderPages struct {
	size int // orders per page
	keep int // pages whose orders stay in memory

	gen    int               // bumped by reset, so a load from before it is ignored
	count  int               // rows in the list
	tokens [][]byte          // tokens[p] starts page p; tokens[0] is nil
	keys   []ledger.OrderKey // the rows' keys, when listing a search
	pages  map[int][]ledger.Order
	used   map[int]uint64 // last use of each held page, for eviction
	tick   uint64

	fetching fetchState
}

// fetchState is where the model's one fetch at a time stands.
type fetchState uint8

const (
	fetchIdle    fetchState = iota
	fetchRunning            // a fetch is under way
	fetchFailed             // the last fetch failed; no more until reset
)

func newOrderPages(size, keep int) *orderPages {
	m := &orderPages{size: size, keep: keep}
	m.reset(0, nil, nil)
	return m
}

// reset starts over with a fresh count and, when known, the first page and
// the token after it.
func (m *orderPages) reset(count int, first []ledger.Order, next []byte) {
	m.gen++
	m.count = count
	m.tokens = [][]byte{nil}
	m.keys = nil
	m.pages = map[int][]ledger.Order{}
	m.used = map[int]uint64{}
	m.fetching = fetchIdle
	if first != nil {
		m.store(0, first, next)
	}
}

// resetKeys starts over with the rows of a search: keys, newest first,
// and the orders of the first page when known.
func (m *orderPages) resetKeys(keys []ledger.OrderKey, first []ledger.Order) {
	m.reset(len(keys), first, nil)
	m.keys = keys
	if m.keys == nil {
		m.keys = []ledger.OrderKey{}
	}
}

// keyed reports whether the rows are a search's keys.
func (m *orderPages) keyed() bool { return m.keys != nil }

// order returns row i, or nil and the page to load when it is not held.
func (m *orderPages) order(i int) (o *ledger.Order, missing int) {
	p := i / m.size
	pg, ok := m.pages[p]
	if !ok {
		return nil, p
	}
	m.tick++
	m.used[p] = m.tick
	if j := i % m.size; j < len(pg) {
		return &pg[j], -1
	}
	return nil, -1 // past the end: the list shrank since the count
}

// pageRequest is what a fetch needs: walk from page from, starting at
// token, up to and including page to.
type pageRequest struct {
	gen      int
	from, to int
	token    []byte
	size     int
	keys     []ledger.OrderKey // the page's keys, when listing a search
}

// request plans the fetch of page p, or returns false when nothing should
// start: a fetch is running (it refreshes the table when it ends, and the
// rows still missing then ask again), or the last one failed.
func (m *orderPages) request(p int) (pageRequest, bool) {
	if m.fetching != fetchIdle || p < 0 || p*m.size >= m.count {
		return pageRequest{}, false
	}
	if m.keyed() {
		m.fetching = fetchRunning
		keys := m.keys[p*m.size : min((p+1)*m.size, len(m.keys))]
		return pageRequest{gen: m.gen, from: p, to: p, size: m.size, keys: keys}, true
	}
	from := min(p, len(m.tokens)-1)
	m.fetching = fetchRunning
	return pageRequest{gen: m.gen, from: from, to: p, token: m.tokens[from], size: m.size}, true
}

// pageRun is a fetch's outcome: the tokens it passed and the orders of the
// page it was sent for.
type pageRun struct {
	req    pageRequest
	tokens [][]byte // tokens[i] ends page req.from+i
	last   []ledger.Order
	end    int // rows in the list if the walk reached its end, else -1
}

// fetch walks the store from req.from to req.to. Only the last page's
// orders are kept: the pages before it were skipped over, not shown. A
// search's page is read by key.
func fetch(ctx context.Context, b Backend, f store.OrderFilter, req pageRequest) (pageRun, error) {
	run := pageRun{req: req, end: -1}
	if req.keys != nil {
		orders, err := orderindex.Fetch(b, req.keys)
		run.last = orders
		return run, err
	}
	token := req.token
	for p := req.from; p <= req.to; p++ {
		if err := ctx.Err(); err != nil {
			return run, err
		}
		orders, next, err := b.Orders(f, token, req.size)
		if err != nil {
			return run, err
		}
		run.tokens = append(run.tokens, next)
		if p == req.to || next == nil {
			run.last = orders
		}
		if next == nil {
			run.end = p*req.size + len(orders)
			break
		}
		token = next
	}
	return run, nil
}

// apply takes a fetch's outcome in; it reports whether the table should
// redraw.
func (m *orderPages) apply(run pageRun, err error) bool {
	if run.req.gen != m.gen {
		return false // the list was reset meanwhile
	}
	m.fetching = fetchIdle
	if err != nil {
		m.fetching = fetchFailed
		return false
	}
	if m.keyed() {
		m.store(run.req.from, run.last, nil)
		return true
	}
	for i, tok := range run.tokens {
		p := run.req.from + i + 1
		if tok != nil && p == len(m.tokens) {
			m.tokens = append(m.tokens, tok)
		}
	}
	if run.end >= 0 && run.end < m.count {
		m.count = run.end
	}
	last := run.req.from + len(run.tokens) - 1
	m.store(last, run.last, nil)
	return true
}

// store holds page p and, when next is given, learns the token after it;
// it evicts the least recently used page past keep.
func (m *orderPages) store(p int, orders []ledger.Order, next []byte) {
	if next != nil && p+1 == len(m.tokens) {
		m.tokens = append(m.tokens, next)
	}
	m.pages[p] = orders
	m.tick++
	m.used[p] = m.tick
	for len(m.pages) > m.keep {
		oldest, at := -1, uint64(0)
		for q, t := range m.used {
			if oldest < 0 || t < at {
				oldest, at = q, t
			}
		}
		delete(m.pages, oldest)
		delete(m.used, oldest)
	}
}

// update replaces the held copy of an order with o, as after a
// reassignment; it reports whether a row shows it.
func (m *orderPages) update(o ledger.Order) bool {
	found := false
	for _, pg := range m.pages {
		for i := range pg {
			if pg[i].Key() == o.Key() {
				pg[i], found = o, true
			}
		}
	}
	return found
}
