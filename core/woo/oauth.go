package woo

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// SignatureMethod is the OAuth 1.0a HMAC WooCommerce accepts.
type SignatureMethod string

const (
	HMACSHA256 SignatureMethod = "HMAC-SHA256"
	HMACSHA1   SignatureMethod = "HMAC-SHA1"
)

// signOAuth adds one-legged OAuth 1.0a parameters to q for a request to
// base (scheme, host, port and path; no query). WooCommerce reads them from
// the query string only, checks the timestamp within ±15 minutes and refuses
// a nonce seen in the last 15 minutes; oauth_version is left out, as its
// docs say.
func signOAuth(method, base string, q url.Values, key, secret string, sm SignatureMethod, now time.Time) {
	q.Set("oauth_consumer_key", key)
	q.Set("oauth_timestamp", strconv.FormatInt(now.Unix(), 10))
	q.Set("oauth_nonce", newNonce())
	q.Set("oauth_signature_method", string(sm))
	q.Del("oauth_signature")
	q.Set("oauth_signature", oauthSignature(method, base, q, secret, sm))
}

// oauthSignature computes the signature over the base string
// METHOD&enc(base)&enc(sorted enc(k)=enc(v) pairs joined by &).
func oauthSignature(method, base string, q url.Values, secret string, sm SignatureMethod) string {
	// WooCommerce sorts by the raw key (PHP uksort with strcmp), then
	// encodes each key=value pair.
	keys := make([]string, 0, len(q))
	for k := range q {
		if k != "oauth_signature" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	pairs := make([]string, 0, len(keys))
	for _, k := range keys {
		for _, v := range q[k] {
			pairs = append(pairs, rfc3986(k)+"="+rfc3986(v))
		}
	}
	baseString := strings.ToUpper(method) + "&" + rfc3986(base) + "&" + rfc3986(strings.Join(pairs, "&"))
	var h func() hash.Hash = sha256.New
	if sm == HMACSHA1 {
		h = sha1.New
	}
	mac := hmac.New(h, []byte(secret+"&"))
	mac.Write([]byte(baseString))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// rfc3986 percent-encodes everything but unreserved characters, as PHP's
// rawurlencode does.
func rfc3986(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteString(strings.ToUpper(hex.EncodeToString([]byte{c})))
	}
	return b.String()
}

// newNonce returns 32 random hex characters: unique per request, as
// WooCommerce stores each one for 15 minutes and refuses repeats.
func newNonce() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("crypto/rand: " + err.Error()) // never fails on supported platforms
	}
	return hex.EncodeToString(b[:])
}
