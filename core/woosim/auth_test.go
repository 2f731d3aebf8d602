package woosim

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

const (
	bodyCannotList = `{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}`
	bodyCannotView = `{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot view this resource.","data":{"status":401}}`
)

func authErr(msg string) string {
	return `{"code":"woocommerce_rest_authentication_error","message":"` + msg + `","data":{"status":401}}`
}

func TestAuthMatrix(t *testing.T) {
	https := startShop(t, Options{Orders: 3, Seed: 1}, true)
	http_ := startShop(t, Options{Orders: 3, Seed: 1}, false)
	if string(sample(t, "wc-v3-401-no-auth-http.json")) != bodyCannotList || string(sample(t, "wc-v3-401-bad-key.json")) != bodyCannotList {
		t.Fatal("the 401 samples changed")
	}
	const list = "/wp-json/wc/v3/orders"

	req := func(s *shop, path string, mod func(*http.Request)) reply {
		r, err := http.NewRequest(http.MethodGet, s.srv.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if mod != nil {
			mod(r)
		}
		return s.do(r)
	}
	basic := func(k, s string) func(*http.Request) {
		return func(r *http.Request) { r.SetBasicAuth(k, s) }
	}
	query := "?consumer_key=" + url.QueryEscape(DefaultKey) + "&consumer_secret=" + url.QueryEscape(DefaultSecret)
	oauth := func(s *shop, method string, mod func(*oauthRequest)) reply {
		o := oauthRequest{method: method, key: DefaultKey, secret: DefaultSecret,
			timestamp: s.clock.Now().Unix(), nonce: randomNonce()}
		if mod != nil {
			mod(&o)
		}
		return s.do(o.request(t, s.srv.URL+list, [][2]string{{"per_page", "2"}, {"orderby", "modified"}}))
	}

	cases := []struct {
		name   string
		r      func() reply
		status int
		body   string // exact body for errors
	}{
		{"basic over TLS", func() reply { return req(https, list, basic(DefaultKey, DefaultSecret)) }, 200, ""},
		{"query keys over TLS", func() reply { return req(https, list+query, nil) }, 200, ""},
		{"query keys over TLS win over a wrong Basic header", func() reply {
			return req(https, list+query, basic(DefaultKey, "wrong"))
		}, 200, ""},
		{"basic over TLS, wrong secret", func() reply { return req(https, list, basic(DefaultKey, "cs_wrong")) }, 401, authErr("Consumer secret is invalid.")},
		{"basic over TLS, unknown key", func() reply { return req(https, list, basic("ck_unknown", DefaultSecret)) }, 401, bodyCannotList},
		{"no credentials over TLS", func() reply { return req(https, list, nil) }, 401, bodyCannotList},
		{"OAuth over TLS", func() reply { return oauth(https, "HMAC-SHA1", nil) }, 200, ""},
		{"basic over HTTP", func() reply { return req(http_, list, basic(DefaultKey, DefaultSecret)) }, 401, bodyCannotList},
		{"query keys over HTTP", func() reply { return req(http_, list+query, nil) }, 401, bodyCannotList},
		{"no credentials over HTTP", func() reply { return req(http_, list, nil) }, 401, bodyCannotList},
		{"no credentials, single order", func() reply { return req(http_, list+"/2", nil) }, 401, bodyCannotView},
		{"OAuth HMAC-SHA1 over HTTP", func() reply { return oauth(http_, "HMAC-SHA1", nil) }, 200, ""},
		{"OAuth HMAC-SHA256 over HTTP", func() reply { return oauth(http_, "HMAC-SHA256", nil) }, 200, ""},
		{"OAuth in the Authorization header", func() reply {
			return oauth(http_, "HMAC-SHA256", func(o *oauthRequest) { o.inHeader = true })
		}, 200, ""},
		{"OAuth, wrong secret", func() reply {
			return oauth(http_, "HMAC-SHA1", func(o *oauthRequest) { o.secret = "cs_wrong" })
		}, 401, authErr("Invalid signature - provided signature does not match.")},
		{"OAuth, unknown key", func() reply {
			return oauth(http_, "HMAC-SHA1", func(o *oauthRequest) { o.key = "ck_unknown" })
		}, 401, authErr("Consumer key is invalid.")},
		{"OAuth, stale timestamp", func() reply {
			return oauth(http_, "HMAC-SHA1", func(o *oauthRequest) { o.timestamp -= 15*60 + 1 })
		}, 401, authErr("Invalid timestamp.")},
		{"OAuth, timestamp 15 minutes ago", func() reply {
			return oauth(http_, "HMAC-SHA1", func(o *oauthRequest) { o.timestamp -= 15 * 60 })
		}, 200, ""},
		{"OAuth, future timestamp", func() reply {
			return oauth(http_, "HMAC-SHA1", func(o *oauthRequest) { o.timestamp += 15*60 + 1 })
		}, 401, authErr("Invalid timestamp.")},
		{"OAuth, PLAINTEXT", func() reply {
			return oauth(http_, "PLAINTEXT", nil)
		}, 401, authErr("Invalid signature - signature method is invalid.")},
		{"OAuth, a parameter missing", func() reply {
			return req(http_, list+"?oauth_consumer_key="+DefaultKey+"&oauth_signature=x&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1", nil)
		}, 401, `{"code":"woocommerce_rest_authentication_missing_parameter","message":"Missing OAuth parameter oauth_nonce","data":{"status":401}}`},
		{"OAuth, parameters missing", func() reply {
			return req(http_, list+"?oauth_consumer_key="+DefaultKey+"&oauth_nonce=0", nil)
		}, 401, `{"code":"woocommerce_rest_authentication_missing_parameter","message":"Missing OAuth parameters oauth_timestamp, oauth_nonce, oauth_signature, oauth_signature_method","data":{"status":401}}`},
		{"rest_route form ignores keys", func() reply {
			return req(https, "/?rest_route=/wc/v3/orders", basic(DefaultKey, DefaultSecret))
		}, 401, bodyCannotList},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.r()
			if r.status != c.status || (c.body != "" && string(r.body) != c.body) {
				t.Fatalf("%d %s, want %d %s", r.status, r.body, c.status, c.body)
			}
			if r.status == 401 {
				if r.header.Get("Allow") != "" || r.header.Get("Expires") != "" || r.header.Get("Vary") != "Origin" ||
					r.header.Get("Content-Type") != "application/json; charset=UTF-8" {
					t.Errorf("401 headers %v", r.header)
				}
			}
		})
	}
}

