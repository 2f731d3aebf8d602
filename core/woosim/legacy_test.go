package woosim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// legacyOrders decodes a legacy list.
func legacyOrders(t *testing.T, r reply) []legacyOrder {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("%d %s", r.status, r.body)
	}
	var out struct {
		Orders []legacyOrder `json:"orders"`
	}
	r.json(t, &out)
	return out.Orders
}

func legacyIDs(os []legacyOrder) []int64 {
	out := make([]int64, len(os))
	for i, o := range os {
		out[i] = o.ID
	}
	return out
}

// sampleHeaders reads a captured header block into name → values.
func sampleHeaders(t *testing.T, name string) http.Header {
	t.Helper()
	h := http.Header{}
	sc := bufio.NewScanner(bytes.NewReader(sample(t, name)))
	sc.Scan() // status line
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ": ")
		if ok {
			h[k] = append(h[k], v)
		}
	}
	return h
}

func TestLegacyIndex(t *testing.T) {
	for _, tls := range []bool{true, false} {
		s := startShop(t, Options{Orders: 3, Seed: 1}, tls)
		req, _ := http.NewRequest(http.MethodGet, s.srv.URL+"/wc-api/v3/", nil) // no credentials
		r := s.do(req)
		if r.status != 200 || r.header.Get("Content-Type") != "application/json; charset=UTF-8" {
			t.Fatalf("index: %d %v %s", r.status, r.header, r.body)
		}
		var idx struct {
			Store struct {
				Name      string `json:"name"`
				URL       string `json:"URL"`
				WCVersion string `json:"wc_version"`
				Version   string `json:"version"`
				Routes    map[string]struct {
					Supports    []string `json:"supports"`
					AcceptsData bool     `json:"accepts_data"`
					Meta        struct {
						Self string `json:"self"`
					} `json:"meta"`
				} `json:"routes"`
				Meta struct {
					Timezone    string `json:"timezone"`
					Currency    string `json:"currency"`
					SSL         bool   `json:"ssl_enabled"`
					Permalinks  bool   `json:"permalinks_enabled"`
					PriceDigits int    `json:"price_num_decimals"`
				} `json:"meta"`
			} `json:"store"`
		}
		r.json(t, &idx)
		st := idx.Store
		orders := st.Routes["/orders"]
		one := st.Routes["/orders/<id>"]
		if st.URL != s.srv.URL || st.WCVersion != "7.9.0" || st.Version != "3.1.0" || st.Meta.SSL != tls ||
			!st.Meta.Permalinks || st.Meta.Timezone != "UTC" || st.Meta.Currency != "USD" || st.Meta.PriceDigits != 2 ||
			!slices.Equal(orders.Supports, []string{"HEAD", "GET", "POST"}) || !orders.AcceptsData ||
			orders.Meta.Self != s.srv.URL+"/wc-api/v3/orders" ||
			!slices.Equal(one.Supports, []string{"HEAD", "GET", "POST", "PUT", "PATCH", "DELETE"}) || one.Meta.Self != "" ||
			st.Routes["/"].Meta.Self != s.srv.URL+"/wc-api/v3/" || len(st.Routes) != len(legacyRoutes) {
			t.Fatalf("index over TLS=%v: %s", tls, r.body)
		}
		// The keys of a route come in the order get_index() sets them.
		if !bytes.Contains(r.body, []byte(`"\/orders":{"supports":["HEAD","GET","POST"],"meta":{"self":`)) ||
			!bytes.Contains(r.body, []byte(`"\/orders\/<id>":{"supports":["HEAD","GET","POST","PUT","PATCH","DELETE"],"accepts_data":true}`)) {
			t.Errorf("route key order: %s", r.body)
		}
	}
}

// Page 2 of 3 orders a page, as the capture asked for it, on a shop with
// the captured shop's 152 orders: the same headers, port dropped and
// brackets left raw.
func TestLegacyPagingHeadersMatchCapture(t *testing.T) {
	want := sampleHeaders(t, "legacy-v3-orders-list-page2.headers.txt")
	s := startShop(t, Options{Orders: 152, Seed: 1}, true)
	r := s.get("/wc-api/v3/orders?filter[limit]=3&filter[order]=ASC&filter[orderby]=id&page=2")
	if got := legacyOrders(t, r); len(got) != 3 {
		t.Fatalf("%d orders", len(got))
	}
	for _, k := range []string{"Link", "X-WC-Total", "X-WC-TotalPages"} {
		if got := r.header.Values(k); !slices.Equal(got, want[k]) {
			t.Errorf("%s\n got %q\nwant %q", k, got, want[k])
		}
	}
	if r.header.Get("Content-Type") != want.Get("Content-Type") {
		t.Errorf("Content-Type %q", r.header.Get("Content-Type"))
	}
	// The same URL with the brackets encoded gives the same links.
	r2 := s.get("/wc-api/v3/orders?filter%5Blimit%5D=3&filter%5Border%5D=ASC&filter%5Borderby%5D=id&page=2")
	if !slices.Equal(r2.header["Link"], want["Link"]) {
		t.Errorf("encoded request: %q", r2.header["Link"])
	}
}

