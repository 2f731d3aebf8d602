// Package syncer brings a shop's orders into the store: one incremental
// pass at a time, committing page by page and moving the shop's cursor only
// past what is committed.
package syncer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// DefaultOverlap is how far before the cursor a pass starts asking.
// WordPress date filters are exclusive and an order saved by a slow request
// can carry a modification time older than one already seen; re-reading a
// few minutes costs one request and loses nothing, since upserts are
// idempotent.
const DefaultOverlap = 5 * time.Minute

// Source is what a pass needs from a shop.
type Source interface {
	ListOrders(ctx context.Context, opt woo.ListOptions) (*woo.OrderPage, error)
}

// Store is what a pass needs from the database.
type Store interface {
	SyncState(ledger.ShopID) (ledger.SyncState, error)
	ApplyOrders(shop ledger.ShopID, orders []ledger.Order, src ledger.Source, cursor time.Time) (store.ApplyResult, error)
	UpdateSyncState(ledger.ShopID, func(*ledger.SyncState)) error
}

// Progress reports a running pass. Pages is an estimate from the shop's
// X-WP-Total at the first request; it can grow while orders arrive.
type Progress struct {
	Shop     ledger.ShopID
	Page     int // pages committed so far
	Pages    int
	Orders   int // orders received so far
	Expected int
	Result   store.ApplyResult // cumulative
}

// Result sums up a finished pass.
type Result struct {
	store.ApplyResult
	Requests int
	Cursor   time.Time
	FullScan bool // a shop without modified_after was read in full
}

// ErrFilterIgnored means the shop listed orders that modified_after
// should have excluded (WooCommerce before 5.8). Nothing was committed;
// the caller marks the shop and syncs it by scanning.
var ErrFilterIgnored = errors.New("the shop ignores modified_after")

// Options tune a pass; the zero value is usable.
type Options struct {
	Overlap time.Duration // default DefaultOverlap
	PerPage int           // default woo.MaxPerPage
	Now     func() time.Time
	// Progress is called after each committed page, from the pass's goroutine.
	Progress func(Progress)
	// RecentWindow is how far back a shop without modified_after is read
	// between full scans (default 60 days); FullScanEvery how often it is
	// read in full (default a day).
	RecentWindow  time.Duration
	FullScanEvery time.Duration
}

// Pass fetches every order of shop modified since its cursor and commits
// them page by page.
//
// Paging is by keyset, not by page number: each request asks for orders
// modified after the newest one committed (minus a second, because the
// filter is exclusive and dates have one-second resolution). An order
// modified during the pass moves to the end of the list instead of shifting
// unseen orders onto a page already read, so nothing is skipped. Only when
// a whole page shares one second does the pass step through it with page
// numbers.
func Pass(ctx context.Context, st Store, shop ledger.Shop, src Source, opt Options) (res Result, err error) {
	if opt.Overlap <= 0 {
		opt.Overlap = DefaultOverlap
	}
	if opt.PerPage <= 0 || opt.PerPage > woo.MaxPerPage {
		opt.PerPage = woo.MaxPerPage
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	state, err := st.SyncState(shop.ID)
	if err != nil {
		return res, fmt.Errorf("read sync state of shop %d: %w", shop.ID, err)
	}
	started := opt.Now().UTC()
	defer func() { recordOutcome(st, shop.ID, started, opt.Now().UTC(), err) }()

	res.Cursor = state.Cursor
	var pg pager
	if shop.ModifiedAfterIgnored {
		sp := newScanPager(shop, state, opt)
		res.FullScan = sp.full
		pg = sp
	} else {
		kp := &keysetPager{createdAfter: shop.ImportFrom, perPage: opt.PerPage, pageNo: 1}
		if !state.Cursor.IsZero() {
			kp.after = state.Cursor.Add(-opt.Overlap)
		}
		pg = kp
	}

	// One goroutine fetches while this one commits: the next request
	// depends only on the page just read, never on the commit, so the
	// network and the disk work side by side. Pages are still committed
	// strictly in order, so the cursor never passes an uncommitted page.
	fctx, cancel := context.WithCancel(ctx)
	pages := make(chan fetched, 1)
	go fetchPages(fctx, src, pg, pages)
	defer func() {
		cancel()
		for range pages { // let the fetcher finish before returning
		}
	}()

	prog := Progress{Shop: shop.ID}
	for f := range pages {
		res.Requests = f.requests
		if f.err != nil {
			return res, f.err
		}
		if f.page.FilterIgnored && !shop.ModifiedAfterIgnored {
			return res, ErrFilterIgnored
		}
		if f.requests == 1 {
			prog.Expected = f.page.Total
			prog.Pages = max(1, (f.page.Total+opt.PerPage-1)/opt.PerPage)
		}
		newest := res.Cursor
		if f.newest.After(newest) {
			newest = f.newest
		}
		applied, err := st.ApplyOrders(shop.ID, f.page.Orders, ledger.SourcePoll, newest)
		if err != nil {
			return res, fmt.Errorf("commit page %d of shop %d: %w", prog.Page+1, shop.ID, err)
		}
		res.ApplyResult.Add(applied)
		res.Cursor = newest
		prog.Page++
		prog.Orders += len(f.page.Orders)
		prog.Pages = max(prog.Pages, prog.Page)
		prog.Result = res.ApplyResult
		if opt.Progress != nil {
			opt.Progress(prog)
		}
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if res.FullScan {
		err = st.UpdateSyncState(shop.ID, func(s *ledger.SyncState) { s.LastFullScan = started })
	}
	return res, err
}

// fetched is one page read by fetchPages, or the error that ended it.
type fetched struct {
	page     *woo.OrderPage
	newest   time.Time // newest date_modified on the page
	requests int       // requests made so far
	err      error
}

// fetchPages reads the pages pg asks for and sends them in order until
// the list ends, a request fails, or ctx is cancelled. It closes out.
func fetchPages(ctx context.Context, src Source, pg pager, out chan<- fetched) {
	defer close(out)
	requests := 0
	for opt, more := pg.first(), true; more; {
		if err := ctx.Err(); err != nil {
			send(ctx, out, fetched{requests: requests, err: err})
			return
		}
		page, err := src.ListOrders(ctx, opt)
		requests++
		if err != nil {
			send(ctx, out, fetched{requests: requests, err: err})
			return
		}
		var newest time.Time
		for i := range page.Orders {
			if m := page.Orders[i].Modified; m.After(newest) {
				newest = m
			}
		}
		if !send(ctx, out, fetched{page: page, newest: newest, requests: requests}) {
			return
		}
		opt, more = pg.next(page, newest)
	}
}

func send(ctx context.Context, out chan<- fetched, f fetched) bool {
	select {
	case out <- f:
		return true
	case <-ctx.Done():
		return false
	}
}

// recordOutcome notes the pass in the shop's sync state. A cancelled pass is
// not an error worth showing.
func recordOutcome(st Store, shop ledger.ShopID, started, finished time.Time, passErr error) {
	_ = st.UpdateSyncState(shop, func(s *ledger.SyncState) {
		s.LastAttempt = started
		switch {
		case passErr == nil:
			s.LastSuccess, s.LastError = finished, ""
		case errors.Is(passErr, context.Canceled):
		default:
			s.LastError = passErr.Error()
		}
	})
}
