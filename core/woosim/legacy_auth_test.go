package woosim

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// legacyOAuthRequest signs a GET the way WooCommerce's legacy API checks
// it, written from WC_API_Authentication::check_oauth_signature() apart
// from the simulator: every parameter in the query string; the base
// string's parameters sorted by top-level name, an array parameter's
// entries in request order as name%255Bkey%255D%3Dvalue, values encoded
// twice.
type legacyOAuthRequest struct {
	method, key, secret, nonce string
	timestamp                  int64
	path                       string // the route, "/orders"
	params                     [][2]string
	tamper                     func(*[][2]string)
}

func (o legacyOAuthRequest) request(t *testing.T, base string) *http.Request {
	t.Helper()
	params := append([][2]string(nil), o.params...)
	params = append(params,
		[2]string{"oauth_consumer_key", o.key},
		[2]string{"oauth_nonce", o.nonce},
		[2]string{"oauth_signature_method", o.method},
		[2]string{"oauth_timestamp", strconv.FormatInt(o.timestamp, 10)},
	)
	type entry struct{ top, piece string }
	var entries []entry
	for _, p := range params {
		top, inner, isArr := strings.Cut(p[0], "[")
		enc := func(s string) string { return strings.ReplaceAll(rfc3986(s), "%", "%25") }
		if isArr {
			entries = append(entries, entry{top, enc(top) + "%255B" + strings.TrimSuffix(inner, "]") + "%255D%3D" + enc(p[1])})
		} else {
			entries = append(entries, entry{top, enc(top) + "%3D" + enc(p[1])})
		}
	}
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].top < entries[j].top })
	pieces := make([]string, len(entries))
	for i, e := range entries {
		pieces[i] = e.piece
	}
	u, _ := url.Parse(base)
	baseString := "GET&" + rfc3986(u.Scheme+"://"+u.Host+"/wc-api/v3"+o.path) + "&" + strings.Join(pieces, "%26")
	var h func() hash.Hash = sha1.New
	if o.method == "HMAC-SHA256" {
		h = sha256.New
	}
	mac := hmac.New(h, []byte(o.secret+"&"))
	mac.Write([]byte(baseString))
	params = append(params, [2]string{"oauth_signature", base64.StdEncoding.EncodeToString(mac.Sum(nil))})
	if o.tamper != nil {
		o.tamper(&params)
	}
	var q []string
	for _, p := range params {
		q = append(q, p[0]+"="+rfc3986(p[1]))
	}
	req, err := http.NewRequest(http.MethodGet, base+"/wc-api/v3"+o.path+"?"+strings.Join(q, "&"), nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func legacyErr(msg string) string {
	return `{"errors":[{"code":"woocommerce_api_authentication_error","message":"` + msg + `"}]}`
}

func TestLegacyAuthMatrix(t *testing.T) {
	o := Options{Orders: 5, Seed: 1, ReadOnlyKey: "ck_readonly", ReadOnlySecret: "cs_readonly"}
	https := startShop(t, o, true)
	plain := startShop(t, o, false)
	if string(sample(t, "legacy-v3-401-bad-key.json")) != legacyErr("Consumer key is invalid.") {
		t.Fatal("the legacy 401 sample changed")
	}
	const list = "/wc-api/v3/orders"
	req := func(s *shop, method, path string, mod func(*http.Request)) reply {
		r, _ := http.NewRequest(method, s.srv.URL+path, nil)
		if mod != nil {
			mod(r)
		}
		return s.do(r)
	}
	basic := func(k, sec string) func(*http.Request) { return func(r *http.Request) { r.SetBasicAuth(k, sec) } }
	query := "?consumer_key=" + url.QueryEscape(DefaultKey) + "&consumer_secret=" + url.QueryEscape(DefaultSecret)
	oauth := func(s *shop, m string, mod func(*legacyOAuthRequest)) reply {
		o := legacyOAuthRequest{method: m, key: DefaultKey, secret: DefaultSecret, nonce: randomNonce(),
			timestamp: s.clock.Now().Unix(), path: "/orders",
			params: [][2]string{{"filter[updated_at_min]", "2026-01-01T00:00:00Z"}, {"filter[limit]", "2"}, {"page", "1"}}}
		if mod != nil {
			mod(&o)
		}
		return s.do(o.request(t, s.srv.URL))
	}
	secretInvalid := legacyErr("Consumer Secret is invalid.")
	cases := []struct {
		name   string
		r      func() reply
		status int
		body   string
	}{
		{"basic over TLS", func() reply { return req(https, "GET", list, basic(DefaultKey, DefaultSecret)) }, 200, ""},
		{"query keys over TLS", func() reply { return req(https, "GET", list+query, nil) }, 200, ""},
		{"basic over TLS, unknown key", func() reply { return req(https, "GET", list, basic("ck_nope", DefaultSecret)) }, 401, legacyErr("Consumer key is invalid.")},
		{"basic over TLS, wrong secret", func() reply { return req(https, "GET", list, basic(DefaultKey, "cs_nope")) }, 401, secretInvalid},
		{"query keys over TLS, wrong secret", func() reply {
			return req(https, "GET", list+"?consumer_key="+DefaultKey+"&consumer_secret=cs_nope", nil)
		}, 401, legacyErr("Consumer secret is invalid.")},
		{"nothing over TLS", func() reply { return req(https, "GET", list, nil) }, 401, secretInvalid},
		{"OAuth over TLS", func() reply { return oauth(https, "HMAC-SHA1", nil) }, 401, secretInvalid},
		{"OAuth HMAC-SHA1 over HTTP, filter[] in the query", func() reply { return oauth(plain, "HMAC-SHA1", nil) }, 200, ""},
		{"OAuth HMAC-SHA256 over HTTP", func() reply { return oauth(plain, "HMAC-SHA256", nil) }, 200, ""},
		{"OAuth with filter[] entries out of order", func() reply {
			return oauth(plain, "HMAC-SHA1", func(o *legacyOAuthRequest) {
				o.params = [][2]string{{"filter[limit]", "2"}, {"filter[order]", "ASC"}, {"filter[orderby]", "ID"}}
			})
		}, 200, ""},
		{"OAuth, wrong secret", func() reply {
			return oauth(plain, "HMAC-SHA1", func(o *legacyOAuthRequest) { o.secret = "cs_nope" })
		}, 401, legacyErr("Invalid signature - provided signature does not match.")},
		{"OAuth, a parameter changed after signing", func() reply {
			return oauth(plain, "HMAC-SHA1", func(o *legacyOAuthRequest) {
				o.tamper = func(p *[][2]string) { (*p)[1][1] = "3" }
			})
		}, 401, legacyErr("Invalid signature - provided signature does not match.")},
		{"OAuth, unknown key", func() reply {
			return oauth(plain, "HMAC-SHA1", func(o *legacyOAuthRequest) { o.key = "ck_nope" })
		}, 401, legacyErr("Consumer key is invalid.")},
		{"OAuth, stale timestamp", func() reply {
			return oauth(plain, "HMAC-SHA1", func(o *legacyOAuthRequest) { o.timestamp -= 15*60 + 1 })
		}, 401, legacyErr("Invalid timestamp.")},
		{"OAuth, PLAINTEXT", func() reply { return oauth(plain, "PLAINTEXT", nil) }, 401, legacyErr("Invalid signature - signature method is invalid.")},
		// The exception's code is 404 in WooCommerce's source.
		{"basic over HTTP", func() reply { return req(plain, "GET", list, basic(DefaultKey, DefaultSecret)) }, 404, legacyErr("oauth_consumer_key parameter is missing")},
		{"OAuth in the Authorization header", func() reply {
			return req(plain, "GET", list, func(r *http.Request) {
				r.Header.Set("Authorization", `OAuth oauth_consumer_key="`+DefaultKey+`", oauth_nonce="x", oauth_signature="x", oauth_signature_method="HMAC-SHA1", oauth_timestamp="1"`)
			})
		}, 404, legacyErr("oauth_consumer_key parameter is missing")},
		{"a parameter missing", func() reply {
			return req(plain, "GET", list+"?oauth_consumer_key=ck&oauth_timestamp=1&oauth_signature=x&oauth_signature_method=HMAC-SHA1", nil)
		}, 404, legacyErr("oauth_nonce parameter is missing")},
		{"the index needs nothing", func() reply { return req(plain, "GET", "/wc-api/v3", nil) }, 200, ""},
		{"read-only key reads", func() reply { return req(https, "GET", list, basic("ck_readonly", "cs_readonly")) }, 200, ""},
		{"read-only key writes", func() reply { return req(https, "POST", "/wc-api/v3/webhooks", basic("ck_readonly", "cs_readonly")) }, 401,
			legacyErr("The API key provided does not have write permissions.")},
		{"read-only key writes through _method", func() reply {
			return req(https, "GET", "/wc-api/v3/webhooks/1?_method=DELETE", basic("ck_readonly", "cs_readonly"))
		}, 401, legacyErr("The API key provided does not have write permissions.")},
		{"unsupported method", func() reply { return req(https, "OPTIONS", list, basic(DefaultKey, DefaultSecret)) }, 400,
			`{"errors":[{"code":"woocommerce_api_unsupported_method","message":"Unsupported request method"}]}`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := c.r()
			if r.status != c.status || (c.body != "" && string(r.body) != c.body) {
				t.Fatalf("%d %s, want %d %s", r.status, r.body, c.status, c.body)
			}
			if (c.body == secretInvalid) != (r.header.Get("WWW-Authenticate") != "") {
				t.Errorf("WWW-Authenticate %q", r.header.Get("WWW-Authenticate"))
			}
		})
	}

	// A nonce works once.
	o1 := legacyOAuthRequest{method: "HMAC-SHA1", key: DefaultKey, secret: DefaultSecret, nonce: "n1",
		timestamp: plain.clock.Now().Unix(), path: "/orders/1"}
	if r := plain.do(o1.request(t, plain.srv.URL)); r.status != 200 {
		t.Fatalf("first use: %d %s", r.status, r.body)
	}
	if r := plain.do(o1.request(t, plain.srv.URL)); r.status != 401 || string(r.body) != legacyErr("Invalid nonce - nonce has already been used.") {
		t.Fatalf("replay: %d %s", r.status, r.body)
	}
}

// The base string for the capture's list request, spelled out.
func TestLegacyOAuthBaseString(t *testing.T) {
	get := parsePHPQuery("filter%5Blimit%5D=3&filter%5Bupdated_at_min%5D=2026-11-27T11%3A00%3A00Z&page=2&oauth_consumer_key=ck&oauth_nonce=n&oauth_signature_method=HMAC-SHA1&oauth_timestamp=1&oauth_signature=x")
	got := legacyOAuthBaseString(get, "http://127.0.0.1:8080", "/orders", "GET")
	want := "GET&http%3A%2F%2F127.0.0.1%3A8080%2Fwc-api%2Fv3%2Forders&" +
		"filter%255Blimit%255D%3D3%26filter%255Bupdated_at_min%255D%3D2026-11-27T11%253A00%253A00Z%26" +
		"oauth_consumer_key%3Dck%26oauth_nonce%3Dn%26oauth_signature_method%3DHMAC-SHA1%26oauth_timestamp%3D1%26page%3D2"
	if got != want {
		t.Fatalf("\n got %s\nwant %s", got, want)
	}
}
