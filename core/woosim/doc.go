// Package woosim simulates a WooCommerce shop on loopback, for tests,
// benchmarks and demos of ShopLedger: both REST dialects, their
// authentication, webhooks and the ways real shops fail.
//
// # Design
//
// Each order's state is dialect-neutral: what the generator decided
// (orderDoc: customer, lines, taxes, shipping, fees, coupons, totals), which
// is rebuilt from (seed, id) on demand instead of being kept, and what
// changes over time (order: status, dates, refunds). A REST dialect renders
// that state into its own JSON, once per modification, and caches the bytes
// with the site URL left out, so one rendering serves every Host. Listing
// goes through a dialect-neutral query engine (query.go) over two sorted
// indexes (by created, by modified).
//
// Files by subject:
//   - wcv3*.go: the modern dialect, /wp-json/wc/v3/orders;
//   - legacy_*.go: the legacy REST API v3, /wc-api/v3/ (index, orders,
//     authentication, filter[] queries and their paging headers);
//   - webhook*.go: webhooks in both dialects' APIs, pings, signed
//     deliveries through a queue;
//   - faults.go: failures on demand (5xx, 429, latency, resets, truncated
//     bodies, PHP notices, BOMs, HTML pages, a stripped Authorization);
//   - version.go: what a WooCommerce version serves (Options.WCVersion);
//   - generate.go, catalog.go: the orders; vat.go, taxes.go: a VAT shop's
//     rates (Options.VAT) and GET /wc/v3/taxes; refunds.go,
//     refund_render.go: refunds with their items and dates, both dialects'
//     refunds endpoints and AddRefund; report*.go: the sales report of
//     both dialects, by WooCommerce 7.9's definitions;
//   - phpjson.go, phpquery.go: PHP's JSON and query-string behaviour;
//     admin*.go: /__woosim/.
//
// # Fidelity
//
// Taken from WooCommerce 7.9 / WordPress 6.3 as captured in
// core/woo/testdata/samples and as their source reads:
//   - JSON is encoded like PHP's json_encode() with WordPress's flags: "/" is
//     escaped as "\/" and every non-ASCII character as a \uXXXX escape.
//     Keys come in WooCommerce's order.
//   - Money is a string with two decimals (dp changes that); a wc/v3 line's
//     price is a JSON number, total / quantity after discounts (7.3, 21,
//     3.3333333333333335), a legacy line's price a string ("7.30"); coupon
//     discounts, fee amounts and per-rate item taxes are PHP floats as
//     strings ("10", "4.5").
//   - wc/v3 dates are site-local (date_created) and UTC (date_created_gmt),
//     both without a zone; its date filters are exclusive and compare wall
//     clocks the way WP_Date_Query does. Legacy dates are UTC with "Z", a
//     missing one the Unix epoch; its filter[updated_at_min] and friends are
//     inclusive against the GMT columns, with any offset discarded.
//   - Authentication follows class-wc-rest-authentication.php (wc/v3) and
//     class-wc-api-authentication.php (legacy), with their error bodies.
//   - Paging: wc/v3 sends X-WP-Total, X-WP-TotalPages and one Link header
//     with prev/next built as add_query_arg() builds them; the legacy API
//     sends X-WC-Total, X-WC-TotalPages and one Link header per relation
//     (first, prev, next, last) on the home URL's host without its port,
//     url-decoded; WP_Query's quirks are kept (a page past the end reports 0
//     orders in all, filter[limit]=-1 reports 0 pages, filter[orderby]=id
//     is unknown and sorts by date, an unregistered status lifts the status
//     restriction).
//   - Refunds (captured on a 7.9 shop with VAT): an order lists them
//     newest first as {id, reason, total} with a negative total; the
//     refunds endpoints give each its date and items with negative
//     quantities and amounts; the legacy one only line items, with
//     refunded_item_id always 0 (WooCommerce reads a meta key it never
//     writes). Taxes are rounded per line, and with prices including tax
//     the tax is taken out of each line's gross amount.
//   - The sales report follows class-wc-report-sales-by-date.php and the
//     REST controllers of 7.9, slips included: currencies are added up, a
//     fully refunded order counts with its own totals in every period one
//     of its refunds falls in, and a period's discount is that of its last
//     coupon code only.
//   - Webhooks: deliveries signed with base64(HMAC-SHA256(secret, body)),
//     the body built at send time, one queued delivery per webhook and
//     order, never retried; 2xx, 301 and 302 succeed; the 7th consecutive
//     failure disables; pings (webhook_id=N) must be answered 200.
//
// Known simplifications: order ids are contiguous from 1 (a real shop has
// gaps, as ids are shared with every WordPress post) and refund ids come
// from a range of their own above RefundIDBase, their items' ids from one
// above RefundItemIDBase; amounts are exact cents, so the sales report has
// none of the unrounded stored discounts a real one sums; orderby=title and slug sort
// like date; the search and product filters and every order write answer
// 501 woosim_not_implemented, as do the legacy API's coupon, customer,
// product and tax routes and its reports other than reports/sales; the legacy filter[fields], filter[meta]
// and expand options are ignored; a used OAuth nonce is refused for 15
// minutes even where WooCommerce's per-timestamp bookkeeping would forget
// it; with plain permalinks the _links of wc/v3 orders still use /wp-json/.
package woosim
