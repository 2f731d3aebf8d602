package woosim

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestListPagingHeaders(t *testing.T) {
	s := startShop(t, Options{Orders: 25, Seed: 1}, true)
	site := s.srv.URL

	orders, r := s.getOrders("/wp-json/wc/v3/orders?per_page=10&page=2&orderby=id&order=asc")
	if got := ids(orders); !slices.Equal(got, []int64{11, 12, 13, 14, 15, 16, 17, 18, 19, 20}) {
		t.Fatalf("page 2 ids %v", got)
	}
	if r.header.Get("X-WP-Total") != "25" || r.header.Get("X-WP-TotalPages") != "3" {
		t.Fatalf("totals %q %q", r.header.Get("X-WP-Total"), r.header.Get("X-WP-TotalPages"))
	}
	base := site + "/wp-json/wc/v3/orders?per_page=10&page="
	tail := "&orderby=id&order=asc&status%5B0%5D=any&dp=2&context=view"
	want := "<" + base + "1" + tail + `>; rel="prev", <` + base + "3" + tail + `>; rel="next"`
	if got := r.header.Values("Link"); len(got) != 1 || got[0] != want {
		t.Fatalf("Link\n got %q\nwant %q", got, want)
	}
	for h, v := range map[string]string{
		"Content-Type":                  "application/json; charset=UTF-8",
		"X-Robots-Tag":                  "noindex",
		"X-Content-Type-Options":        "nosniff",
		"Expires":                       "Wed, 11 Jan 1984 05:00:00 GMT",
		"Cache-Control":                 "no-cache, must-revalidate, max-age=0, no-store, private",
		"Access-Control-Expose-Headers": "X-WP-Total, X-WP-TotalPages, Link",
		"Access-Control-Allow-Headers":  "Authorization, X-WP-Nonce, Content-Disposition, Content-MD5, Content-Type",
		"Allow":                         "GET, POST",
	} {
		if got := r.header.Get(h); got != v {
			t.Errorf("%s: %q, want %q", h, got, v)
		}
	}
	if r.header.Get("Vary") != "" {
		t.Errorf("authenticated answer has Vary %q", r.header.Get("Vary"))
	}

	// First page: only next; the page parameter is appended when absent.
	_, r = s.getOrders("/wp-json/wc/v3/orders?per_page=10")
	want = "<" + site + `/wp-json/wc/v3/orders?per_page=10&status%5B0%5D=any&dp=2&context=view&page=2>; rel="next"`
	if got := r.header.Get("Link"); got != want {
		t.Fatalf("page 1 Link\n got %q\nwant %q", got, want)
	}
	// Default order: newest first, 10 a page.
	orders, r = s.getOrders("/wp-json/wc/v3/orders")
	if got := ids(orders); len(got) != 10 || got[0] != 25 || got[9] != 16 {
		t.Fatalf("default page ids %v", got)
	}
	// Last page: only prev.
	_, r = s.getOrders("/wp-json/wc/v3/orders?per_page=10&page=3")
	if got := r.header.Get("Link"); !strings.HasSuffix(got, `page=2&status%5B0%5D=any&dp=2&context=view>; rel="prev"`) || strings.Contains(got, "next") {
		t.Fatalf("last page Link %q", got)
	}
	// Beyond the last page: [] with 200, the totals, a prev link to the
	// last page, and no dp/context (no order was prepared).
	orders, r = s.getOrders("/wp-json/wc/v3/orders?per_page=10&page=7")
	if len(orders) != 0 || string(r.body) != "[]" || r.header.Get("X-WP-Total") != "25" {
		t.Fatalf("beyond last: %s total %s", r.body, r.header.Get("X-WP-Total"))
	}
	want = "<" + site + `/wp-json/wc/v3/orders?per_page=10&page=3&status%5B0%5D=any>; rel="prev"`
	if got := r.header.Get("Link"); got != want {
		t.Fatalf("beyond-last Link\n got %q\nwant %q", got, want)
	}
	// One page only: no pagination links, the API discovery link stays.
	_, r = s.getOrders("/wp-json/wc/v3/orders?per_page=100")
	if got := r.header.Get("Link"); got != "<"+site+`/wp-json/>; rel="https://api.w.org/"` {
		t.Fatalf("single page Link %q", got)
	}
}

