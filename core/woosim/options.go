package woosim

import (
	"net/http"
	"time"
)

// Setting is a yes/no shop setting whose zero value means "as a default
// install of the simulated version has it".
type Setting int8

const (
	Default Setting = iota
	On
	Off
)

func (s Setting) or(def bool) bool {
	switch s {
	case On:
		return true
	case Off:
		return false
	}
	return def
}

// Options configures a simulated shop.
type Options struct {
	// Orders is how many orders the shop has at start; Seed drives the
	// generator: the same Seed and Orders give identical orders.
	Orders int
	Seed   int64
	// Key and Secret are the consumer key and secret the shop accepts
	// (DefaultKey and DefaultSecret when empty), with Read/Write permissions.
	Key, Secret string
	// ReadOnlyKey and ReadOnlySecret, when set, are a second key pair with
	// Read permissions only: writes with it get WooCommerce's 401 "The API
	// key provided does not have write permissions."
	ReadOnlyKey, ReadOnlySecret string
	// Now is the shop's clock; time.Now when nil.
	Now func() time.Time
	// WCVersion is the WooCommerce version the shop runs (DefaultWCVersion
	// when empty). It decides which APIs answer:
	//   - below 3.5 there is no wc/v3 (404 rest_no_route);
	//   - below 5.8 wc/v3 ignores modified_after and modified_before;
	//   - below 9.0 the legacy API (/wc-api/v3) is part of WooCommerce;
	//     from 9.0 only with LegacyPlugin.
	WCVersion string
	// WPVersion is the WordPress version ("6.3" when empty), as webhook
	// requests' User-Agent reports it.
	WPVersion string
	// LegacyEnabled is WooCommerce → Settings → Advanced → Legacy API →
	// "Enable the legacy REST API" (On unless set to Off). When off, the
	// legacy endpoints answer 404 woocommerce_api_disabled.
	LegacyEnabled Setting
	// LegacyPlugin is the "WooCommerce Legacy REST API" plugin, which brings
	// the legacy API back to WooCommerce 9.0 and later.
	LegacyPlugin bool
	// PrettyPermalinks is WordPress's permalink structure (On unless set to
	// Off). With plain permalinks /wp-json/… and /wc-api/… are 404 pages and
	// only the ?rest_route= and ?wc-api-version=&wc-api-route= forms work.
	PrettyPermalinks Setting
	// SiteTimezone is the shop's timezone (WordPress Settings → General):
	// date_created and friends are rendered in it, the *_gmt fields in UTC,
	// and date filters without dates_are_gmt compare against it. UTC when nil.
	SiteTimezone *time.Location
	// SiteHost is the host[:port] WordPress believes it lives at, used in
	// every URL it renders (_links, payment_url, Link headers) and in the
	// OAuth base string. Empty: the request's Host header, as on a shop
	// whose home URL matches how it is reached (webhook deliveries, which
	// have no request, use the address the Server listens on).
	SiteHost string
	// StoreName is WordPress's site title ("woosim" when empty) and Currency
	// the store's base currency ("USD" when empty; "EUR" for a VAT shop),
	// as the legacy index reports them. Orders keep their own currencies,
	// except in a VAT shop, whose orders are all in Currency (or in
	// CurrencyChange's currencies).
	StoreName string
	Currency  string
	// Faults are the failures the shop starts with; Sim.Faults changes them
	// at run time.
	Faults FaultConfig
	// DeliveryDelay holds every webhook delivery back this long before it
	// is sent, as Action Scheduler does (deliveries for the same webhook
	// and order coalesce while they wait).
	DeliveryDelay time.Duration
	// WebhookTransport sends webhook pings and deliveries
	// (http.DefaultTransport's settings when nil).
	WebhookTransport http.RoundTripper
	// VAT makes the shop a VAT-registered shop as a bookkeeper sees one:
	// every order whose billing country has rates in TaxRates is taxed by
	// them per tax class (standard, reduced-rate), shipping and fees
	// included, rounded per line as WooCommerce rounds; cash on delivery
	// adds a COD fee line; refunds list the items they take back. Off (the
	// default), orders keep the older generator's mix of taxes.
	VAT bool
	// TaxRates are the shop's tax rates (WooCommerce → Settings → Tax), as
	// GET /wc/v3/taxes lists them; DefaultTaxRates when nil (used with VAT;
	// without it /wc/v3/taxes lists the older generator's rates).
	TaxRates []TaxRate
	// PricesIncludeTax is "Prices entered with tax" (On unless set to Off;
	// only with VAT): catalog prices are then gross, and an order's line
	// totals the price less the tax in it.
	PricesIncludeTax Setting
	// From and To spread the shop's initial orders over [From, To) (To:
	// Now when zero). Zero From: the 400 days before Now.
	From, To time.Time
	// CurrencyChange, when set, gives every order the store currency of
	// its creation date: Before until At, After from At on (a Bulgarian
	// shop's BGN until 2026-01-01, EUR after). Nil: each order takes its
	// country's currency.
	CurrencyChange *CurrencyChange
	// Verbose sends the HTTP server's own error log (TLS handshake failures,
	// resets) to stderr; it is discarded otherwise.
	Verbose bool
}

// CurrencyChange is a store currency switch at a date.
type CurrencyChange struct {
	At            time.Time
	Before, After string
}

// TaxRate is one row of WooCommerce's tax table.
type TaxRate struct {
	ID      int64
	Country string // ISO 3166 alpha-2
	Class   string // "standard" or "reduced-rate"
	Percent string // "20", "9", "5.5"
	Name    string // the label orders show: "ДДС 20%"
}

// DefaultTaxRates are the rates of the real shop the captures come from
// (shared/woocommerce/samples/wc-v3-taxes.json).
var DefaultTaxRates = []TaxRate{
	{ID: 1, Country: "BG", Class: "standard", Percent: "20", Name: "ДДС 20%"},
	{ID: 2, Country: "BG", Class: "reduced-rate", Percent: "9", Name: "ДДС 9%"},
	{ID: 3, Country: "DE", Class: "standard", Percent: "19", Name: "MwSt 19%"},
	{ID: 4, Country: "DE", Class: "reduced-rate", Percent: "7", Name: "MwSt 7%"},
}
