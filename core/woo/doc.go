// Package woo is ShopLedger's WooCommerce REST client. It speaks the modern
// wc/v3 API, authenticates the way WooCommerce expects for the URL's scheme
// (Basic auth over HTTPS, one-legged OAuth 1.0a over plain HTTP), pages
// through order lists, and decodes orders into ledger.Order. Every call takes
// a context; every failure is an *Error whose Kind the UI turns into a
// sentence a bookkeeper can act on.
package woo
