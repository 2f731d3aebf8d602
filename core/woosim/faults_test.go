package woosim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// try sends a request that may fail at the transport level.
func (s *shop) try(path string) (reply, error) {
	req, _ := http.NewRequest(http.MethodGet, s.srv.URL+path, nil)
	req.SetBasicAuth(DefaultKey, DefaultSecret)
	resp, err := s.client.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, b}, err
}

func setFaults(t *testing.T, s *shop, c FaultConfig) {
	t.Helper()
	if err := s.srv.Sim.Faults().Set(c); err != nil {
		t.Fatal(err)
	}
}

const orderPath = "/wp-json/wc/v3/orders/1"

func TestFaultServerErrors(t *testing.T) {
	s := startShop(t, Options{Orders: 3, Seed: 1}, true)
	setFaults(t, s, FaultConfig{Seed: 3, ServerErrorRate: 1})
	seen := map[int]bool{}
	for range 30 {
		r := s.get(orderPath)
		seen[r.status] = true
		if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !bytes.Contains(r.body, []byte("<title>")) {
			t.Fatalf("%d %v %s", r.status, r.header, r.body)
		}
		if r.status == 503 && r.header.Get("Retry-After") != "600" {
			t.Errorf("503 without Retry-After")
		}
	}
	if !seen[500] || !seen[502] || !seen[503] || len(seen) != 3 {
		t.Errorf("statuses %v", seen)
	}
	// The admin endpoints are never faulted.
	resp, err := s.client.Get(s.srv.URL + "/__woosim/orders")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("admin: %v %v", resp, err)
	}
	resp.Body.Close()
}

func TestFaultsAreDeterministic(t *testing.T) {
	s := startShop(t, Options{Orders: 3, Seed: 1}, true)
	run := func() []int {
		setFaults(t, s, FaultConfig{Seed: 7, ServerErrorRate: 0.3, RateLimitRate: 0.1, HTMLPageRate: 0.1})
		var out []int
		for range 40 {
			r := s.get(orderPath)
			if r.status == 200 && strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
				r.status = 299 // the HTML page
			}
			out = append(out, r.status)
		}
		return out
	}
	a, b := run(), run()
	if !slices.Equal(a, b) {
		t.Fatalf("two runs differ:\n%v\n%v", a, b)
	}
	kinds := map[int]bool{}
	for _, c := range a {
		kinds[c] = true
	}
	if !kinds[200] || !kinds[429] || !kinds[299] || len(kinds) < 4 {
		t.Errorf("not a mix: %v", a)
	}
}

func TestFaultRateLimitEveryK(t *testing.T) {
	s := startShop(t, Options{Orders: 3, Seed: 1}, true)
	setFaults(t, s, FaultConfig{RateLimitEvery: 3, RetryAfter: 7})
	var got []int
	for range 7 {
		r := s.get(orderPath)
		got = append(got, r.status)
		if r.status == 429 && r.header.Get("Retry-After") != "7" {
			t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
		}
	}
	if !slices.Equal(got, []int{200, 200, 429, 200, 200, 429, 200}) {
		t.Fatalf("%v", got)
	}
}

func TestFaultLatency(t *testing.T) {
	s := startShop(t, Options{Orders: 3, Seed: 1}, true)
	setFaults(t, s, FaultConfig{Latency: 80 * time.Millisecond, LatencyJitter: 20 * time.Millisecond})
	start := time.Now()
	if r := s.get(orderPath); r.status != 200 {
		t.Fatal(r.status)
	}
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Fatalf("answered in %v", d)
	}
}

