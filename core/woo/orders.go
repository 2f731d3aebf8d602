package woo

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// MaxPerPage is the most orders wc/v3 returns in one page; the legacy API
// has no cap, but pages of this size keep requests short there too.
const MaxPerPage = 100

// ListOptions selects a page of orders.
type ListOptions struct {
	Page    int // 1-based; 0 means 1
	PerPage int // 0 means MaxPerPage
	// ModifiedAfter asks only for orders modified strictly after it (UTC).
	ModifiedAfter time.Time
	// CreatedAfter asks only for orders created strictly after it (UTC).
	CreatedAfter time.Time
	// OrderBy is "modified" (default), "date" or "id".
	OrderBy string
	// Descending reverses the order (default oldest first).
	Descending bool
}

// OrderPage is one page of an order list.
type OrderPage struct {
	Orders     []ledger.Order
	Total      int       // orders matching the query (X-WP-Total / X-WC-Total)
	TotalPages int       // X-WP-TotalPages / X-WC-TotalPages
	ServerTime time.Time // the shop's Date header, zero if absent
	// FilterIgnored is set when the shop returned orders the
	// ModifiedAfter filter should have excluded: WooCommerce before 5.8
	// does not know modified_after and silently lists everything.
	FilterIgnored bool
}

// ListOrders fetches one page of orders in the client's dialect.
func (c *Client) ListOrders(ctx context.Context, opt ListOptions) (*OrderPage, error) {
	p, err := c.fetchOrders(ctx, opt)
	if err != nil {
		return nil, err
	}
	return p.Decode()
}

// FetchedPage is a page of orders as the shop sent it, fetched by
// FetchOrders and not decoded yet: decoding is most of the cost of a page,
// and a sync can do it on another goroutine while it asks for the next.
type FetchedPage struct {
	// Count and Newest come from a quick scan of the body: the number of
	// orders on the page and the newest modification time among them (the
	// creation time for an order without one). Decode's orders agree with
	// them whenever it succeeds on a well-formed page; a caller that pages
	// by them checks that they do.
	Count  int
	Newest time.Time

	c    *Client
	op   string
	opt  ListOptions
	resp *response
	page *OrderPage // decoded already (the scan could not read the body)
	err  error
}

// FetchOrders fetches the page ListOrders would and scans it for its
// count and newest order; Decode decodes it.
func (c *Client) FetchOrders(ctx context.Context, opt ListOptions) (*FetchedPage, error) {
	p, err := c.fetchOrders(ctx, opt)
	if err != nil {
		return nil, err
	}
	if !p.scan() {
		// Not a list the scan can read: decode it now, and let the error
		// of a body that is not one show where a decoding error would.
		p.page, p.err = p.decode()
		if p.err != nil {
			return nil, p.err
		}
		p.Count, p.Newest = len(p.page.Orders), ledger.NewestModified(p.page.Orders)
	}
	return p, nil
}

func (c *Client) fetchOrders(ctx context.Context, opt ListOptions) (*FetchedPage, error) {
	if opt.Page < 1 {
		opt.Page = 1
	}
	if opt.PerPage < 1 || (opt.PerPage > MaxPerPage && c.dialect == ledger.DialectWCV3) {
		opt.PerPage = MaxPerPage
	}
	if opt.OrderBy == "" {
		opt.OrderBy = "modified"
	}
	op := "list orders"
	if opt.Page > 1 {
		op += " page " + strconv.Itoa(opt.Page)
	}
	query := wcListQuery(opt)
	if c.dialect == ledger.DialectLegacyV3 {
		query = legacyListQuery(opt)
	}
	resp, err := c.do(ctx, call{op: op, path: "orders", query: query})
	if err != nil {
		return nil, err
	}
	return &FetchedPage{c: c, op: op, opt: opt, resp: resp}, nil
}

// Decode decodes the page as ListOrders returns it. It may be called
// from any goroutine, once.
func (p *FetchedPage) Decode() (*OrderPage, error) {
	if p.page != nil || p.err != nil {
		return p.page, p.err
	}
	return p.decode()
}

func (p *FetchedPage) decode() (*OrderPage, error) {
	var (
		page *OrderPage
		err  error
	)
	if p.c.dialect == ledger.DialectLegacyV3 {
		page, err = decodeLegacyList(p.op, p.resp)
	} else {
		page, err = decodeWCList(p.op, p.resp)
	}
	if err != nil {
		return nil, err
	}
	page.ServerTime = serverTime(p.resp.header)
	if !p.opt.ModifiedAfter.IsZero() {
		for i := range page.Orders {
			if !page.Orders[i].Modified.After(p.opt.ModifiedAfter) {
				page.FilterIgnored = true
				break
			}
		}
	}
	return page, nil
}

