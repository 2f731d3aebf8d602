package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/applog"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// deadline bounds every wait for something that happens on its own; it is
// never reached when things work.
const deadline = 20 * time.Second

// syncBuffer is a bytes.Buffer the serve goroutines and the test share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// server is `shopledger serve` running in a goroutine.
type server struct {
	addr   string
	books  *books.Books
	cancel context.CancelFunc
	done   chan struct{}
	code   int
	stderr *syncBuffer
}

// startServe runs `serve args…` against dataDir until stop, and returns
// once it listens and its services run.
func startServe(t *testing.T, dataDir string, env map[string]string, args ...string) *server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{cancel: cancel, done: make(chan struct{}), stderr: &syncBuffer{}}
	ready := make(chan struct{})
	e := &Env{
		Stdin: strings.NewReader(""), Stdout: s.stderr, Stderr: s.stderr, Secrets: keysFor(dataDir),
		Getenv: func(k string) string {
			if k == "SHOPLEDGER_DATA_DIR" {
				return dataDir
			}
			return env[k]
		},
		serving: func(addr string, b *books.Books) { s.addr, s.books = addr, b; close(ready) },
	}
	t.Setenv("SHOPLEDGER_DATA_DIR", dataDir)
	go func() {
		defer close(s.done)
		s.code = Run(ctx, e, append([]string{"serve"}, args...))
	}()
	t.Cleanup(func() { cancel(); <-s.done })
	select {
	case <-ready:
	case <-s.done:
		t.Fatalf("serve exited with %d before it served:\n%s", s.code, s.stderr)
	case <-time.After(deadline):
		t.Fatalf("serve did not start:\n%s", s.stderr)
	}
	return s
}

// stop cancels serve as SIGINT would and returns its exit status.
func (s *server) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case <-s.done:
	case <-time.After(deadline):
		t.Fatalf("serve did not stop:\n%s", s.stderr)
	}
	return s.code
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	end := time.Now().Add(deadline)
	for !cond() {
		if time.Now().After(end) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// freeAddr returns a loopback address nothing listens on. serve is started
// on it after the webhooks are registered: a ShopLedger database is open
// in one process at a time, so `webhooks register` cannot run beside it.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func readLog(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, applog.FileName))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return string(b)
}

// TestServeReceivesWebhooksEndToEnd: real HTTP both ways. The webhooks are
// registered through the command line, serve takes deliveries for new
// orders, stops cleanly on cancel, and its log names what happened
// without a credential in it.
func TestServeReceivesWebhooksEndToEnd(t *testing.T) {
	srv, err := woosim.Start(woosim.Options{Orders: 5, Seed: 11}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	if r := cmd(t, dir, creds(), "", "shop", "add", "--name", "Demo", "--url", srv.URL, "--warehouse", "W", "--cost-center", "C"); r.code != 0 {
		t.Fatalf("shop add: %+v", r)
	}
	if r := cmd(t, dir, nil, "", "sync"); r.code != 0 || !strings.Contains(r.stdout, "5 new") {
		t.Fatalf("sync: %+v", r)
	}
	addr := freeAddr(t)
	public := "http://" + addr
	r := cmd(t, dir, nil, "", "webhooks", "register", "--shop", "Demo", "--public-url", public)
	if r.code != 0 || strings.Count(r.stdout, " created\n") != 3 || !strings.Contains(r.stdout, "webhook mode") {
		t.Fatalf("webhooks register: %+v", r)
	}
	hooks := srv.Sim.Webhooks()
	if len(hooks) != 3 {
		t.Fatalf("the shop has %d webhooks, want 3", len(hooks))
	}
	for _, h := range hooks {
		if h.Status != "active" || !strings.HasPrefix(h.DeliveryURL, public+"/webhooks/") {
			t.Fatalf("webhook %+v", h)
		}
	}

	s := startServe(t, dir, nil, "--listen", addr, "--public-url", public, "--log-level", "debug")
	if s.addr != addr {
		t.Fatalf("serve listens on %s, want %s", s.addr, addr)
	}
	sh, err := s.books.Store.ShopByName("Demo")
	if err != nil {
		t.Fatal(err)
	}
	// The catch-up at start finds nothing new; new orders must then come
	// by webhook, not by that pass.
	eventually(t, "the catch-up at start", func() bool { return strings.Contains(readLog(t, dir), `msg="sync finished"`) })
	ids := srv.Sim.AddOrders(2)
	for _, id := range ids {
		key := ledger.OrderKey{Shop: sh.ID, ID: id}
		eventually(t, "an order by webhook", func() bool { _, err := s.books.Store.Order(key); return err == nil })
		h, err := s.books.Store.History(key)
		if err != nil || len(h) == 0 || h[0].Source != ledger.SourceWebhook {
			t.Errorf("order %d came from %+v (%v), want a webhook", id, h, err)
		}
	}
	eventually(t, "the log of the applied deliveries", func() bool {
		return strings.Count(readLog(t, dir), `msg="webhook applied"`) >= 2
	})

	if code := s.stop(t); code != 0 {
		t.Fatalf("serve exited with %d after cancel:\n%s", code, s.stderr)
	}
	log := readLog(t, dir)
	for _, want := range []string{`msg="webhook receiver listening"`, `msg="sync started"`, `msg="webhook received"`,
		`shop_name=Demo`, `msg="serve stopped"`} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %s:\n%s", want, log)
		}
	}
	if strings.Contains(log, "level=WARN") {
		t.Errorf("a healthy run logged warnings:\n%s", log)
	}
	whSecret, err := secrets.LoadWebhookSecret(keysFor(dir), sh.ID)
	if err != nil || whSecret == "" {
		t.Fatalf("webhook secret: %q %v", whSecret, err)
	}
	for name, secret := range map[string]string{"consumer key": woosim.DefaultKey, "consumer secret": woosim.DefaultSecret, "webhook secret": whSecret} {
		if strings.Contains(log, secret) || strings.Contains(s.stderr.String(), secret) {
			t.Errorf("the log contains the %s", name)
		}
	}

	// What serve stored outlives it.
	r = cmd(t, dir, nil, "", "orders", "--format", "json")
	var orders []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &orders); err != nil || len(orders) != 7 {
		t.Fatalf("orders after serve: %d, %v", len(orders), err)
	}
	r = cmd(t, dir, nil, "", "webhooks", "status", "--shop", "Demo", "--public-url", public)
	if r.code != 0 || !strings.Contains(r.stdout, "Health:         healthy") || strings.Contains(r.stdout, "Last delivery:  none yet") {
		t.Fatalf("webhooks status after deliveries: %+v", r)
	}
}

