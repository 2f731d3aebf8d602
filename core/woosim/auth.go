package woosim

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"hash"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// apiKey is a WooCommerce REST API key (woocommerce_api_keys row) with the
// OAuth nonces it has seen.
type apiKey struct {
	key, secret string
	permissions string // read, write or read_write

	mu     sync.Mutex
	nonces map[string]float64 // nonce → the oauth_timestamp it came with
	adds   int
}

func newAPIKey(key, secret, permissions string) *apiKey {
	return &apiKey{key: key, secret: secret, permissions: permissions, nonces: map[string]float64{}}
}

// lookupKey finds the key with this consumer key, comparing in constant
// time against every key.
func (s *Sim) lookupKey(consumerKey string) *apiKey {
	var found *apiKey
	for _, k := range s.keys {
		if subtle.ConstantTimeCompare([]byte(k.key), []byte(consumerKey)) == 1 {
			found = k
		}
	}
	return found
}

func secretMatches(k *apiKey, secret string) bool {
	return subtle.ConstantTimeCompare([]byte(k.secret), []byte(secret)) == 1
}

// oauthWindow is how far an oauth_timestamp may be from the shop's clock,
// and how long a nonce is remembered.
const oauthWindow = 15 * 60

// useNonce checks the timestamp and records the nonce, as
// check_oauth_timestamp_and_nonce() does. Unlike WooCommerce, which files
// nonces under their timestamp (so a second request with the same timestamp
// makes the first nonce reusable), every nonce is remembered for 15 minutes.
func (k *apiKey) useNonce(timestamp, nonce string, now int64) *wpError {
	if phpLess(timestamp, now-oauthWindow) || phpGreater(timestamp, now+oauthWindow) {
		return authError("Invalid timestamp.")
	}
	ts, _ := strconv.ParseFloat(strings.TrimSpace(timestamp), 64)
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, used := k.nonces[nonce]; used {
		return authError("Invalid nonce - nonce has already been used.")
	}
	k.nonces[nonce] = ts
	if k.adds++; k.adds%256 == 0 {
		for n, t := range k.nonces {
			if t < float64(now-oauthWindow) {
				delete(k.nonces, n)
			}
		}
	}
	return nil
}

var phpNumericRE = regexp.MustCompile(`^[ \t\n\r\v\f]*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?[ \t\n\r\v\f]*$`)

// phpLess and phpGreater compare a request string with an int the way PHP 8
// does: numerically when the string is numeric, else as strings.
func phpLess(s string, n int64) bool { return phpCompare(s, n) < 0 }

func phpGreater(s string, n int64) bool { return phpCompare(s, n) > 0 }

func phpCompare(s string, n int64) int {
	if phpNumericRE.MatchString(s) {
		f, _ := strconv.ParseFloat(strings.TrimSpace(s), 64)
		switch {
		case f < float64(n):
			return -1
		case f > float64(n):
			return 1
		}
		return 0
	}
	return strings.Compare(s, strconv.FormatInt(n, 10))
}

func authError(msg string) *wpError {
	return &wpError{status: 401, code: "woocommerce_rest_authentication_error", message: msg}
}

// restAuth is the outcome of WC_REST_Authentication for one request: the
// key it authenticated (nil if none) or the error it set, which WordPress
// answers before routing.
type restAuth struct {
	key *apiKey
	err *wpError
}

// authenticateWCV3 follows WC_REST_Authentication::authenticate(): over
// HTTPS, consumer_key/consumer_secret in the query or Basic auth; failing
// that (and always over HTTP), OAuth 1.0a. A consumer key the shop does not
// know is no error for Basic auth (the request just stays anonymous); a
// wrong secret is, and that error stands unless OAuth sets its own.
func (s *Sim) authenticateWCV3(r *http.Request, get phpParams, site string) restAuth {
	var basicErr *wpError
	if r.TLS != nil {
		k, err := s.basicAuth(r, get)
		if k != nil {
			return restAuth{key: k}
		}
		basicErr = err
	}
	a := s.oauthWCV3(r, get, site)
	if a.err == nil && basicErr != nil {
		return restAuth{err: basicErr}
	}
	return a
}

// basicAuth is perform_basic_authentication(): the query's
// consumer_key/consumer_secret first, then the Basic auth header.
func (s *Sim) basicAuth(r *http.Request, get phpParams) (*apiKey, *wpError) {
	var ck, cs string
	kp, okK := get.get("consumer_key")
	sp, okS := get.get("consumer_secret")
	if !phpEmpty(kp, okK) && !phpEmpty(sp, okS) {
		ck, cs = kp.Value, sp.Value
	}
	if ck == "" {
		if u, p, ok := r.BasicAuth(); ok && u != "" && u != "0" && p != "" && p != "0" {
			ck, cs = u, p
		}
	}
	if ck == "" || cs == "" {
		return nil, nil
	}
	k := s.lookupKey(strings.TrimSpace(ck))
	if k == nil {
		return nil, nil
	}
	if !secretMatches(k, cs) {
		return nil, authError("Consumer secret is invalid.")
	}
	return k, nil
}

