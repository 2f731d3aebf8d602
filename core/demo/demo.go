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
// The simulator lives as long as the process, but the shop stays in the
// books. Start finds a demo shop the books already have and resumes it:
// the simulator is rebuilt with the same orders (same Seed, generated
// relative to the shop's creation time, with the orders customers placed
// in earlier sessions replayed at their original times), the shop's URL
// is pointed at the new port and its webhooks are registered again. Call
// Resume at every start of the app; it does nothing without a demo shop.
//
// The demo runs until Stop, or until its shop is removed from the books
// (noticed at the customers' next visit). One demo runs per Books: while
// it runs, Start and Resume return it instead of starting another.
package demo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/clock"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/webhook"
	"codeberg.org/shopledger/shopledger/core/woosim"
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
	// when 0). Resume must be given the ones the shop was created with:
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
	// WooCommerce's queue does (none when 0). Stop may wait that long.
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

// Demo is a running demo shop. Create it with Start or Resume.
type Demo struct {
	b   *books.Books
	opt Options
	srv *woosim.Server
	id  ledger.ShopID

	mu  sync.Mutex // guards rng
	rng *rand.Rand

	stopOnce sync.Once
	quit     chan struct{}
	done     chan struct{}
}

// running are the demos running in this process, by their books; setup
// holds startMu, so that two starts for the same books make one demo.
var (
	startMu sync.Mutex
	running sync.Map // *books.Books → *Demo
)

// runningFor returns the demo running for b. One whose shop was removed
// but whose customers have not noticed yet is stopped, not returned.
func runningFor(b *books.Books) *Demo {
	v, ok := running.Load(b)
	if !ok {
		return nil
	}
	d := v.(*Demo)
	if _, err := b.Shop(d.id); errors.Is(err, store.ErrNotFound) {
		d.Stop()
		return nil
	}
	return d
}

// Start adds the demo shop to the books and starts it, or resumes the one
// the books already have (see Resume), or returns the one already running.
// ctx bounds the setup — talking to the simulator to register webhooks —
// not the demo, which runs until Stop.
func Start(ctx context.Context, b *books.Books, rcv Receiver, opt Options) (*Demo, error) {
	startMu.Lock()
	defer startMu.Unlock()
	if d := runningFor(b); d != nil {
		return d, nil
	}
	opt = opt.withDefaults()
	sh, found, err := Find(b)
	if err != nil {
		return nil, fmt.Errorf("start the demo shop: %w", err)
	}
	if found {
		return resume(ctx, b, rcv, opt, sh)
	}
	return create(ctx, b, rcv, opt)
}

// Resume starts the demo shop the books have, as it was left (or returns
// it if it runs already); without one it returns nil and no error. Call it
// when the app starts.
func Resume(ctx context.Context, b *books.Books, rcv Receiver, opt Options) (*Demo, error) {
	startMu.Lock()
	defer startMu.Unlock()
	if d := runningFor(b); d != nil {
		return d, nil
	}
	opt = opt.withDefaults()
	sh, found, err := Find(b)
	if err != nil || !found {
		return nil, err
	}
	return resume(ctx, b, rcv, opt, sh)
}

// simClock is the simulated shop's clock: the real one, except while the
// shop is being built or orders of earlier sessions are replayed, when it
// reads the time they were made at.
type simClock struct{ at atomic.Pointer[time.Time] }

func (c *simClock) now() time.Time {
	if t := c.at.Load(); t != nil {
		return *t
	}
	return time.Now()
}

func (c *simClock) set(t time.Time) { c.at.Store(&t) }
func (c *simClock) real()           { c.at.Store(nil) }

// Timezone is the demo shop's time zone: it is a Bulgarian shop.
const Timezone = "Europe/Sofia"

// euroDay is when Bulgaria adopted the euro: the demo shop's orders are in
// BGN before it and in EUR from it on.
var euroDay = time.Date(2026, 1, 1, 0, 0, 0, 0, sofia)

var sofia = func() *time.Location {
	loc, err := time.LoadLocation(Timezone)
	if err != nil {
		panic("demo: " + err.Error()) // ledger embeds time/tzdata
	}
	return loc
}()

