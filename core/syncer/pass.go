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
	// RefundRequests counts the refund lists fetched (see FillRefunds),
	// which Requests leaves out.
	RefundRequests int
	Cursor         time.Time
	FullScan       bool // a shop without modified_after was read in full
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
	// Progress is called after each committed page, one call at a time,
	// from the goroutine that commits.
	Progress func(Progress)
	// RecentWindow is how far back a shop without modified_after is read
	// between full scans (default 60 days); FullScanEvery how often it is
	// read in full (default a day).
	RecentWindow  time.Duration
	FullScanEvery time.Duration
	// Concurrency is how many fetched pages a pass works on at once
	// (default DefaultConcurrency), each on its own goroutine, while the
	// next page is fetched and earlier ones commit: decoded (when the
	// Source can fetch without decoding, as *woo.Client can), compared
	// with the books, encoded and compressed outside the write transaction
	// (when the Store can, see Preparer). A pass holds at most
	// 16 × Concurrency pages fetched and not committed yet; pages that are
	// ready together commit in one transaction. Whatever the setting,
	// pages are committed strictly in the order they were read and the
	// cursor moves only past committed pages.
	//
	// Requests themselves go one at a time: with keyset paging each asks
	// for what follows the page before it (see Pass), which a quick scan
	// of the page tells before it is decoded.
	Concurrency int
}

// DefaultConcurrency is Options.Concurrency's default: two pages decoded
// and prepared while the next is fetched keep two cores busy.
const DefaultConcurrency = 2

const (
	// readAhead is how many pages per unit of Concurrency may be fetched
	// and not yet committed: a page is about a megabyte in memory.
	readAhead = 16
	// maxBatch is the most pages committed in one transaction, and
	// batchWindow how long a prepared page waits for others to commit with.
	maxBatch    = 32
	batchWindow = 100 * time.Millisecond
)

// Preparer is what a Store offers to take the encoding of a page out of
// its write transaction; *store.Store has it. Without it a pass commits
// each page with ApplyOrders.
type Preparer interface {
	Prepare(shop ledger.ShopID, orders []ledger.Order) (*store.Prepared, error)
	ApplyPrepared(pages []*store.Prepared, src ledger.Source, cursor time.Time) ([]store.ApplyResult, error)
}

// Pass fetches every order of shop modified since its cursor and commits
// them in the order read, each page in one transaction (pages that are
// ready together share one).
//
// Paging is by keyset, not by page number: each request asks for orders
// modified after the newest one committed (minus a second, because the
// filter is exclusive and dates have one-second resolution). An order
// modified during the pass moves to the end of the list instead of shifting
// unseen orders onto a page already read, so nothing is skipped. Only when
// a whole page shares one second does the pass step through it with page
// numbers.
func Pass(ctx context.Context, st Store, shop ledger.Shop, src Source, opt Options) (res Result, err error) {
	opt = opt.withDefaults()
	state, err := st.SyncState(shop.ID)
	if err != nil {
		return res, fmt.Errorf("read sync state of shop %d: %w", shop.ID, err)
	}
	started := opt.Now().UTC()
	defer func() { recordOutcome(st, shop.ID, started, opt.Now().UTC(), err) }()

	res.Cursor = state.Cursor
	pg, full := newPager(shop, state, opt)
	res.FullScan = full
	p := newPipeline(st, shop, src, pg, opt, &res)
	rf := newRefundFiller(src, st, shop, state)
	p.steps = withRefunds(p.steps, rf)
	err = p.run(ctx)
	res.RefundRequests = rf.count()
	if err != nil {
		return res, err
	}
	if err := ctx.Err(); err != nil {
		return res, err
	}
	if res.FullScan {
		err = st.UpdateSyncState(shop.ID, func(s *ledger.SyncState) { s.LastFullScan = started })
	}
	return res, err
}

