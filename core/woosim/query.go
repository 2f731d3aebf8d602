package woosim

import (
	"slices"
	"sort"
	"time"
)

// orderQuery is a dialect-neutral order listing: what WP_Query is asked by
// wc/v3's GET /orders (and, later, by the legacy API's filter[...]).
type orderQuery struct {
	none      bool            // matches nothing (a filter no order can meet)
	anyStatus bool            // every status but trash
	withTrash bool            // with anyStatus: trash too (WP_Query without a status restriction)
	statuses  map[string]bool // when !anyStatus
	include   []int64         // nil: no restriction
	exclude   map[int64]bool
	customer  int64 // -1: any
	created   timeRange
	modified  timeRange
	orderBy   orderBy
	desc      bool
	offset    int // -1: none, use page
	page      int // from 1
	perPage   int
}

type orderBy int

const (
	orderByDate orderBy = iota
	orderByID
	orderByModified
	orderByInclude
)

// timeRange bounds a date column. Bounds are wall-clock seconds (a
// "Y-m-d H:i:s" read as if it were UTC) because that is what MySQL compares:
// the column is either the GMT one or the site-local one.
type timeRange struct {
	gmt                 bool // compare against the *_gmt column
	after, before       int64
	hasAfter, hasBefore bool
	inclusive           bool // >= and <= instead of > and <
}

func (t *timeRange) active() bool { return t.hasAfter || t.hasBefore }

// match reports whether wall (the column value) is inside the range.
func (t *timeRange) match(wall int64) bool {
	if t.inclusive {
		return (!t.hasAfter || wall >= t.after) && (!t.hasBefore || wall <= t.before)
	}
	return (!t.hasAfter || wall > t.after) && (!t.hasBefore || wall < t.before)
}

// wall converts a UTC instant to the wall clock of the column.
func (s *Sim) wall(utc int64, gmt bool) int64 {
	if gmt || s.loc == time.UTC {
		return utc
	}
	_, off := time.Unix(utc, 0).In(s.loc).Zone()
	return utc + int64(off)
}

// queryLocked runs q and returns the requested page and the total number
// of matches. s.mu must be held (for reading at least).
func (s *Sim) queryLocked(q *orderQuery) (page []*order, total int) {
	if q.none {
		return nil, 0
	}
	var inc map[int64]bool
	if q.include != nil && q.orderBy != orderByInclude {
		inc = make(map[int64]bool, len(q.include))
		for _, id := range q.include {
			inc[id] = true
		}
	}
	match := func(o *order) bool {
		if q.anyStatus {
			if o.status == "trash" && !q.withTrash {
				return false
			}
		} else if !q.statuses[o.status] {
			return false
		}
		if inc != nil && !inc[o.id] {
			return false
		}
		if q.exclude[o.id] {
			return false
		}
		if q.customer >= 0 && o.customerID != q.customer {
			return false
		}
		if q.created.active() && !q.created.match(s.wall(o.created, q.created.gmt)) {
			return false
		}
		if q.modified.active() && !q.modified.match(s.wall(o.modified, q.modified.gmt)) {
			return false
		}
		return true
	}

	start := (q.page - 1) * q.perPage
	if q.offset >= 0 {
		start = q.offset
	}
	end := start + q.perPage

	if q.orderBy == orderByInclude {
		// ORDER BY FIELD(ID, …): the include list's order, duplicates once.
		seen := make(map[int64]bool, len(q.include))
		ids := q.include
		if q.desc {
			ids = slices.Clone(ids)
			slices.Reverse(ids)
		}
		for _, id := range ids {
			if seen[id] {
				continue
			}
			seen[id] = true
			if o := s.orderLocked(id); o != nil && match(o) {
				if total >= start && total < end {
					page = append(page, o)
				}
				total++
			}
		}
		return page, total
	}

	// The orders in sort order, narrowed by binary search when the sort
	// column is also filtered on (the incremental sync's query).
	var idx []int32
	exact := false // the window alone satisfies the date filters
	switch q.orderBy {
	case orderByID:
		exact = !q.created.active() && !q.modified.active()
	case orderByModified:
		idx = s.byModified
		if !q.created.active() && (q.modified.gmt || s.loc == time.UTC) {
			idx, exact = s.window(idx, &q.modified, func(o *order) int64 { return o.modified }), true
		}
	default:
		idx = s.byCreated
		if !q.modified.active() && (q.created.gmt || s.loc == time.UTC) {
			idx, exact = s.window(idx, &q.created, func(o *order) int64 { return o.created }), true
		}
	}
	n := len(s.orders)
	at := func(i int) *order { return s.orders[i] }
	if idx != nil {
		n = len(idx)
		at = func(i int) *order { return s.orders[idx[i]] }
	}
	if q.desc {
		fwd := at
		at = func(i int) *order { return fwd(n - 1 - i) }
	}

	// Nothing else to filter on: the page is a slice of the window.
	if exact && q.anyStatus && (s.trashed == 0 || q.withTrash) && inc == nil && q.exclude == nil && q.customer < 0 {
		for i := start; i < min(end, n); i++ {
			page = append(page, at(i))
		}
		return page, n
	}
	for i := range n {
		o := at(i)
		if !match(o) {
			continue
		}
		if total >= start && total < end {
			page = append(page, o)
		}
		total++
	}
	return page, total
}

// window narrows idx (sorted by col) to the orders inside t, which must
// compare against the GMT column (or the site must be on UTC).
func (s *Sim) window(idx []int32, t *timeRange, col func(*order) int64) []int32 {
	lo, hi := 0, len(idx)
	if t.hasAfter {
		lo = sort.Search(len(idx), func(i int) bool {
			v := col(s.orders[idx[i]])
			return v > t.after || t.inclusive && v == t.after
		})
	}
	if t.hasBefore {
		hi = sort.Search(len(idx), func(i int) bool {
			v := col(s.orders[idx[i]])
			return v > t.before || !t.inclusive && v == t.before
		})
	}
	return idx[lo:max(lo, hi)]
}
