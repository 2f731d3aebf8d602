// Package engine runs what keeps the books current while ShopLedger is
// open: the webhook receiver, every shop's automatic sync, the daily
// pruning of old deliveries, and the demo shop. The window and `shopledger
// serve` both start it, so both start and stop these the same way and in
// the same order.
package engine

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"sync"
	"syscall"
	"time"

	"codeberg.org/shopledger/shopledger/core/autosync"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/clock"
	"codeberg.org/shopledger/shopledger/core/demo"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/webhook"
)

// PruneEvery is how often finished webhook deliveries older than
// webhook.DefaultRetention are deleted.
const PruneEvery = 24 * time.Hour

// Options tune an Engine; the zero value listens on webhook.DefaultAddr.
type Options struct {
	// Addr is where the webhook receiver listens (webhook.DefaultAddr when
	// empty).
	Addr string
	// AnyPort lets the receiver listen on a free loopback port when Addr is
	// taken, instead of failing: the window must open even when another
	// program holds 8765. Webhooks registered with the old port then stop
	// arriving, which the webhook health check notices and reports.
	AnyPort bool
	// PublicBaseURL is how WooCommerce reaches the receiver (a tunnel or
	// reverse proxy); empty: the listen address.
	PublicBaseURL string
	// Bus receives every event; nil makes one. Pass one to subscribe
	// before anything runs, so no early event is missed.
	Bus *events.Bus
	// Clock times the automatic syncs (clock.System when nil).
	Clock clock.Clock
	// Log gets what is worth a line in the log (nothing when nil).
	Log *slog.Logger
	// HTTPErrorLog receives the HTTP server's own errors.
	HTTPErrorLog *log.Logger
	// Demo, when set, resumes the demo shop the books have (see
	// ResumeDemo) before automatic sync starts: its start pass needs the
	// simulator listening at the shop's new address.
	Demo *demo.Options
}

// Engine is the running background of the app. Start it, then Stop it
// before closing the books.
type Engine struct {
	Books    *books.Books
	Bus      *events.Bus
	Receiver *webhook.Receiver
	Sync     *autosync.Manager

	log    *slog.Logger
	addr   string
	cancel context.CancelFunc
	wg     sync.WaitGroup
	done   chan struct{} // closed when the engine stops, by Stop or by a failing receiver
	err    error         // why the receiver stopped; read after done

	demoMu sync.Mutex
	demo   *demo.Demo
	// demoStopped: Stop ran; a demo asked for later is not started.
	demoStopped bool
	stopOnce    sync.Once
}

// Start listens for webhooks and starts the receiver, every shop's
// automatic sync and the pruning. It returns once the receiver listens;
// the rest runs until Stop or until ctx ends.
func Start(ctx context.Context, b *books.Books, opt Options) (*Engine, error) {
	if opt.Addr == "" {
		opt.Addr = webhook.DefaultAddr
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	ln, err := listen(opt.Addr, opt.AnyPort)
	if err != nil {
		return nil, err
	}
	if ln.Addr().String() != opt.Addr {
		opt.Log.Warn("the webhook port is taken; listening on another one, so webhooks registered earlier will not arrive until registered again",
			"wanted", opt.Addr, "listen", ln.Addr().String())
	}
	bus := opt.Bus
	if bus == nil {
		bus = events.NewBus()
	}
	e := &Engine{Books: b, Bus: bus, log: opt.Log, addr: ln.Addr().String(), done: make(chan struct{})}
	e.Receiver = webhook.New(b.Store, b.Secrets, bus, webhook.Config{
		Addr: e.addr, PublicBaseURL: opt.PublicBaseURL, ErrorLog: opt.HTTPErrorLog,
	})
	e.Sync = autosync.NewManager(b, autosync.Options{
		Bus: bus, Clock: opt.Clock, DeliveryURL: e.Receiver.URL, Log: opt.Log.With("component", "autosync"),
	})

	ctx, e.cancel = context.WithCancel(ctx)
	recvDone := make(chan struct{})
	e.wg.Add(3)
	go func() {
		defer e.wg.Done()
		defer close(recvDone)
		if err := e.Receiver.ServeListener(ctx, ln); err != nil {
			e.err = err
			e.cancel() // the receiver is gone: stop the rest too
		}
	}()
	go func() {
		defer e.wg.Done()
		if opt.Demo != nil {
			if _, err := e.ResumeDemo(ctx, *opt.Demo); err != nil {
				opt.Log.Warn("resume the demo shop", "err", err)
			}
		}
		if err := e.Sync.Serve(ctx); err != nil {
			opt.Log.Error("automatic sync", "err", err)
		}
	}()
	go func() {
		defer e.wg.Done()
		e.prune(ctx)
	}()
	go func() {
		<-recvDone
		<-ctx.Done()
		close(e.done)
	}()
	return e, nil
}

// listen opens addr, or with anyPort a free port on the same host when
// addr is in use.
func listen(addr string, anyPort bool) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err == nil {
		return ln, nil
	}
	if anyPort && errors.Is(err, syscall.EADDRINUSE) {
		host, _, splitErr := net.SplitHostPort(addr)
		if splitErr == nil {
			if ln, err2 := net.Listen("tcp", net.JoinHostPort(host, "0")); err2 == nil {
				return ln, nil
			}
		}
	}
	return nil, fmt.Errorf("the webhook receiver cannot listen on %s (another program may be using it): %w", addr, err)
}

