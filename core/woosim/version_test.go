package woosim

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestWCVersionGates(t *testing.T) {
	const noRoute = `{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}`
	isPage404 := func(r reply) bool {
		return r.status == 404 && strings.HasPrefix(r.header.Get("Content-Type"), "text/html") && strings.Contains(string(r.body), "<title>")
	}

	t.Run("3.4: legacy only", func(t *testing.T) {
		s := startShop(t, Options{Orders: 5, Seed: 1, WCVersion: "3.4.7"}, true)
		if r := s.get("/wp-json/wc/v3/orders"); r.status != 404 || string(r.body) != noRoute {
			t.Errorf("wc/v3: %d %s", r.status, r.body)
		}
		if r := s.get("/wc-api/v3/orders"); r.status != 200 {
			t.Errorf("legacy: %d %s", r.status, r.body)
		}
		if r := s.get("/wc-api/v3"); !strings.Contains(string(r.body), `"wc_version":"3.4.7"`) {
			t.Errorf("index: %s", r.body)
		}
	})

	t.Run("5.7: modified_after ignored", func(t *testing.T) {
		clk := newClock(testNow)
		s := startShop(t, Options{Orders: 30, Seed: 1, WCVersion: "5.7.2", Now: clk.Now}, true)
		clk.Add(time.Hour)
		s.srv.Sim.SetStatus(3, "completed")
		after := clk.Now().Add(-time.Minute).UTC().Format(wcDate)
		orders, r := s.getOrders("/wp-json/wc/v3/orders?per_page=5&dates_are_gmt=true&modified_after=" + after)
		if len(orders) != 5 || r.header.Get("X-WP-Total") != "30" {
			t.Errorf("5.7 modified_after: %d orders of %s", len(orders), r.header.Get("X-WP-Total"))
		}
		// Not validated either: garbage passes.
		if r := s.get("/wp-json/wc/v3/orders?modified_after=garbage"); r.status != 200 {
			t.Errorf("5.7 modified_after=garbage: %d", r.status)
		}
		// 5.8 knows it.
		s58 := startShop(t, Options{Orders: 30, Seed: 1, WCVersion: "5.8.0", Now: clk.Now}, true)
		s58.srv.Sim.SetStatus(3, "completed")
		orders, _ = s58.getOrders("/wp-json/wc/v3/orders?dates_are_gmt=true&modified_after=" + after)
		if len(orders) != 1 || orders[0]["id"].(float64) != 3 {
			t.Errorf("5.8 modified_after: %v", ids(orders))
		}
		if r := s58.get("/wp-json/wc/v3/orders?modified_after=garbage"); r.status != 400 {
			t.Errorf("5.8 modified_after=garbage: %d", r.status)
		}
	})

	t.Run("7.9 with the legacy API disabled", func(t *testing.T) {
		s := startShop(t, Options{Orders: 5, Seed: 1, LegacyEnabled: Off}, true)
		for _, p := range []string{"/wc-api/v3/orders", "/wc-api/v3/", "/?wc-api-version=3&wc-api-route=/orders"} {
			r := s.get(p)
			if r.status != 404 || string(r.body) != bodyAPIDisabled || r.header.Get("Content-Type") != "application/json; charset=UTF-8" {
				t.Errorf("%s: %d %s", p, r.status, r.body)
			}
		}
		if r := s.get("/wp-json/wc/v3/orders"); r.status != 200 {
			t.Errorf("wc/v3: %d", r.status)
		}
	})

	t.Run("9.0: no legacy API without the plugin", func(t *testing.T) {
		s := startShop(t, Options{Orders: 5, Seed: 1, WCVersion: "9.0.0"}, true)
		if r := s.get("/wc-api/v3/orders"); !isPage404(r) {
			t.Errorf("legacy: %d %s", r.status, r.body)
		}
		if r := s.get("/wp-json/wc/v3/orders"); r.status != 200 {
			t.Errorf("wc/v3: %d", r.status)
		}
		p := startShop(t, Options{Orders: 5, Seed: 1, WCVersion: "9.0.0", LegacyPlugin: true}, true)
		if r := p.get("/wc-api/v3/orders"); r.status != 200 {
			t.Errorf("legacy with the plugin: %d %s", r.status, r.body)
		}
	})

	t.Run("plain permalinks", func(t *testing.T) {
		s := startShop(t, Options{Orders: 5, Seed: 1, PrettyPermalinks: Off}, true)
		for _, p := range []string{"/wp-json/wc/v3/orders", "/wp-json/", "/wc-api/v3/orders"} {
			if r := s.get(p); !isPage404(r) {
				t.Errorf("%s: %d %s", p, r.status, r.body)
			}
		}
		// ?rest_route= is served, but WooCommerce does not take keys there.
		if r := s.get("/?rest_route=/wc/v3/orders"); r.status != 401 || !strings.Contains(string(r.body), "woocommerce_rest_cannot_view") {
			t.Errorf("rest_route: %d %s", r.status, r.body)
		}
		// The legacy API's query form works, keys and all.
		r := s.get("/?wc-api-version=3&wc-api-route=/")
		if r.status != 200 || !strings.Contains(string(r.body), `"permalinks_enabled":false`) {
			t.Errorf("legacy index: %d %s", r.status, r.body)
		}
		r = s.get("/index.php?wc-api-version=3&wc-api-route=/orders/2")
		if r.status != 200 || !strings.Contains(string(r.body), `"view_order_url":"https:\/\/127.0.0.1:`) ||
			!strings.Contains(string(r.body), `\/?page_id=9&view-order=2"`) {
			t.Errorf("legacy order: %d %s", r.status, r.body)
		}
		req, _ := http.NewRequest(http.MethodGet, s.srv.URL+"/?wc-api-version=3&wc-api-route=/orders&filter[limit]=2", nil)
		req.SetBasicAuth(DefaultKey, DefaultSecret)
		r = s.do(req)
		if len(legacyOrders(t, r)) != 2 || !strings.Contains(r.header.Get("Link"), "https://127.0.0.1/?wc-api-version=3&wc-api-route=/orders&filter[limit]=2&page=2") {
			t.Errorf("legacy list: %v", r.header["Link"])
		}
	})
}

func TestParseVersion(t *testing.T) {
	for s, want := range map[string]wcVersion{"7.9.0": {7, 9}, "5.7": {5, 7}, "9": {9, 0}, "10.1.2-beta": {10, 1}, "": {0, 0}} {
		if got := parseVersion(s); got != want {
			t.Errorf("%q: %v", s, got)
		}
	}
	if !parseVersion("3.5.0").atLeast(3, 5) || parseVersion("3.4.9").atLeast(3, 5) || !parseVersion("10.0").atLeast(9, 0) {
		t.Error("atLeast")
	}
}
