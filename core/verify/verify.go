// Package verify finds changes WooCommerce did not announce. A save that
// changes only an order's meta (its completed date, a receipt number, a
// courier's tracking code) keeps the order's date_modified, so neither
// modified_after nor the nightly catch-up ever returns it again, and the
// books would differ from the shop for good.
//
// A verification pass pages through all of a shop's orders in id order
// asking only for the fields the books depend on (woo.ListSummaries: one
// request per 100 orders), compares them with the store, fetches just the
// orders that differ in batches (woo.OrdersByID) and applies them as a
// sync would, with history source "verification" naming what differed.
// Orders the books have but the shop no longer lists are reported, never
// deleted. The pass keeps its place in the shop's SyncState after every
// page, so a pass stopped by a kill or a cancel goes on from there.
//
// Run does one pass; core/books runs it with the shop's sync exclusion
// (never beside a sync or another pass of the same shop).
package verify

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// Shop is what Run needs of the shop's client: the summary listing and the
// batch fetch (a *woo.Client).
type Shop interface {
	ListSummaries(ctx context.Context, opt woo.SummaryOptions) (*woo.SummaryPage, error)
	OrdersByID(ctx context.Context, ids []int64, meta bool) ([]ledger.Order, error)
	SummaryFields() woo.SummaryFields
	Dialect() ledger.Dialect
}

// Options tune a pass; the zero value is usable.
type Options struct {
	// Progress hears about each page compared.
	Progress func(Progress)
	// Bus, when set, gets VerifyStarted, VerifyProgress, VerifyFinished
	// and VerifyFailed.
	Bus *events.Bus
	// PerPage is the summaries per request (woo.MaxPerPage when 0).
	PerPage int
	// Now is the clock for LastVerified (time.Now when nil).
	Now func() time.Time
}

// Progress is where a pass is.
type Progress struct {
	Page, Pages        int
	Compared, Differed int
}

// Run verifies one shop: see the package doc. It returns what it found
// and did. On error or cancel the report counts what was done so far,
// which stays applied, and the next Run resumes after the last page done.
func Run(ctx context.Context, st *store.Store, sh ledger.Shop, c Shop, opt Options) (Report, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.PerPage <= 0 || opt.PerPage > woo.MaxPerPage {
		opt.PerPage = woo.MaxPerPage
	}
	began := time.Now()
	p := &pass{st: st, sh: sh, c: c, opt: opt,
		cmp: comparer{fields: c.SummaryFields(), dialect: c.Dialect(), metaKeys: sh.MetaKeys}}
	p.rep.Shop = sh.ID
	err := p.run(ctx)
	slices.Sort(p.rep.Gone)
	p.rep.Took = time.Since(began)
	p.publishOutcome(err)
	if err != nil {
		return p.rep, fmt.Errorf("verify %s: %w", sh.Name, err)
	}
	return p.rep, nil
}

type pass struct {
	st  *store.Store
	sh  ledger.Shop
	c   Shop
	opt Options
	cmp comparer
	rep Report
}

func (p *pass) run(ctx context.Context) error {
	state, err := p.st.SyncState(p.sh.ID)
	if err != nil {
		return err
	}
	after, page := state.VerifyAfter, 1
	if after > 0 && state.VerifyPage > 0 {
		// Read the last page done again: orders deleted since then have
		// moved later orders onto it. Those up to after are skipped.
		p.rep.Resumed, page = true, state.VerifyPage
	}
	p.publish(events.VerifyStarted{Base: p.base(), Resumed: p.rep.Resumed})
	meta := len(p.sh.MetaKeys) > 0
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		sp, err := p.c.ListSummaries(ctx, woo.SummaryOptions{Page: page, PerPage: p.opt.PerPage, CreatedAfter: p.sh.ImportFrom, Meta: meta})
		p.rep.Requests++
		p.rep.Pages++
		if err != nil {
			return err
		}
		if page == 1 || p.rep.Listed == 0 {
			p.rep.Listed = sp.Total
		}
		// The shop's page count decides: a short page before the last
		// (the legacy API leaves out orders the key may not read) is not
		// the end. Only a shop that sends no count ends at a short page.
		last := len(sp.Summaries) == 0 || page >= sp.TotalPages ||
			(sp.TotalPages == 0 && len(sp.Summaries) < p.opt.PerPage)
		through := int64(0) // the last page owns every stored order after it
		if !last {
			for _, s := range sp.Summaries {
				through = max(through, s.ID)
			}
		}
		if err := p.page(ctx, sp.Summaries, after, through); err != nil {
			return err
		}
		if last {
			break
		}
		after = max(after, through)
		done := page
		if err := p.st.UpdateSyncState(p.sh.ID, func(s *ledger.SyncState) { s.VerifyAfter, s.VerifyPage = after, done }); err != nil {
			return err
		}
		p.progress(page, sp.TotalPages)
		page++
	}
	now := p.opt.Now().UTC()
	if err := p.st.UpdateSyncState(p.sh.ID, func(s *ledger.SyncState) {
		s.VerifyAfter, s.VerifyPage, s.LastVerified, s.VerifyDue = 0, 0, now, false
	}); err != nil {
		return err
	}
	p.progress(page, page)
	return nil
}

