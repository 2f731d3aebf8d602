package woo

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"shopledger/core/ledger"
)

// MaxPerPage is the most orders wc/v3 returns in one page.
const MaxPerPage = 100

// ListOptions selects a page of orders.
type ListOptions struct {
	Page    int // 1-based; 0 means 1
	PerPage int // 0 means MaxPerPage
	// ModifiedAfter asks only for orders modified strictly after it (UTC).
	ModifiedAfter time.Time
	// CreatedAfter asks only for orders created strictly after it (UTC).
	CreatedAfter time.Time
	// OrderBy is "modified" (default, oldest first), "date" or "id".
	OrderBy string
	// Descending reverses the order.
	Descending bool
}

// OrderPage is one page of an order list.
type OrderPage struct {
	Orders     []ledger.Order
	Total      int       // X-WP-Total: orders matching the query
	TotalPages int       // X-WP-TotalPages
	ServerTime time.Time // the shop's Date header, zero if absent
}

// ListOrders fetches one page of orders.
func (c *Client) ListOrders(ctx context.Context, opt ListOptions) (*OrderPage, error) {
	if opt.Page < 1 {
		opt.Page = 1
	}
	if opt.PerPage < 1 || opt.PerPage > MaxPerPage {
		opt.PerPage = MaxPerPage
	}
	if opt.OrderBy == "" {
		opt.OrderBy = "modified"
	}
	q := url.Values{}
	q.Set("page", strconv.Itoa(opt.Page))
	q.Set("per_page", strconv.Itoa(opt.PerPage))
	q.Set("orderby", opt.OrderBy)
	q.Set("order", "asc")
	if opt.Descending {
		q.Set("order", "desc")
	}
	if !opt.ModifiedAfter.IsZero() {
		// Without dates_are_gmt WooCommerce reads the date in the site's
		// own time zone.
		q.Set("modified_after", opt.ModifiedAfter.UTC().Format("2006-01-02T15:04:05"))
		q.Set("dates_are_gmt", "true")
	}
	if !opt.CreatedAfter.IsZero() {
		q.Set("after", opt.CreatedAfter.UTC().Format("2006-01-02T15:04:05"))
		q.Set("dates_are_gmt", "true")
	}
	op := describe("list orders", opt.Page)
	resp, err := c.get(ctx, op, "orders", q)
	if err != nil {
		return nil, err
	}
	var raws []json.RawMessage
	if err := decodeJSON(op, resp.body, &raws); err != nil {
		return nil, err
	}
	page := &OrderPage{Orders: make([]ledger.Order, 0, len(raws)), ServerTime: serverTime(resp.header)}
	page.Total, _ = strconv.Atoi(resp.header.Get("X-WP-Total"))
	page.TotalPages, _ = strconv.Atoi(resp.header.Get("X-WP-TotalPages"))
	for i, raw := range raws {
		o, err := DecodeOrder(raw)
		if err != nil {
			if e, ok := err.(*Error); ok {
				e.Op = op + ", order " + strconv.Itoa(i+1)
			}
			return nil, err
		}
		page.Orders = append(page.Orders, o)
	}
	return page, nil
}

// Order fetches one order by its WooCommerce id.
func (c *Client) Order(ctx context.Context, id int64) (ledger.Order, error) {
	op := "get order " + strconv.FormatInt(id, 10)
	resp, err := c.get(ctx, op, "orders/"+strconv.FormatInt(id, 10), nil)
	if err != nil {
		return ledger.Order{}, err
	}
	o, err := DecodeOrder(resp.body)
	if e, ok := err.(*Error); ok {
		e.Op = op
	}
	return o, err
}

func serverTime(h http.Header) time.Time {
	t, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
