package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/webhook"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// StopWait is how long Serve, as its context ends, lets the webhook
// deliveries under way finish before it closes the simulator.
const StopWait = 5 * time.Second

// Demo is the demo shop as a service: New builds it and starts nothing;
// Serve runs it until its context ends.
type Demo struct {
	b      *books.Books
	rcv    Receiver
	opt    Options
	served atomic.Bool
	ready  chan struct{}

	// Set by Serve before ready is closed; read after it.
	srv *woosim.Server
	id  ledger.ShopID

	mu  sync.Mutex // guards rng
	rng *rand.Rand
}

// New returns the demo shop of b, delivering its webhooks to rcv (or to
// opt.DeliveryBaseURL). It starts nothing and touches neither the books
// nor the network: Serve does.
func New(b *books.Books, rcv Receiver, opt Options) *Demo {
	opt = opt.withDefaults()
	return &Demo{
		b: b, rcv: rcv, opt: opt,
		ready: make(chan struct{}),
		rng:   rand.New(rand.NewPCG(uint64(opt.Seed), 0xDE40)),
	}
}

// Serve starts the demo shop — resumes the one the books have (see the
// package doc), or adds one to them — and runs it: the simulator listens
// on a loopback port, the shop's webhooks deliver to the receiver, and a
// customer visits every Options.Interval. Ready is closed once the
// simulator listens at the shop's URL and its webhooks are registered. Serve returns nil when ctx ends, having let
// the deliveries under way finish (for at most StopWait), closed the
// simulator and joined its goroutines; it also
// returns nil, early, once its shop is removed from the books (noticed at
// the next visit). It returns an error if the shop could not be started;
// a shop it added is then removed again. A Demo is served once.
func (d *Demo) Serve(ctx context.Context) error {
	if !d.served.CompareAndSwap(false, true) {
		return errors.New("the demo shop is already running")
	}
	sh, found, err := Find(d.b)
	if err != nil {
		return fmt.Errorf("start the demo shop: %w", err)
	}
	if found {
		err = d.resume(ctx, sh)
	} else {
		err = d.create(ctx)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil // stopped while starting: nothing went wrong
		}
		return err
	}
	defer d.shutdown()
	close(d.ready)
	d.visits(ctx)
	return nil
}

// Ready is closed once Serve has the shop running; Shop and URL are set
// from then on. It stays open if Serve fails to start it.
func (d *Demo) Ready() <-chan struct{} { return d.ready }

func (d *Demo) isReady() bool {
	select {
	case <-d.ready:
		return true
	default:
		return false
	}
}

// Shop is the demo shop's id in the books, once Ready (0 before).
func (d *Demo) Shop() ledger.ShopID {
	if !d.isReady() {
		return 0
	}
	return d.id
}

// URL is where the simulated shop listens, once Ready ("" before).
func (d *Demo) URL() string {
	if !d.isReady() {
		return ""
	}
	return d.srv.URL
}

// Owns tells whether id is this demo's shop.
func (d *Demo) Owns(id ledger.ShopID) bool { return d != nil && d.isReady() && d.id == id }

// create adds the demo shop to the books and starts its simulator; on
// failure it leaves neither behind.
func (d *Demo) create(ctx context.Context) error {
	b, opt := d.b, d.opt
	wh, cc, err := ensureCatalog(b, opt)
	if err != nil {
		return fmt.Errorf("start the demo shop: %w", err)
	}
	// Whole seconds: the shop's clock has no more, and a resume builds the
	// same orders from the shop's Created.
	anchor := time.Now().UTC().Truncate(time.Second)
	sim, _ := newSim(opt, anchor, true)
	srv, err := woosim.StartOn(sim, "127.0.0.1:0", false)
	if err != nil {
		return fmt.Errorf("start the demo shop: %w", err)
	}
	sh, err := b.AddShop(books.NewShop{Name: opt.Name, URL: srv.URL, Key: Key, Secret: Secret, Warehouse: wh, CostCenter: cc})
	if err != nil {
		srv.Close()
		return fmt.Errorf("start the demo shop: %w", err)
	}
	fail := func(err error) error {
		srv.Close()
		if rerr := b.RemoveShop(sh.ID, false); rerr != nil {
			err = errors.Join(err, rerr)
		}
		return fmt.Errorf("start the demo shop: %w", err)
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
	d.srv, d.id = srv, sh.ID
	if err := d.connect(ctx); err != nil {
		return fail(err)
	}
	opt.Log.Info("demo shop started", "shop", sh.ID, "url", srv.URL, "orders", sim.Count())
	return nil
}

// resume starts the simulator of sh, the demo shop the books have, with
// the orders it had, and points the shop at it.
func (d *Demo) resume(ctx context.Context, sh ledger.Shop) error {
	b, opt := d.b, d.opt
	anchor := sh.Created.UTC().Truncate(time.Second)
	sim, clk := newSim(opt, anchor, sh.Timezone == Timezone)
	if err := replay(b, sim, clk, sh.ID, opt.Orders, anchor); err != nil {
		return fmt.Errorf("resume the demo shop: %w", err)
	}
	srv, err := woosim.StartOn(sim, "127.0.0.1:0", false)
	if err != nil {
		return fmt.Errorf("resume the demo shop: %w", err)
	}
	fail := func(err error) error {
		srv.Close()
		return fmt.Errorf("resume the demo shop: %w", err)
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
	d.srv, d.id = srv, sh.ID
	if err := d.connect(ctx); err != nil {
		return fail(err)
	}
	opt.Log.Info("demo shop resumed", "shop", sh.ID, "url", srv.URL, "orders", sim.Count())
	return nil
}

// connect registers the shop's webhooks in the simulator, delivering to
// the receiver, and tells automatic sync about the shop.
func (d *Demo) connect(ctx context.Context) error {
	sh, err := d.b.Shop(d.id)
	if err != nil {
		return err
	}
	base := d.opt.DeliveryBaseURL
	if base == "" && d.rcv != nil {
		base = d.rcv.BaseURL()
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

// visits are the customers', until ctx ends or the shop's removal.
func (d *Demo) visits(ctx context.Context) {
	if d.opt.Interval < 0 {
		<-ctx.Done()
		return
	}
	for {
		t := d.opt.Clock.NewTimer(d.opt.Interval)
		select {
		case <-ctx.Done():
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

// shutdown closes the simulator once the deliveries under way are done.
func (d *Demo) shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), StopWait)
	defer cancel()
	if err := d.srv.Sim.WaitIdle(ctx); err != nil {
		d.opt.Log.Warn("demo shop: stopping with webhook deliveries pending", "shop", d.id)
	}
	d.srv.Close()
	d.opt.Log.Info("demo shop stopped", "shop", d.id)
}