// page compares one page of summaries, those with ids above after, with
// the stored orders in (after, through] (through 0: all after), then
// fetches and applies what differs and looks for what is gone.
func (p *pass) page(ctx context.Context, sums []woo.OrderSummary, after, through int64) error {
	stored := map[int64]*store.Verified{}
	withRaw := len(p.sh.MetaKeys) > 0
	err := p.st.EachVerified(p.sh.ID, after, through, withRaw, func(v *store.Verified) error {
		stored[v.ID] = v
		return nil
	})
	if err != nil {
		return err
	}
	changed := map[int64][]string{}
	var fetch []int64
	for i := range sums {
		s := &sums[i]
		if s.ID <= after {
			continue // read before this page moved (see run)
		}
		o, ok := stored[s.ID]
		delete(stored, s.ID)
		if !ok {
			changed[s.ID] = []string{FieldNew}
			fetch = append(fetch, s.ID)
			continue
		}
		p.rep.Compared++
		if d := p.cmp.diff(s, o); d != nil {
			changed[s.ID] = d
			fetch = append(fetch, s.ID)
		}
	}
	// Stored but not listed: gone from the shop, or moved onto a page
	// already read by a deletion meanwhile; fetching them tells which.
	var unlisted []int64
	for id, o := range stored {
		// Known deleted or trashed: the books say so already.
		if !o.Deleted && o.Status != ledger.StatusTrash {
			unlisted = append(unlisted, id)
		}
	}
	slices.Sort(unlisted)
	fetch = append(fetch, unlisted...)
	if len(fetch) == 0 {
		return nil
	}
	got, err := p.fetch(ctx, fetch)
	if err != nil {
		return err
	}
	for _, id := range unlisted {
		o, ok := got[id]
		if !ok {
			p.rep.Gone = append(p.rep.Gone, id)
			continue
		}
		p.rep.Compared++
		s := summaryOf(o, p.cmp.dialect, withRaw)
		if d := p.cmp.diff(&s, stored[id]); d != nil {
			changed[id] = d
		} else {
			delete(got, id)
		}
	}
	orders := make([]ledger.Order, 0, len(got))
	for _, id := range slices.Sorted(maps.Keys(got)) {
		orders = append(orders, *got[id])
	}
	for _, id := range fetch {
		if fs, listed := changed[id]; listed {
			if _, ok := got[id]; !ok {
				// Listed, then gone before the fetch.
				if fs[0] != FieldNew {
					p.rep.Gone = append(p.rep.Gone, id)
				}
				delete(changed, id)
			}
		}
	}
	p.rep.Differed += len(changed)
	for _, fs := range changed {
		for _, f := range fs {
			if p.rep.Fields == nil {
				p.rep.Fields = map[string]int{}
			}
			p.rep.Fields[f]++
		}
	}
	if len(orders) == 0 {
		return nil
	}
	if rs, ok := p.c.(syncer.RefundSource); ok {
		// As a sync does: orders whose refunds changed get them with
		// their detail, committed together with the order.
		st, err := syncer.FillRefunds(ctx, rs, p.st, p.sh.ID, orders)
		p.rep.Requests += st.Requests
		p.rep.RefundFetches += st.Requests
		if err != nil {
			return err
		}
	}
	res, err := p.st.ApplyVerified(p.sh.ID, orders, changed)
	if err != nil {
		return err
	}
	p.rep.New += res.New
	p.rep.Updated += res.Updated
	p.rep.Unchanged += res.Unchanged + res.Stale
	return nil
}

// fetch gets full orders by id, woo.MaxBatch to a request.
func (p *pass) fetch(ctx context.Context, ids []int64) (map[int64]*ledger.Order, error) {
	out := make(map[int64]*ledger.Order, len(ids))
	meta := len(p.sh.MetaKeys) > 0
	for batch := range slices.Chunk(ids, woo.MaxBatch) {
		orders, err := p.c.OrdersByID(ctx, batch, meta)
		p.rep.Requests++
		p.rep.Fetches++
		if err != nil {
			return nil, err
		}
		for i := range orders {
			if slices.Contains(batch, orders[i].ID) {
				out[orders[i].ID] = &orders[i]
			}
		}
	}
	return out, nil
}

func (p *pass) progress(page, pages int) {
	pr := Progress{Page: page, Pages: max(pages, page), Compared: p.rep.Compared, Differed: p.rep.Differed}
	if p.opt.Progress != nil {
		p.opt.Progress(pr)
	}
	p.publish(events.VerifyProgress{Base: p.base(), Pages: pr.Page, PagesExpected: pr.Pages,
		Compared: pr.Compared, Differed: pr.Differed})
}

func (p *pass) publishOutcome(err error) {
	if err != nil {
		p.publish(events.VerifyFailed{Base: p.base(), Err: err})
		return
	}
	p.publish(events.VerifyFinished{Base: p.base(), Compared: p.rep.Compared, Differed: p.rep.Differed,
		New: p.rep.New, Updated: p.rep.Updated, Gone: slices.Clone(p.rep.Gone), Requests: p.rep.Requests,
		Summary: p.rep.String()})
}

func (p *pass) base() events.Base { return events.Base{Shop: p.sh.ID, At: p.opt.Now()} }

func (p *pass) publish(e events.Event) {
	if p.opt.Bus != nil {
		p.opt.Bus.Publish(e)
	}
}