func TestListLinkEncodesLikeWordPress(t *testing.T) {
	s := startShop(t, Options{Orders: 30, Seed: 1}, true)
	// Values are urlencode()d, true is 1, an empty id list vanishes, the
	// statuses move to the end as an array, raw keys stay raw.
	_, r := s.getOrders("/wp-json/wc/v3/orders?modified_after=2025-01-01T00%3A00%3A00&per_page=5&page=1&dates_are_gmt=true&include=&status=completed,processing&x=a+b%2Bc~")
	want := "<" + s.srv.URL + "/wp-json/wc/v3/orders?modified_after=2025-01-01T00%3A00%3A00&per_page=5&page=2&dates_are_gmt=1" +
		"&x=a+b+c%7E&status%5B0%5D=completed&status%5B1%5D=processing&dp=2&context=view>; rel=\"next\""
	if got := r.header.Get("Link"); got != want {
		t.Fatalf("Link\n got %q\nwant %q", got, want)
	}
}

func TestHeaderSpelling(t *testing.T) {
	sim := New(Options{Orders: 3, Seed: 1, Now: func() time.Time { return testNow }})
	req := httptest.NewRequest(http.MethodGet, "https://127.0.0.1:8443/wp-json/wc/v3/orders", nil)
	req.SetBasicAuth(DefaultKey, DefaultSecret)
	rec := httptest.NewRecorder()
	sim.Handler().ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Header()["X-WP-Total"] == nil || rec.Header()["X-WP-TotalPages"] == nil {
		t.Fatalf("%d %v", rec.Code, rec.Header())
	}
}

func TestModifiedAfterExclusiveGMT(t *testing.T) {
	s := startShop(t, Options{Orders: 50, Seed: 9}, true)
	// Move three orders to known, distinct modification times.
	t1 := s.clock.Add(time.Hour)
	if err := s.srv.Sim.SetStatus(5, "completed"); err != nil {
		t.Fatal(err)
	}
	t2 := s.clock.Add(time.Minute)
	s.srv.Sim.SetStatus(9, "cancelled")
	s.clock.Add(time.Minute)
	s.srv.Sim.SetStatus(2, "processing")

	q := "/wp-json/wc/v3/orders?orderby=modified&order=asc&dates_are_gmt=true&per_page=100&modified_after="
	orders, _ := s.getOrders(q + t1.Format(wcDate))
	if got := ids(orders); !slices.Equal(got, []int64{9, 2}) {
		t.Fatalf("modified_after=t1 (exclusive): %v, want [9 2]", got)
	}
	orders, _ = s.getOrders(q + t1.Add(-time.Second).Format(wcDate))
	if got := ids(orders); !slices.Equal(got, []int64{5, 9, 2}) {
		t.Fatalf("modified_after=t1-1s: %v, want [5 9 2]", got)
	}
	orders, _ = s.getOrders(q + t1.Format(wcDate) + "&modified_before=" + t2.Add(time.Minute).Format(wcDate))
	if got := ids(orders); !slices.Equal(got, []int64{9}) {
		t.Fatalf("modified_before is exclusive too: %v, want [9]", got)
	}
	if o := orders[0]; o["date_modified_gmt"] != t2.Format(wcDate) || o["status"] != "cancelled" {
		t.Fatalf("order 9: %v %v", o["date_modified_gmt"], o["status"])
	}
}

func TestOrderByModifiedAscPagesThrough(t *testing.T) {
	s := startShop(t, Options{Orders: 230, Seed: 4}, true)
	for i, id := range []int64{17, 3, 200, 3} {
		s.clock.Add(time.Duration(i+1) * time.Second)
		s.srv.Sim.SetStatus(id, "completed")
	}
	var all []map[string]any
	for page := 1; ; page++ {
		orders, r := s.getOrders("/wp-json/wc/v3/orders?orderby=modified&order=asc&per_page=50&page=" + strconv.Itoa(page))
		all = append(all, orders...)
		if r.header.Get("X-WP-Total") != "230" {
			t.Fatalf("total %s", r.header.Get("X-WP-Total"))
		}
		if !strings.Contains(r.header.Get("Link"), `rel="next"`) {
			break
		}
	}
	if len(all) != 230 {
		t.Fatalf("paged through %d orders", len(all))
	}
	seen := map[float64]bool{}
	for i, o := range all {
		seen[o["id"].(float64)] = true
		if i == 0 {
			continue
		}
		a, b := all[i-1], o
		if a["date_modified_gmt"].(string) > b["date_modified_gmt"].(string) ||
			a["date_modified_gmt"] == b["date_modified_gmt"] && a["id"].(float64) > b["id"].(float64) {
			t.Fatalf("not ascending by (modified, id) at %d: %v/%v then %v/%v", i, a["id"], a["date_modified_gmt"], b["id"], b["date_modified_gmt"])
		}
	}
	if len(seen) != 230 {
		t.Fatalf("%d distinct orders", len(seen))
	}
	if got := ids(all[227:]); !slices.Equal(got, []int64{17, 200, 3}) {
		t.Fatalf("last modified %v, want [17 200 3]", got)
	}
}