func wcListQuery(opt ListOptions) url.Values {
	q := url.Values{}
	q.Set("page", strconv.Itoa(opt.Page))
	q.Set("per_page", strconv.Itoa(opt.PerPage))
	q.Set("orderby", opt.OrderBy)
	q.Set("order", "asc")
	if opt.Descending {
		q.Set("order", "desc")
	}
	// Without dates_are_gmt WooCommerce reads dates in the site's own zone.
	if !opt.ModifiedAfter.IsZero() {
		q.Set("modified_after", opt.ModifiedAfter.UTC().Format("2006-01-02T15:04:05"))
		q.Set("dates_are_gmt", "true")
	}
	if !opt.CreatedAfter.IsZero() {
		q.Set("after", opt.CreatedAfter.UTC().Format("2006-01-02T15:04:05"))
		q.Set("dates_are_gmt", "true")
	}
	return q
}

// legacyListQuery builds the legacy filter[...] query. Its date filters are
// inclusive and compare against GMT, and any zone offset is discarded
// rather than converted: always UTC with Z, one second later for "after".
func legacyListQuery(opt ListOptions) url.Values {
	q := url.Values{}
	q.Set("page", strconv.Itoa(opt.Page))
	q.Set("filter[limit]", strconv.Itoa(opt.PerPage))
	q.Set("filter[orderby]", opt.OrderBy)
	q.Set("filter[order]", "ASC")
	if opt.Descending {
		q.Set("filter[order]", "DESC")
	}
	if !opt.ModifiedAfter.IsZero() {
		q.Set("filter[updated_at_min]", opt.ModifiedAfter.UTC().Add(time.Second).Format("2006-01-02T15:04:05Z"))
	}
	if !opt.CreatedAfter.IsZero() {
		q.Set("filter[created_at_min]", opt.CreatedAfter.UTC().Add(time.Second).Format("2006-01-02T15:04:05Z"))
	}
	return q
}

func decodeWCList(op string, resp *response) (*OrderPage, error) {
	if orders, ok := wcListFast(resp.body); ok {
		page := &OrderPage{Orders: orders}
		page.Total, _ = strconv.Atoi(resp.header.Get("X-WP-Total"))
		page.TotalPages, _ = strconv.Atoi(resp.header.Get("X-WP-TotalPages"))
		return page, nil
	}
	return decodeWCListSlow(op, resp)
}

// decodeWCListSlow decodes a wc/v3 list order by order.
func decodeWCListSlow(op string, resp *response) (*OrderPage, error) {
	var raws []json.RawMessage
	if err := decodeJSON(op, resp.body, &raws); err != nil {
		return nil, err
	}
	page := &OrderPage{Orders: make([]ledger.Order, 0, len(raws))}
	page.Total, _ = strconv.Atoi(resp.header.Get("X-WP-Total"))
	page.TotalPages, _ = strconv.Atoi(resp.header.Get("X-WP-TotalPages"))
	for i, raw := range raws {
		o, err := DecodeOrder(raw)
		if err != nil {
			return nil, withOp(err, op+", order "+strconv.Itoa(i+1))
		}
		page.Orders = append(page.Orders, o)
	}
	return page, nil
}

func decodeLegacyList(op string, resp *response) (*OrderPage, error) {
	if orders, ok := legacyListFast(resp.body); ok {
		page := &OrderPage{Orders: orders}
		page.Total, _ = strconv.Atoi(resp.header.Get("X-WC-Total"))
		page.TotalPages, _ = strconv.Atoi(resp.header.Get("X-WC-TotalPages"))
		return page, nil
	}
	return decodeLegacyListSlow(op, resp)
}

// decodeLegacyListSlow decodes a legacy list order by order.
func decodeLegacyListSlow(op string, resp *response) (*OrderPage, error) {
	var body struct {
		Orders []json.RawMessage `json:"orders"`
	}
	if err := decodeJSON(op, resp.body, &body); err != nil {
		return nil, err
	}
	page := &OrderPage{Orders: make([]ledger.Order, 0, len(body.Orders))}
	page.Total, _ = strconv.Atoi(resp.header.Get("X-WC-Total"))
	page.TotalPages, _ = strconv.Atoi(resp.header.Get("X-WC-TotalPages"))
	for i, raw := range body.Orders {
		o, err := DecodeLegacyOrder(raw)
		if err != nil {
			return nil, withOp(err, op+", order "+strconv.Itoa(i+1))
		}
		page.Orders = append(page.Orders, o)
	}
	return page, nil
}

// Order fetches one order by its WooCommerce id.
func (c *Client) Order(ctx context.Context, id int64) (ledger.Order, error) {
	op := "get order " + strconv.FormatInt(id, 10)
	resp, err := c.do(ctx, call{op: op, path: "orders/" + strconv.FormatInt(id, 10)})
	if err != nil {
		return ledger.Order{}, err
	}
	decode := DecodeOrder
	if c.dialect == ledger.DialectLegacyV3 {
		decode = DecodeLegacyOrder
	}
	o, err := decode(resp.body)
	return o, withOp(err, op)
}

// withOp relabels a decoding error with the request it came from.
func withOp(err error, op string) error {
	if e, ok := err.(*Error); ok {
		e.Op = op
	}
	return err
}

func serverTime(h http.Header) time.Time {
	t, err := http.ParseTime(h.Get("Date"))
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
