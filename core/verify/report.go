package verify

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Report is what a verification pass found and did.
type Report struct {
	Shop ledger.ShopID
	// Listed is how many orders the shop lists (its X-WP-Total).
	Listed int
	// Compared counts orders both the shop and the books have that were
	// compared; Differed those that differed (new ones included).
	Compared, Differed int
	// What applying the orders that differed did: New were missing from
	// the books, Updated were corrected, Unchanged turned out equal (or the
	// books had a newer version meanwhile).
	New, Updated, Unchanged int
	// Fields counts the orders that differed by field ("date_completed",
	// "meta:_receipt_no", "new", …).
	Fields map[string]int
	// Gone lists, by id, orders the books have that the shop no longer
	// lists: deleted, or in its trash. They are kept as they are.
	Gone []int64
	// Requests is every request made: Pages summary pages, Fetches batch
	// fetches and RefundFetches refund lists (of orders whose refunds
	// changed, as a sync fetches them).
	Requests, Pages, Fetches, RefundFetches int
	// Resumed: the pass went on from where a stopped one was.
	Resumed bool
	Took    time.Duration
}

// String says what the pass found, as the bookkeeper reads it: "3 orders
// differed and were updated; order 17 is no longer in the shop".
func (r Report) String() string {
	var parts []string
	switch {
	case r.Updated+r.New == 0 && len(r.Gone) == 0:
		if r.Compared == 1 {
			parts = append(parts, "1 order agrees with the shop")
		} else {
			parts = append(parts, fmt.Sprintf("all %d orders agree with the shop", r.Compared))
		}
	case r.Updated > 0:
		parts = append(parts, fmt.Sprintf("%s differed and %s updated", plural(r.Updated, "order"), were(r.Updated)))
	}
	if r.New > 0 {
		parts = append(parts, fmt.Sprintf("%s missing from the books %s added", plural(r.New, "order"), were(r.New)))
	}
	if n := len(r.Gone); n > 0 {
		ids := make([]string, 0, min(n, 10))
		for _, id := range r.Gone[:min(n, 10)] {
			ids = append(ids, strconv.FormatInt(id, 10))
		}
		more := ""
		if n > 10 {
			more = fmt.Sprintf(" and %d more", n-10)
		}
		if n == 1 {
			parts = append(parts, fmt.Sprintf("order %s is no longer in the shop (deleted or in its trash; kept in the books)", ids[0]))
		} else {
			parts = append(parts, fmt.Sprintf("orders %s%s are no longer in the shop (deleted or in its trash; kept in the books)", strings.Join(ids, ", "), more))
		}
	}
	return strings.Join(parts, "; ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

func were(n int) string {
	if n == 1 {
		return "was"
	}
	return "were"
}
