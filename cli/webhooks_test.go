package cli

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woosim"
)

// answerAll stands in for the internet between the simulated shop and a
// public webhook address: every ping and delivery gets 200.
type answerAll struct{}

func (answerAll) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		io.Copy(io.Discard, r.Body)
		r.Body.Close()
	}
	return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{}, Body: io.NopCloser(strings.NewReader("ok")), Request: r}, nil
}

const hooksURL = "https://hooks.example.com"

// shopWithWebhooks starts a simulated shop whose webhook traffic goes to
// answerAll, and adds it as "S" to a fresh data directory.
func shopWithWebhooks(t *testing.T, o woosim.Options, env map[string]string) (*woosim.Server, string) {
	t.Helper()
	o.WebhookTransport = answerAll{}
	srv, err := woosim.Start(o, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	if r := cmd(t, dir, env, "", "shop", "add", "--name", "S", "--url", srv.URL, "--warehouse", "W", "--cost-center", "C"); r.code != 0 {
		t.Fatalf("shop add: %+v", r)
	}
	return srv, dir
}

// webhookSecret reads shop "S"'s webhook secret from the keyring.
func webhookSecret(t *testing.T, dir string) string {
	t.Helper()
	b, err := books.Open(dir, keysFor(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sh, err := b.Store.ShopByName("S")
	if err != nil {
		t.Fatal(err)
	}
	s, err := secrets.LoadWebhookSecret(b.Secrets, sh.ID)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestWebhooksURLHidesTheSecret(t *testing.T) {
	_, dir := shopWithWebhooks(t, woosim.Options{Orders: 1, Seed: 2}, creds())

	r := cmd(t, dir, nil, "", "webhooks", "url", "--shop", "S")
	if r.code != 1 || !strings.Contains(r.stderr, "--public-url") {
		t.Fatalf("url without a public URL: %+v", r)
	}
	r = cmd(t, dir, nil, "", "webhooks", "url", "--shop", "S", "--public-url", hooksURL+"/")
	if r.code != 0 {
		t.Fatalf("url: %+v", r)
	}
	for _, want := range []string{"Delivery URL:  " + hooksURL + "/webhooks/", "(hidden; add --show-secret", "API version:   WP REST API Integration v3",
		"Order created", "(order.created)", "Order updated", "Order deleted", `"ShopLedger order.deleted"`, "Status:        Active"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("url output lacks %q:\n%s", want, r.stdout)
		}
	}
	secret := webhookSecret(t, dir)
	if strings.Contains(r.stdout+r.stderr, secret) {
		t.Fatal("url printed the webhook secret without --show-secret")
	}
	first := r.stdout

	r = cmd(t, dir, map[string]string{"SHOPLEDGER_PUBLIC_URL": hooksURL}, "", "webhooks", "url", "--shop", "S", "--show-secret")
	if r.code != 0 || !strings.Contains(r.stdout, "Secret:        "+secret+"\n") {
		t.Fatalf("url --show-secret: %+v", r)
	}
	if firstLine(r.stdout) != firstLine(first) {
		t.Errorf("the URL changed between runs:\n%s\n%s", first, r.stdout)
	}
	if r := cmd(t, dir, nil, "", "webhooks", "url", "--shop", "S", "--public-url", "ftp://x"); r.code != 1 || !strings.Contains(r.stderr, "not a web address") {
		t.Errorf("bad public URL: %+v", r)
	}
}

func firstLine(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }

func TestWebhooksRegisterAndStatus(t *testing.T) {
	srv, dir := shopWithWebhooks(t, woosim.Options{Orders: 3, Seed: 5}, creds())

	r := cmd(t, dir, nil, "", "webhooks", "status", "--shop", "S")
	if r.code != 0 || !strings.Contains(r.stdout, "Mode:           poll (polled every 1h0m0s)") ||
		!strings.Contains(r.stdout, "none of ShopLedger's") || !strings.Contains(r.stdout, "Health:         no webhooks") {
		t.Fatalf("status before register: %+v", r)
	}
	if r := cmd(t, dir, nil, "", "webhooks", "register", "--shop", "S"); r.code != 1 || !strings.Contains(r.stderr, "--public-url") {
		t.Fatalf("register without a public URL: %+v", r)
	}
	r = cmd(t, dir, nil, "", "webhooks", "register", "--shop", "S", "--public-url", hooksURL)
	if r.code != 0 || strings.Count(r.stdout, " created\n") != 3 {
		t.Fatalf("register: %+v", r)
	}
	hooks := srv.Sim.Webhooks()
	if len(hooks) != 3 {
		t.Fatalf("%d webhooks in the shop", len(hooks))
	}
	secret := webhookSecret(t, dir)
	for _, h := range hooks {
		if h.Secret != secret || h.Status != "active" || h.PendingDelivery {
			t.Errorf("webhook %+v", h)
		}
	}
	if strings.Contains(r.stdout+r.stderr, secret) {
		t.Fatal("register printed the webhook secret")
	}

	// Registering again reuses them; one WooCommerce disabled is switched
	// back on.
	if err := srv.Sim.SetWebhookStatus(hooks[0].ID, "disabled"); err != nil {
		t.Fatal(err)
	}
	r = cmd(t, dir, nil, "", "webhooks", "register", "--shop", "S", "--public-url", hooksURL)
	if r.code != 0 || strings.Count(r.stdout, "reused") != 3 || !strings.Contains(r.stdout, "switched back on") || len(srv.Sim.Webhooks()) != 3 {
		t.Fatalf("register again: %+v", r)
	}

	r = cmd(t, dir, nil, "", "webhooks", "status", "--shop", "S")
	for _, want := range []string{"Mode:           webhook (orders arrive by webhook; a catch-up sync every night at 02:00)",
		"Last delivery:  none yet", "order.created", "order.updated", "order.deleted", "active", hooksURL + "/webhooks/", "Health:         healthy"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("status lacks %q:\n%s", want, r.stdout)
		}
	}
	if r.code != 0 || strings.Contains(r.stdout, secret) {
		t.Fatalf("status: %+v", r)
	}

	// A webhook WooCommerce disabled: status switches it back on and says so.
	if err := srv.Sim.SetWebhookStatus(hooks[1].ID, "disabled"); err != nil {
		t.Fatal(err)
	}
	r = cmd(t, dir, nil, "", "webhooks", "status", "--shop", "S")
	if r.code != 0 || !strings.Contains(r.stdout, fmt.Sprintf("Switched back on: webhook #%d", hooks[1].ID)) {
		t.Fatalf("status with a disabled webhook: %+v", r)
	}
	for _, h := range srv.Sim.Webhooks() {
		if h.Status != "active" {
			t.Errorf("webhook %d is still %s", h.ID, h.Status)
		}
	}
	// The public address moved: status points at the stale webhooks.
	r = cmd(t, dir, nil, "", "webhooks", "status", "--shop", "S", "--public-url", "https://new.example.com")
	if r.code != 0 || strings.Count(r.stdout, "Problem: Webhooks ") != 1 || !strings.Contains(r.stdout, ", not to https://new.example.com/webhooks/") || !strings.Contains(r.stdout, "Health:         needs attention") {
		t.Fatalf("status after the address moved: %+v", r)
	}
}

func TestWebhooksRegisterReadOnlyKey(t *testing.T) {
	srv, dir := shopWithWebhooks(t, woosim.Options{Orders: 1, Seed: 2, ReadOnlyKey: "ck_readonly0000000000000000000000000000000", ReadOnlySecret: "cs_readonly0000000000000000000000000000000"},
		map[string]string{"SHOPLEDGER_CONSUMER_KEY": "ck_readonly0000000000000000000000000000000", "SHOPLEDGER_CONSUMER_SECRET": "cs_readonly0000000000000000000000000000000"})
	r := cmd(t, dir, nil, "", "webhooks", "register", "--shop", "S", "--public-url", hooksURL)
	if r.code != 1 || !strings.Contains(r.stderr, "shopledger: The shop's API key can only read") || !strings.Contains(r.stderr, "Read/Write") {
		t.Fatalf("register with a read-only key: %+v", r)
	}
	if strings.Contains(r.stderr+r.stdout, "cs_readonly") {
		t.Fatal("output contains the consumer secret")
	}
	if len(srv.Sim.Webhooks()) != 0 {
		t.Fatal("a read-only key made webhooks")
	}
}

func TestWebhooksUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"webhooks"}, {"webhooks", "frob"}, {"webhooks", "register"}, {"webhooks", "status"},
		{"webhooks", "url"}, {"shop", "remove"}} {
		if r := cmd(t, dir, nil, "", args...); r.code != 2 {
			t.Errorf("%v: exit %d, want 2 (%s)", args, r.code, r.stderr)
		}
	}
	if r := cmd(t, dir, nil, "", "webhooks", "status", "--shop", "nope"); r.code != 1 || !strings.Contains(r.stderr, `no shop named "nope"`) {
		t.Errorf("unknown shop: %+v", r)
	}
}

