package woo

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// CountOrdersThrough counts the shop's orders created at or before t (to
// the second): those a first import from t leaves out, since a sync asks
// only for orders created strictly after it (ListOptions.CreatedAfter).
// A zero t counts every order. It costs one request for one order's id:
// the count is the list's total, X-WP-Total (wc/v3) or X-WC-Total (legacy).
func (c *Client) CountOrdersThrough(ctx context.Context, t time.Time) (int, error) {
	const op = "count orders"
	q := url.Values{}
	total := "X-WP-Total"
	if c.dialect == ledger.DialectLegacyV3 {
		total = "X-WC-Total"
		q.Set("filter[limit]", "1")
		q.Set("fields", "id")
		if !t.IsZero() {
			// Inclusive, on the GMT date, and any zone offset is discarded.
			q.Set("filter[created_at_max]", t.UTC().Format("2006-01-02T15:04:05Z"))
		}
	} else {
		q.Set("per_page", "1")
		q.Set("_fields", "id")
		if !t.IsZero() {
			// Exclusive: one second later takes in an order made at t.
			q.Set("before", t.UTC().Add(time.Second).Format("2006-01-02T15:04:05"))
			q.Set("dates_are_gmt", "true")
		}
	}
	resp, err := c.do(ctx, call{op: op, path: "orders", query: q})
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(strings.TrimSpace(resp.header.Get(total)))
	if err != nil || n < 0 {
		return 0, &Error{Op: op, Kind: KindBadPayload, Message: "the shop did not say how many orders it has (no " + total + " header)"}
	}
	return n, nil
}
