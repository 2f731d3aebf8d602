package woosim

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"hash"
	"net/http"
	"sort"
	"strings"
)

// legacyAuthError is WC_API_Authentication's error: every failure is
// woocommerce_api_authentication_error with the exception's code as the
// HTTP status.
func legacyAuthError(status int, msg string) *legacyError {
	return &legacyError{status: status, code: "woocommerce_api_authentication_error", message: msg}
}

// unauthorizedHeaders is exit_with_unauthorized_headers(): no Basic
// credentials, or a wrong secret in them.
func unauthorizedHeaders() *legacyError {
	e := legacyAuthError(401, "Consumer Secret is invalid.")
	e.wwwAuthenticate = true
	return e
}

// authenticateLegacy follows WC_API_Authentication::authenticate() (the
// index, "/", needs no authentication and never gets here): over HTTPS
// the query's consumer_key/consumer_secret, else Basic auth, and nothing
// else (an OAuth request gets "Consumer Secret is invalid."); over HTTP
// OAuth 1.0a with every parameter in the query string, the Authorization
// header ignored. Then the key's permissions for the method.
func (s *Sim) authenticateLegacy(r *http.Request, get phpParams, site, route, method string) (*apiKey, *legacyError) {
	var k *apiKey
	var err *legacyError
	if r.TLS != nil {
		k, err = s.legacySSLAuth(r, get)
	} else {
		k, err = s.legacyOAuth(get, site, route, method)
	}
	if err != nil {
		return nil, err
	}
	switch method {
	case http.MethodHead, http.MethodGet:
		if k.permissions != "read" && k.permissions != "read_write" {
			return nil, legacyAuthError(401, "The API key provided does not have read permissions.")
		}
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		if k.permissions != "write" && k.permissions != "read_write" {
			return nil, legacyAuthError(401, "The API key provided does not have write permissions.")
		}
	}
	return k, nil
}

// legacySSLAuth is perform_ssl_authentication().
func (s *Sim) legacySSLAuth(r *http.Request, get phpParams) (*apiKey, *legacyError) {
	ck, okK := get.get("consumer_key")
	cs, okS := get.get("consumer_secret")
	if !phpEmpty(ck, okK) && !phpEmpty(cs, okS) {
		k := s.lookupKey(strings.TrimSpace(ck.Value))
		if k == nil || ck.IsArr {
			return nil, legacyAuthError(401, "Consumer key is invalid.")
		}
		if cs.IsArr || !secretMatches(k, cs.Value) {
			return nil, legacyAuthError(401, "Consumer secret is invalid.")
		}
		return k, nil
	}
	// $_SERVER['PHP_AUTH_USER'] and ['PHP_AUTH_PW'], which empty() tests.
	u, p, ok := r.BasicAuth()
	if !ok || u == "" || u == "0" || p == "" || p == "0" {
		return nil, unauthorizedHeaders()
	}
	k := s.lookupKey(strings.TrimSpace(u))
	if k == nil {
		return nil, legacyAuthError(401, "Consumer key is invalid.")
	}
	if !secretMatches(k, p) {
		return nil, unauthorizedHeaders()
	}
	return k, nil
}

// legacyOAuth is perform_oauth_authentication(). A missing parameter is
// an exception with code 404 in WooCommerce's source, so the answer is a
// 404 (PROTOCOL.md's table says 401; the source has the last word).
func (s *Sim) legacyOAuth(get phpParams, site, route, method string) (*apiKey, *legacyError) {
	for _, n := range oauthRequired {
		if p, ok := get.get(n); phpEmpty(p, ok) {
			return nil, legacyAuthError(404, n+" parameter is missing")
		}
	}
	ckp, _ := get.get("oauth_consumer_key")
	k := s.lookupKey(strings.TrimSpace(ckp.Value))
	if k == nil || ckp.IsArr {
		return nil, legacyAuthError(401, "Consumer key is invalid.")
	}
	if msg := checkLegacyOAuthSignature(get, site, route, method, k.secret); msg != "" {
		return nil, legacyAuthError(401, msg)
	}
	tp, _ := get.get("oauth_timestamp")
	np, _ := get.get("oauth_nonce")
	if err := k.useNonce(tp.Value, np.Value, s.clock()); err != nil {
		return nil, legacyAuthError(401, err.message)
	}
	return k, nil
}

// legacyRFC3986 is WC_API_Authentication::urlencode_rfc3986() for a
// string: decoded, encoded again, and every "%" encoded once more.
func legacyRFC3986(v string) string {
	return strings.ReplaceAll(rawURLEncode(phpRawURLDecode(v)), "%", "%25")
}

// LegacyOAuthBaseString builds the string WooCommerce's legacy API signs
// (WC_API_Authentication::check_oauth_signature()), from the request's
// query parameters as PHP parsed them, for a client to sign with
// HMAC(consumer_secret + "&"):
//
//	METHOD & rawurlencode(home URL + "/wc-api/v3" + route) & params
//
// params are the query's parameters but oauth_signature, sorted by name
// (strcmp), name and value encoded by legacyRFC3986 and joined as
// name%3Dvalue with %26; an array parameter (filter[limit]=3) becomes
// filter%255Blimit%255D%3D3 for each of its entries in request order, the
// entry's key not encoded.
func legacyOAuthBaseString(get phpParams, site, route, method string) string {
	rest := make(phpParams, 0, len(get))
	for _, p := range get {
		if p.Key != "oauth_signature" {
			rest = append(rest, p)
		}
	}
	sort.SliceStable(rest, func(i, j int) bool { return rest[i].Key < rest[j].Key })
	parts := make([]string, 0, len(rest))
	for _, p := range rest {
		k := legacyRFC3986(p.Key)
		if p.IsArr {
			for _, kv := range p.Arr {
				parts = append(parts, k+"%255B"+kv.K+"%255D%3D"+legacyRFC3986(kv.V))
			}
			continue
		}
		parts = append(parts, k+"%3D"+legacyRFC3986(p.Value))
	}
	return strings.ToUpper(method) + "&" + rawURLEncode(site+"/wc-api/v3"+route) + "&" + strings.Join(parts, "%26")
}

// checkLegacyOAuthSignature returns "" when the signature matches, else
// WooCommerce's message.
func checkLegacyOAuthSignature(get phpParams, site, route, method, secret string) string {
	base := legacyOAuthBaseString(get, site, route, method)
	mp, _ := get.get("oauth_signature_method")
	var h func() hash.Hash
	switch {
	case !mp.IsArr && mp.Value == "HMAC-SHA1":
		h = sha1.New
	case !mp.IsArr && mp.Value == "HMAC-SHA256":
		h = sha256.New
	default:
		return "Invalid signature - signature method is invalid."
	}
	sigp, _ := get.get("oauth_signature")
	consumerSig := phpRawURLDecode(strings.ReplaceAll(sigp.Value, " ", "+"))
	mac := hmac.New(h, []byte(secret+"&"))
	mac.Write([]byte(base))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if sigp.IsArr || subtle.ConstantTimeCompare([]byte(want), []byte(consumerSig)) != 1 {
		return "Invalid signature - provided signature does not match."
	}
	return ""
}