func TestSiteTimezoneDates(t *testing.T) {
	sofia, err := time.LoadLocation("Europe/Sofia")
	if err != nil {
		t.Skip(err)
	}
	s := startShop(t, Options{Orders: 5, Seed: 1, SiteTimezone: sofia}, true)
	now := s.clock.Add(time.Hour) // 12:26:44 UTC = 14:26:44 in Sofia (EET)
	s.srv.Sim.SetStatus(3, "completed")
	var o map[string]any
	s.get("/wp-json/wc/v3/orders/3").json(t, &o)
	if o["date_modified_gmt"] != now.Format(wcDate) || o["date_modified"] != now.In(sofia).Format(wcDate) {
		t.Fatalf("dates %v / %v", o["date_modified"], o["date_modified_gmt"])
	}
	local, gmt := now.In(sofia).Format(wcDate), now.Format(wcDate)
	// Site-local comparison (no dates_are_gmt): the local wall clock.
	orders, _ := s.getOrders("/wp-json/wc/v3/orders?modified_after=" + local)
	if len(orders) != 0 {
		t.Fatalf("modified_after=local now (exclusive) found %v", ids(orders))
	}
	orders, _ = s.getOrders("/wp-json/wc/v3/orders?modified_after=" + gmt)
	if !slices.Equal(ids(orders), []int64{3}) {
		t.Fatalf("modified_after=UTC wall clock read as local: %v", ids(orders))
	}
	// GMT comparison.
	orders, _ = s.getOrders("/wp-json/wc/v3/orders?dates_are_gmt=true&modified_after=" + gmt)
	if len(orders) != 0 {
		t.Fatalf("dates_are_gmt modified_after=now found %v", ids(orders))
	}
	orders, _ = s.getOrders("/wp-json/wc/v3/orders?dates_are_gmt=1&modified_after=" + now.Add(-time.Second).Format(wcDate))
	if !slices.Equal(ids(orders), []int64{3}) {
		t.Fatalf("dates_are_gmt: %v", ids(orders))
	}
	// A date with a zone is converted to the site's time first, even when
	// compared with the GMT column (WordPress's behaviour): "Z" one second
	// before now lands two hours later in GMT terms and finds nothing.
	orders, _ = s.getOrders("/wp-json/wc/v3/orders?dates_are_gmt=true&modified_after=" + now.Add(-time.Second).Format(wcDate) + "Z")
	if len(orders) != 0 {
		t.Fatalf("zoned date with dates_are_gmt: %v", ids(orders))
	}
}

func TestPerPageOver100(t *testing.T) {
	s := startShop(t, Options{Orders: 5, Seed: 1}, true)
	r := s.get("/wp-json/wc/v3/orders?per_page=101")
	want := `{"code":"rest_invalid_param","message":"Invalid parameter(s): per_page","data":{"status":400,` +
		`"params":{"per_page":"per_page must be between 1 (inclusive) and 100 (inclusive)"},` +
		`"details":{"per_page":{"code":"rest_out_of_bounds","message":"per_page must be between 1 (inclusive) and 100 (inclusive)","data":null}}}}`
	if r.status != 400 || string(r.body) != want {
		t.Fatalf("%d %s", r.status, r.body)
	}
	// Several bad parameters at once, in WordPress's validation order.
	r = s.get("/wp-json/wc/v3/orders?orderby=total&page=0&status=done&per_page=x&dates_are_gmt=yes&after=yesterday")
	want = `{"code":"rest_invalid_param","message":"Invalid parameter(s): page, per_page, after, dates_are_gmt, orderby, status","data":{"status":400,"params":{` +
		`"page":"page must be greater than or equal to 1",` +
		`"per_page":"per_page is not of type integer.",` +
		`"after":"Invalid date.",` +
		`"dates_are_gmt":"dates_are_gmt is not of type boolean.",` +
		`"orderby":"orderby is not one of date, id, include, title, slug, and modified.",` +
		`"status":"status[0] is not one of any, trash, pending, processing, on-hold, completed, cancelled, refunded, failed, and checkout-draft."},` +
		`"details":{` +
		`"page":{"code":"rest_out_of_bounds","message":"page must be greater than or equal to 1","data":null},` +
		`"per_page":{"code":"rest_invalid_type","message":"per_page is not of type integer.","data":{"param":"per_page"}},` +
		`"after":{"code":"rest_invalid_date","message":"Invalid date.","data":null},` +
		`"dates_are_gmt":{"code":"rest_invalid_type","message":"dates_are_gmt is not of type boolean.","data":{"param":"dates_are_gmt"}},` +
		`"orderby":{"code":"rest_not_in_enum","message":"orderby is not one of date, id, include, title, slug, and modified.","data":null},` +
		`"status":{"code":"rest_not_in_enum","message":"status[0] is not one of any, trash, pending, processing, on-hold, completed, cancelled, refunded, failed, and checkout-draft.","data":null}}}}`
	if r.status != 400 || string(r.body) != want {
		t.Fatalf("%d\n got %s\nwant %s", r.status, r.body, want)
	}
}

