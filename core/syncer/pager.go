package syncer

import (
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// pager decides which page a pass asks for next.
type pager interface {
	first() woo.ListOptions
	// next is the request after a page of count orders whose newest
	// date_modified is newest, or false when the list is done.
	next(count int, newest time.Time) (woo.ListOptions, bool)
}

// keysetPager pages by modification time: each request asks for orders
// modified after the newest one read (minus a second, because the filter
// is exclusive and dates have one-second resolution). An order modified
// during the pass moves to the end of the list instead of shifting unseen
// orders onto a page already read, so nothing is skipped. Only when a
// whole page shares one second does it step through it by page number.
type keysetPager struct {
	after, createdAfter time.Time
	perPage, pageNo     int
}

func (k *keysetPager) first() woo.ListOptions { return k.opts() }

func (k *keysetPager) opts() woo.ListOptions {
	return woo.ListOptions{Page: k.pageNo, PerPage: k.perPage, ModifiedAfter: k.after, CreatedAfter: k.createdAfter, OrderBy: "modified"}
}

func (k *keysetPager) next(count int, newest time.Time) (woo.ListOptions, bool) {
	if count < k.perPage {
		return woo.ListOptions{}, false
	}
	if n := newest.Add(-time.Second); n.After(k.after) {
		k.after, k.pageNo = n, 1
	} else {
		k.pageNo++
	}
	return k.opts(), true
}

// scanPager reads a shop that cannot filter by modification time: orders
// created in a recent window, newest first, and once a day all of them.
// Sorted by creation, an order whose status changes keeps its place, and a
// new order only pushes the rest one place on, so page numbers skip
// nothing (at worst an order is read twice).
type scanPager struct {
	createdAfter time.Time
	full         bool
	perPage      int
	pageNo       int
}

func newScanPager(shop ledger.Shop, state ledger.SyncState, opt Options) *scanPager {
	window, every := opt.RecentWindow, opt.FullScanEvery
	if window <= 0 {
		window = 60 * 24 * time.Hour
	}
	if every <= 0 {
		every = 24 * time.Hour
	}
	now := opt.Now()
	s := &scanPager{perPage: opt.PerPage, pageNo: 1, createdAfter: shop.ImportFrom}
	s.full = state.LastFullScan.IsZero() || now.Sub(state.LastFullScan) >= every
	if recent := now.Add(-window); !s.full && recent.After(s.createdAfter) {
		s.createdAfter = recent
	}
	return s
}

func (s *scanPager) first() woo.ListOptions { return s.opts() }

func (s *scanPager) opts() woo.ListOptions {
	return woo.ListOptions{Page: s.pageNo, PerPage: s.perPage, CreatedAfter: s.createdAfter, OrderBy: "date", Descending: true}
}

func (s *scanPager) next(count int, _ time.Time) (woo.ListOptions, bool) {
	if count < s.perPage {
		return woo.ListOptions{}, false
	}
	s.pageNo++
	return s.opts(), true
}