// newSim builds the shop's orders as of anchor. A shop with books (vat)
// is a Bulgarian VAT shop: prices with 20 % and 9 % VAT (19 %/7 % for
// German customers), coupons, COD fees, refunds with their items, Sofia
// time, BGN until 2026-01-01 and EUR after. Demo shops made before that
// (without a time zone in the books) keep the orders they were made with.
func newSim(opt Options, anchor time.Time, vat bool) (*woosim.Sim, *simClock) {
	clk := &simClock{}
	clk.set(anchor)
	o := woosim.Options{
		Orders: opt.Orders, Seed: opt.Seed, Key: Key, Secret: Secret, Now: clk.now,
		StoreName: opt.Name, DeliveryDelay: opt.DeliveryDelay,
	}
	if vat {
		o.VAT, o.SiteTimezone = true, sofia
		o.CurrencyChange = &woosim.CurrencyChange{At: euroDay, Before: "BGN", After: "EUR"}
	}
	sim := woosim.New(o)
	clk.real()
	return sim, clk
}

// ensureCatalog returns the DEMO warehouse and cost center, creating them
// if missing.
func ensureCatalog(b *books.Books, opt Options) (ledger.WarehouseID, ledger.CostCenterID, error) {
	wh, err := b.WarehouseByCode(Code)
	if errors.Is(err, store.ErrNotFound) {
		wh, err = b.CreateWarehouse(ledger.Warehouse{Code: Code, Name: opt.WarehouseName})
	}
	if err != nil {
		return 0, 0, fmt.Errorf("demo warehouse: %w", err)
	}
	cc, err := b.CostCenterByCode(Code)
	if errors.Is(err, store.ErrNotFound) {
		cc, err = b.CreateCostCenter(ledger.CostCenter{Code: Code, Name: opt.CostCenterName})
	}
	if err != nil {
		return 0, 0, fmt.Errorf("demo cost center: %w", err)
	}
	return wh.ID, cc.ID, nil
}

func create(ctx context.Context, b *books.Books, rcv Receiver, opt Options) (*Demo, error) {
	wh, cc, err := ensureCatalog(b, opt)
	if err != nil {
		return nil, fmt.Errorf("start the demo shop: %w", err)
	}
	// Whole seconds: the shop's clock has no more, and Resume builds the
	// same orders from the shop's Created.
	anchor := time.Now().UTC().Truncate(time.Second)
	sim, _ := newSim(opt, anchor, true)
	srv, err := woosim.StartOn(sim, "127.0.0.1:0", false)
	if err != nil {
		return nil, fmt.Errorf("start the demo shop: %w", err)
	}
	sh, err := b.AddShop(books.NewShop{Name: opt.Name, URL: srv.URL, Key: Key, Secret: Secret, Warehouse: wh, CostCenter: cc})
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("start the demo shop: %w", err)
	}
	fail := func(err error) (*Demo, error) {
		srv.Close()
		if rerr := b.RemoveShop(sh.ID, false); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return nil, fmt.Errorf("start the demo shop: %w", err)
	}
	token, err := b.EnsureWebhookToken(sh.ID, TokenPrefix+webhook.NewToken())
	if err != nil {
		return fail(err)
	}
	if !strings.HasPrefix(token, TokenPrefix) {
		return fail(errors.New("the shop got an ordinary webhook token before it could be marked as the demo"))
	}
	if sh, err = b.Shop(sh.ID); err != nil {
		return fail(err)
	}
	sh.Created = anchor
	sh.Timezone = Timezone
	if err := b.UpdateShop(sh); err != nil {
		return fail(err)
	}
	d := newDemo(b, opt, srv, sh.ID)
	if err := d.connect(ctx, rcv); err != nil {
		return fail(err)
	}
	opt.Log.Info("demo shop started", "shop", sh.ID, "url", srv.URL, "orders", sim.Count())
	d.launch()
	return d, nil
}

