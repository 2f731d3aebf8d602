package woosim

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestQueryMatchesBruteForce checks the index windows and the fast path
// against a plain filter-sort-slice over every order.
func TestQueryMatchesBruteForce(t *testing.T) {
	for _, loc := range []*time.Location{time.UTC, time.FixedZone("EET", 2*3600)} {
		clk := newClock(testNow)
		s := New(Options{Orders: 400, Seed: 21, Now: clk.Now, SiteTimezone: loc})
		r := rand.New(rand.NewPCG(1, 2))
		for i := range 60 {
			clk.Add(time.Duration(r.IntN(3)) * time.Second) // some equal modification times
			st := []string{"completed", "processing", "cancelled", "refunded"}[r.IntN(4)]
			if i%20 == 19 {
				st = "trash"
			}
			s.SetStatus(1+r.Int64N(400), st)
		}
		s.AddOrders(5)
		all := s.orders
		times := func(f func(*order) int64) []int64 {
			var out []int64
			for _, o := range all {
				out = append(out, f(o))
			}
			return out
		}
		created, modified := times(func(o *order) int64 { return o.created }), times(func(o *order) int64 { return o.modified })

		for range 1500 {
			q := orderQuery{anyStatus: true, customer: -1, offset: -1, page: 1 + r.IntN(4), perPage: 1 + r.IntN(60),
				orderBy: orderBy(r.IntN(3)), desc: r.IntN(2) == 0}
			gmt := r.IntN(2) == 0
			q.created.gmt, q.modified.gmt = gmt, gmt
			if r.IntN(3) == 0 {
				q.modified.after, q.modified.hasAfter = pickTime(r, modified, loc, gmt), true
			}
			if r.IntN(4) == 0 {
				q.modified.before, q.modified.hasBefore = pickTime(r, modified, loc, gmt), true
			}
			if r.IntN(4) == 0 {
				q.created.after, q.created.hasAfter = pickTime(r, created, loc, gmt), true
			}
			if r.IntN(6) == 0 {
				q.statuses, q.anyStatus = map[string]bool{"completed": true, "trash": r.IntN(2) == 0}, false
			}
			if r.IntN(8) == 0 {
				q.offset = r.IntN(50)
			}

			s.mu.RLock()
			page, total := s.queryLocked(&q)
			s.mu.RUnlock()

			var want []*order
			for _, o := range all {
				ok := q.anyStatus && o.status != "trash" || !q.anyStatus && q.statuses[o.status]
				ok = ok && (!q.created.active() || q.created.match(s.wall(o.created, gmt)))
				ok = ok && (!q.modified.active() || q.modified.match(s.wall(o.modified, gmt)))
				if ok {
					want = append(want, o)
				}
			}
			key := func(o *order) int64 {
				switch q.orderBy {
				case orderByModified:
					return o.modified
				case orderByID:
					return o.id
				}
				return o.created
			}
			slices.SortStableFunc(want, func(a, b *order) int {
				c := cmp.Or(cmp.Compare(key(a), key(b)), cmp.Compare(a.id, b.id))
				if q.desc {
					return -c
				}
				return c
			})
			start := (q.page - 1) * q.perPage
			if q.offset >= 0 {
				start = q.offset
			}
			wantTotal := len(want)
			want = want[min(start, len(want)):min(start+q.perPage, len(want))]
			if total != wantTotal || !slices.Equal(page, want) {
				t.Fatalf("%s query %+v: total %d (want %d), page %v (want %v)", loc, q, total, wantTotal, orderIDs(page), orderIDs(want))
			}
		}
	}
}

// pickTime returns a bound near one of the times: on it, a second off, or
// in between.
func pickTime(r *rand.Rand, ts []int64, loc *time.Location, gmt bool) int64 {
	t := ts[r.IntN(len(ts))] + int64(r.IntN(3)-1)
	if !gmt {
		_, off := time.Unix(t, 0).In(loc).Zone()
		t += int64(off)
	}
	return t
}

func orderIDs(os []*order) []int64 {
	out := make([]int64, len(os))
	for i, o := range os {
		out[i] = o.id
	}
	return out
}