func TestFaultBodies(t *testing.T) {
	for _, tls := range []bool{true, false} {
		s := startShop(t, Options{Orders: 3, Seed: 1}, tls)
		path := orderPath + "?consumer_key=" + DefaultKey + "&consumer_secret=" + DefaultSecret
		if !tls {
			path = "/wc-api/v3/" // no authentication over HTTP
		}
		clean, err := s.try(path)
		if err != nil || clean.status != 200 || !json.Valid(clean.body) {
			t.Fatalf("clean: %v %d", err, clean.status)
		}

		setFaults(t, s, FaultConfig{PHPNoticeRate: 1, BOMRate: 1})
		r, err := s.try(path)
		prefix := append([]byte{0xEF, 0xBB, 0xBF}, phpNotice...)
		if err != nil || r.status != 200 || !bytes.HasPrefix(r.body, prefix) || !bytes.Equal(r.body[len(prefix):], clean.body) {
			t.Fatalf("notice+BOM over TLS=%v: %v %d %q", tls, err, r.status, r.body[:min(len(r.body), 120)])
		}

		setFaults(t, s, FaultConfig{HTMLPageRate: 1})
		r, _ = s.try(path)
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") || !bytes.Contains(r.body, []byte("<title>Maintenance mode")) {
			t.Fatalf("HTML page: %d %s", r.status, r.body)
		}

		setFaults(t, s, FaultConfig{TruncateRate: 1})
		r, err = s.try(path)
		if err == nil || len(r.body) >= len(clean.body) {
			t.Fatalf("truncated over TLS=%v: err %v, %d of %d bytes", tls, err, len(r.body), len(clean.body))
		}

		setFaults(t, s, FaultConfig{ResetRate: 1})
		if _, err := s.try(path); err == nil {
			t.Fatalf("reset over TLS=%v: no error", tls)
		}
		setFaults(t, s, FaultConfig{})
		if r, err := s.try(path); err != nil || r.status != 200 {
			t.Fatalf("after clearing: %v %d", err, r.status)
		}
	}
}

func TestFaultStrippedAuthorization(t *testing.T) {
	s := startShop(t, Options{Orders: 3, Seed: 1, Faults: FaultConfig{StripAuthorization: true}}, true)
	if r := s.get(orderPath); r.status != 401 || string(r.body) != bodyCannotView {
		t.Errorf("wc/v3 Basic: %d %s", r.status, r.body)
	}
	if r := s.get("/wc-api/v3/orders/1"); r.status != 401 || string(r.body) != legacyErr("Consumer Secret is invalid.") {
		t.Errorf("legacy Basic: %d %s", r.status, r.body)
	}
	q := "?consumer_key=" + url.QueryEscape(DefaultKey) + "&consumer_secret=" + url.QueryEscape(DefaultSecret)
	for _, p := range []string{orderPath + q, "/wc-api/v3/orders/1" + q} {
		if r := s.get(p); r.status != 200 {
			t.Errorf("%s: %d %s", p, r.status, r.body)
		}
	}
}

func TestFaultAdminEndpoint(t *testing.T) {
	s := startShop(t, Options{Orders: 3, Seed: 1}, false)
	post := func(body string) (int, string) {
		resp, err := s.client.Post(s.srv.URL+"/__woosim/faults", "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := post(`{"seed":2,"rate_limit_every":2,"retry_after":5,"latency":"5ms","strip_authorization":true}`)
	if code != 200 || !strings.Contains(body, `"latency":"5ms"`) || !strings.Contains(body, `"rate_limit_every":2`) {
		t.Fatalf("%d %s", code, body)
	}
	c := s.srv.Sim.Faults().Config()
	if c.Latency != 5*time.Millisecond || c.RateLimitEvery != 2 || c.RetryAfter != 5 || !c.StripAuthorization {
		t.Fatalf("%+v", c)
	}
	for _, bad := range []string{`{"server_error_rate":2}`, `{"nope":1}`, `{"latency":"soon"}`, `[`} {
		if code, body := post(bad); code != 400 {
			t.Errorf("%s: %d %s", bad, code, body)
		}
	}
	if code, _ := post(`{}`); code != 200 || s.srv.Sim.Faults().Config().active() {
		t.Errorf("clearing: %d", code)
	}
}
