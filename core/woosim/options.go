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
	// the store's base currency ("USD" when empty), as the legacy index
	// reports them. Orders keep their own currencies.
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
	// Verbose sends the HTTP server's own error log (TLS handshake failures,
	// resets) to stderr; it is discarded otherwise.
	Verbose bool
}
