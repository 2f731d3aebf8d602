package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/woosim"
)

// startRun runs the command with args until the test ends and returns the
// line it printed, split into its fields.
func startRun(t *testing.T, args ...string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, args, pw, io.Discard)
		pw.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("run did not stop")
		}
	})
	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		if sc.Scan() {
			lines <- sc.Text()
		}
		io.Copy(io.Discard, pr)
	}()
	select {
	case line := <-lines:
		f := map[string]string{"line": line}
		for _, w := range strings.Fields(line) {
			if k, v, ok := strings.Cut(w, "="); ok {
				f[k] = v
			} else if strings.Contains(w, "://") {
				f["url"] = w
			}
		}
		return f
	case err := <-done:
		t.Fatalf("run ended early: %v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("no start line")
	}
	return nil
}

func TestServesAndStops(t *testing.T) {
	f := startRun(t, "-listen", "127.0.0.1:0", "-orders", "25", "-seed", "3", "-key", "ck_test", "-secret", "cs_test")
	if f["key"] != "ck_test" || f["secret"] != "cs_test" || !strings.HasPrefix(f["url"], "http://127.0.0.1:") {
		t.Fatalf("start line %q", f["line"])
	}
	resp, err := http.Post(f["url"]+"/__woosim/orders?n=2", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	resp, err = http.Get(f["url"] + "/__woosim/orders")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var snap []woosim.OrderSummary
	if err := json.NewDecoder(resp.Body).Decode(&snap); err != nil || len(snap) != 27 {
		t.Fatalf("snapshot: %d orders, %v", len(snap), err)
	}
	// Same seed and count as a Sim built in-process: the same orders.
	want := woosim.New(woosim.Options{Orders: 25, Seed: 3}).Snapshot()
	for i := range want {
		if snap[i].Total != want[i].Total || snap[i].Currency != want[i].Currency || snap[i].Status != want[i].Status {
			t.Fatalf("order %d: %+v vs %+v", i+1, snap[i], want[i])
		}
	}
	// Plain HTTP: Basic auth is refused as by WooCommerce.
	req, _ := http.NewRequest(http.MethodGet, f["url"]+"/wp-json/wc/v3/orders", nil)
	req.SetBasicAuth("ck_test", "cs_test")
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("basic over HTTP: %d", resp.StatusCode)
	}
}

func TestTLSAndCertOut(t *testing.T) {
	pemPath := filepath.Join(t.TempDir(), "cert.pem")
	f := startRun(t, "-listen", "127.0.0.1:0", "-orders", "3", "-tls", "-cert-out", pemPath)
	pemBytes, err := os.ReadFile(pemPath)
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(pemBytes)
	sum := sha256.Sum256(block.Bytes)
	if f["cert-sha256"] != hex.EncodeToString(sum[:]) || !strings.HasPrefix(f["url"], "https://127.0.0.1:") {
		t.Fatalf("start line %q", f["line"])
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pemBytes)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest(http.MethodGet, f["url"]+"/wp-json/wc/v3/orders/1", nil)
	req.SetBasicAuth(woosim.DefaultKey, woosim.DefaultSecret)
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("GET order 1 over TLS: %d", resp.StatusCode)
	}
}

func TestRefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"-listen", "0.0.0.0:0"},
		{"-listen", ":8080"},
		{"-listen", "192.0.2.1:8080"},
		{"-orders", "-1", "-listen", "127.0.0.1:0"},
		{"-cert-out", "x.pem", "-listen", "127.0.0.1:0"},
		{"-timezone", "Mars/Olympus", "-listen", "127.0.0.1:0"},
		{"-nope"},
		{"extra"},
		{"-fault-5xx", "2", "-listen", "127.0.0.1:0"},
		{"-fault-latency", "-1s", "-listen", "127.0.0.1:0"},
		{"-readonly-key", "ck_ro", "-listen", "127.0.0.1:0"},
		{"-from", "2026-13-01", "-listen", "127.0.0.1:0"},
		{"-to", "2026-01-01", "-listen", "127.0.0.1:0"},
		{"-from", "2026-02-01", "-to", "2026-01-01", "-listen", "127.0.0.1:0"},
		{"-currency-change", "BGN-EUR", "-listen", "127.0.0.1:0"},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if err := run(ctx, args, io.Discard, io.Discard); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestVersionLegacyAndFaultFlags(t *testing.T) {
	f := startRun(t, "-listen", "127.0.0.1:0", "-orders", "4", "-wc-version", "9.0.1", "-legacy-plugin",
		"-readonly-key", "ck_ro", "-readonly-secret", "cs_ro", "-fault-429-every", "2", "-fault-retry-after", "9")
	if f["wc"] != "9.0.1" || f["readonly-key"] != "ck_ro" || f["readonly-secret"] != "cs_ro" {
		t.Fatalf("start line %q", f["line"])
	}
	get := func(path string) *http.Response {
		resp, err := http.Get(f["url"] + path)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp
	}
	// The legacy index needs no keys; every second request is rate limited.
	if r := get("/wc-api/v3/"); r.StatusCode != 200 {
		t.Fatalf("legacy index: %d", r.StatusCode)
	}
	if r := get("/wc-api/v3/"); r.StatusCode != 429 || r.Header.Get("Retry-After") != "9" {
		t.Fatalf("second request: %d %q", r.StatusCode, r.Header.Get("Retry-After"))
	}
	// The admin endpoints are never faulted and can clear the faults.
	resp, err := http.Post(f["url"]+"/__woosim/faults", "application/json", strings.NewReader(`{}`))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("clear faults: %v %v", resp, err)
	}
	resp.Body.Close()
	for range 3 {
		if r := get("/wc-api/v3/"); r.StatusCode != 200 {
			t.Fatalf("after clearing: %d", r.StatusCode)
		}
	}
}

func TestLegacyOffAndPlainPermalinks(t *testing.T) {
	f := startRun(t, "-listen", "127.0.0.1:0", "-orders", "2", "-legacy-api=false", "-plain-permalinks")
	for path, want := range map[string]int{"/?wc-api-version=3&wc-api-route=/": 404, "/wp-json/wc/v3/orders": 404, "/?rest_route=/wc/v3/orders": 401} {
		resp, err := http.Get(f["url"] + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", path, resp.StatusCode, want)
		}
	}
}

func TestVATFlags(t *testing.T) {
	f := startRun(t, "-listen", "127.0.0.1:0", "-orders", "40", "-vat", "-timezone", "Europe/Sofia",
		"-from", "2025-12-01", "-to", "2026-02-01", "-currency-change", "BGN:EUR@2026-01-01")
	resp, err := http.Get(f["url"] + "/__woosim/orders")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var orders []woosim.OrderSummary
	if err := json.NewDecoder(resp.Body).Decode(&orders); err != nil {
		t.Fatal(err)
	}
	cur := map[string]int{}
	for _, o := range orders {
		cur[o.Currency]++
	}
	if len(orders) != 40 || cur["BGN"] == 0 || cur["EUR"] == 0 || cur["BGN"]+cur["EUR"] != 40 {
		t.Errorf("currencies of %d orders: %v", len(orders), cur)
	}
}
