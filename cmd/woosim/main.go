// Command woosim serves a simulated WooCommerce shop on loopback, for
// demos, manual testing and scripts:
//
//	woosim -orders 5000 -seed 7 -tls -cert-out /tmp/woosim.pem
//
// It prints one line with the shop's URL and its (test) API credentials,
// then serves until SIGINT or SIGTERM. The shop's REST API is under
// /wp-json/wc/v3/; /__woosim/ has endpoints to add orders and change their
// status from other processes (see package shopledger/core/woosim).
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

	"shopledger/core/woosim"
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
	wcVersion := fs.String("wc-version", woosim.DefaultWCVersion, "WooCommerce `version` the shop reports")
	timezone := fs.String("timezone", "UTC", "the shop's timezone (IANA `name`), for the site-local dates")
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
	sim := woosim.New(woosim.Options{
		Orders: *orders, Seed: *seed, Key: *key, Secret: *secret, WCVersion: *wcVersion, SiteTimezone: loc,
	})
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
	line := fmt.Sprintf("woosim: serving %d orders at %s key=%s secret=%s", sim.Count(), srv.URL, *key, *secret)
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