var oauthRequired = []string{"oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method"}

// oauthParams is get_oauth_parameters()'s merge: the query, then the
// parameters of an "Authorization: OAuth …" header.
func oauthParams(r *http.Request, get phpParams) phpParams {
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if !strings.HasPrefix(h, "OAuth ") {
		return get
	}
	return get.merge(parseOAuthHeader(h))
}

var oauthHeaderRE = regexp.MustCompile(`(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))`)

func parseOAuthHeader(h string) phpParams {
	var ps phpParams
	for _, m := range oauthHeaderRE.FindAllStringSubmatch(h, -1) {
		v := m[3]
		if v == "" {
			v = m[4]
		}
		ps.set(phpParam{Key: m[1], Value: phpURLDecode(v)})
	}
	return ps
}

// oauthWCV3 is perform_oauth_authentication().
func (s *Sim) oauthWCV3(r *http.Request, get phpParams, site string) restAuth {
	params := oauthParams(r, get)
	var missing []string
	for _, n := range oauthRequired {
		if p, ok := params.get(n); phpEmpty(p, ok) {
			missing = append(missing, n)
		}
	}
	switch {
	case len(missing) == len(oauthRequired):
		return restAuth{} // not even trying OAuth
	case len(missing) == 1:
		return restAuth{err: &wpError{status: 401, code: "woocommerce_rest_authentication_missing_parameter",
			message: "Missing OAuth parameter " + missing[0]}}
	case len(missing) > 1:
		return restAuth{err: &wpError{status: 401, code: "woocommerce_rest_authentication_missing_parameter",
			message: "Missing OAuth parameters " + strings.Join(missing, ", ")}}
	}
	ckp, _ := params.get("oauth_consumer_key")
	k := s.lookupKey(strings.TrimSpace(ckp.Value))
	if k == nil || ckp.IsArr {
		return restAuth{err: authError("Consumer key is invalid.")}
	}
	if err := checkOAuthSignatureWCV3(r, params, site, k.secret); err != nil {
		return restAuth{err: err}
	}
	tp, _ := params.get("oauth_timestamp")
	np, _ := params.get("oauth_nonce")
	if err := k.useNonce(tp.Value, np.Value, s.clock()); err != nil {
		return restAuth{err: err}
	}
	return restAuth{key: k}
}

// checkOAuthSignatureWCV3 rebuilds the signature base string as
// WC_REST_Authentication::check_oauth_signature() does:
//
//	METHOD & rawurlencode(home URL + request path) & join("%26", rawurlencode(k=v))
//
// with the parameters sorted by name (strcmp), keys and values
// rawurlencode()d, array entries as key%5Bsub%5D, and the key being the
// consumer secret followed by "&".
func checkOAuthSignatureWCV3(r *http.Request, params phpParams, site, secret string) *wpError {
	sigp, _ := params.get("oauth_signature")
	consumerSig := phpRawURLDecode(strings.ReplaceAll(sigp.Value, " ", "+"))

	path, _, _ := strings.Cut(r.RequestURI, "?")
	if path == "" || path[0] != '/' {
		path = r.URL.EscapedPath() // an absolute-form request target
	}
	rest := make(phpParams, 0, len(params))
	for _, p := range params {
		if p.Key != "oauth_signature" {
			rest = append(rest, p)
		}
	}
	sort.SliceStable(rest, func(i, j int) bool { return rest[i].Key < rest[j].Key })
	parts := make([]string, 0, len(rest))
	for _, p := range rest {
		ek := rawURLEncode(p.Key)
		if p.IsArr {
			for _, kv := range p.Arr {
				parts = append(parts, rawURLEncode(ek+"%5B"+kv.K+"%5D="+rawURLEncode(kv.V)))
			}
			continue
		}
		parts = append(parts, rawURLEncode(ek+"="+rawURLEncode(p.Value)))
	}
	base := strings.ToUpper(r.Method) + "&" + rawURLEncode(site+path) + "&" + strings.Join(parts, "%26")

	mp, _ := params.get("oauth_signature_method")
	var h func() hash.Hash
	switch {
	case !mp.IsArr && mp.Value == "HMAC-SHA1":
		h = sha1.New
	case !mp.IsArr && mp.Value == "HMAC-SHA256":
		h = sha256.New
	default:
		return authError("Invalid signature - signature method is invalid.")
	}
	mac := hmac.New(h, []byte(secret+"&"))
	mac.Write([]byte(base))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if sigp.IsArr || subtle.ConstantTimeCompare([]byte(want), []byte(consumerSig)) != 1 {
		return authError("Invalid signature - provided signature does not match.")
	}
	return nil
}
