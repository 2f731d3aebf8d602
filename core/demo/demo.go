// Package demo gives a newcomer a shop to try ShopLedger with before
// connecting their own: a simulated WooCommerce shop (core/woosim) runs in
// the process on a loopback port, is added to the books like any other
// shop, delivers webhooks to the app's own receiver, and has "customers"
// who place an order every so often and move orders along (paid, completed,
// now and then cancelled or refunded), so orders arrive while one watches.
// It is a Bulgarian VAT shop, so the books have work to do: 20 % and 9 %
// VAT (19 %/7 % for German customers), coupons, COD fees, refunds with
// their items, Sofia time, and BGN until 2026-01-01, EUR after.
//
// # How a demo shop is recognised
//
// ledger.Shop has no "demo" flag. A demo shop is marked by convention
// instead (see IsDemo): its URL is on a loopback address and its webhook
// token — the last part of its webhook URL, which nothing lets the user
// edit — starts with TokenPrefix ("/webhooks/demo-…"). Renaming the shop
// keeps the mark; the token keeps its 128 random bits after the prefix. A
// proper flag (ledger.Shop.Demo) would be better; see the package's report.
//
// # Lifetime
//
// A Demo is a service: New starts nothing, Serve runs the demo until its
// context ends (core/engine serves it in its demo slot). The simulator
// lives only as long as Serve, but the shop stays in the books. Serve
// finds a demo shop the books already have and resumes it: the simulator
// is rebuilt with the same orders (same Seed, generated relative to the
// shop's creation time, with the orders customers placed in earlier
// sessions replayed at their original times), the shop's URL is pointed
// at the new port and its webhooks are registered again. Without one it
// adds one. Serve also ends by itself once its shop is removed from the
// books (noticed at the customers' next visit). Running one demo at a
// time is the caller's part: two Serves over the same books would both
// take the one demo shop.
package demo

import (
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/clock"
	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Defaults for Options.
const (
	// DefaultName says plainly that the shop is not a real one.
	DefaultName = "Demo shop (sample data)"
	// DefaultWarehouseName and DefaultCostCenterName name the demo's
	// warehouse and cost center.
	DefaultWarehouseName  = "Demo warehouse (sample data)"
	DefaultCostCenterName = "Demo cost center (sample data)"
	// DefaultOrders is how many orders the shop has at first, created over
	// the 400 days before it was added.
	DefaultOrders = 300
	// DefaultSeed makes every demo shop the same.
	DefaultSeed = 20260501
	// DefaultInterval is how often a customer places an order.
	DefaultInterval = 20 * time.Second
	// DefaultStatusChance is how likely each visit also moves an open
	// order along.
	DefaultStatusChance = 0.35
)

// Code is the code of the demo's warehouse and cost center.
const Code = "DEMO"

// TokenPrefix starts the webhook token of a demo shop (see IsDemo).
const TokenPrefix = "demo-"

// Key and Secret are the demo shop's consumer key and secret. They are no
// secret — the shop is a simulation on loopback — but they are kept in the
// keyring like any shop's, since the books read them from there.
const (
	Key    = "ck_shopledger_demo_000000000000000000000000"
	Secret = "cs_shopledger_demo_000000000000000000000000"
)

// Receiver is the part of the webhook receiver the demo needs:
// *webhook.Receiver has it.
type Receiver interface {
	// BaseURL is where the receiver is reached, "http://127.0.0.1:8765".
	BaseURL() string
}

// Options tune a demo; the zero value gives the defaults.
type Options struct {
	// Name is the shop's name when it is created (DefaultName when empty).
	// A window may pass it translated, as the two below.
	Name string
	// WarehouseName and CostCenterName name the DEMO warehouse and cost
	// center when they are created (DefaultWarehouseName and
	// DefaultCostCenterName when empty).
	WarehouseName, CostCenterName string
	// Orders and Seed make the shop's orders (DefaultOrders, DefaultSeed
	// when 0). A resume must be given the ones the shop was made with:
	// the orders are generated again, not stored.
	Orders int
	Seed   int64
	// Interval is how often a customer places an order (DefaultInterval
	// when 0); negative: never (PlaceOrder and ChangeStatus still work).
	Interval time.Duration
	// StatusChance is how likely each visit also moves an open order along
	// (DefaultStatusChance when 0; negative: never).
	StatusChance float64
	// DeliveryDelay holds each webhook delivery back this long, as
	// WooCommerce's queue does (none when 0). Serve may wait that long
	// (at most StopWait) as it stops.
	DeliveryDelay time.Duration
	// DeliveryBaseURL is where the simulator sends webhooks, e.g.
	// "http://127.0.0.1:8765"; empty: the receiver's BaseURL. Set it to
	// the receiver's listener address when the receiver has a public base
	// URL (a tunnel): the simulator is on this computer.
	DeliveryBaseURL string
	// Refresh is called once the shop is in the books, or changed, so that
	// automatic sync picks it up (autosync.Manager.Refresh); may be nil.
	Refresh func() error
	// Clock times the customers' visits (clock.System when nil). The
	// simulated shop itself runs on the real clock.
	Clock clock.Clock
	// Log gets what is worth a line in the log (nothing when nil).
	Log *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.Name == "" {
		o.Name = DefaultName
	}
	if o.WarehouseName == "" {
		o.WarehouseName = DefaultWarehouseName
	}
	if o.CostCenterName == "" {
		o.CostCenterName = DefaultCostCenterName
	}
	if o.Orders == 0 {
		o.Orders = DefaultOrders
	}
	if o.Seed == 0 {
		o.Seed = DefaultSeed
	}
	if o.Interval == 0 {
		o.Interval = DefaultInterval
	}
	if o.StatusChance == 0 {
		o.StatusChance = DefaultStatusChance
	}
	if o.Clock == nil {
		o.Clock = clock.System
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	return o
}

// IsDemo tells whether sh is a demo shop, for the window to label it: its
// URL is on loopback and its webhook token starts with TokenPrefix.
func IsDemo(sh ledger.Shop) bool {
	if !strings.HasPrefix(sh.WebhookToken, TokenPrefix) {
		return false
	}
	u, err := url.Parse(sh.URL)
	if err != nil {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Find returns the demo shop in the books, if there is one (the first,
// should there be several).
func Find(b *books.Books) (ledger.Shop, bool, error) {
	shops, err := b.Shops()
	if err != nil {
		return ledger.Shop{}, false, err
	}
	for _, sh := range shops {
		if IsDemo(sh) {
			return sh, true, nil
		}
	}
	return ledger.Shop{}, false, nil
}
