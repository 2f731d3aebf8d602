// Package syncer brings a shop's orders into the store: one incremental
// pass at a time, committing page by page and moving the shop's cursor only
// past what is committed.
package syncer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"shopledger/core/ledger"
	"shopledger/core/store"
	"shopledger/core/woo"
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
}

// Options tune a pass; the zero value is usable.
type Options struct {
	Overlap time.Duration // default DefaultOverlap
	PerPage int           // default woo.MaxPerPage
	Now     func() time.Time
	// Progress is called after each committed page, from the pass's goroutine.
	Progress func(Progress)
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
	var after time.Time
	if !state.Cursor.IsZero() {
		after = state.Cursor.Add(-opt.Overlap)
	}
	prog := Progress{Shop: shop.ID}
	pageNo := 1
	for {
		if err := ctx.Err(); err != nil {
			return res, err
		}
		page, err := src.ListOrders(ctx, woo.ListOptions{
			Page: pageNo, PerPage: opt.PerPage, ModifiedAfter: after, CreatedAfter: shop.ImportFrom, OrderBy: "modified",
		})
		res.Requests++
		if err != nil {
			return res, err
		}
		if res.Requests == 1 {
			prog.Expected = page.Total
			prog.Pages = max(1, (page.Total+opt.PerPage-1)/opt.PerPage)
		}
		newest := res.Cursor
		for i := range page.Orders {
			if m := page.Orders[i].Modified; m.After(newest) {
				newest = m
			}
		}
		applied, err := st.ApplyOrders(shop.ID, page.Orders, ledger.SourcePoll, newest)
		if err != nil {
			return res, fmt.Errorf("commit page %d of shop %d: %w", prog.Page+1, shop.ID, err)
		}
		res.ApplyResult.Add(applied)
		res.Cursor = newest
		prog.Page++
		prog.Orders += len(page.Orders)
		prog.Pages = max(prog.Pages, prog.Page)
		prog.Result = res.ApplyResult
		if opt.Progress != nil {
			opt.Progress(prog)
		}
		if len(page.Orders) < opt.PerPage {
			return res, nil
		}
		if next := newest.Add(-time.Second); next.After(after) {
			after, pageNo = next, 1
		} else {
			pageNo++ // a full page within one second: step through it
		}
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