func resume(ctx context.Context, b *books.Books, rcv Receiver, opt Options, sh ledger.Shop) (*Demo, error) {
	anchor := sh.Created.UTC().Truncate(time.Second)
	sim, clk := newSim(opt, anchor, sh.Timezone == Timezone)
	if err := replay(b, sim, clk, sh.ID, opt.Orders, anchor); err != nil {
		return nil, fmt.Errorf("resume the demo shop: %w", err)
	}
	srv, err := woosim.StartOn(sim, "127.0.0.1:0", false)
	if err != nil {
		return nil, fmt.Errorf("resume the demo shop: %w", err)
	}
	fail := func(err error) (*Demo, error) {
		srv.Close()
		return nil, fmt.Errorf("resume the demo shop: %w", err)
	}
	// The keys are public; writing them again heals a keyring that lost them.
	if cred, err := secrets.LoadShop(b.Secrets, sh.ID); err != nil || cred.Key != Key || cred.Secret != Secret {
		if err := secrets.SaveShop(b.Secrets, sh.ID, secrets.Credentials{Key: Key, Secret: Secret}); err != nil {
			return fail(err)
		}
	}
	// The simulator listens on a new port each time.
	sh.URL = srv.URL
	if err := b.UpdateShop(sh); err != nil {
		return fail(err)
	}
	d := newDemo(b, opt, srv, sh.ID)
	if err := d.connect(ctx, rcv); err != nil {
		return fail(err)
	}
	opt.Log.Info("demo shop resumed", "shop", sh.ID, "url", srv.URL, "orders", sim.Count())
	d.launch()
	return d, nil
}

