package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

type run struct {
	code           int
	stdout, stderr string
}

// cmd runs one command against dataDir with the given environment and stdin.
func cmd(t *testing.T, dataDir string, env map[string]string, stdin string, args ...string) run {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &Env{
		Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Secrets: keysFor(dataDir),
		Getenv: func(k string) string {
			if k == "SHOPLEDGER_DATA_DIR" {
				return dataDir
			}
			return env[k]
		},
	}
	t.Setenv("SHOPLEDGER_DATA_DIR", dataDir)
	code := Run(context.Background(), e, args)
	return run{code, out.String(), errOut.String()}
}

// keys holds one in-memory keyring per data directory: every test has its
// own temp dir, so no test sees another's secrets, and the commands of one
// test share them as they would share the OS keyring.
var keys sync.Map // data dir -> *secrets.Memory

func keysFor(dataDir string) *secrets.Memory {
	k, _ := keys.LoadOrStore(dataDir, secrets.NewMemory())
	return k.(*secrets.Memory)
}

func creds() map[string]string {
	return map[string]string{"SHOPLEDGER_CONSUMER_KEY": woosim.DefaultKey, "SHOPLEDGER_CONSUMER_SECRET": woosim.DefaultSecret}
}

func TestShopAddSyncOrders(t *testing.T) {
	srv, err := woosim.Start(woosim.Options{Orders: 120, Seed: 3}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()

	r := cmd(t, dir, creds(), "", "shop", "add", "--name", "Demo shop", "--url", srv.URL, "--warehouse", "MAIN", "--cost-center", "WEB")
	if r.code != 0 || !strings.Contains(r.stdout, `added shop "Demo shop"`) {
		t.Fatalf("shop add: %+v", r)
	}
	r = cmd(t, dir, nil, "", "sync", "--shop", "demo shop")
	if r.code != 0 || !strings.Contains(r.stdout, "120 new") {
		t.Fatalf("sync: %+v", r)
	}
	r = cmd(t, dir, nil, "", "shop", "list")
	if r.code != 0 || !strings.Contains(r.stdout, "Demo shop") || !strings.Contains(r.stdout, "120") {
		t.Fatalf("shop list: %+v", r)
	}

	r = cmd(t, dir, nil, "", "orders", "--format", "json")
	var orders []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &orders); err != nil || r.code != 0 {
		t.Fatalf("orders json: %v %+v", err, r.stderr)
	}
	if len(orders) != 120 {
		t.Fatalf("orders json has %d orders, want 120", len(orders))
	}
	for _, field := range []string{"shop", "id", "number", "status", "currency", "total", "date_created_gmt", "date_modified_gmt", "warehouse", "cost_center", "line_items"} {
		if _, ok := orders[0][field]; !ok {
			t.Errorf("order JSON lacks %q", field)
		}
	}
	if orders[0]["shop"] != "Demo shop" || orders[0]["warehouse"] != "MAIN" || orders[0]["cost_center"] != "WEB" {
		t.Errorf("order JSON names: %v %v %v", orders[0]["shop"], orders[0]["warehouse"], orders[0]["cost_center"])
	}
	line := orders[0]["line_items"].([]any)[0].(map[string]any)
	for _, field := range []string{"sku", "quantity", "total"} {
		if _, ok := line[field]; !ok {
			t.Errorf("line item JSON lacks %q", field)
		}
	}
	snap := srv.Sim.Snapshot()
	newest := orders[0]
	found := false
	for _, o := range snap {
		if float64(o.ID) == newest["id"].(float64) {
			found = o.Total == newest["total"] && o.Status == newest["status"]
		}
	}
	if !found {
		t.Errorf("first JSON order %v does not match the shop", newest["id"])
	}

	status := snap[0].Status
	r = cmd(t, dir, nil, "", "orders", "--format", "csv", "--status", status)
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil || r.code != 0 {
		t.Fatalf("orders csv: %v %+v", err, r)
	}
	want := 0
	for _, o := range snap {
		if o.Status == status {
			want++
		}
	}
	if len(rows)-1 != want || rows[0][0] != "shop" {
		t.Errorf("csv with status %s has %d rows, want header + %d", status, len(rows), want)
	}
}

