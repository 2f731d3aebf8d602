package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"time"

	"codeberg.org/shopledger/shopledger/core/applog"
	"codeberg.org/shopledger/shopledger/core/autosync"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/engine"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/webhook"
)

// listenEnv overrides serve's default listen address (for containers and
// service files, where flags are awkward).
const listenEnv = "SHOPLEDGER_LISTEN"

// runServe keeps the books current without a window: every shop's
// automatic sync (autosync.Manager) and the webhook receiver, until ctx is
// cancelled (SIGINT or SIGTERM from main).
func runServe(ctx context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "serve")
	listen := fs.String("listen", "", "address the webhook receiver listens on (default $"+listenEnv+" or "+webhook.DefaultAddr+")")
	public := publicURLFlag(fs)
	level := fs.String("log-level", "info", "how much to log: info or debug (also warn, error)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: shopledger serve [--listen ADDR] [--public-url URL] [--data-dir DIR] [--log-level info|debug]")
		fmt.Fprintln(fs.Output(), "Syncs every shop on its schedule and receives webhook deliveries, without a window, until stopped (Ctrl-C, SIGTERM).")
		fmt.Fprintln(fs.Output(), "Logs go to standard error and to "+applog.FileName+" in the data directory.")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		fmt.Fprintf(env.Stderr, "shopledger serve: unknown --log-level %q; use info or debug\n", *level)
		return errUsage
	}
	addr := strings.TrimSpace(*listen)
	if addr == "" {
		addr = strings.TrimSpace(env.Getenv(listenEnv))
	}
	if addr == "" {
		addr = webhook.DefaultAddr
	}
	base, err := resolvePublicURL(env, *public)
	if err != nil {
		return err
	}
	dataDir := *dir
	if dataDir == "" {
		if dataDir, err = books.DefaultDataDir(); err != nil {
			return err
		}
	}

	log, closeLog, err := applog.Open(applog.Options{Dir: dataDir, Stderr: env.Stderr, Level: lvl})
	if err != nil {
		return fmt.Errorf("open the log: %w", err)
	}
	defer closeLog()
	err = serve(ctx, env, log, dataDir, addr, base)
	if err != nil {
		log.Error("serve stopped", errAttrs(err)...)
		return err
	}
	log.Info("serve stopped")
	return nil
}

// serve runs the services on an open log; it returns nil once ctx is
// cancelled and everything it started has stopped.
func serve(ctx context.Context, env *Env, log *slog.Logger, dataDir, addr, publicBase string) error {
	log.Info("starting", "data_dir", dataDir, "log_file", applog.FileName)
	b, err := open(env, dataDir)
	if err != nil {
		return err
	}
	defer b.Close()

	bus := events.NewBus()
	sub := bus.Subscribe()
	logged := make(chan struct{})
	go func() {
		defer close(logged)
		logEvents(log, b, sub)
	}()
	eng := engine.New(b, engine.Options{
		Addr: addr, PublicBaseURL: publicBase, Bus: bus, Log: log,
		HTTPErrorLog: slog.NewLogLogger(log.With("component", "http").Handler(), slog.LevelWarn),
		Backups:      engine.DailyBackups(dataDir, log),
	})
	served := make(chan error, 1)
	go func() { served <- eng.Serve(ctx) }()
	select {
	case <-eng.Ready():
	case err := <-served:
		bus.Close()
		<-logged
		return fmt.Errorf("%w; choose another address with --listen", err)
	}
	bound := eng.Addr()
	if tcp, err := net.ResolveTCPAddr("tcp", bound); err == nil {
		warnExposure(log, tcp, publicBase)
	}
	log.Info("webhook receiver listening", "addr", bound, "public_url", eng.Receiver.BaseURL())
	logShops(log, b)
	if env.serving != nil {
		env.serving(bound, b)
	}

	// Serve returns once ctx ends, or when the receiver fails.
	select {
	case <-ctx.Done():
		log.Info("stopping: answering the requests under way")
		err = <-served
	case err = <-served:
	}
	// Requests under way were answered (the receiver waits up to 5 s); a
	// sync under way stopped after its last committed page and resumes
	// from there next time; deliveries stored but not applied yet are
	// applied at the next start. Nothing is left half-written.
	bus.Close()
	<-logged
	if n := sub.Missed(); n > 0 {
		log.Warn("some events were not logged: the log fell behind", "missed", n)
	}
	return err
}