// TestServeStopsAtOnceAndWarns: with no shops, serve still runs; it warns
// about a missing public URL and a receiver open to the network over
// plain HTTP, and about neither when an HTTPS address fronts it.
func TestServeStopsAtOnceAndWarns(t *testing.T) {
	dir := t.TempDir()
	s := startServe(t, dir, nil, "--listen", "0.0.0.0:0")
	if code := s.stop(t); code != 0 {
		t.Fatalf("exit %d:\n%s", code, s.stderr)
	}
	out := s.stderr.String()
	for _, want := range []string{"no public URL", "reachable from other machines over plain HTTP", "no shops yet"} {
		if !strings.Contains(out, want) {
			t.Errorf("serve did not warn %q:\n%s", want, out)
		}
	}
	if !strings.Contains(readLog(t, dir), "no public URL") {
		t.Error("the warning is not in the log file")
	}

	s = startServe(t, dir, map[string]string{"SHOPLEDGER_PUBLIC_URL": "https://hooks.example.com/"}, "--listen", "0.0.0.0:0")
	if code := s.stop(t); code != 0 {
		t.Fatalf("exit %d:\n%s", code, s.stderr)
	}
	out = s.stderr.String()
	if strings.Contains(out, "no public URL") || strings.Contains(out, "plain HTTP") || !strings.Contains(out, "public_url=https://hooks.example.com\n") {
		t.Errorf("serve behind an HTTPS address:\n%s", out)
	}
}

func TestServeRefuses(t *testing.T) {
	dir := t.TempDir()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	cases := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stderr string
	}{
		{"port in use", nil, []string{"serve", "--listen", busy.Addr().String()}, 1, "cannot listen on " + busy.Addr().String()},
		{"log level", nil, []string{"serve", "--log-level", "loud"}, 2, "unknown --log-level"},
		{"public url flag", nil, []string{"serve", "--public-url", "hooks.example.com"}, 1, "--public-url \"hooks.example.com\" is not a web address"},
		{"public url env", map[string]string{"SHOPLEDGER_PUBLIC_URL": "https://x/?a=b"}, []string{"serve"}, 1, "$SHOPLEDGER_PUBLIC_URL"},
		{"stray argument", nil, []string{"serve", "now"}, 2, "unexpected argument"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := cmd(t, dir, c.env, "", c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.stderr) {
				t.Fatalf("exit %d, stderr %q; want exit %d containing %q", r.code, r.stderr, c.code, c.stderr)
			}
		})
	}

	// A second serve on the same books is told plainly.
	s := startServe(t, dir, nil, "--listen", "127.0.0.1:0")
	r := cmd(t, dir, nil, "", "serve", "--listen", "127.0.0.1:0")
	if r.code != 1 || !strings.Contains(r.stderr, "ShopLedger is already running") {
		t.Fatalf("second serve: %+v", r)
	}
	if code := s.stop(t); code != 0 {
		t.Fatalf("exit %d", code)
	}
}