// replay places again, at their original times, the orders customers
// placed in earlier sessions, so that the shop's order ids go on from
// where they were and each order has the content the books have. Their
// statuses start over; the books keep the later ones, since an older
// modification never overwrites a newer one.
func replay(b *books.Books, sim *woosim.Sim, clk *simClock, id ledger.ShopID, base int, anchor time.Time) error {
	created := map[int64]time.Time{}
	var max int64
	err := b.EachOrder(store.OrderFilter{Shop: id, From: anchor}, func(o *ledger.Order) error {
		if o.ID > int64(base) {
			created[o.ID] = o.Created
			max = maxOf(max, o.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer clk.real()
	at := anchor
	for n := int64(base) + 1; n <= max; n++ {
		if t, ok := created[n]; ok && t.After(at) {
			at = t // an order the books never got keeps its predecessor's time
		}
		clk.set(at)
		sim.AddOrders(1) // no webhooks yet: nothing is delivered
	}
	return nil
}

func maxOf(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

func newDemo(b *books.Books, opt Options, srv *woosim.Server, id ledger.ShopID) *Demo {
	return &Demo{
		b: b, opt: opt, srv: srv, id: id,
		rng:  rand.New(rand.NewPCG(uint64(opt.Seed), 0xDE40)),
		quit: make(chan struct{}), done: make(chan struct{}),
	}
}

// connect registers the shop's webhooks in the simulator, delivering to
// the receiver, and tells automatic sync about the shop.
func (d *Demo) connect(ctx context.Context, rcv Receiver) error {
	sh, err := d.b.Shop(d.id)
	if err != nil {
		return err
	}
	base := d.opt.DeliveryBaseURL
	if base == "" && rcv != nil {
		base = rcv.BaseURL()
	}
	if base == "" {
		return errors.New("no webhook receiver to deliver to")
	}
	if _, err := d.b.RegisterWebhooks(ctx, d.id, strings.TrimRight(base, "/")+webhook.PathPrefix+sh.WebhookToken); err != nil {
		return err
	}
	if d.opt.Refresh != nil {
		if err := d.opt.Refresh(); err != nil {
			return err
		}
	}
	return nil
}

// Shop is the demo shop's id in the books.
func (d *Demo) Shop() ledger.ShopID { return d.id }

// URL is where the simulated shop listens.
func (d *Demo) URL() string { return d.srv.URL }

// Owns tells whether id is this demo's shop.
func (d *Demo) Owns(id ledger.ShopID) bool { return d != nil && d.id == id }

// Done is closed once the demo has stopped: after Stop, or by itself when
// its shop was removed from the books.
func (d *Demo) Done() <-chan struct{} { return d.done }

// Stop stops the customers and the simulated shop, after the webhook
// deliveries under way (for at most 5 seconds). The shop stays in the
// books; Resume brings it back. Stop may be called more than once.
func (d *Demo) Stop() {
	d.stopOnce.Do(func() { close(d.quit) })
	<-d.done
}

// launch runs the demo, registered as its books' demo until it stops.
// startMu is held.
func (d *Demo) launch() {
	running.Store(d.b, d)
	go d.run()
}

// run is the customers' visits, until Stop or the shop's removal; then it
// stops the simulator.
func (d *Demo) run() {
	defer close(d.done)
	defer running.CompareAndDelete(d.b, d)
	defer d.shutdown()
	if d.opt.Interval < 0 {
		<-d.quit
		return
	}
	for {
		t := d.opt.Clock.NewTimer(d.opt.Interval)
		select {
		case <-d.quit:
			t.Stop()
			return
		case <-t.C():
		}
		if _, err := d.b.Shop(d.id); errors.Is(err, store.ErrNotFound) {
			d.opt.Log.Info("demo shop removed: stopping it", "shop", d.id)
			return
		}
		d.visit()
	}
}

// visit is one customer's: a new order, and sometimes an order moved on.
func (d *Demo) visit() {
	d.PlaceOrder()
	d.mu.Lock()
	change := d.rng.Float64() < d.opt.StatusChance
	d.mu.Unlock()
	if change {
		d.ChangeStatus()
	}
}

func (d *Demo) shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.srv.Sim.WaitIdle(ctx); err != nil {
		d.opt.Log.Warn("demo shop: stopping with webhook deliveries pending", "shop", d.id)
	}
	d.srv.Close()
	d.opt.Log.Info("demo shop stopped", "shop", d.id)
}

// PlaceOrder has a customer place an order now and returns its id; the
// shop's webhook tells the books.
func (d *Demo) PlaceOrder() int64 {
	return d.srv.Sim.AddOrders(1)[0]
}

// next are the moves an open order can make, with their weights.
var next = map[string][]struct {
	to     string
	weight int
}{
	"checkout-draft": {{"pending", 1}},
	"pending":        {{"processing", 8}, {"cancelled", 1}, {"failed", 1}},
	"on-hold":        {{"processing", 4}, {"cancelled", 1}},
	"processing":     {{"completed", 9}, {"refunded", 1}},
}

// recent is how many of the newest open orders ChangeStatus picks from.
const recent = 25

// ChangeStatus moves one of the newest open orders along, as the shop's
// staff would (paid, shipped, now and then cancelled or refunded), and
// returns it and its new status; ok is false when no order is open.
func (d *Demo) ChangeStatus() (id int64, status string, ok bool) {
	var open []woosim.OrderSummary
	for _, o := range d.srv.Sim.Snapshot() {
		if _, ok := next[o.Status]; ok {
			open = append(open, o)
		}
	}
	if len(open) == 0 {
		return 0, "", false
	}
	slices.SortFunc(open, func(a, b woosim.OrderSummary) int { return int(b.ID - a.ID) })
	open = open[:min(len(open), recent)]
	d.mu.Lock()
	o := open[d.rng.IntN(len(open))]
	moves := next[o.Status]
	total := 0
	for _, m := range moves {
		total += m.weight
	}
	r := d.rng.IntN(total)
	d.mu.Unlock()
	to := moves[0].to
	for _, m := range moves {
		if r < m.weight {
			to = m.to
			break
		}
		r -= m.weight
	}
	if to == string(ledger.StatusRefunded) {
		// Staff refund the items, shipping and fees: a refund with its
		// lines, which leaves the order refunded.
		if _, err := d.srv.Sim.AddRefund(o.ID, woosim.RefundRequest{All: true, Reason: "Върната пратка"}); err == nil {
			return o.ID, to, true
		}
	}
	if err := d.srv.Sim.SetStatus(o.ID, to); err != nil {
		d.opt.Log.Warn("demo shop: change an order's status", "order", o.ID, "err", err)
		return 0, "", false
	}
	return o.ID, to, true
}
