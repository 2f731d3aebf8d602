package webhook

import (
	"bufio"
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
)

// realSecret is the secret the captured deliveries were signed with.
const realSecret = "realwoo-webhook-secret"

const samples = "../woo/testdata/samples/"

// fakeKeys is an in-memory keyring that can be made unavailable.
type fakeKeys struct {
	mu    sync.Mutex
	m     map[string]string
	fail  error // every call fails with it when set
	reads int
}

func newFakeKeys() *fakeKeys { return &fakeKeys{m: map[string]string{}} }

func (k *fakeKeys) Get(account string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.reads++
	if k.fail != nil {
		return "", k.fail
	}
	v, ok := k.m[account]
	if !ok {
		return "", secrets.ErrNotFound
	}
	return v, nil
}

func (k *fakeKeys) Set(account, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.fail != nil {
		return k.fail
	}
	k.m[account] = secret
	return nil
}

func (k *fakeKeys) Delete(account string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, account)
	return nil
}

func (k *fakeKeys) setFail(err error) {
	k.mu.Lock()
	k.fail = err
	k.mu.Unlock()
}

func (k *fakeKeys) readCount() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.reads
}

// fixture is a store with one shop (warehouse and cost center set, webhook
// secret realSecret), a receiver and a bus subscription.
type fixture struct {
	t    testing.TB
	st   *store.Store
	keys *fakeKeys
	bus  *events.Bus
	sub  *events.Subscription
	r    *Receiver
	shop ledger.Shop
	// stop ends the receiver's Serve and waits for it (set by start).
	stop func()
}

// newFixture returns a fixture whose receiver serves on a loopback port
// until the test ends, idle after its start-up sweep.
func newFixture(t testing.TB, cfg Config) *fixture {
	t.Helper()
	f := newStoppedFixture(t, cfg)
	f.start()
	return f
}

// newStoppedFixture is newFixture with the receiver not served yet.
func newStoppedFixture(t testing.TB, cfg Config) *fixture {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "shopledger.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{t: t, st: st, keys: newFakeKeys(), bus: events.NewBus()}
	w, err := st.CreateWarehouse(ledger.Warehouse{Code: "MAIN", Name: "Main"})
	if err != nil {
		t.Fatal(err)
	}
	cc, err := st.CreateCostCenter(ledger.CostCenter{Code: "WEB", Name: "Web shop"})
	if err != nil {
		t.Fatal(err)
	}
	f.shop = f.addShop("Demo", w.ID, cc.ID)
	f.sub = f.bus.Subscribe()
	t.Cleanup(f.sub.Close)
	f.r = New(st, f.keys, f.bus, cfg)
	return f
}

// start serves f.r on a loopback port until stop or the end of the test,
// and waits until it listens and is idle.
func (f *fixture) start() {
	f.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		f.t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- f.r.ServeListener(ctx, ln) }()
	var once sync.Once
	f.stop = func() {
		once.Do(func() {
			cancel()
			if err := <-served; err != nil {
				f.t.Errorf("ServeListener: %v", err)
			}
		})
	}
	f.t.Cleanup(f.stop)
	select {
	case <-f.r.Ready():
	case err := <-served:
		f.t.Fatalf("ServeListener: %v", err)
	}
	f.wait()
}

// addShop creates a shop with a webhook token and realSecret.
func (f *fixture) addShop(name string, w ledger.WarehouseID, cc ledger.CostCenterID) ledger.Shop {
	f.t.Helper()
	sh, err := f.st.CreateShop(ledger.Shop{Name: name, URL: "http://127.0.0.1:8080", Warehouse: w, CostCenter: cc,
		SyncMode: ledger.SyncWebhook})
	if err != nil {
		f.t.Fatal(err)
	}
	if _, err := EnsureToken(f.st, sh.ID); err != nil {
		f.t.Fatal(err)
	}
	if err := secrets.SaveWebhookSecret(f.keys, sh.ID, realSecret); err != nil {
		f.t.Fatal(err)
	}
	if sh, err = f.st.Shop(sh.ID); err != nil {
		f.t.Fatal(err)
	}
	return sh
}

func (f *fixture) path() string { return PathPrefix + f.shop.WebhookToken }

// serve sends req through the handler and returns the response.
func (f *fixture) serve(req *http.Request) *http.Response {
	rec := httptest.NewRecorder()
	f.r.ServeHTTP(rec, req)
	return rec.Result()
}

func (f *fixture) wait() {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := f.r.WaitIdle(ctx); err != nil {
		f.t.Fatalf("receiver not idle: %v", err)
	}
}

func (f *fixture) deliveries() []ledger.Delivery {
	f.t.Helper()
	ds, err := f.st.Deliveries(f.shop.ID, "", 1000, 0)
	if err != nil {
		f.t.Fatal(err)
	}
	return ds
}

// events drains the events published so far.
func (f *fixture) events() []events.Event {
	var out []events.Event
	for {
		select {
		case e := <-f.sub.C:
			out = append(out, e)
		default:
			return out
		}
	}
}

func sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// delivery builds a signed delivery request as WooCommerce sends it.
func delivery(path, topic, deliveryID string, body []byte) *http.Request {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	h := req.Header
	h.Set("User-Agent", "WooCommerce/7.9.0 Hookshot (WordPress/6.3)")
	h.Set("Content-Type", "application/json")
	h["X-WC-Webhook-Source"] = []string{"http://127.0.0.1:8080/"}
	h["X-WC-Webhook-Topic"] = []string{topic}
	resource, event, _ := bytes.Cut([]byte(topic), []byte("."))
	h["X-WC-Webhook-Resource"] = []string{string(resource)}
	h["X-WC-Webhook-Event"] = []string{string(event)}
	h["X-WC-Webhook-Signature"] = []string{sign(realSecret, body)}
	h["X-WC-Webhook-ID"] = []string{"3"}
	h["X-WC-Webhook-Delivery-ID"] = []string{deliveryID}
	return req
}

// readCaptured parses a raw HTTP request captured from a real WooCommerce
// and points it at path.
func readCaptured(t testing.TB, name, path string) *http.Request {
	t.Helper()
	raw, err := os.ReadFile(samples + name)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.URL.Path, req.RequestURI = path, path
	return req
}

// sampleBody is the captured order.created body.
func sampleBody(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile(samples + "webhook-order.created.body")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// orderBody is the captured order with another id, status and modification
// time: what WooCommerce would send for that order.
func orderBody(t testing.TB, id int64, status string, modified time.Time) []byte {
	t.Helper()
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(sampleBody(t)))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	m["id"], m["number"], m["status"] = id, strconv.FormatInt(id, 10), status
	mod := modified.UTC().Format("2006-01-02T15:04:05")
	m["date_modified"], m["date_modified_gmt"] = mod, mod
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func legacyBody(id int64, status string, modified time.Time) []byte {
	return fmt.Appendf(nil, `{"order":{"id":%d,"order_number":"%d","created_at":"2026-11-27T11:18:31Z","updated_at":%q,`+
		`"status":%q,"currency":"EUR","total":"12.50","subtotal":"10.00","total_line_items_quantity":1,"total_tax":"2.50",`+
		`"total_shipping":"0.00","line_items":[{"id":1,"subtotal":"10.00","total":"10.00","total_tax":"2.50","price":"10.00",`+
		`"quantity":1,"name":"Mug","product_id":10,"sku":"MUG"}],"billing_address":{"first_name":"Ivan","last_name":"Petrov"}}}`,
		id, id, modified.UTC().Format(time.RFC3339), status)
}
