package woo_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// trusting returns an HTTP client that trusts the simulator's self-signed
// certificate (and nothing else).
func trusting(t *testing.T, srv *woosim.Server) *http.Client {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(srv.CertPEM) {
		t.Fatal("simulator certificate does not parse")
	}
	c := woo.DefaultHTTPClient()
	c.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: pool}
	return c
}

func startSim(t *testing.T, orders int, useTLS bool) (*woosim.Server, *woo.Client) {
	t.Helper()
	srv, err := woosim.Start(woosim.Options{Orders: orders, Seed: 11}, useTLS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	cfg := woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret}
	if useTLS {
		cfg.HTTPClient = trusting(t, srv)
	}
	c, err := woo.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func TestListOrdersPaging(t *testing.T) {
	for _, tc := range []struct {
		name   string
		tls    bool
		method woo.SignatureMethod
	}{{"https basic", true, ""}, {"http oauth sha256", false, woo.HMACSHA256}, {"http oauth sha1", false, woo.HMACSHA1}} {
		t.Run(tc.name, func(t *testing.T) {
			srv, c := startSim(t, 250, tc.tls)
			if tc.method != "" {
				var err error
				c, err = woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, OAuth: tc.method})
				if err != nil {
					t.Fatal(err)
				}
			}
			seen := map[int64]bool{}
			for page := 1; ; page++ {
				p, err := c.ListOrders(context.Background(), woo.ListOptions{Page: page, OrderBy: "id"})
				if err != nil {
					t.Fatalf("page %d: %v", page, err)
				}
				if p.Total != 250 || p.TotalPages != 3 {
					t.Fatalf("page %d: total %d pages %d, want 250 and 3", page, p.Total, p.TotalPages)
				}
				if p.ServerTime.IsZero() {
					t.Error("no server time from the Date header")
				}
				for _, o := range p.Orders {
					if seen[o.ID] {
						t.Fatalf("order %d on two pages", o.ID)
					}
					seen[o.ID] = true
				}
				if page >= p.TotalPages {
					break
				}
			}
			if len(seen) != 250 {
				t.Fatalf("pages held %d distinct orders, want 250", len(seen))
			}
		})
	}
}

func TestListOrdersModifiedAfter(t *testing.T) {
	var mu sync.Mutex
	now := time.Now().UTC().Truncate(time.Second)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv, err := woosim.Start(woosim.Options{Orders: 300, Seed: 11, Now: clock}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, _ := woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret, Now: clock})
	before := now
	mu.Lock()
	now = now.Add(time.Minute)
	mu.Unlock()
	if err := srv.Sim.SetStatus(5, "completed"); err != nil {
		t.Fatal(err)
	}
	srv.Sim.AddOrders(2)
	p, err := c.ListOrders(context.Background(), woo.ListOptions{ModifiedAfter: before})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[int64]bool{}
	for _, o := range p.Orders {
		ids[o.ID] = true
		if !o.Modified.After(before) {
			t.Errorf("order %d modified %s is not after %s", o.ID, o.Modified, before)
		}
	}
	if !ids[5] || !ids[301] || !ids[302] || len(ids) != 3 {
		t.Fatalf("modified_after returned %v, want 5, 301, 302", ids)
	}
}

func TestSingleOrderAndErrors(t *testing.T) {
	srv, c := startSim(t, 20, true)
	o, err := c.Order(context.Background(), 7)
	if err != nil || o.ID != 7 || len(o.Raw) == 0 {
		t.Fatalf("Order(7) = %d, %v", o.ID, err)
	}
	_, err = c.Order(context.Background(), 999)
	if woo.KindOf(err) != woo.KindNotFound {
		t.Errorf("missing order: %v, want not found", err)
	}

	bad, _ := woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: "cs_wrong", HTTPClient: trusting(t, srv)})
	_, err = bad.ListOrders(context.Background(), woo.ListOptions{})
	var we *woo.Error
	if !errors.As(err, &we) || we.Kind != woo.KindAuth || we.Status != 401 || we.Code == "" {
		t.Errorf("wrong secret: %#v", err)
	}
	if strings.Contains(err.Error(), "cs_wrong") {
		t.Error("error message contains the secret")
	}

	// The simulator's certificate is self-signed: a client that does not
	// trust it must refuse it, with a TLS error.
	untrusting, _ := woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret})
	_, err = untrusting.ListOrders(context.Background(), woo.ListOptions{})
	if woo.KindOf(err) != woo.KindTLS {
		t.Errorf("self-signed certificate: %v, want a TLS error", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := c.ListOrders(ctx, woo.ListOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled call: %v", err)
	}

	down, _ := woo.New(woo.Config{URL: "http://127.0.0.1:1", Key: "ck", Secret: "cs"})
	if _, err := down.ListOrders(context.Background(), woo.ListOptions{}); woo.KindOf(err) != woo.KindNetwork {
		t.Errorf("closed port: %v, want a network error", err)
	}
}

// TestNoSecretsOverPlainHTTP records every request a sync-like use of the
// client sends over plain HTTP: no Authorization header, no
// consumer_secret, and each nonce used once.
func TestNoSecretsOverPlainHTTP(t *testing.T) {
	sim := woosim.New(woosim.Options{Orders: 150, Seed: 2})
	var mu sync.Mutex
	var seen []*http.Request
	h := sim.Handler()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Clone(context.Background()))
		mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	defer ts.Close()
	c, err := woo.New(woo.Config{URL: ts.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret})
	if err != nil {
		t.Fatal(err)
	}
	for page := 1; page <= 2; page++ {
		if _, err := c.ListOrders(context.Background(), woo.ListOptions{Page: page}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Order(context.Background(), 3); err != nil {
		t.Fatal(err)
	}
	nonces := map[string]bool{}
	for _, r := range seen {
		if r.Header.Get("Authorization") != "" {
			t.Errorf("%s sent an Authorization header over plain HTTP", r.URL)
		}
		if strings.Contains(r.URL.RawQuery, woosim.DefaultSecret) || r.URL.Query().Has("consumer_secret") {
			t.Errorf("%s sent the secret over plain HTTP", r.URL)
		}
		n := r.URL.Query().Get("oauth_nonce")
		if n == "" || nonces[n] {
			t.Errorf("nonce %q missing or reused", n)
		}
		nonces[n] = true
	}
}

func TestParseShopURL(t *testing.T) {
	for in, want := range map[string]string{
		"shop.example":                "https://shop.example",
		" https://shop.example/ ":     "https://shop.example",
		"http://127.0.0.1:8080/wp/?x": "http://127.0.0.1:8080/wp",
	} {
		u, err := woo.ParseShopURL(in)
		if err != nil || u.String() != want {
			t.Errorf("ParseShopURL(%q) = %v, %v; want %s", in, u, err, want)
		}
	}
	for _, in := range []string{"", "ftp://shop.example", "https://"} {
		if _, err := woo.ParseShopURL(in); woo.KindOf(err) != woo.KindBadConfig {
			t.Errorf("ParseShopURL(%q) = %v, want a bad config error", in, err)
		}
	}
}
