package woo

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// sampleShop serves captured answers on 127.0.0.1 until woosim speaks
// refunds: path → body, plus faults. It counts requests per path.
type sampleShop struct {
	t      *testing.T
	mu     sync.Mutex
	bodies map[string][]byte
	status map[string]int // a status to answer instead of the body
	flaky  map[string]int // 503s to answer before the body
	hits   map[string]int
	query  map[string]string // the last query per path
	signed map[string]bool   // whether the request carried credentials
}

func newSampleShop(t *testing.T) (*sampleShop, *httptest.Server) {
	s := &sampleShop{t: t, bodies: map[string][]byte{}, status: map[string]int{}, flaky: map[string]int{},
		hits: map[string]int{}, query: map[string]string{}, signed: map[string]bool{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func (s *sampleShop) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := r.URL.Path
	s.hits[p]++
	s.query[p] = r.URL.RawQuery
	s.signed[p] = strings.Contains(r.URL.RawQuery, "oauth_signature=")
	w.Header().Set("Content-Type", "application/json")
	if s.flaky[p] > 0 {
		s.flaky[p]--
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"code":"busy","message":"try later"}`))
		return
	}
	if st := s.status[p]; st != 0 {
		w.WriteHeader(st)
		w.Write(s.bodies[p])
		return
	}
	b, ok := s.bodies[p]
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte(`{"code":"rest_no_route","message":"No route was found matching the URL and request method."}`))
		return
	}
	w.Write(b)
}

func sampleClient(t *testing.T, url string, d ledger.Dialect) *Client {
	t.Helper()
	c, err := New(Config{URL: url, Key: "ck_test", Secret: "cs_test", Dialect: d,
		Retry: Retry{Attempts: 3, Sleep: func(context.Context, time.Duration) error { return nil }}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestClientRefundsBothDialects(t *testing.T) {
	shop, srv := newSampleShop(t)
	shop.bodies["/wp-json/wc/v3/orders/1318/refunds"] = readSample(t, "wc-v3-order-refunds-partial.json")
	shop.bodies["/wc-api/v3/orders/1318/refunds"] = readSample(t, "legacy-v3-order-refunds-partial.json")
	shop.flaky["/wc-api/v3/orders/1318/refunds"] = 1
	ctx := context.Background()

	wc, err := sampleClient(t, srv.URL, ledger.DialectWCV3).Refunds(ctx, 1318)
	if err != nil {
		t.Fatal(err)
	}
	legacy, err := sampleClient(t, srv.URL, ledger.DialectLegacyV3).Refunds(ctx, 1318)
	if err != nil {
		t.Fatal(err)
	}
	runChecks(t, []check{
		{"wc/v3", []any{len(wc), wc[0].ID, wc[0].Detailed, len(wc[0].TaxLines)}, []any{1, 1319, true, 1}},
		{"legacy", []any{len(legacy), legacy[0].ID, legacy[0].Detailed, legacy[0].Amount}, []any{1, 1319, true, amt(t, "24.48")}},
		{"wc/v3 asks for 100 a page", strings.Contains(shop.query["/wp-json/wc/v3/orders/1318/refunds"], "per_page=100"), true},
		{"signed (OAuth over http)", shop.signed["/wp-json/wc/v3/orders/1318/refunds"] && shop.signed["/wc-api/v3/orders/1318/refunds"], true},
		{"a 503 is retried", shop.hits["/wc-api/v3/orders/1318/refunds"], 2},
		{"wc/v3 one request", shop.hits["/wp-json/wc/v3/orders/1318/refunds"], 1},
	})

	// Errors come in the classes every other call uses.
	shop.bodies["/wp-json/wc/v3/orders/7/refunds"] = readSample(t, "wc-v3-401-bad-key.json")
	shop.status["/wp-json/wc/v3/orders/7/refunds"] = http.StatusUnauthorized
	shop.bodies["/wp-json/wc/v3/orders/8/refunds"] = []byte("<html>maintenance</html>")
	for _, c := range []struct {
		id   int64
		kind Kind
	}{{7, KindAuth}, {8, KindBadPayload}, {9, KindNotFound}} {
		_, err := sampleClient(t, srv.URL, ledger.DialectWCV3).Refunds(ctx, c.id)
		var e *Error
		if !errors.As(err, &e) || e.Kind != c.kind {
			t.Errorf("order %d: %v, want kind %s", c.id, err, c.kind)
		} else if !strings.Contains(err.Error(), "refunds of order") {
			t.Errorf("order %d: %q does not say what was asked", c.id, err)
		}
	}
}

// TestClientRefundsPages reads an order with more refunds than one page.
func TestClientRefundsPages(t *testing.T) {
	var mu sync.Mutex
	pages := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		pages++
		mu.Unlock()
		n := 100
		if r.URL.Query().Get("page") == "2" {
			n = 3
		}
		w.Header().Set("X-WP-TotalPages", "2")
		var b strings.Builder
		b.WriteString("[")
		for i := range n {
			if i > 0 {
				b.WriteString(",")
			}
			page, _ := strconv.Atoi(r.URL.Query().Get("page"))
			b.WriteString(`{"id":` + strconv.Itoa(page*1000+i+1) + `,"amount":"1.00","date_created_gmt":"2026-10-01T10:00:00"}`)
		}
		b.WriteString("]")
		w.Write([]byte(b.String()))
	}))
	defer srv.Close()
	rs, err := sampleClient(t, srv.URL, ledger.DialectWCV3).Refunds(context.Background(), 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 103 || pages != 2 {
		t.Fatalf("%d refunds in %d requests, want 103 in 2", len(rs), pages)
	}
}

func TestShopTimezone(t *testing.T) {
	cases := []struct {
		name       string
		wp, legacy string // bodies; "" answers 404
		dialect    ledger.Dialect
		want       string
	}{
		{"timezone_string", `{"timezone_string":"Europe\/Sofia","gmt_offset":"2"}`, ``, ledger.DialectWCV3, "Europe/Sofia"},
		{"only an offset", `{"timezone_string":"","gmt_offset":2}`, ``, ledger.DialectWCV3, "Etc/GMT-2"},
		{"a negative offset", `{"timezone_string":"","gmt_offset":"-5"}`, ``, ledger.DialectWCV3, "Etc/GMT+5"},
		{"a half-hour offset is no zone", `{"timezone_string":"","gmt_offset":5.5}`, ``, ledger.DialectWCV3, ""},
		{"no wp-json: the legacy index", ``, `{"store":{"meta":{"timezone":"Europe\/Berlin"}}}`, ledger.DialectLegacyV3, "Europe/Berlin"},
		{"legacy offset", ``, `{"store":{"meta":{"timezone":"+03:00"}}}`, ledger.DialectLegacyV3, "Etc/GMT-3"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			shop, srv := newSampleShop(t)
			if c.wp != "" {
				shop.bodies["/wp-json/"] = []byte(c.wp)
			}
			if c.legacy != "" {
				shop.bodies["/wc-api/v3/"] = []byte(c.legacy)
			}
			got, err := sampleClient(t, srv.URL, c.dialect).ShopTimezone(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("zone %q, want %q", got, c.want)
			}
			if shop.signed["/wp-json/"] || shop.signed["/wc-api/v3/"] {
				t.Error("the index was asked with credentials")
			}
		})
	}
	// Neither index answers: an error, and no zone.
	_, srv := newSampleShop(t)
	if z, err := sampleClient(t, srv.URL, ledger.DialectWCV3).ShopTimezone(context.Background()); err == nil || z != "" {
		t.Errorf("got %q, %v; want an error", z, err)
	}
}