func TestOAuthNonceReplay(t *testing.T) {
	s := startShop(t, Options{Orders: 3, Seed: 1}, false)
	o := oauthRequest{method: "HMAC-SHA1", key: DefaultKey, secret: DefaultSecret, timestamp: s.clock.Now().Unix(), nonce: "abc123"}
	params := [][2]string{{"status[0]", "completed"}, {"modified_after", "2026-01-01T00:00:00"}, {"dates_are_gmt", "true"}, {"note", "a b+c/ä~"}}
	if r := s.do(o.request(t, s.srv.URL+"/wp-json/wc/v3/orders", params)); r.status != 200 {
		t.Fatalf("first use: %d %s", r.status, r.body)
	}
	r := s.do(o.request(t, s.srv.URL+"/wp-json/wc/v3/orders", params))
	if r.status != 401 || string(r.body) != authErr("Invalid nonce - nonce has already been used.") {
		t.Fatalf("replay: %d %s", r.status, r.body)
	}
	// Same nonce in another request, even later: still refused.
	s.clock.Add(10 * time.Minute)
	o.timestamp = s.clock.Now().Unix()
	if r := s.do(o.request(t, s.srv.URL+"/wp-json/wc/v3/orders/1", nil)); r.status != 401 {
		t.Fatalf("nonce reused on another URL: %d", r.status)
	}
	// A new nonce works.
	o.nonce = "def456"
	if r := s.do(o.request(t, s.srv.URL+"/wp-json/wc/v3/orders/1", nil)); r.status != 200 {
		t.Fatalf("fresh nonce: %d %s", r.status, r.body)
	}
}

func TestOAuthSignsTheHostAsRequested(t *testing.T) {
	s := startShop(t, Options{Orders: 3, Seed: 1}, false)
	o := oauthRequest{method: "HMAC-SHA1", key: DefaultKey, secret: DefaultSecret, timestamp: s.clock.Now().Unix(), nonce: randomNonce()}
	// Signed for "localhost" but sent to 127.0.0.1: the base strings differ.
	u := mustURL(t, s.srv.URL)
	signed := o.request(t, "http://localhost:"+u.Port()+"/wp-json/wc/v3/orders", nil)
	signed.URL.Host = u.Host
	signed.Host = u.Host
	if r := s.do(signed); r.status != 401 || !strings.Contains(string(r.body), "Invalid signature") {
		t.Fatalf("%d %s", r.status, r.body)
	}
}