// countOrders opens the books after the commands are done and counts a
// shop's orders.
func countOrders(t *testing.T, dir string, id ledger.ShopID) int {
	t.Helper()
	b, err := books.Open(dir, keysFor(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	n, err := b.Store.CountOrders(store.OrderFilter{Shop: id})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func shopID(t *testing.T, dir, name string) ledger.ShopID {
	t.Helper()
	b, err := books.Open(dir, keysFor(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	sh, err := b.Store.ShopByName(name)
	if err != nil {
		t.Fatal(err)
	}
	return sh.ID
}

func TestShopRemove(t *testing.T) {
	srv, dir := shopWithWebhooks(t, woosim.Options{Orders: 10, Seed: 6}, creds())
	// The same simulated shop by another host name: a shop is added once.
	other := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	if r := cmd(t, dir, creds(), "", "shop", "add", "--name", "T", "--url", other, "--warehouse", "W", "--cost-center", "C"); r.code != 0 {
		t.Fatalf("shop add T: %+v", r)
	}
	if r := cmd(t, dir, nil, "", "sync"); r.code != 0 {
		t.Fatalf("sync: %+v", r)
	}
	for _, name := range []string{"S", "T"} {
		if r := cmd(t, dir, nil, "", "webhooks", "register", "--shop", name, "--public-url", hooksURL); r.code != 0 {
			t.Fatalf("register %s: %+v", name, r)
		}
	}
	if n := len(srv.Sim.Webhooks()); n != 6 {
		t.Fatalf("%d webhooks in the shop, want 6", n)
	}
	s, tt := shopID(t, dir, "S"), shopID(t, dir, "T")

	// Default: the orders stay; only S's webhooks go.
	r := cmd(t, dir, nil, "", "shop", "remove", "--shop", "S")
	if r.code != 0 || !strings.Contains(r.stdout, "removed ShopLedger's webhooks") || !strings.Contains(r.stdout, "its 10 orders stay in the books") {
		t.Fatalf("remove S: %+v", r)
	}
	left := srv.Sim.Webhooks()
	if len(left) != 3 {
		t.Fatalf("%d webhooks left, want T's 3", len(left))
	}
	if n := countOrders(t, dir, s); n != 10 {
		t.Errorf("S's orders after remove: %d, want 10", n)
	}
	if _, err := secrets.LoadShop(keysFor(dir), s); err == nil {
		t.Error("S's keys are still in the keyring")
	}

	// --delete-orders, with the shop gone offline: the webhooks cannot be
	// removed, which is said, and the shop goes anyway.
	srv.Close()
	r = cmd(t, dir, nil, "", "shop", "remove", "--shop", "T", "--delete-orders")
	if r.code != 0 || !strings.Contains(r.stderr, "warning: ShopLedger's webhooks could not be removed from T") ||
		!strings.Contains(r.stdout, `removed shop "T" and its 10 orders`) {
		t.Fatalf("remove T: %+v", r)
	}
	if n := countOrders(t, dir, tt); n != 0 {
		t.Errorf("T's orders after remove --delete-orders: %d", n)
	}
	if r := cmd(t, dir, nil, "", "shop", "list"); !strings.Contains(r.stdout, "no shops yet") {
		t.Errorf("shop list after removing both: %s", r.stdout)
	}
}
