// Package webhook receives WooCommerce webhook deliveries: one URL per
// shop, /webhooks/<token>, each delivery checked against the shop's secret,
// stored, answered, and only then applied to the books.
//
// # What a request gets
//
//   - POST webhook_id=N, form-encoded, with no X-WC-Webhook-* header:
//     WooCommerce's ping when a webhook is saved. 200, nothing stored.
//   - A path that is not /webhooks/<token of a shop>: 404.
//   - Another method than POST: 405.
//   - X-WC-Webhook-Topic, -Signature or -Delivery-ID missing, no webhook
//     secret for the shop in the keyring, or a signature that is not
//     base64(HMAC-SHA256(secret, body)) (compared in constant time): 401,
//     nothing stored.
//   - A body over Config.MaxBodyBytes: 413, nothing stored.
//   - The keyring cannot be read and the shop's secret is not in memory:
//     503 with Retry-After (see below).
//   - A valid delivery: stored (body, X-WC-Webhook-* headers, time), 200,
//     then applied by the pipeline. A repeat (same Delivery-ID and body)
//     gets 200 and changes nothing.
//   - The store failing: 500. The receiver closing while the delivery
//     waits to be stored: 503.
//
// # 503 while the keyring is locked
//
// WooCommerce counts every answer but 2xx, 301 and 302 as a failure, never
// retries a delivery, and disables the webhook after more than five
// failures in a row. So while the shop's secret cannot be read no answer
// saves the delivery: 401 and 503 both count against the webhook. 503 is
// chosen because it is the truth — the delivery may be fine, ShopLedger
// cannot check it — and because ShopLedger's own rejection event then says
// "keyring unavailable" instead of blaming the shop's signature. Accepting
// unverified bodies to check later was rejected: it would store what anyone
// who learnt the URL sends, which docs/ARCHITECTURE.md rules out (a refused
// delivery stores nothing). The loss is bounded: secrets are kept in memory
// once read, so only a keyring that was locked since start matters; the
// nightly catch-up fetches the orders those deliveries carried; the webhook
// health check re-activates a webhook WooCommerce disabled.
//
// # Storing and applying
//
// One writer goroutine owns every write. Each of its transactions stores
// the deliveries that arrived since the last one and applies the
// deliveries the last one stored (store.CommitDeliveries), up to
// Config.MaxBatch of each: a delivery is answered once the transaction
// that stores it has committed, and fifty concurrent deliveries cost about
// one or two commits instead of a hundred. Bodies are decoded, and their
// orders compared with the books and compressed (store.Prepare), by
// Config.Workers goroutines while their delivery waits to be stored, so
// the transaction only writes. A delivery prepared by the time its
// transaction starts, with nothing older waiting to be applied, is applied
// by that same transaction (one commit instead of two, each with fsyncs
// of several ms); the others by the next one. Deliveries are applied in
// the order they were stored: an order.updated applied after the
// order.deleted that followed it would bring a deleted order back.
//
// The store is the queue of record: at start, the writer applies whatever
// an earlier run stored but did not apply (it was stopped between the 200
// and the apply). Applying is idempotent — a delivery that is no longer
// "received" is skipped — so nothing is applied twice.
package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
)

// Defaults for Config.
const (
	DefaultAddr              = "127.0.0.1:8765"
	DefaultMaxBodyBytes      = 2 << 20
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 30 * time.Second
	DefaultWriteTimeout      = 30 * time.Second
	DefaultIdleTimeout       = 60 * time.Second
	DefaultMaxHeaderBytes    = 64 << 10
	DefaultMaxBatch          = 256
	DefaultQueueSize         = 4096
	// DefaultRetention is how long Prune callers usually keep deliveries.
	DefaultRetention = 30 * 24 * time.Hour
)

// PathPrefix is the path under which every shop's webhook URL lives.
const PathPrefix = "/webhooks/"

// Config tunes a Receiver; the zero value is usable.
type Config struct {
	// Addr is the address Serve listens on (DefaultAddr when empty).
	Addr string
	// PublicBaseURL is how WooCommerce reaches the receiver, e.g.
	// "https://hooks.example.com" behind a tunnel or proxy; URL builds on
	// it. Empty: "http://" and the address the receiver listens on.
	PublicBaseURL string
	// MaxBodyBytes limits a delivery's body (DefaultMaxBodyBytes when 0).
	MaxBodyBytes int64
	// Timeouts and header limit of the HTTP server, against slow or
	// hostile clients (the Default* constants when 0).
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	MaxHeaderBytes                                            int
	// Workers is how many deliveries are decoded at once (GOMAXPROCS, at
	// least 2, when 0).
	Workers int
	// MaxBatch is how many deliveries one transaction may store, and how
	// many it may apply (DefaultMaxBatch when 0).
	MaxBatch int
	// QueueSize is how many deliveries may wait for a decoder
	// (DefaultQueueSize when 0); beyond it the writer decodes them itself.
	QueueSize int
	// ErrorLog receives the HTTP server's own errors (net/http's default
	// when nil). Nothing the receiver logs contains a secret.
	ErrorLog *log.Logger
}