func TestShopAddCredentialsFromStdin(t *testing.T) {
	srv, err := woosim.Start(woosim.Options{Orders: 3, Seed: 1}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	r := cmd(t, t.TempDir(), nil, woosim.DefaultKey+"\n"+woosim.DefaultSecret+"\n",
		"shop", "add", "--name", "S", "--url", srv.URL, "--warehouse", "W", "--cost-center", "C")
	if r.code != 0 {
		t.Fatalf("shop add with stdin credentials: %+v", r)
	}
}

func TestShopAddRejects(t *testing.T) {
	srv, err := woosim.Start(woosim.Options{Orders: 3, Seed: 1}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	cases := []struct {
		name   string
		env    map[string]string
		args   []string
		code   int
		stderr string
	}{
		{"missing flags", creds(), []string{"shop", "add", "--name", "S"}, 2, "missing --cost-center, --url, --warehouse"},
		{"no credentials", nil, []string{"shop", "add", "--name", "S", "--url", srv.URL, "--warehouse", "W", "--cost-center", "C"}, 1, "no consumer key and secret"},
		{"wrong secret", map[string]string{"SHOPLEDGER_CONSUMER_KEY": woosim.DefaultKey, "SHOPLEDGER_CONSUMER_SECRET": "cs_wrong"},
			[]string{"shop", "add", "--name", "S", "--url", srv.URL, "--warehouse", "W", "--cost-center", "C"}, 1, "consumer secret does not match"},
		{"unreachable", creds(), []string{"shop", "add", "--name", "S", "--url", "http://127.0.0.1:1", "--warehouse", "W", "--cost-center", "C"}, 1, "could not be reached"},
		{"bad url", creds(), []string{"shop", "add", "--name", "S", "--url", "ftp://x", "--warehouse", "W", "--cost-center", "C"}, 1, "https://"},
		{"unknown command", nil, []string{"shop", "frobnicate"}, 2, "usage: shopledger shop add|keys|list"},
		{"bad format", nil, []string{"orders", "--format", "xml"}, 2, "unknown --format"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := cmd(t, dir, c.env, "", c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.stderr) {
				t.Fatalf("exit %d, stderr %q; want exit %d containing %q", r.code, r.stderr, c.code, c.stderr)
			}
			if strings.Contains(r.stderr+r.stdout, "cs_wrong") || strings.Contains(r.stderr+r.stdout, woosim.DefaultSecret) {
				t.Fatal("output contains the consumer secret")
			}
		})
	}
	r := cmd(t, dir, nil, "", "shop", "list")
	if !strings.Contains(r.stdout, "no shops yet") {
		t.Errorf("failed adds left a shop behind: %s", r.stdout)
	}
}

func TestExportCommand(t *testing.T) {
	srv, err := woosim.Start(woosim.Options{Orders: 40, Seed: 8}, false)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	dir := t.TempDir()
	if r := cmd(t, dir, creds(), "", "shop", "add", "--name", "S", "--url", srv.URL, "--warehouse", "W", "--cost-center", "C"); r.code != 0 {
		t.Fatal(r)
	}
	if r := cmd(t, dir, nil, "", "sync"); r.code != 0 {
		t.Fatal(r)
	}
	xlsx := dir + "/out.xlsx"
	r := cmd(t, dir, nil, "", "export", "-o", xlsx)
	if r.code != 0 || !strings.Contains(r.stdout, "exported 40 orders") {
		t.Fatalf("export xlsx: %+v", r)
	}
	r = cmd(t, dir, nil, "", "export", "--format", "csv", "--sheet", "lines", "--delimiter", ";", "--bom", "-o", "-")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "\ufeffShop;Warehouse") {
		t.Fatalf("export csv: %+v", r.stdout[:min(80, len(r.stdout))])
	}
	if !strings.Contains(r.stdout, "\n\nTotal;") {
		t.Errorf("export csv ends without a totals row: %q", r.stdout[max(0, len(r.stdout)-200):])
	}
	r = cmd(t, dir, nil, "", "export", "--format", "csv", "--totals=false", "-o", "-")
	if r.code != 0 || strings.Contains(r.stdout, "\nTotal,") {
		t.Errorf("export csv --totals=false: %+v", r.stdout[max(0, len(r.stdout)-200):])
	}
	r = cmd(t, dir, nil, "", "export", "--from", "2999-01-01", "-o", dir+"/none.csv")
	if r.code != 0 || !strings.Contains(r.stdout, "exported 0 orders") {
		t.Fatalf("export from the future: %+v", r)
	}
	for _, bad := range [][]string{{"export"}, {"export", "-o", "x.pdf"}, {"export", "--format", "xlsx", "-o", "-"}} {
		if r := cmd(t, dir, nil, "", bad...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2", bad, r.code)
		}
	}
	if r := cmd(t, dir, nil, "", "export", "--from", "27.11.2026", "-o", dir+"/x.csv"); r.code != 1 || !strings.Contains(r.stderr, "YYYY-MM-DD") {
		t.Errorf("bad date: %+v", r)
	}
}
