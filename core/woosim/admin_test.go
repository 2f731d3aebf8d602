package woosim

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAdminEndpoints(t *testing.T) {
	s := startShop(t, Options{Orders: 4, Seed: 1}, false)
	post := func(path, body string) reply {
		req, err := http.NewRequest(http.MethodPost, s.srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return s.do(req)
	}

	r := post("/__woosim/orders?n=3", "")
	var added struct{ IDs []int64 }
	r.json(t, &added)
	if r.status != 200 || len(added.IDs) != 3 || added.IDs[0] != 5 {
		t.Fatalf("add: %d %s", r.status, r.body)
	}
	now := s.clock.Add(time.Minute)
	r = post("/__woosim/orders/2/status", `{"status":"completed"}`)
	var sum OrderSummary
	r.json(t, &sum)
	if r.status != 200 || sum.ID != 2 || sum.Status != "completed" || !sum.Modified.Equal(now) {
		t.Fatalf("status: %d %s", r.status, r.body)
	}

	r = s.get("/__woosim/orders")
	var snap []OrderSummary
	r.json(t, &snap)
	if r.status != 200 || len(snap) != 7 || snap[1] != sum {
		t.Fatalf("snapshot: %d %s", r.status, r.body)
	}
	want := s.srv.Sim.Snapshot()
	for i := range want {
		if snap[i] != want[i] {
			t.Fatalf("snapshot over HTTP %+v != %+v", snap[i], want[i])
		}
	}
	var raw []map[string]any
	json.Unmarshal(r.body, &raw)
	if raw[0]["total"] == nil || raw[0]["date_modified_gmt"] == nil {
		t.Fatalf("snapshot JSON %s", r.body)
	}

	for _, c := range []struct {
		path, body string
		status     int
	}{
		{"/__woosim/orders?n=0", "", 400},
		{"/__woosim/orders?n=x", "", 400},
		{"/__woosim/orders/99/status", `{"status":"completed"}`, 404},
		{"/__woosim/orders/1/status", `{"status":"Not A Status"}`, 400},
		{"/__woosim/orders/1/status", `nope`, 400},
		{"/__woosim/nothing", "", 404},
	} {
		if r := post(c.path, c.body); r.status != c.status {
			t.Errorf("POST %s %s: %d %s, want %d", c.path, c.body, r.status, r.body, c.status)
		}
	}
}

func TestStartRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.168.1.1:0", "example.com:80", "nonsense"} {
		if err := CheckLoopback(addr); err == nil {
			t.Errorf("%s accepted", addr)
		}
	}
	for _, addr := range []string{"127.0.0.1:0", "localhost:8080", "[::1]:0", "127.0.0.2:0"} {
		if err := CheckLoopback(addr); err != nil {
			t.Errorf("%s refused: %v", addr, err)
		}
	}
}

func TestTLSCertificate(t *testing.T) {
	s := startShop(t, Options{Orders: 1, Seed: 1}, true)
	if len(s.srv.CertSHA256) != 64 || !strings.HasPrefix(s.srv.URL, "https://127.0.0.1:") {
		t.Fatalf("%q %q", s.srv.CertSHA256, s.srv.URL)
	}
	// The client trusts the PEM: any request proves the certificate is for 127.0.0.1.
	if r := s.get("/wp-json/wc/v3/orders/1"); r.status != 200 {
		t.Fatalf("%d %s", r.status, r.body)
	}
}
