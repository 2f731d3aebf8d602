// Package engine runs what keeps the books current while ShopLedger is
// open: the webhook receiver, every shop's automatic sync, the daily
// pruning of old deliveries, and the demo shop. The window and `shopledger
// serve` both run it, so both start and stop these the same way and in
// the same order. Like each of its parts it is a service: New starts
// nothing, Serve runs until its context ends.
package engine

import (
	"context"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"codeberg.org/shopledger/shopledger/core/autosync"
	"codeberg.org/shopledger/shopledger/core/backup"
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
	// Backups, when set, runs the daily backup of the books (Dir must be
	// set: books.BackupsDir of the data directory, or the user's folder).
	Backups *backup.Options
}

// Engine is the background of the app. New builds it and starts nothing;
// Serve runs it until its context ends.
type Engine struct {
	Books    *books.Books
	Bus      *events.Bus
	Receiver *webhook.Receiver
	Sync     *autosync.Manager
	// Backups is the daily backup (nil without Options.Backups); its Now
	// is "Back up now".
	Backups *backup.Service

	log    *slog.Logger
	opt    Options
	served atomic.Bool
	// stopped is closed once Serve has returned.
	stopped chan struct{}

	// The demo slot (demo.go). demos is the parent of every demo's
	// context; stopAllDemos ends it as Serve stops. demoRuns hands a demo
	// to the slot, which closes demoSlotGone as it returns.
	demos        context.Context
	stopAllDemos context.CancelFunc
	demoRuns     chan *demoRun
	demoSlotGone chan struct{}
	demoMu       sync.Mutex // serialises starts and stops of the demo
	demo         *demoRun   // the last demo started; it may have ended
}

// New builds the engine over b; it starts nothing (see Serve).
func New(b *books.Books, opt Options) *Engine {
	if opt.Addr == "" {
		opt.Addr = webhook.DefaultAddr
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	bus := opt.Bus
	if bus == nil {
		bus = events.NewBus()
	}
	e := &Engine{
		Books: b, Bus: bus, log: opt.Log, opt: opt, stopped: make(chan struct{}),
		demoRuns: make(chan *demoRun), demoSlotGone: make(chan struct{}),
	}
	e.demos, e.stopAllDemos = context.WithCancel(context.Background())
	e.Receiver = webhook.New(b.Store, b.Secrets, bus, webhook.Config{
		Addr: opt.Addr, PublicBaseURL: opt.PublicBaseURL, ErrorLog: opt.HTTPErrorLog,
	})
	e.Sync = autosync.NewManager(b, autosync.Options{
		Bus: bus, Clock: opt.Clock, DeliveryURL: e.Receiver.URL, Log: opt.Log.With("component", "autosync"),
	})
	if opt.Backups != nil {
		e.Backups = backup.New(b.Store, *opt.Backups)
	}
	return e
}

// Serve listens for webhooks, then runs in one errgroup the receiver, the
// demo slot (which serves the demo shop StartDemo or ResumeDemo hand it),
// every shop's automatic sync (after resuming the demo shop, with
// Options.Demo), the pruning and the daily backup, until ctx ends or the
// receiver fails. Ready closes once the receiver listens. As ctx ends it
// stops the demo first (its customers deliver to the receiver), then lets
// syncs under way end after their last committed page and requests under
// way be answered, and returns once all of it has stopped: nil, or why the
// receiver failed or could not listen. An engine is served once. The bus
// stays open for the caller to close: its subscribers may still be
// reading.
func (e *Engine) Serve(ctx context.Context) error {
	if !e.served.CompareAndSwap(false, true) {
		return errors.New("the engine is already running")
	}
	defer close(e.stopped)
	defer e.stopDemos() // also when it never listened: no demo starts later
	ln, err := listen(e.opt.Addr, e.opt.AnyPort)
	if err != nil {
		return err
	}
	if ln.Addr().String() != e.opt.Addr {
		e.log.Warn("the webhook port is taken; listening on another one, so webhooks registered earlier will not arrive until registered again",
			"wanted", e.opt.Addr, "listen", ln.Addr().String())
	}

	// The services stop when run ends, which is after the demo stopped.
	run, stop := context.WithCancel(context.WithoutCancel(ctx))
	defer stop()
	g, gctx := errgroup.WithContext(run)
	g.Go(func() error {
		select {
		case <-ctx.Done():
		case <-gctx.Done(): // the receiver failed
		}
		e.stopDemos()
		stop()
		return nil
	})
	g.Go(func() error { return e.Receiver.ServeListener(gctx, ln) })
	g.Go(func() error { return e.serveDemos(gctx) })
	g.Go(func() error {
		// The demo's simulator must listen at the shop's new address
		// before automatic sync's start pass reaches for it, and it
		// delivers to the receiver's address.
		select {
		case <-e.Receiver.Ready():
		case <-gctx.Done():
			return nil
		}
		if e.opt.Demo != nil {
			if _, err := e.ResumeDemo(gctx, *e.opt.Demo); err != nil {
				e.log.Warn("resume the demo shop", "err", err)
			}
		}
		if err := e.Sync.Serve(gctx); err != nil {
			e.log.Error("automatic sync", "err", err)
		}
		return nil
	})
	g.Go(func() error {
		e.prune(gctx)
		return nil
	})
	if e.Backups != nil {
		g.Go(func() error {
			if err := e.Backups.Serve(gctx); err != nil && gctx.Err() == nil {
				e.log.Error("daily backup", "err", err)
			}
			return nil // a failed backup never stops syncing
		})
	}
	return g.Wait()
}

// Ready is closed once Serve listens for webhooks; Addr then says where.
func (e *Engine) Ready() <-chan struct{} { return e.Receiver.Ready() }

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

// Addr is the address the receiver listens on, e.g. "127.0.0.1:8765",
// once Ready is closed.
func (e *Engine) Addr() string { return e.Receiver.Addr() }

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

// DailyBackups are the backup options of the window and serve: the books'
// backups folder in dataDir, each backup or failure logged.
func DailyBackups(dataDir string, log *slog.Logger) *backup.Options {
	return &backup.Options{
		Dir: books.BackupsDir(dataDir),
		Done: func(f backup.File, err error) {
			if err != nil {
				log.Warn("daily backup failed; trying again in an hour", "err", err)
				return
			}
			log.Info("daily backup", "file", f.Path)
		},
	}
}
