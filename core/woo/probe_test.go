package woo_test

import (
	"context"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

func probe(t *testing.T, o woosim.Options, useTLS bool, key, secret string) *woo.Diagnosis {
	t.Helper()
	srv, err := woosim.Start(o, useTLS)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	cfg := woo.Config{URL: srv.URL, Key: key, Secret: secret, CertSHA256: srv.CertSHA256}
	return woo.Probe(context.Background(), cfg)
}

func TestProbe(t *testing.T) {
	ok := woosim.DefaultKey
	sec := woosim.DefaultSecret
	cases := []struct {
		name        string
		opt         woosim.Options
		tls         bool
		key, secret string
		dialect     ledger.Dialect
		auth        woo.AuthMode
		problems    []woo.ProblemCode
	}{
		{"modern over https", woosim.Options{}, true, ok, sec, ledger.DialectWCV3, woo.AuthBasic, nil},
		{"modern over http", woosim.Options{}, false, ok, sec, ledger.DialectWCV3, woo.AuthOAuth, nil},
		{"legacy only (3.4)", woosim.Options{WCVersion: "3.4.0"}, true, ok, sec, ledger.DialectLegacyV3, woo.AuthBasic, nil},
		{"legacy only over http", woosim.Options{WCVersion: "3.4.0"}, false, ok, sec, ledger.DialectLegacyV3, woo.AuthOAuth, nil},
		{"old wc/v3 (5.7)", woosim.Options{WCVersion: "5.7.0", LegacyEnabled: woosim.Off}, true, ok, sec, ledger.DialectWCV3, woo.AuthBasic, []woo.ProblemCode{woo.ProblemOldVersion}},
		{"9.0 without legacy", woosim.Options{WCVersion: "9.0.0"}, true, ok, sec, ledger.DialectWCV3, woo.AuthBasic, nil},
		{"header stripped", woosim.Options{Faults: woosim.FaultConfig{StripAuthorization: true}}, true, ok, sec, ledger.DialectWCV3, woo.AuthQuery, []woo.ProblemCode{woo.ProblemAuthStripped}},
		{"wrong secret https", woosim.Options{}, true, ok, "cs_wrong", "", "", []woo.ProblemCode{woo.ProblemBadSecret}},
		{"wrong secret http", woosim.Options{}, false, ok, "cs_wrong", "", "", []woo.ProblemCode{woo.ProblemBadSecret}},
		{"wrong key http", woosim.Options{}, false, "ck_unknown", sec, "", "", []woo.ProblemCode{woo.ProblemBadKey}},
		{"wrong key https", woosim.Options{}, true, "ck_unknown", sec, "", "", []woo.ProblemCode{woo.ProblemBadKey}},
		{"read-only key", woosim.Options{ReadOnlyKey: "ck_readonly", ReadOnlySecret: "cs_readonly"}, true, "ck_readonly", "cs_readonly", ledger.DialectWCV3, woo.AuthBasic, []woo.ProblemCode{woo.ProblemReadOnly}},
		{"legacy disabled on a legacy-only shop", woosim.Options{WCVersion: "3.4.0", LegacyEnabled: woosim.Off}, true, ok, sec, "", "", []woo.ProblemCode{woo.ProblemLegacyDisabled}},
		{"plain permalinks", woosim.Options{PrettyPermalinks: woosim.Off}, true, ok, sec, "", "", []woo.ProblemCode{woo.ProblemPermalinks}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.opt.Orders = 5
			d := probe(t, c.opt, c.tls, c.key, c.secret)
			if d.Dialect != c.dialect || d.Auth != c.auth {
				t.Errorf("dialect %q auth %q, want %q %q", d.Dialect, d.Auth, c.dialect, c.auth)
			}
			if d.OK() != (c.dialect != "") {
				t.Errorf("OK() = %v", d.OK())
			}
			got := map[woo.ProblemCode]bool{}
			for _, p := range d.Problems {
				got[p.Code] = true
			}
			for _, want := range c.problems {
				if !got[want] {
					t.Errorf("problems %+v lack %q", d.Problems, want)
				}
			}
			if len(d.Problems) != len(c.problems) {
				t.Errorf("problems %+v, want exactly %v", d.Problems, c.problems)
			}
		})
	}
}

func TestProbeUnreachableAndUntrusted(t *testing.T) {
	d := woo.Probe(context.Background(), woo.Config{URL: "http://127.0.0.1:1", Key: "ck", Secret: "cs"})
	if d.Reachable || !d.Has(woo.ProblemUnreachable) {
		t.Errorf("closed port: %+v", d)
	}
	srv, err := woosim.Start(woosim.Options{Orders: 1}, true)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	d = woo.Probe(context.Background(), woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret})
	if !d.Has(woo.ProblemTLS) || d.Cert == nil || d.Cert.SHA256 != srv.CertSHA256 {
		t.Fatalf("self-signed shop: %+v cert %+v, want a TLS problem with fingerprint %s", d.Problems, d.Cert, srv.CertSHA256)
	}
}

// TestProbeTimezone: the shop's time zone comes with "Test connection",
// from the legacy index where /wp-json/ does not answer (woosim serves no
// WordPress index).
func TestProbeTimezone(t *testing.T) {
	sofia, err := time.LoadLocation("Europe/Sofia")
	if err != nil {
		t.Fatal(err)
	}
	d := probe(t, woosim.Options{Orders: 1, SiteTimezone: sofia}, true, woosim.DefaultKey, woosim.DefaultSecret)
	if !d.OK() || d.Timezone != "Europe/Sofia" {
		t.Fatalf("ok %v, time zone %q, want Europe/Sofia", d.OK(), d.Timezone)
	}
	srv, err := woosim.Start(woosim.Options{Orders: 1, SiteTimezone: sofia}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c, err := woo.New(woo.Config{URL: srv.URL, Key: woosim.DefaultKey, Secret: woosim.DefaultSecret})
	if err != nil {
		t.Fatal(err)
	}
	if z, err := c.ShopTimezone(context.Background()); err != nil || z != "Europe/Sofia" {
		t.Fatalf("ShopTimezone = %q, %v", z, err)
	}
}