func TestLegacyListing(t *testing.T) {
	clk := newClock(testNow)
	s := startShop(t, Options{Orders: 40, Seed: 4, Now: clk.Now}, true)
	sim := s.srv.Sim

	// Default: newest first by date, 10 a page; first page has next and last only.
	r := s.get("/wc-api/v3/orders")
	got := legacyOrders(t, r)
	if len(got) != 10 || got[0].ID != 40 || r.header.Get("X-WC-Total") != "40" || r.header.Get("X-WC-TotalPages") != "4" {
		t.Fatalf("default page: %v %v", legacyIDs(got), r.header)
	}
	host := "https://127.0.0.1/wc-api/v3/orders?page="
	if l := r.header["Link"]; !slices.Equal(l, []string{"<" + host + `2>; rel="next"`, "<" + host + `4>; rel="last"`}) {
		t.Errorf("first page links %q", l)
	}
	// filter[orderby]=ID (not id) sorts by id.
	got = legacyOrders(t, s.get("/wc-api/v3/orders?filter[orderby]=ID&filter[order]=asc&filter[limit]=5"))
	if !slices.Equal(legacyIDs(got), []int64{1, 2, 3, 4, 5}) {
		t.Errorf("orderby ID: %v", legacyIDs(got))
	}
	// limit -1: everything, and WP_Query reports 0 pages.
	r = s.get("/wc-api/v3/orders?filter[limit]=-1")
	if got := legacyOrders(t, r); len(got) != 40 || r.header.Get("X-WC-TotalPages") != "0" {
		t.Errorf("limit -1: %d orders, pages %q", len(got), r.header.Get("X-WC-TotalPages"))
	}
	// Past the last page: empty, and WP_Query's totals fall to 0.
	r = s.get("/wc-api/v3/orders?page=9")
	if got := legacyOrders(t, r); len(got) != 0 || r.header.Get("X-WC-Total") != "0" {
		t.Errorf("page 9: %d orders, total %q", len(got), r.header.Get("X-WC-Total"))
	}

	// updated_at_min is inclusive, against the GMT modified date; offsets
	// are discarded.
	at := clk.Add(time.Hour)
	sim.SetStatus(7, "completed")
	clk.Add(time.Minute)
	sim.SetStatus(9, "cancelled")
	stamp := at.UTC().Format("2006-01-02T15:04:05")
	for q, want := range map[string][]int64{
		"filter[updated_at_min]=" + stamp + "Z":                                {7, 9},
		"filter[updated_at_min]=" + stamp + ".5Z":                              {7, 9},
		"filter[updated_at_min]=" + stamp + "-05:00":                           {7, 9}, // not converted
		"filter[updated_at_min]=" + stamp + "&filter[updated_at_max]=" + stamp: {7},
	} {
		got := legacyOrders(t, s.get("/wc-api/v3/orders?filter[orderby]=modified&filter[order]=ASC&"+q))
		if !slices.Equal(legacyIDs(got), want) {
			t.Errorf("%s: %v, want %v", q, legacyIDs(got), want)
		}
	}
	// A "+02:00" reaches WooCommerce as " 02:00", which it cannot parse:
	// the epoch, so every order.
	r = s.get("/wc-api/v3/orders?filter[updated_at_min]=" + stamp + "%2B02:00")
	if r.header.Get("X-WC-Total") != "40" {
		t.Errorf("+02:00: total %q", r.header.Get("X-WC-Total"))
	}

	// status (or filter[status]) narrows; an unregistered status removes
	// the restriction, trash included.
	sim.DeleteOrder(12)
	r = s.get("/wc-api/v3/orders?status=completed&filter[limit]=-1")
	for _, o := range legacyOrders(t, r) {
		if o.Status != "completed" {
			t.Fatalf("status=completed gave %s", o.Status)
		}
	}
	if r := s.get("/wc-api/v3/orders"); r.header.Get("X-WC-Total") != "39" {
		t.Errorf("without the trashed order: %q", r.header.Get("X-WC-Total"))
	}
	if r := s.get("/wc-api/v3/orders?status=any"); r.header.Get("X-WC-Total") != "40" {
		t.Errorf("status=any: %q", r.header.Get("X-WC-Total"))
	}
	if r := s.get("/wc-api/v3/orders/count"); string(r.body) != `{"count":39}` {
		t.Errorf("count: %s", r.body)
	}

	// A single order, and the errors around it.
	r = s.get("/wc-api/v3/orders/7")
	var one struct {
		Order legacyOrder `json:"order"`
	}
	r.json(t, &one)
	if r.status != 200 || one.Order.ID != 7 || one.Order.Status != "completed" || one.Order.UpdatedAt != stamp+"Z" {
		t.Fatalf("order 7: %d %s", r.status, r.body)
	}
	for path, want := range map[string]string{
		"/wc-api/v3/orders/999":     `{"errors":[{"code":"woocommerce_api_no_order_found","message":"No order found with the ID equal to 999"}]}`,
		"/wc-api/v3/orders/0":       `{"errors":[{"code":"woocommerce_api_invalid_order_id","message":"Invalid shop_order ID"}]}`,
		"/wc-api/v3/orders/1000001": `{"errors":[{"code":"woocommerce_api_invalid_order","message":"Invalid order"}]}`,
		"/wc-api/v3/nothing":        `{"errors":[{"code":"woocommerce_api_no_route","message":"No route was found matching the URL and request method"}]}`,
	} {
		if r := s.get(path); r.status != 404 || string(r.body) != want {
			t.Errorf("%s: %d %s", path, r.status, r.body)
		}
	}
	// Routes match case-insensitively and without the trailing slash.
	if r := s.get("/wc-api/v3/ORDERS/7/"); r.status != 200 {
		t.Errorf("/ORDERS/7/: %d", r.status)
	}
	// dp changes every amount's decimals.
	r = s.get("/wc-api/v3/orders/7?filter[dp]=3")
	r.json(t, &one)
	if !strings.HasSuffix(one.Order.Total, "0") || strings.Count(one.Order.Total, ".") != 1 || len(strings.Split(one.Order.Total, ".")[1]) != 3 {
		t.Errorf("dp=3 total %q", one.Order.Total)
	}
	if r := s.get("/wc-api/v3/orders/statuses"); !strings.HasPrefix(string(r.body), `{"order_statuses":{"pending":"Pending payment","processing":"Processing"`) {
		t.Errorf("statuses: %s", r.body)
	}
	// HEAD: headers, no body.
	req, _ := http.NewRequest(http.MethodHead, s.srv.URL+"/wc-api/v3/orders", nil)
	req.SetBasicAuth(DefaultKey, DefaultSecret)
	if r := s.do(req); r.status != 200 || len(r.body) != 0 || r.header.Get("X-WC-Total") != "39" {
		t.Errorf("HEAD: %d %q %v", r.status, r.body, r.header)
	}
}

