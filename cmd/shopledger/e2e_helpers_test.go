package main

// Helpers for the end-to-end tests that drive the real binaries: building
// them once, running woosim as a process, running CLI commands, and looking
// into a data directory after the app has exited.

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

var (
	binOnce sync.Once
	binDir  string
	binErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// binaries are the real shopledger and woosim executables.
type binaries struct{ shopledger, woosim string }

// buildBinaries compiles shopledger and woosim once per test run, without
// -race even when the tests run with it: the end-to-end tests time and kill
// these processes, and the race detector would make them several times
// slower without checking anything these tests are about.
func buildBinaries(t *testing.T) binaries {
	t.Helper()
	exe := ""
	if runtime.GOOS == "windows" {
		exe = ".exe"
	}
	b := binaries{}
	binOnce.Do(func() {
		if binDir, binErr = os.MkdirTemp("", "shopledger-e2e-bin-"); binErr != nil {
			return
		}
		for _, p := range []struct{ name, pkg string }{{"shopledger", "."}, {"woosim", "../woosim"}} {
			out, err := exec.Command("go", "build", "-o", filepath.Join(binDir, p.name+exe), p.pkg).CombinedOutput()
			if err != nil {
				binErr = fmt.Errorf("go build %s: %v\n%s", p.pkg, err, out)
				return
			}
		}
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	b.shopledger, b.woosim = filepath.Join(binDir, "shopledger"+exe), filepath.Join(binDir, "woosim"+exe)
	return b
}

// requireE2E skips unless SHOPLEDGER_E2E is set (make test sets it).
func requireE2E(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("-short: skipping the end-to-end test of the real binaries")
	}
	if os.Getenv("SHOPLEDGER_E2E") == "" {
		t.Skip("SHOPLEDGER_E2E not set: run through `make test`, which builds a throwaway desktop with a keyring")
	}
}

// requireKeyring skips unless a throwaway Secret Service is there. The
// tests store credentials for shop ids 1, 2, … under the real service name,
// so a developer's own keyring must never be used: only the one `make test`
// starts, which it announces with SHOPLEDGER_KEYRING_TEST.
func requireKeyring(t *testing.T) {
	t.Helper()
	if os.Getenv("SHOPLEDGER_KEYRING_TEST") == "" {
		t.Skip("SHOPLEDGER_KEYRING_TEST not set: these tests write ShopLedger credentials into the keyring, " +
			"which is only safe in the throwaway gnome-keyring of `make test`")
	}
	k := secrets.NewKeyring()
	if err := k.Set("e2e-probe", "probe"); err != nil {
		t.Skipf("no usable keyring, skipping: %v", err)
	}
	k.Delete("e2e-probe")
}

// forgetShops removes the keyring entries of the given shops when the test
// ends, so that tests running one after another in the same keyring never
// see each other's credentials.
func forgetShops(t *testing.T, ids ...ledger.ShopID) {
	t.Cleanup(func() {
		for _, id := range ids {
			secrets.DeleteShop(secrets.NewKeyring(), id)
		}
	})
}

// randomToken returns n random bytes as hex.
func randomToken(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// lineBuffer collects a process's output and tells when a line arrived.
type lineBuffer struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	lines chan string
	part  []byte
	// stamps, when not nil, gets each complete line with its arrival time.
	stamps func(line string, at time.Time)
}

func (b *lineBuffer) Write(p []byte) (int, error) {
	now := time.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	b.part = append(b.part, p...)
	for {
		i := bytes.IndexByte(b.part, '\n')
		if i < 0 {
			break
		}
		line := string(b.part[:i])
		b.part = b.part[i+1:]
		if b.stamps != nil {
			b.stamps(line, now)
		}
		if b.lines != nil {
			select {
			case b.lines <- line:
			default:
			}
		}
	}
	return len(p), nil
}

func (b *lineBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// simProc is cmd/woosim running as its own process.
type simProc struct {
	URL, CertSHA256 string
	Line            string // the line it printed at start
	cmd             *exec.Cmd
	stdout, stderr  *lineBuffer
	stopOnce        sync.Once
}

// startWoosim starts the woosim binary on a free loopback port and waits
// for its start line. It is stopped when the test ends.
func startWoosim(t *testing.T, bin string, args ...string) *simProc {
	t.Helper()
	p := &simProc{stdout: &lineBuffer{lines: make(chan string, 1)}, stderr: &lineBuffer{}}
	p.cmd = exec.Command(bin, append([]string{"-listen", "127.0.0.1:0"}, args...)...)
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Stop)
	exited := make(chan struct{})
	go func() { p.cmd.Process.Wait(); close(exited) }() // only to notice an early exit
	select {
	case p.Line = <-p.stdout.lines:
	case <-exited:
		t.Fatalf("woosim exited at start: %s", p.stderr)
	case <-time.After(90 * time.Second): // a hang, not a timing check
		t.Fatalf("woosim printed no start line: %s", p.stderr)
	}
	for _, f := range strings.Fields(p.Line) {
		switch {
		case strings.HasPrefix(f, "http://") || strings.HasPrefix(f, "https://"):
			p.URL = f
		case strings.HasPrefix(f, "cert-sha256="):
			p.CertSHA256 = strings.TrimPrefix(f, "cert-sha256=")
		}
	}
	if p.URL == "" {
		t.Fatalf("no URL in woosim's start line %q", p.Line)
	}
	return p
}

// Stop ends woosim (SIGINT, then SIGKILL after 10 s); it may be called
// more than once.
func (p *simProc) Stop() {
	p.stopOnce.Do(func() {
		// The early-exit watcher above reaps the process; signalling a
		// process that has exited just fails.
		if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
			return
		}
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if err := p.cmd.Process.Signal(syscall0); err != nil {
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
		p.cmd.Process.Kill()
	})
}

// admin calls one of woosim's /__woosim/ endpoints and decodes its answer.
func (p *simProc) admin(t *testing.T, method, path string, body, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, p.URL+"/__woosim/"+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := adminClient.Do(req)
	if err != nil {
		t.Fatalf("woosim %s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("woosim %s %s: %d %v %s", method, path, resp.StatusCode, err, data)
	}
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("woosim %s %s: %v", method, path, err)
		}
	}
}

// adminClient trusts woosim's self-signed certificate: the admin endpoints
// are the test's own back door, not the app's connection.
var adminClient = &http.Client{Timeout: time.Minute, Transport: insecureTransport()}

func insecureTransport() *http.Transport {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{InsecureSkipVerify: true}
	return tr
}

// syscall0 is the null signal: it only asks whether the process is there.
var syscall0 = syscall.Signal(0)

// Snapshot is every order in the shop (GET /__woosim/orders).
func (p *simProc) Snapshot(t *testing.T) []woosim.OrderSummary {
	t.Helper()
	var out []woosim.OrderSummary
	p.admin(t, http.MethodGet, "orders", nil, &out)
	return out
}

// SetStatus changes an order's status as the shop admin would.
func (p *simProc) SetStatus(t *testing.T, id int64, status string) {
	t.Helper()
	p.admin(t, http.MethodPost, fmt.Sprintf("orders/%d/status", id), map[string]string{"status": status}, nil)
}

// AddOrders adds n new orders and returns their ids.
func (p *simProc) AddOrders(t *testing.T, n int) []int64 {
	t.Helper()
	var out struct {
		IDs []int64 `json:"ids"`
	}
	p.admin(t, http.MethodPost, fmt.Sprintf("orders?n=%d", n), nil, &out)
	return out.IDs
}

// cliRun is one finished run of the shopledger binary.
type cliRun struct {
	args           []string
	code           int
	stdout, stderr string
	took           time.Duration
}

func (r cliRun) String() string {
	return fmt.Sprintf("shopledger %s: exit %d after %s\n--- stdout:\n%s--- stderr:\n%s",
		strings.Join(r.args, " "), r.code, r.took.Round(time.Millisecond), r.stdout, r.stderr)
}

// cliEnv is the test process's environment without any SHOPLEDGER_ variable
// (the data dir comes from --data-dir, credentials only where a test passes
// them) plus extra.
func cliEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "SHOPLEDGER_") {
			continue
		}
		overridden := false
		for _, e := range extra {
			if ek, _, _ := strings.Cut(e, "="); ek == k {
				overridden = true
			}
		}
		if !overridden {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// runCLI runs the shopledger binary to the end with cliEnv(extra...) and
// empty standard input.
func runCLI(t *testing.T, bin string, extra []string, args ...string) cliRun {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute) // a hang, not a timing check
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = cliEnv(extra...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	start := time.Now()
	err := cmd.Run()
	r := cliRun{args: args, stdout: out.String(), stderr: errOut.String(), took: time.Since(start)}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		t.Fatalf("shopledger %s: %v", strings.Join(args, " "), err)
	}
	if ctx.Err() != nil {
		t.Fatalf("shopledger %s hangs:\n%s", strings.Join(args, " "), r)
	}
	return r
}