// warnExposure warns about setups that work but are likely mistakes: no
// public URL for WooCommerce to deliver to, and a receiver reachable from
// other machines over plain HTTP.
func warnExposure(log *slog.Logger, addr net.Addr, publicBase string) {
	if publicBase == "" {
		log.Warn("no public URL: WooCommerce needs an address it can reach to deliver webhooks; "+
			"give --public-url (or $"+publicURLEnv+") with the address of this server, its reverse proxy or tunnel",
			"using", "http://"+addr.String())
	}
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || tcp.IP.IsLoopback() {
		return
	}
	if u, err := url.Parse(publicBase); err == nil && u.Scheme == "https" {
		return // something terminates TLS in front of us: a reverse proxy or tunnel
	}
	log.Warn("the webhook receiver is reachable from other machines over plain HTTP, and deliveries carry "+
		"customers' names and addresses; put it behind an HTTPS reverse proxy or tunnel and give that address as --public-url https://…",
		"listen", addr.String())
}

// logShops notes each shop and how it is kept current.
func logShops(log *slog.Logger, b *books.Books) {
	shops, err := b.Store.Shops()
	if err != nil {
		log.Error("list shops", "err", err)
		return
	}
	if len(shops) == 0 {
		log.Warn("no shops yet: add one with `shopledger shop add` (stop serve first)")
	}
	for _, sh := range shops {
		st, err := b.Store.SyncState(sh.ID)
		if err != nil {
			log.Error("read sync state", "shop", sh.ID, "err", err)
			continue
		}
		log.Info("shop", "shop", sh.ID, "shop_name", sh.Name, "url", sh.URL, "mode", autosync.ModeOf(sh, st), "webhooks", len(sh.WebhookIDs))
	}
}

// logEvents writes what the services publish to the log until the bus
// closes. Errors are logged as the sentence the window would show, with
// the technical detail beside it; neither carries a credential.
func logEvents(log *slog.Logger, b *books.Books, sub *events.Subscription) {
	names := map[ledger.ShopID]string{}
	shop := func(id ledger.ShopID) []any {
		if id == 0 {
			return []any{"shop", "unknown"}
		}
		n, ok := names[id]
		if !ok {
			if sh, err := b.Store.Shop(id); err == nil {
				n = sh.Name
				names[id] = n
			}
		}
		return []any{"shop", id, "shop_name", n}
	}
	with := func(id ledger.ShopID, kv ...any) []any { return append(shop(id), kv...) }
	for e := range sub.C {
		switch e := e.(type) {
		case events.SyncStarted:
			log.Info("sync started", with(e.Shop, "trigger", string(e.Trigger))...)
		case events.SyncProgress:
			log.Debug("sync progress", with(e.Shop, "page", e.Pages, "pages_expected", e.PagesExpected, "orders", e.Orders)...)
		case events.SyncFinished:
			log.Info("sync finished", with(e.Shop, "new", e.New, "updated", e.Updated, "unchanged", e.Unchanged,
				"requests", e.Requests, "took", e.Took.Round(time.Millisecond))...)
		case events.SyncFailed:
			log.Warn("sync failed", with(e.Shop, errAttrs(e.Err)...)...)
		case events.WebhookReceived:
			log.Info("webhook received", with(e.Shop, "topic", e.Topic, "delivery_id", e.DeliveryID)...)
		case events.WebhookApplied:
			log.Info("webhook applied", with(e.Shop, "topic", e.Topic, "order", e.OrderID, "new", e.New,
				"latency", e.Latency.Round(time.Millisecond))...)
		case events.WebhookFailed:
			log.Warn("webhook delivery could not be applied; it is kept and can be retried",
				with(e.Shop, "topic", e.Topic, "delivery_id", e.DeliveryID, "seq", e.Seq, "err", e.Err)...)
		case events.WebhookRejected:
			lvl := slog.LevelWarn
			if e.Status == 404 || e.Status == 405 {
				lvl = slog.LevelInfo // strangers knocking, not a shop in trouble
			}
			log.Log(context.Background(), lvl, "webhook rejected", with(e.Shop, "status", e.Status, "reason", e.Reason)...)
		case events.WebhookHealth:
			kv := []any{}
			if len(e.Reactivated) > 0 {
				kv = append(kv, "reactivated", e.Reactivated)
			}
			if e.Healthy {
				log.Info("webhooks healthy", with(e.Shop, kv...)...)
			} else {
				log.Warn("webhooks unhealthy: polling hourly until they deliver again", with(e.Shop, append(kv, "reason", e.Reason)...)...)
			}
		}
	}
}

// errNoPublicURL is what webhook commands say when no public URL is known.
var errNoPublicURL = &books.InputError{Problems: []string{
	"WooCommerce needs an address it can reach to deliver webhooks: give --public-url https://… " +
		"(the address of this server, its reverse proxy or tunnel) or set $" + publicURLEnv,
}}

// errAttrs are an error's log attributes: the sentence the window would
// show, and the technical detail when it says more.
func errAttrs(err error) []any {
	msg := books.UserMessage(err)
	if detail := err.Error(); detail != msg {
		return []any{"message", msg, "err", detail}
	}
	return []any{"message", msg}
}