func TestLegacyPageURL(t *testing.T) {
	for _, c := range []struct{ q, want string }{
		{"page=2", "https://h/p?page=5"},
		{"filter[limit]=3&page=2&x=a+b", "https://h/p?filter[limit]=3&x=a b&page=5"},
		{"consumer_key=ck&consumer_secret=cs", "https://h/p?consumer_key=ck&consumer_secret=cs&page=5"},
		{"flag&filter%5Bq%5D=%C3%A9", "https://h/p?flag&filter[q]=é&page=5"},
	} {
		if got := legacyPageURL("https", "h", "/p", c.q, 5); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.q, got, c.want)
		}
	}
}

func TestLegacyParseDatetime(t *testing.T) {
	want := time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC).Unix()
	for _, v := range []string{"2026-11-27T10:00:00Z", "2026-11-27T10:00:00", "2026-11-27 10:00:00", "2026-11-27T10:00:00.123Z",
		"2026-11-27T10:00:00-05:00", "2026-11-27T10:00:00+0200", "2026-11-27T10:00"} {
		if got := legacyParseDatetime(v); got != want {
			t.Errorf("%s: %v", v, time.Unix(got, 0).UTC())
		}
	}
	for _, v := range []string{"2026-11-27T10:00:00 02:00", "yesterday-ish", "2026-13-01T00:00:00"} {
		if got := legacyParseDatetime(v); got != 0 {
			t.Errorf("%s: %v, want the epoch", v, time.Unix(got, 0).UTC())
		}
	}
}

func TestLegacyCountByStatus(t *testing.T) {
	s := startShop(t, Options{Orders: 60, Seed: 8}, true)
	r := s.get("/wc-api/v3/orders/count?status=any")
	var c struct {
		Count map[string]int `json:"count"`
	}
	r.json(t, &c)
	sum := 0
	for _, n := range c.Count {
		sum += n
	}
	if sum != 60 || len(c.Count) != 8 {
		t.Fatalf("%s", r.body)
	}
	if r := s.get("/wc-api/v3/orders/count?status=completed"); r.status != 200 || !strings.HasPrefix(string(r.body), `{"count":`+strconv.Itoa(c.Count["completed"])+"}") {
		t.Errorf("completed: %s vs %d", r.body, c.Count["completed"])
	}
	var n struct{ Count int }
	json.Unmarshal(s.get("/wc-api/v3/orders/count").body, &n)
	if n.Count != 60 {
		t.Errorf("count %d", n.Count)
	}
}
