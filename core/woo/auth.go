package woo

import (
	"net/http"
	"net/url"
	"strings"
)

// AuthMode is how credentials travel to the shop.
type AuthMode string

const (
	// AuthBasic sends the key and secret as HTTP Basic auth (HTTPS only).
	AuthBasic AuthMode = "basic"
	// AuthQuery sends them as consumer_key/consumer_secret query
	// parameters (HTTPS only), for hosts that strip the Authorization header.
	AuthQuery AuthMode = "query"
	// AuthOAuth signs each request with one-legged OAuth 1.0a; the secret
	// never travels. WooCommerce requires it over plain HTTP.
	AuthOAuth AuthMode = "oauth1"
)

// authFor picks the mode for a scheme, refusing to put a secret on the
// wire unencrypted.
func authFor(scheme string, want AuthMode) (AuthMode, error) {
	if scheme == "http" {
		if want != "" && want != AuthOAuth {
			return "", &Error{Op: "configure shop", Kind: KindBadConfig,
				Message: "over plain http:// the key and secret are never sent as they are; use https:// or OAuth"}
		}
		return AuthOAuth, nil
	}
	switch want {
	case "":
		return AuthBasic, nil
	case AuthBasic, AuthQuery, AuthOAuth:
		return want, nil
	}
	return "", &Error{Op: "configure shop", Kind: KindBadConfig, Message: "unknown authentication mode " + string(want)}
}

// authorize adds credentials to a request in the given mode. q is the
// request's query, which OAuth signs and query mode extends.
func (c *Client) authorize(req *http.Request, endpoint string, q url.Values, mode AuthMode) {
	switch mode {
	case AuthBasic:
		req.SetBasicAuth(c.key, c.secret)
	case AuthQuery:
		q.Set("consumer_key", c.key)
		q.Set("consumer_secret", c.secret)
	case AuthOAuth:
		// Both dialects read OAuth parameters from the query string only.
		signOAuth(req.Method, endpoint, q, c.key, c.secret, c.oauth, c.now())
	}
}

// credentialsIgnored reports whether a 401 to Basic auth may mean the shop
// never saw the credentials, as on hosts that strip the Authorization
// header: WordPress answers an anonymous request "cannot list", and the
// legacy API says "Consumer Secret is invalid" whenever Basic credentials
// are absent or wrong (exit_with_unauthorized_headers), so only a retry
// with query-string keys tells the two apart.
func credentialsIgnored(e *Error) bool {
	if e.Kind != KindAuth || e.Status != http.StatusUnauthorized {
		return false
	}
	switch e.Code {
	case "woocommerce_rest_cannot_view", "rest_forbidden":
		return true
	case "woocommerce_api_authentication_error":
		return strings.HasPrefix(e.Message, "Consumer Secret is invalid") || strings.HasPrefix(strings.ToLower(e.Message), "consumer key is missing")
	}
	return false
}
