package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
)

// TestWithoutKeyring is docs/ARCHITECTURE.md's "where no keyring answers,
// the app says so plainly and what to do about it; it never falls back to
// plaintext", on the real binary: books made with the keyring (one shop,
// synced) are then used with no Secret Service at all (the session bus
// address points at a socket that does not exist).
//   - `shop add` fails, saying what to install or unlock, and keeps no shop;
//   - `orders` and `shop list` still work and show what the books hold, and
//     the window still opens them;
//   - `sync` and `shop test` report the keyring's message for the shop;
//   - nothing of the new credentials lands in the data directory, which
//     holds nothing but the database (and log files).
//
// With the keyring back, the same books sync again.
func TestWithoutKeyring(t *testing.T) {
	requireE2E(t)
	requireKeyring(t)
	began := time.Now()
	bins := buildBinaries(t)
	key, secret := "ck_canary_"+randomToken(16), "cs_canary_"+randomToken(16)
	newKey, newSecret := "ck_canary_new_"+randomToken(16), "cs_canary_new_"+randomToken(16)
	// The new shop's keys are woosim's second (read-only) key, so that its
	// connection check passes and the keyring is what stops it.
	sim := startWoosim(t, bins.woosim, "-orders", "60", "-seed", "21", "-key", key, "-secret", secret,
		"-readonly-key", newKey, "-readonly-secret", newSecret)
	dir := t.TempDir()
	dbPath := filepath.Join(dir, books.DBFile)
	cli := func(extra []string, args ...string) cliRun {
		t.Helper()
		return runCLI(t, bins.shopledger, extra, append(args, "--data-dir", dir)...)
	}

	// With the keyring: a shop, synced.
	if r := cli([]string{"SHOPLEDGER_CONSUMER_KEY=" + key, "SHOPLEDGER_CONSUMER_SECRET=" + secret},
		"shop", "add", "--name", "Kept shop", "--url", sim.URL, "--warehouse", "MAIN", "--cost-center", "WEB"); r.code != 0 {
		t.Fatalf("shop add with the keyring:\n%s", r)
	}
	forgetShops(t, shopID(t, dbPath, "Kept shop"))
	if r := cli(nil, "sync"); r.code != 0 {
		t.Fatalf("sync with the keyring:\n%s", r)
	}

	// Without: the bus address leads nowhere.
	noBus := "DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(t.TempDir(), "no-such-bus")
	const plainMessage = "The system keyring is not available. Install and unlock a Secret Service keyring"

	// The same simulated shop by another name: a shop is added once.
	otherHost := strings.Replace(sim.URL, "127.0.0.1", "localhost", 1)
	r := cli([]string{noBus, "SHOPLEDGER_CONSUMER_KEY=" + newKey, "SHOPLEDGER_CONSUMER_SECRET=" + newSecret},
		"shop", "add", "--name", "New shop", "--url", otherHost, "--warehouse", "MAIN", "--cost-center", "WEB")
	if first, _, _ := strings.Cut(r.stderr, "\n"); r.code != 1 || !strings.HasPrefix(first, "shopledger: "+plainMessage) ||
		!strings.Contains(first, "gnome-keyring") {
		t.Errorf("shop add without a keyring: want exit 1 and a first line that says what to install or unlock:\n%s", r)
	}
	t.Logf("shop add without a keyring said: %s", strings.TrimSpace(r.stderr))
	if r.took > 10*time.Second { // a keyring call has a 3 s timeout; a hang is a bug, not slowness
		t.Errorf("shop add without a keyring took %s", r.took)
	}

	r = cli([]string{noBus}, "shop", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "Kept shop") || strings.Contains(r.stdout, "New shop") {
		t.Errorf("shop list without a keyring: want Kept shop only:\n%s", r)
	}
	if shops, err := openCopy(t, dbPath).Shops(); err != nil || len(shops) != 1 {
		t.Errorf("after the failed shop add the books have shops %+v, %v; want only Kept shop", shops, err)
	}

	r = cli([]string{noBus}, "orders", "--format", "json")
	var orders []struct {
		Shop string `json:"shop"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &orders); r.code != 0 || err != nil || len(orders) != 60 || orders[0].Shop != "Kept shop" {
		t.Errorf("orders without a keyring: want the 60 orders of Kept shop (%v):\n%s", err, r)
	}

	r = cli([]string{noBus}, "sync")
	if r.code != 1 || !strings.Contains(r.stderr, "Kept shop: "+plainMessage) {
		t.Errorf("sync without a keyring: want the keyring's message for the shop:\n%s", r)
	}
	t.Logf("sync without a keyring said: %s", strings.TrimSpace(r.stderr))
	r = cli([]string{noBus}, "shop", "test", "--shop", "Kept shop")
	if r.code != 1 || !strings.Contains(r.stderr, plainMessage) {
		t.Errorf("shop test without a keyring: want the keyring's message:\n%s", r)
	}
	r = cli([]string{noBus}, "shop", "list")
	if !strings.Contains(r.stdout, "the system keyring is not") {
		t.Errorf("shop list does not show the keyring problem as the last error:\n%s", r)
	}

	windowOpensBooks(t, bins.shopledger, dir, noBus)

	// No plaintext fallback: only the database (its backups, logs) in the data
	// directory, and no trace of the credentials in any of it, compressed
	// or not.
	needles := map[string]string{
		"the new shop's key":     newKey[len("ck_canary_new_"):],
		"the new shop's secret":  newSecret[len("cs_canary_new_"):],
		"the kept shop's key":    key[len("ck_canary_"):],
		"the kept shop's secret": secret[len("cs_canary_"):],
	}
	found := func(where, text string) {
		t.Helper()
		for what, n := range needles {
			if strings.Contains(text, n) {
				t.Errorf("%s contains %s", where, what)
			}
		}
	}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		backup := filepath.Dir(rel) == "backups" && strings.HasSuffix(rel, ".db")
		if rel != books.DBFile && !backup && !strings.HasSuffix(rel, ".log") && !strings.Contains(rel, ".log.") {
			t.Errorf("the data directory holds %s: only the database, its daily backups and logs belong there", rel)
		}
		if backup {
			grepBolt(t, path, found) // a backup is the books again, compressed values and all
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		found("the data directory's file "+rel, string(data))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	grepBolt(t, dbPath, found)

	// The keyring is back: the same books sync again.
	if r := cli(nil, "sync"); r.code != 0 {
		t.Errorf("sync with the keyring back:\n%s", r)
	}
	t.Logf("took %s", time.Since(began).Round(time.Millisecond))
}

// windowOpensBooks starts the window (when there is a display) with the
// given environment and checks that it opens the books: after a few
// seconds it is still running and holds the database, so that a command
// is told ShopLedger is already running. (When the books cannot be opened,
// the window shows the error instead and holds nothing.)
func windowOpensBooks(t *testing.T, bin, dir string, extra ...string) {
	t.Helper()
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		t.Log("no display: the window is not tried")
		return
	}
	cmd := exec.Command(bin, "--data-dir", dir)
	cmd.Env = cliEnv(extra...)
	out := &lineBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	}()
	deadline := time.Now().Add(30 * time.Second) // how long a slow machine may take to open the window
	for {
		select {
		case <-done:
			t.Errorf("the window exited without a keyring: %v\n%s", cmd.ProcessState, out)
			return
		case <-time.After(500 * time.Millisecond):
		}
		r := runCLI(t, bin, extra, "shop", "list", "--data-dir", dir)
		if r.code != 0 && strings.Contains(r.stderr, "ShopLedger is already running") {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("the window did not open the books within 30 s; its output:\n%s", out)
			return
		}
	}
	time.Sleep(2 * time.Second) // let its first sync run into the keyring
	select {
	case <-done:
		t.Errorf("the window exited after opening the books without a keyring: %v\n%s", cmd.ProcessState, out)
	default:
		if s := out.String(); strings.Contains(s, "panic:") || strings.Contains(s, "fatal error:") {
			t.Errorf("the window crashed:\n%s", s)
		}
		t.Logf("the window opened the books without a keyring%s", strings.TrimSuffix(fmt.Sprintf("; it said: %s", strings.TrimSpace(out.String())), "; it said: "))
	}
}