// openCopy opens a copy of the database file through the store API. It is
// for looking into the books after the app has exited: store.Open has no
// read-only mode (it may migrate), and working on a copy guarantees that
// the inspection neither changes nor repairs the file the app uses next.
func openCopy(t *testing.T, dbPath string) *store.Store {
	t.Helper()
	cp := filepath.Join(t.TempDir(), filepath.Base(dbPath))
	if err := copyFile(dbPath, cp); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(cp)
	if err != nil {
		t.Fatalf("open a copy of %s: %v", dbPath, err)
	}
	t.Cleanup(func() { st.Close(); os.Remove(cp) })
	return st
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// checkBolt opens the database file read-only with bbolt itself and runs
// bbolt's consistency check (page reachability, freelist, key order).
func checkBolt(t *testing.T, dbPath string) {
	t.Helper()
	db, err := bbolt.Open(dbPath, 0o600, &bbolt.Options{ReadOnly: true, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatalf("bbolt open %s read-only: %v", dbPath, err)
	}
	defer db.Close()
	var problems []error
	err = db.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			problems = append(problems, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range problems {
		if i == 20 {
			t.Errorf("… and %d more", len(problems)-20)
			break
		}
		t.Errorf("bbolt check: %v", p)
	}
}

// shopID finds a shop's id by name in a copy of the database.
func shopID(t *testing.T, dbPath, name string) ledger.ShopID {
	t.Helper()
	sh, err := openCopy(t, dbPath).ShopByName(name)
	if err != nil {
		t.Fatalf("shop %q: %v", name, err)
	}
	return sh.ID
}
