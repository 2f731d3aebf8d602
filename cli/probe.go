package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/woo"
)

func runShopTest(ctx context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "shop test")
	shopRef := fs.String("shop", "", "a shop in the books (name or id)")
	url := fs.String("url", "", "a shop not in the books yet: its address; keys from $"+keyEnv+" and $"+secretEnv+" or standard input")
	trust := fs.String("trust-cert", "", "with --url: trust this self-signed certificate (its SHA-256 fingerprint)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: shopledger shop test --shop NAME | --url URL [--trust-cert SHA256]")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if (strings.TrimSpace(*shopRef) == "") == (strings.TrimSpace(*url) == "") {
		fmt.Fprintln(env.Stderr, "shopledger shop test: give --shop NAME or --url URL")
		fs.Usage()
		return errUsage
	}
	cctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	var d *woo.Diagnosis
	if *url != "" {
		// Before the shop is added: the books stay closed, so this works
		// while the window has them open.
		if _, err := woo.ParseShopURL(*url); err != nil {
			return err
		}
		key, secret, err := readCredentials(env)
		if err != nil {
			return err
		}
		d = woo.Probe(cctx, woo.Config{URL: *url, Key: key, Secret: secret, CertSHA256: *trust})
	} else {
		b, sh, err := openShop(env, *dir, *shopRef)
		if err != nil {
			return err
		}
		defer b.Close()
		if d, err = b.TestShop(cctx, sh.ID); err != nil {
			return err
		}
	}
	printDiagnosis(env.Stdout, d)
	if !d.OK() {
		return &books.ConnectionError{Diagnosis: d}
	}
	return nil
}

// printDiagnosis writes what "Test connection" found, facts first, then
// each problem as a sentence with what to do.
func printDiagnosis(w io.Writer, d *woo.Diagnosis) {
	yes := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	fmt.Fprintf(w, "Shop:           %s\n", d.URL)
	fmt.Fprintf(w, "Reachable:      %s\n", yes(d.Reachable))
	fmt.Fprintf(w, "WooCommerce:    %s", yes(d.WooCommerce))
	if d.Version != "" {
		fmt.Fprintf(w, " %s", d.Version)
	}
	fmt.Fprintln(w)
	if d.Dialect != "" {
		fmt.Fprintf(w, "API:            %s (authentication: %s)\n", d.Dialect, d.Auth)
	}
	fmt.Fprintf(w, "Keys accepted:  %s\n", yes(d.CredentialsOK))
	if d.ReadOnly != nil {
		fmt.Fprintf(w, "Key can write:  %s\n", yes(!*d.ReadOnly))
	}
	if d.ClockSkew != 0 {
		fmt.Fprintf(w, "Shop clock:     %s off\n", d.ClockSkew)
	}
	if d.Cert != nil {
		fmt.Fprintf(w, "Certificate:    %s\n  issued by     %s\n  valid until   %s\n  SHA-256       %s\n",
			d.Cert.Subject, d.Cert.Issuer, d.Cert.NotAfter.Format("2006-01-02"), d.Cert.SHA256)
		fmt.Fprintf(w, "  If this is your shop's own certificate, add the shop with --trust-cert %s\n", d.Cert.SHA256)
	}
	for _, p := range d.Problems {
		kind := "Problem"
		if !books.Blocking(p) {
			kind = "Note"
		}
		fmt.Fprintf(w, "%s: %s\n", kind, books.ProblemSentence(p))
		if p.Detail != "" && !strings.Contains(books.ProblemSentence(p), p.Detail) {
			fmt.Fprintf(w, "  (the shop said: %s)\n", p.Detail)
		}
	}
	if d.OK() {
		fmt.Fprintln(w, "Result:         ShopLedger can sync this shop.")
	}
}