func (opt Options) withDefaults() Options {
	if opt.Overlap <= 0 {
		opt.Overlap = DefaultOverlap
	}
	if opt.PerPage <= 0 || opt.PerPage > woo.MaxPerPage {
		opt.PerPage = woo.MaxPerPage
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Concurrency <= 0 {
		opt.Concurrency = DefaultConcurrency
	}
	return opt
}

// newPager returns the pager a pass of shop uses, and whether it reads
// the shop in full.
func newPager(shop ledger.Shop, state ledger.SyncState, opt Options) (pager, bool) {
	if shop.ModifiedAfterIgnored {
		sp := newScanPager(shop, state, opt)
		return sp, sp.full
	}
	kp := &keysetPager{createdAfter: shop.ImportFrom, perPage: opt.PerPage, pageNo: 1}
	if !state.Cursor.IsZero() {
		kp.after = state.Cursor.Add(-opt.Overlap)
	}
	return kp, false
}

// commitBatch commits the pages of batch, in order, in as few
// transactions as it can: all of them, or those before the page whose
// fetch or steps failed, and then returns that error.
func commitBatch(st Store, prep Preparer, shop ledger.Shop, batch []*job, res *Result, prog *Progress, opt Options) error {
	// The pages up to the first that cannot be committed.
	ok := len(batch)
	var stop error
	for i, j := range batch {
		switch {
		case j.f.err != nil:
			stop = j.f.err
		case j.err != nil:
			stop = j.err
		}
		if stop != nil {
			ok = i
			break
		}
	}
	pages := batch[:ok]
	if len(pages) > 0 {
		newest := res.Cursor
		for _, j := range pages {
			if j.f.newest.After(newest) {
				newest = j.f.newest
			}
		}
		var applied []store.ApplyResult
		var err error
		if prep != nil {
			ps := make([]*store.Prepared, len(pages))
			for i, j := range pages {
				ps[i] = j.prep
			}
			if applied, err = prep.ApplyPrepared(ps, ledger.SourcePoll, newest); err == nil {
				res.Cursor = newest
			}
		} else {
			for _, j := range pages {
				// One page at a time, each moving the cursor past itself.
				cursor := res.Cursor
				if j.f.newest.After(cursor) {
					cursor = j.f.newest
				}
				var a store.ApplyResult
				if a, err = st.ApplyOrders(shop.ID, j.f.page.Orders, ledger.SourcePoll, cursor); err != nil {
					break
				}
				applied = append(applied, a)
				res.Cursor = cursor
			}
		}
		report(pages[:len(applied)], applied, res, prog, opt)
		if err != nil {
			res.Requests = pages[len(applied)].f.requests
			return fmt.Errorf("commit page %d of shop %d: %w", prog.Page+1, shop.ID, err)
		}
	}
	if stop != nil {
		res.Requests = batch[ok].f.requests
	}
	return stop
}

// report counts committed pages in res and prog, and tells opt.Progress.
func report(pages []*job, applied []store.ApplyResult, res *Result, prog *Progress, opt Options) {
	for i, j := range pages {
		res.Requests = j.f.requests
		if j.f.requests == 1 {
			prog.Expected = j.f.page.Total
			prog.Pages = max(1, (j.f.page.Total+opt.PerPage-1)/opt.PerPage)
		}
		res.ApplyResult.Add(applied[i])
		prog.Page++
		prog.Orders += len(j.f.page.Orders)
		prog.Pages = max(prog.Pages, prog.Page)
		prog.Result = res.ApplyResult
		if opt.Progress != nil {
			opt.Progress(*prog)
		}
	}
}

// fetched is one page read by fetchPages, or the error that ended it.
type fetched struct {
	// page is the page decoded; or raw, the page as fetched, with count
	// and newest from its scan, when the decoding is left to a worker.
	page     *woo.OrderPage
	raw      *woo.FetchedPage
	count    int
	newest   time.Time // newest date_modified on the page
	requests int       // requests made so far
	err      error
}

// pageFetcher is a Source that can fetch a page without decoding it, and
// tell its count and newest order from a quick scan; *woo.Client is one.
type pageFetcher interface {
	FetchOrders(ctx context.Context, opt woo.ListOptions) (*woo.FetchedPage, error)
}

// fetchPages reads the pages pg asks for and hands them to out in order
// until the list ends, a request fails (handed over as an error), ctx is
// cancelled, or out returns false. With undecoded, pages of a source that
// can are handed over undecoded (see fetched).
func fetchPages(ctx context.Context, src Source, pg pager, undecoded bool, out func(fetched) bool) {
	pf, _ := src.(pageFetcher)
	if !undecoded {
		pf = nil
	}
	requests := 0
	for opt, more := pg.first(), true; more; {
		if err := ctx.Err(); err != nil {
			out(fetched{requests: requests, err: err})
			return
		}
		var f fetched
		var err error
		if pf != nil {
			f.raw, err = pf.FetchOrders(ctx, opt)
			if err == nil {
				f.count, f.newest = f.raw.Count, f.raw.Newest
			}
		} else {
			f.page, err = src.ListOrders(ctx, opt)
			if err == nil {
				f.count, f.newest = len(f.page.Orders), ledger.NewestModified(f.page.Orders)
			}
		}
		requests++
		f.requests = requests
		if err != nil {
			out(fetched{requests: requests, err: err})
			return
		}
		if !out(f) {
			return
		}
		opt, more = pg.next(f.count, f.newest)
	}
}

// decode decodes a page fetched undecoded and checks that it is the page
// the pass paged by.
func (f *fetched) decode() error {
	if f.page != nil {
		return nil
	}
	page, err := f.raw.Decode()
	if err != nil {
		return err
	}
	if len(page.Orders) != f.count || !ledger.NewestModified(page.Orders).Equal(f.newest) {
		return &woo.Error{Op: "list orders", Kind: woo.KindBadPayload,
			Message: fmt.Sprintf("the page decodes to %d orders, newest %s, where a first reading found %d, newest %s",
				len(page.Orders), ledger.NewestModified(page.Orders).Format(time.RFC3339), f.count, f.newest.Format(time.RFC3339))}
	}
	f.page = page
	return nil
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
