// Package woosim simulates a WooCommerce shop's REST API on loopback, for
// tests, benchmarks and demos of ShopLedger.
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
// Today the modern wc/v3 dialect is served (wcv3*.go). The legacy /wc-api/v3
// dialect, webhooks and fault injection are meant to come as further files
// that reuse the generator, the query engine, the PHP-compatible JSON and
// query-string helpers (phpjson.go, phpquery.go), the key store (auth.go)
// and the per-dialect cache slot in order.
//
// # Fidelity
//
// Taken from WooCommerce 7.9 / WordPress 6.3 as captured in
// shared/woocommerce/samples and as their source reads:
//   - JSON is encoded like PHP's json_encode() with WordPress's flags: "/" is
//     escaped as "\/" and every non-ASCII character as a \uXXXX escape.
//     Keys come in WooCommerce's order.
//   - Money is a string with two decimals (dp changes that); a line's price
//     is a JSON number, total / quantity after discounts (7.3, 21,
//     3.3333333333333335); coupon discounts, fee amounts and per-rate item
//     taxes are PHP floats as strings ("10", "4.5").
//   - Dates are site-local (date_created) and UTC (date_created_gmt), both
//     without a zone; date filters are exclusive and compare wall clocks the
//     way WP_Date_Query does, including its treatment of zoned values.
//   - Authentication follows class-wc-rest-authentication.php: Basic auth or
//     consumer_key/consumer_secret only over HTTPS, OAuth 1.0a one-legged
//     over both, with WooCommerce's error bodies.
//   - Paging: X-WP-Total, X-WP-TotalPages and one Link header with prev/next
//     built as add_query_arg() builds them; a page past the end is [] with
//     200 (WC_REST_CRUD_Controller does not have WordPress core's
//     rest_post_invalid_page_number check).
//
// Known simplifications: order ids are contiguous from 1 (a real shop has
// gaps, as ids are shared with every WordPress post) and refund ids come
// from a range of their own above RefundIDBase; orderby=title and slug sort
// like date; the search and product filters and every write answer 501
// woosim_not_implemented; a used OAuth nonce is refused for 15 minutes even
// where WooCommerce's per-timestamp bookkeeping would forget it.
package woosim
