package woo

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// maxBody bounds what we read from a shop: a page of 100 orders is ~400 KB.
const maxBody = 64 << 20

// Config describes how to reach one shop.
type Config struct {
	// URL is the shop's home URL as the bookkeeper knows it
	// ("https://shop.example" or "http://127.0.0.1:8080/wordpress").
	URL         string
	Key, Secret string
	// OAuth is the signature method used over plain HTTP (default HMAC-SHA256).
	OAuth SignatureMethod
	// HTTPClient is used for every request; nil means a client with
	// sensible timeouts.
	HTTPClient *http.Client
	// Now is the clock for OAuth timestamps; nil means time.Now.
	Now func() time.Time
}

// Client talks to one shop. It is safe for concurrent use.
type Client struct {
	base   *url.URL // home URL without trailing slash
	key    string
	secret string
	oauth  SignatureMethod
	http   *http.Client
	now    func() time.Time
}

// New checks the configuration and returns a client. It never sends Basic
// credentials over plain HTTP: there it signs with OAuth 1.0a instead.
func New(cfg Config) (*Client, error) {
	u, err := ParseShopURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Key == "" || cfg.Secret == "" {
		return nil, &Error{Op: "configure shop", Kind: KindBadConfig, Message: "consumer key and secret are required"}
	}
	c := &Client{base: u, key: cfg.Key, secret: cfg.Secret, oauth: cfg.OAuth, http: cfg.HTTPClient, now: cfg.Now}
	if c.oauth == "" {
		c.oauth = HMACSHA256
	}
	if c.http == nil {
		c.http = DefaultHTTPClient()
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

// response is a successful answer: its body and headers.
type response struct {
	body   []byte
	header http.Header
}

// get performs an authenticated GET of the wc/v3 path with query q.
func (c *Client) get(ctx context.Context, op, path string, q url.Values) (*response, error) {
	endpoint := c.base.String() + "/wp-json/wc/v3/" + path
	if q == nil {
		q = url.Values{}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return nil, &Error{Op: op, Kind: KindBadConfig, Err: err}
	}
	if c.base.Scheme == "https" {
		req.SetBasicAuth(c.key, c.secret)
	} else {
		signOAuth(http.MethodGet, endpoint, q, c.key, c.secret, c.oauth, c.now())
	}
	req.URL.RawQuery = q.Encode()
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "ShopLedger/1 (+WooCommerce sync)")

	resp, err := c.http.Do(req)
	if err != nil {
		return nil, transportError(op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, transportError(op, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, statusError(op, resp, body)
	}
	return &response{body: body, header: resp.Header}, nil
}

// transportError classifies a failure before any HTTP status arrived.
func transportError(op string, err error) error {
	e := &Error{Op: op, Kind: KindNetwork, Err: err}
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled):
		e.Kind = KindOther
	case errors.Is(err, context.DeadlineExceeded):
		e.Kind = KindTimeout
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr), errors.As(err, &invalid):
		e.Kind = KindTLS
	case errors.As(err, &netErr) && netErr.Timeout():
		e.Kind = KindTimeout
	}
	return e
}

// wpError is the body WordPress sends with an error status.
type wpError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// The legacy API wraps its errors in a list.
	Errors []struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"errors"`
}

// statusError turns a non-2xx answer into an *Error, keeping WooCommerce's
// code and message.
func statusError(op string, resp *http.Response, body []byte) error {
	e := &Error{Op: op, Status: resp.StatusCode}
	var we wpError
	if json.Unmarshal(trimToJSON(body), &we) == nil {
		e.Code, e.Message = we.Code, we.Message
		if e.Code == "" && len(we.Errors) > 0 {
			e.Code, e.Message = we.Errors[0].Code, we.Errors[0].Message
		}
	}
	switch s := resp.StatusCode; {
	case s == http.StatusUnauthorized, s == http.StatusForbidden:
		e.Kind = KindAuth
	case s == http.StatusNotFound:
		e.Kind = KindNotFound
	case s == http.StatusTooManyRequests:
		e.Kind = KindRateLimited
	case s >= 500:
		e.Kind = KindServer
	case s >= 300 && s < 400:
		e.Kind = KindBadConfig
		e.Message = "the shop redirects to " + resp.Header.Get("Location") + "; use that address"
	}
	return e
}

// decodeJSON unmarshals a body that should be JSON, explaining plainly when
// the shop sent a web page instead.
func decodeJSON(op string, body []byte, v any) error {
	trimmed := trimToJSON(body)
	if len(trimmed) == 0 {
		first := firstLine(body)
		if first == "" {
			return &Error{Op: op, Kind: KindBadPayload, Message: "the shop sent an empty answer"}
		}
		return &Error{Op: op, Kind: KindBadPayload, Message: "the shop answered with a web page instead of data: " + first}
	}
	if err := json.Unmarshal(trimmed, v); err != nil {
		return &Error{Op: op, Kind: KindBadPayload, Message: "the shop's answer is not valid order data", Err: err}
	}
	return nil
}

// trimToJSON skips a UTF-8 byte order mark and any lines a PHP notice
// printed before the JSON value. It returns nil when the body holds no JSON.
func trimToJSON(body []byte) []byte {
	b := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
	if looksLikeHTML(b) {
		return nil
	}
	for start := 0; start < len(b); {
		line := bytes.TrimLeft(b[start:], " \t\r\n")
		if len(line) > 0 && (line[0] == '[' || line[0] == '{') {
			return line
		}
		next := bytes.IndexByte(b[start:], '\n')
		if next < 0 {
			break
		}
		start += next + 1
	}
	return nil
}

func looksLikeHTML(b []byte) bool {
	head := strings.ToLower(string(b[:min(len(b), 256)]))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") || strings.Contains(head, "<head")
}

// firstLine returns the title or first line of text of a non-JSON answer,
// for error messages.
func firstLine(body []byte) string {
	s := string(body[:min(len(body), 8192)])
	if m := titlePattern.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	s = tagPattern.ReplaceAllString(s, " ")
	for _, line := range strings.Split(s, "\n") {
		if line = strings.Join(strings.Fields(html.UnescapeString(line)), " "); line != "" {
			if r := []rune(line); len(r) > 120 {
				line = string(r[:120]) + "…"
			}
			return line
		}
	}
	return ""
}

var (
	tagPattern   = regexp.MustCompile(`<[^>]*>`)
	titlePattern = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
)

// describe formats an op with its page for errors: "list orders page 3".
func describe(op string, page int) string {
	if page <= 1 {
		return op
	}
	return fmt.Sprintf("%s page %d", op, page)
}
