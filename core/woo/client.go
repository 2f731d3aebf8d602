package woo

import (
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// maxBody bounds what we read from a shop: a page of 100 orders is ~400 KB.
const maxBody = 64 << 20

// Config describes how to reach one shop.
type Config struct {
	// URL is the shop's home URL as the bookkeeper knows it
	// ("https://shop.example" or "http://127.0.0.1:8080/wordpress").
	URL         string
	Key, Secret string
	// Dialect is the API spoken; empty means wc/v3.
	Dialect ledger.Dialect
	// Auth forces an authentication mode; empty means Basic over HTTPS
	// (falling back to query-string keys by itself when the host strips
	// the Authorization header) and OAuth 1.0a over plain HTTP.
	Auth AuthMode
	// OnAuthFallback is called once when the client switches to
	// query-string keys by itself, so the caller can remember it.
	OnAuthFallback func(AuthMode)
	// OAuth is the signature method used over plain HTTP (default HMAC-SHA256).
	OAuth SignatureMethod
	// CertSHA256 pins the shop's certificate (hex SHA-256 of its DER form):
	// when set, exactly that certificate is accepted for this shop, which
	// is how a self-signed shop is trusted after the user confirms it.
	CertSHA256 string
	// HTTPClient is used for every request; nil means a client with
	// sensible timeouts.
	HTTPClient *http.Client
	// Retry bounds retries of transient failures; the zero value is
	// DefaultRetry.
	Retry Retry
	// Now is the clock for OAuth timestamps; nil means time.Now.
	Now func() time.Time
}

// Client talks to one shop. It is safe for concurrent use.
type Client struct {
	base       *url.URL // home URL without trailing slash
	key        string
	secret     string
	dialect    ledger.Dialect
	auth       atomic.Value // AuthMode in use
	onFallback func(AuthMode)
	oauth      SignatureMethod
	http       *http.Client
	retry      Retry
	now        func() time.Time
}

// New checks the configuration and returns a client. It never sends Basic
// credentials or query-string secrets over plain HTTP: there it signs with
// OAuth 1.0a instead.
func New(cfg Config) (*Client, error) {
	u, err := ParseShopURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Key == "" || cfg.Secret == "" {
		return nil, &Error{Op: "configure shop", Kind: KindBadConfig, Message: "consumer key and secret are required"}
	}
	c := &Client{base: u, key: cfg.Key, secret: cfg.Secret, dialect: cfg.Dialect, onFallback: cfg.OnAuthFallback,
		oauth: cfg.OAuth, http: cfg.HTTPClient, retry: cfg.Retry.withDefaults(), now: cfg.Now}
	if c.dialect == "" {
		c.dialect = ledger.DialectWCV3
	}
	if c.dialect != ledger.DialectWCV3 && c.dialect != ledger.DialectLegacyV3 {
		return nil, &Error{Op: "configure shop", Kind: KindBadConfig, Message: "unknown API dialect " + string(c.dialect)}
	}
	mode, err := authFor(u.Scheme, cfg.Auth)
	if err != nil {
		return nil, err
	}
	c.auth.Store(mode)
	if c.oauth == "" {
		c.oauth = HMACSHA256
	}
	if c.http == nil {
		c.http = DefaultHTTPClient()
	}
	if cfg.CertSHA256 != "" {
		if c.http, err = pinned(c.http, cfg.CertSHA256); err != nil {
			return nil, err
		}
	}
	if c.now == nil {
		c.now = time.Now
	}
	return c, nil
}

// DefaultHTTPClient has timeouts that suit slow shared hosting: a page of
// 100 orders can take WordPress several seconds to render.
func DefaultHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = 60 * time.Second
	tr.TLSHandshakeTimeout = 15 * time.Second
	return &http.Client{
		Transport: tr,
		Timeout:   2 * time.Minute,
		// WooCommerce never redirects an API call that works; following a
		// redirect would resend credentials to wherever it points.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// ParseShopURL normalizes a shop URL typed by a person: it adds https://
// when no scheme is given and drops a trailing slash, query and fragment.
func ParseShopURL(raw string) (*url.URL, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return nil, &Error{Op: "parse shop url", Kind: KindBadConfig, Message: "the shop URL is empty"}
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, &Error{Op: "parse shop url", Kind: KindBadConfig, Message: "not a web address", Err: err}
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, &Error{Op: "parse shop url", Kind: KindBadConfig, Message: "the address must start with https:// or http://"}
	}
	if u.Host == "" {
		return nil, &Error{Op: "parse shop url", Kind: KindBadConfig, Message: "the address has no host name"}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath, u.RawQuery, u.Fragment, u.User = "", "", "", nil
	return u, nil
}

// BaseURL is the shop's normalized home URL.
func (c *Client) BaseURL() string { return c.base.String() }

// Dialect is the API dialect the client speaks.
func (c *Client) Dialect() ledger.Dialect { return c.dialect }

// Auth is the authentication mode in use now.
func (c *Client) Auth() AuthMode { return c.auth.Load().(AuthMode) }

// apiRoot is the dialect's base URL.
func (c *Client) apiRoot(d ledger.Dialect) string {
	if d == ledger.DialectLegacyV3 {
		return c.base.String() + "/wc-api/v3/"
	}
	return c.base.String() + "/wp-json/wc/v3/"
}

// withDialect returns a client for the same shop speaking another dialect.
func (c *Client) withDialect(d ledger.Dialect) *Client {
	n := &Client{base: c.base, key: c.key, secret: c.secret, dialect: d, oauth: c.oauth, http: c.http, retry: c.retry, now: c.now}
	n.auth.Store(c.Auth())
	return n
}