// Addr is the address the receiver listens on, e.g. "127.0.0.1:8765".
func (e *Engine) Addr() string { return e.addr }

// Done is closed once the engine has stopped: after Stop, or when the
// receiver failed (Err says why; Stop must still be called).
func (e *Engine) Done() <-chan struct{} { return e.done }

// Err is why the receiver stopped, once Done is closed; nil after Stop.
func (e *Engine) Err() error {
	select {
	case <-e.done:
		return e.err
	default:
		return nil
	}
}

// Stop stops the demo, lets syncs under way end after their last
// committed page and requests under way be answered, and waits for all of
// it. It returns the receiver's error, if it failed. The bus stays open
// for the caller to close: its subscribers may still be reading.
func (e *Engine) Stop() error {
	e.stopOnce.Do(func() {
		e.demoMu.Lock()
		e.demoStopped = true
		d := e.demo
		e.demoMu.Unlock()
		if d != nil {
			d.Stop() // its customers stop before the receiver they deliver to
		}
		e.cancel()
		e.wg.Wait()
	})
	<-e.done
	return e.err
}

// ResumeDemo restarts the demo shop the books have, as it was left; it
// does nothing without one. Call it once at start.
func (e *Engine) ResumeDemo(ctx context.Context, opt demo.Options) (*demo.Demo, error) {
	return e.runDemo(ctx, opt, demo.Resume)
}

// StartDemo adds the demo shop to the books and starts it ("Try with a
// demo shop"), or returns the one running.
func (e *Engine) StartDemo(ctx context.Context, opt demo.Options) (*demo.Demo, error) {
	return e.runDemo(ctx, opt, demo.Start)
}

// Demo returns the demo shop running, if any.
func (e *Engine) Demo() *demo.Demo {
	e.demoMu.Lock()
	defer e.demoMu.Unlock()
	return e.demo
}

type demoStarter func(context.Context, *books.Books, demo.Receiver, demo.Options) (*demo.Demo, error)

func (e *Engine) runDemo(ctx context.Context, opt demo.Options, start demoStarter) (*demo.Demo, error) {
	e.demoMu.Lock()
	defer e.demoMu.Unlock()
	if e.demoStopped {
		return nil, errors.New("start the demo shop: ShopLedger is stopping")
	}
	if opt.Refresh == nil {
		opt.Refresh = e.Sync.Refresh
	}
	if opt.DeliveryBaseURL == "" {
		opt.DeliveryBaseURL = "http://" + e.addr // the simulator is on this computer, whatever the public URL
	}
	if opt.Log == nil {
		opt.Log = e.log.With("component", "demo")
	}
	d, err := start(ctx, e.Books, e.Receiver, opt)
	if err != nil {
		return nil, err
	}
	if d != nil {
		e.demo = d
	}
	return d, nil
}

// prune deletes finished webhook deliveries older than the retention at
// start and once a day, so books kept open for months do not grow.
func (e *Engine) prune(ctx context.Context) {
	for {
		if n, err := e.Receiver.Prune(webhook.DefaultRetention); err != nil {
			e.log.Warn("prune old webhook deliveries", "err", err)
		} else if n > 0 {
			e.log.Info("pruned old webhook deliveries", "deleted", n)
		}
		t := time.NewTimer(PruneEvery)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}