func (c *Config) defaults() {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	for _, d := range []struct {
		v   *time.Duration
		def time.Duration
	}{
		{&c.ReadHeaderTimeout, DefaultReadHeaderTimeout}, {&c.ReadTimeout, DefaultReadTimeout},
		{&c.WriteTimeout, DefaultWriteTimeout}, {&c.IdleTimeout, DefaultIdleTimeout},
	} {
		if *d.v <= 0 {
			*d.v = d.def
		}
	}
	if c.MaxHeaderBytes <= 0 {
		c.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if c.Workers <= 0 {
		c.Workers = max(2, runtime.GOMAXPROCS(0))
	}
	if c.MaxBatch <= 0 {
		c.MaxBatch = DefaultMaxBatch
	}
	if c.QueueSize <= 0 {
		c.QueueSize = DefaultQueueSize
	}
}

// Receiver is the webhook endpoint of every shop. Create it with New and
// run it with Serve (or ServeListener); it is an http.Handler, whose
// deliveries wait to be stored until Serve runs.
type Receiver struct {
	st   *store.Store
	keys secrets.Store
	bus  *events.Bus
	cfg  Config

	secrets secretCache

	// The writer's queues, in arrival order, under mu.
	mu      sync.Mutex
	adds    []*job        // verified, waiting to be stored
	applies []*job        // stored, waiting to be applied
	wake    chan struct{} // tells the writer there is work
	work    chan *job     // to the decoders

	// Idle tracking: deliveries stored and not yet applied.
	idleMu  sync.Mutex
	pending int
	idle    chan struct{} // closed while pending == 0

	// served is set by the first Serve; ready closes once it listens;
	// closed closes as it stops, when requests still waiting to be stored
	// get 503.
	served atomic.Bool
	ready  chan struct{}
	closed chan struct{}

	listenAddr atomic.Pointer[string]
	// publicBase replaces cfg.PublicBaseURL once SetPublicBaseURL ran.
	publicBase atomic.Pointer[string]
}

// New returns a receiver that stores into st, reads shops' webhook secrets
// from keys and publishes on bus (which may be nil). It starts nothing:
// Serve runs it, starting by applying deliveries an earlier run stored but
// did not apply.
func New(st *store.Store, keys secrets.Store, bus *events.Bus, cfg Config) *Receiver {
	cfg.defaults()
	r := &Receiver{
		st: st, keys: keys, bus: bus, cfg: cfg,
		wake:   make(chan struct{}, 1),
		work:   make(chan *job, cfg.QueueSize),
		idle:   make(chan struct{}),
		ready:  make(chan struct{}),
		closed: make(chan struct{}),
	}
	r.secrets.init()
	r.pending = 1 // the start-up sweep, which WaitIdle waits for
	return r
}

// Ready is closed once Serve listens: BaseURL and URL then name the
// address it listens on.
func (r *Receiver) Ready() <-chan struct{} { return r.ready }

// stopping tells whether Serve has stopped (or is stopping).
func (r *Receiver) stopping() bool {
	select {
	case <-r.closed:
		return true
	default:
		return false
	}
}

// WaitIdle waits until every delivery stored so far has been applied (or
// failed), or ctx is done.
func (r *Receiver) WaitIdle(ctx context.Context) error {
	r.idleMu.Lock()
	idle := r.idle
	if r.pending == 0 {
		idle = closedChan
	}
	r.idleMu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

var closedChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// busy adds n (which may be negative) to the deliveries in flight.
func (r *Receiver) busy(n int) {
	if n == 0 {
		return
	}
	r.idleMu.Lock()
	defer r.idleMu.Unlock()
	if r.pending == 0 && n > 0 {
		r.idle = make(chan struct{})
	}
	r.pending += n
	if r.pending < 0 {
		panic("webhook: pending deliveries below zero")
	}
	if r.pending == 0 {
		close(r.idle)
	}
}

// Serve listens on Config.Addr and serves webhook requests until ctx is
// done; then it stops taking requests, lets those under way finish (for
// up to 5 seconds) and stops the writer after the transaction under way.
// Deliveries stored but not applied yet stay "received" and are applied by
// the next Serve at its start. It returns nil after ctx is done, or the
// error that stopped it. A receiver is served once; Serve does not close
// the store.
func (r *Receiver) Serve(ctx context.Context) error {
	ln, err := net.Listen("tcp", r.cfg.Addr)
	if err != nil {
		return fmt.Errorf("webhook receiver: listen: %w", err)
	}
	return r.ServeListener(ctx, ln)
}

// ServeListener is Serve on a listener the caller opened (the engine
// picks a free port when the usual one is taken; tests listen on port 0).
// It closes ln.
func (r *Receiver) ServeListener(ctx context.Context, ln net.Listener) error {
	if !r.served.CompareAndSwap(false, true) {
		ln.Close()
		return errors.New("webhook receiver: already served")
	}
	// The writer outlives the HTTP server: requests under way wait for
	// their delivery to be stored.
	var writers sync.WaitGroup
	writers.Go(r.writeLoop)
	for range r.cfg.Workers {
		writers.Go(r.decodeLoop)
	}
	defer func() {
		close(r.closed)
		writers.Wait()
	}()

	addr := ln.Addr().String()
	r.listenAddr.Store(&addr)
	close(r.ready)
	srv := &http.Server{
		Handler:           r,
		ReadHeaderTimeout: r.cfg.ReadHeaderTimeout,
		ReadTimeout:       r.cfg.ReadTimeout,
		WriteTimeout:      r.cfg.WriteTimeout,
		IdleTimeout:       r.cfg.IdleTimeout,
		MaxHeaderBytes:    r.cfg.MaxHeaderBytes,
		ErrorLog:          r.cfg.ErrorLog,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("webhook receiver: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
	}
	<-errc
	return nil
}

// BaseURL is Config.PublicBaseURL (or what SetPublicBaseURL set), or the
// address the receiver listens on.
func (r *Receiver) BaseURL() string {
	public := r.cfg.PublicBaseURL
	if p := r.publicBase.Load(); p != nil {
		public = *p
	}
	if public != "" {
		return strings.TrimRight(public, "/")
	}
	return "http://" + r.Addr()
}

// Addr is the address Serve listens on (Config.Addr until it listens).
func (r *Receiver) Addr() string {
	if a := r.listenAddr.Load(); a != nil {
		return *a
	}
	return r.cfg.Addr
}

// SetPublicBaseURL changes how WooCommerce reaches the receiver (empty:
// the listen address), as when the user enters a tunnel's address in the
// settings. Webhooks registered before keep delivering to the old URL
// until they are registered again.
func (r *Receiver) SetPublicBaseURL(base string) { r.publicBase.Store(&base) }

// URL is the shop's webhook delivery URL, empty while the shop has no
// token (see EnsureToken).
func (r *Receiver) URL(sh ledger.Shop) string {
	if sh.WebhookToken == "" {
		return ""
	}
	return r.BaseURL() + PathPrefix + sh.WebhookToken
}

// NewToken returns a fresh webhook token: 128 random bits, hex.
func NewToken() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand since Go 1.24)
	return hex.EncodeToString(b)
}

// EnsureToken returns the shop's webhook token, making and saving one if
// the shop has none. Concurrent calls agree on one token.
func EnsureToken(st *store.Store, id ledger.ShopID) (string, error) {
	return st.EnsureWebhookToken(id, NewToken())
}

// ForgetSecret drops the shop's webhook secret from memory, so the next
// delivery reads it from the keyring again; call it after changing it.
// (A delivery that fails the check against a secret older than a few
// seconds rereads it anyway.)
func (r *Receiver) ForgetSecret(id ledger.ShopID) { r.secrets.forget(id) }

// Prune deletes stored deliveries older than age that are done with
// (applied, ignored or failed) and returns how many it deleted.
func (r *Receiver) Prune(age time.Duration) (int, error) {
	n, err := r.st.PruneDeliveries(time.Now().Add(-age))
	if err != nil {
		return 0, fmt.Errorf("prune webhook deliveries: %w", err)
	}
	return n, nil
}

func (r *Receiver) publish(e events.Event) {
	if r.bus != nil {
		r.bus.Publish(e)
	}
}

func (r *Receiver) stamp(shop ledger.ShopID) events.Base {
	if r.bus != nil {
		return r.bus.Stamp(shop)
	}
	return events.Base{Shop: shop, At: time.Now()}
}

// errClosed is what a request waiting to be stored gets once Serve stops.
var errClosed = errors.New("webhook receiver closed")