func TestSingleOrder(t *testing.T) {
	s := startShop(t, Options{Orders: 5, Seed: 1}, true)
	var o map[string]any
	r := s.get("/wp-json/wc/v3/orders/4")
	r.json(t, &o)
	if r.status != 200 || o["id"] != 4.0 || o["number"] != "4" || r.header.Get("Allow") != "GET, POST, PUT, PATCH, DELETE" {
		t.Fatalf("%d %v %v", r.status, o["id"], r.header)
	}
	links := o["_links"].(map[string]any)
	self := links["self"].([]any)[0].(map[string]any)["href"]
	if self != s.srv.URL+"/wp-json/wc/v3/orders/4" {
		t.Fatalf("self link %v", self)
	}
	for _, path := range []string{"/wp-json/wc/v3/orders/6", "/wp-json/wc/v3/orders/0", "/wp-json/wc/v3/orders/99999999999999999999"} {
		r = s.get(path)
		if r.status != 404 || string(r.body) != `{"code":"woocommerce_rest_shop_order_invalid_id","message":"Invalid ID.","data":{"status":404}}` {
			t.Fatalf("%s: %d %s", path, r.status, r.body)
		}
	}
	r = s.get("/wp-json/wc/v3/orders/abc")
	if r.status != 404 || string(r.body) != `{"code":"rest_no_route","message":"No route was found matching the URL and request method.","data":{"status":404}}` {
		t.Fatalf("no route: %d %s", r.status, r.body)
	}
	// Trailing slash: WordPress untrailingslashes the route.
	if r = s.get("/wp-json/wc/v3/orders/4/"); r.status != 200 {
		t.Fatalf("trailing slash: %d", r.status)
	}
	// dp changes the decimals of money fields.
	s.get("/wp-json/wc/v3/orders/4?dp=0").json(t, &o)
	if strings.Contains(o["total"].(string), ".") {
		t.Fatalf("dp=0 total %v", o["total"])
	}
}

