// Command woosim serves a simulated WooCommerce shop on loopback, for
// demos, manual testing and scripts:
//
//	woosim -orders 5000 -seed 7 -tls -cert-out /tmp/woosim.pem
//
// It prints one line with the shop's URL and its (test) API credentials
// (and, with -tls, the certificate's SHA-256 fingerprint), then serves
// until SIGINT or SIGTERM. The shop's REST API is under /wp-json/wc/v3/,
// the legacy one under /wc-api/v3/; /__woosim/ has endpoints to add orders,
// change their status, set faults and manage webhooks from other processes
// (see package codeberg.org/shopledger/shopledger/core/woosim). The -fault-*
// flags make the shop misbehave from the start:
//
//	woosim -tls -fault-5xx 0.1 -fault-429-every 7 -fault-latency 300ms -fault-notice 0.05
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"codeberg.org/shopledger/shopledger/core/woosim"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "woosim:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

// run parses args, serves the shop until ctx is done and shuts it down
// gracefully.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("woosim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8080", "loopback `address` to listen on (port 0 picks a free one)")
	orders := fs.Int("orders", 1000, "`number` of orders the shop starts with")
	seed := fs.Int64("seed", 1, "generator `seed`: the same seed and -orders give the same orders")
	key := fs.String("key", woosim.DefaultKey, "consumer `key` the shop accepts")
	secret := fs.String("secret", woosim.DefaultSecret, "consumer `secret` the shop accepts")
	useTLS := fs.Bool("tls", false, "serve HTTPS with a fresh self-signed certificate for 127.0.0.1/localhost")
	certOut := fs.String("cert-out", "", "with -tls, write the certificate (PEM) to this `file`")
	wcVersion := fs.String("wc-version", woosim.DefaultWCVersion, "WooCommerce `version` the shop runs: below 3.5 no wc/v3, below 5.8 no modified_after, from 9.0 no legacy API")
	timezone := fs.String("timezone", "UTC", "the shop's timezone (IANA `name`), for the site-local dates")
	roKey := fs.String("readonly-key", "", "a second consumer `key`, with read permissions only")
	roSecret := fs.String("readonly-secret", "", "the read-only key's `secret`")
	legacyAPI := fs.Bool("legacy-api", true, `"Enable the legacy REST API" (WooCommerce before 9.0, or with -legacy-plugin)`)
	legacyPlugin := fs.Bool("legacy-plugin", false, "the WooCommerce Legacy REST API plugin is installed (legacy API on 9.0+)")
	plain := fs.Bool("plain-permalinks", false, "plain permalinks: /wp-json/ and /wc-api/ are 404 pages, only ?rest_route= and ?wc-api-route= work")
	deliveryDelay := fs.Duration("delivery-delay", 0, "hold webhook deliveries back this `long`, as Action Scheduler does")
	verbose := fs.Bool("verbose", false, "log the HTTP server's errors (TLS handshakes, resets) to stderr")
	vat := fs.Bool("vat", false, "a VAT shop: BG 20 %/9 % and DE 19 %/7 % rates per tax class, COD fees, refunds with their items")
	inclTax := fs.Bool("prices-include-tax", true, `with -vat, "Prices entered with tax"`)
	from := fs.String("from", "", "spread the orders from this `date` (YYYY-MM-DD, shop time; default: 400 days ago)")
	to := fs.String("to", "", "spread the orders up to this `date` (YYYY-MM-DD, shop time; default: now)")
	change := fs.String("currency-change", "", "`BEFORE:AFTER@YYYY-MM-DD`: orders before the date in BEFORE, from it in AFTER (e.g. BGN:EUR@2026-01-01)")
	faults := faultFlags(fs)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: woosim [flags]\n\nServes a simulated WooCommerce shop on loopback.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "woosim: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	if err := woosim.CheckLoopback(*listen); err != nil {
		return err
	}
	if *orders < 0 {
		return fmt.Errorf("-orders must not be negative")
	}
	if *certOut != "" && !*useTLS {
		return fmt.Errorf("-cert-out needs -tls")
	}
	loc, err := time.LoadLocation(*timezone)
	if err != nil {
		return fmt.Errorf("-timezone: %w", err)
	}

	if *key == "" {
		*key = woosim.DefaultKey
	}
	if *secret == "" {
		*secret = woosim.DefaultSecret
	}
	if (*roKey == "") != (*roSecret == "") {
		return fmt.Errorf("-readonly-key and -readonly-secret go together")
	}
	fc, err := faults()
	if err != nil {
		return err
	}
	setting := func(on bool) woosim.Setting {
		if on {
			return woosim.On
		}
		return woosim.Off
	}
	opts := woosim.Options{
		Orders: *orders, Seed: *seed, Key: *key, Secret: *secret, WCVersion: *wcVersion, SiteTimezone: loc,
		ReadOnlyKey: *roKey, ReadOnlySecret: *roSecret, LegacyEnabled: setting(*legacyAPI), LegacyPlugin: *legacyPlugin,
		PrettyPermalinks: setting(!*plain), DeliveryDelay: *deliveryDelay, Verbose: *verbose, Faults: fc,
		VAT: *vat, PricesIncludeTax: setting(*inclTax),
	}
	if err := booksFlags(&opts, loc, *from, *to, *change); err != nil {
		return err
	}
	sim := woosim.New(opts)
	srv, err := woosim.StartOn(sim, *listen, *useTLS)
	if err != nil {
		return err
	}
	if *certOut != "" {
		if err := os.WriteFile(*certOut, srv.CertPEM, 0o644); err != nil {
			srv.Close()
			return err
		}
	}
	line := fmt.Sprintf("woosim: serving %d orders at %s key=%s secret=%s wc=%s", sim.Count(), srv.URL, *key, *secret, *wcVersion)
	if *roKey != "" {
		line += " readonly-key=" + *roKey + " readonly-secret=" + *roSecret
	}
	if *useTLS {
		line += " cert-sha256=" + srv.CertSHA256
		if *certOut != "" {
			line += " cert=" + *certOut
		}
	}
	fmt.Fprintln(stdout, line)

	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	fmt.Fprintln(stderr, "woosim: stopped")
	return nil
}
