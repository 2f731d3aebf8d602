package woo_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/woo"
)

// countConformance checks, in the suite's dialect and authentication, that
// CountOrdersThrough counts exactly the orders created at or before a
// moment: those a first import from it leaves out. The moments are orders'
// own creation times, where an off-by-one-second bound would show.
func countConformance(t *testing.T, c *woo.Client) {
	ctx := context.Background()
	t.Run("count through a date agrees with the list", func(t *testing.T) {
		var created []time.Time
		for page := 1; ; page++ {
			p, err := c.ListOrders(ctx, woo.ListOptions{Page: page, PerPage: woo.MaxPerPage, OrderBy: "id"})
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range p.Orders {
				created = append(created, o.Created)
			}
			if page >= p.TotalPages || len(p.Orders) == 0 {
				break
			}
		}
		if len(created) < 3 {
			t.Skip("the shop has too few orders")
		}
		slices.SortFunc(created, func(a, b time.Time) int { return a.Compare(b) })
		all, err := c.CountOrdersThrough(ctx, time.Time{})
		if err != nil || all != len(created) {
			t.Fatalf("every order: %d (%v), the list has %d", all, err, len(created))
		}
		mid := created[len(created)/2]
		for _, at := range []time.Time{mid, mid.Add(-time.Second), created[0].Add(-time.Second), created[len(created)-1]} {
			want := 0
			for _, c := range created {
				if !c.After(at) {
					want++
				}
			}
			got, err := c.CountOrdersThrough(ctx, at)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("orders created through %s: %d, the list has %d", at.UTC().Format(time.RFC3339), got, want)
			}
		}
	})
}