func TestSetStatusAndAddOrdersVisible(t *testing.T) {
	s := startShop(t, Options{Orders: 12, Seed: 8}, true)
	now := s.clock.Add(2 * time.Hour)
	if err := s.srv.Sim.SetStatus(3, "on-hold"); err != nil {
		t.Fatal(err)
	}
	var o map[string]any
	s.get("/wp-json/wc/v3/orders/3").json(t, &o)
	if o["status"] != "on-hold" || o["date_modified_gmt"] != now.Format(wcDate) {
		t.Fatalf("after SetStatus: %v %v", o["status"], o["date_modified_gmt"])
	}
	orders, _ := s.getOrders("/wp-json/wc/v3/orders?dates_are_gmt=true&modified_after=" + now.Add(-time.Second).Format(wcDate))
	if !slices.Equal(ids(orders), []int64{3}) {
		t.Fatalf("changed orders %v", ids(orders))
	}

	added := s.srv.Sim.AddOrders(3)
	orders, r := s.getOrders("/wp-json/wc/v3/orders?per_page=3")
	if r.header.Get("X-WP-Total") != "15" || !slices.Equal(ids(orders), []int64{15, 14, 13}) || !slices.Equal(added, []int64{13, 14, 15}) {
		t.Fatalf("after AddOrders: total %s ids %v added %v", r.header.Get("X-WP-Total"), ids(orders), added)
	}
	for _, o := range orders {
		if o["date_created_gmt"] != now.Format(wcDate) {
			t.Fatalf("new order created %v", o["date_created_gmt"])
		}
	}

	// Trash is left out of "any" but can be asked for.
	s.srv.Sim.SetStatus(1, "trash")
	_, r = s.getOrders("/wp-json/wc/v3/orders")
	if r.header.Get("X-WP-Total") != "14" {
		t.Fatalf("any includes trash: %s", r.header.Get("X-WP-Total"))
	}
	orders, _ = s.getOrders("/wp-json/wc/v3/orders?status=trash")
	if !slices.Equal(ids(orders), []int64{1}) {
		t.Fatalf("status=trash: %v", ids(orders))
	}
	// A plugin status joins the status filter's list.
	s.srv.Sim.SetStatus(2, "wc-shipped")
	orders, _ = s.getOrders("/wp-json/wc/v3/orders?status[]=shipped&status[]=trash")
	if !slices.Equal(ids(orders), []int64{2, 1}) {
		t.Fatalf("status[]=shipped&status[]=trash: %v", ids(orders))
	}
	// include, in its own order.
	orders, _ = s.getOrders("/wp-json/wc/v3/orders?include=7,3,11&orderby=include&order=asc")
	if !slices.Equal(ids(orders), []int64{7, 3, 11}) {
		t.Fatalf("orderby=include: %v", ids(orders))
	}
	orders, _ = s.getOrders("/wp-json/wc/v3/orders?include=7,3,11&exclude=3&orderby=id&order=asc")
	if !slices.Equal(ids(orders), []int64{7, 11}) {
		t.Fatalf("include+exclude: %v", ids(orders))
	}
	orders, _ = s.getOrders("/wp-json/wc/v3/orders?offset=2&per_page=2&orderby=id&order=asc")
	if !slices.Equal(ids(orders), []int64{4, 5}) { // 1 is in the trash
		t.Fatalf("offset: %v", ids(orders))
	}
}

func TestUnknownPaths(t *testing.T) {
	s := startShop(t, Options{Orders: 2, Seed: 1}, true)
	r := s.get("/wp-json/wc/v3/products")
	if r.status != 404 || !strings.Contains(string(r.body), `"rest_no_route"`) {
		t.Fatalf("%d %s", r.status, r.body)
	}
	r = s.get("/shop/")
	if r.status != 404 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("%d %s", r.status, r.header)
	}
	if r = s.get("/wp-json/wc/v3/orders?search=Smith"); r.status != 501 {
		t.Fatalf("search: %d %s", r.status, r.body)
	}
	req, _ := http.NewRequest(http.MethodPut, s.srv.URL+"/wp-json/wc/v3/orders/1", strings.NewReader("{}"))
	req.SetBasicAuth(DefaultKey, DefaultSecret)
	if r = s.do(req); r.status != 501 {
		t.Fatalf("PUT: %d %s", r.status, r.body)
	}
}

func TestConcurrentUse(t *testing.T) {
	s := startShop(t, Options{Orders: 300, Seed: 6}, true)
	done := make(chan struct{})
	errs := make(chan string, 16)
	for g := range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 40 {
				path := "/wp-json/wc/v3/orders?per_page=20&page=" + strconv.Itoa(1+(i+g)%16)
				if i%3 == 0 {
					path = "/wp-json/wc/v3/orders?orderby=modified&order=asc&dates_are_gmt=true&modified_after=" + testNow.Add(-time.Hour).Format(wcDate)
				}
				if i%5 == 0 {
					path = "/wp-json/wc/v3/orders/" + strconv.Itoa(1+i*7%300)
				}
				if r := s.get(path); r.status != 200 {
					errs <- path + ": " + strconv.Itoa(r.status)
					return
				}
			}
		}()
	}
	go func() {
		defer func() { done <- struct{}{} }()
		for i := range 100 {
			s.clock.Add(time.Second)
			s.srv.Sim.SetStatus(int64(1+i*13%300), []string{"completed", "processing", "refunded"}[i%3])
			if i%10 == 0 {
				s.srv.Sim.AddOrders(2)
			}
			s.srv.Sim.Snapshot()
		}
	}()
	for range 5 {
		<-done
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	_, r := s.getOrders("/wp-json/wc/v3/orders")
	if r.header.Get("X-WP-Total") != "320" {
		t.Fatalf("total %s", r.header.Get("X-WP-Total"))
	}
}
