package woo

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// call is one API request, before authentication.
type call struct {
	op      string
	method  string // default GET
	dialect ledger.Dialect
	path    string // below the dialect's root, e.g. "orders"
	// root replaces the dialect's root ("/" for the legacy API's
	// plain-permalink form, ?wc-api-version=3&wc-api-route=…).
	root  string
	query url.Values
	body  []byte // JSON, for writes
	anon  bool   // send no credentials (the legacy index)
}

// response is a successful answer: its body and headers.
type response struct {
	body   []byte
	header http.Header
	status int
}

// do performs c with retries of transient failures, and falls back to
// query-string keys once when an HTTPS host ignores the Authorization
// header.
func (c *Client) do(ctx context.Context, cl call) (*response, error) {
	if cl.method == "" {
		cl.method = http.MethodGet
	}
	if cl.dialect == "" {
		cl.dialect = c.dialect
	}
	mode := c.Auth()
	resp, err := c.retry.run(ctx, func() (*response, error) { return c.attempt(ctx, cl, mode) })
	var e *Error
	if mode == AuthBasic && !cl.anon && errors.As(err, &e) && credentialsIgnored(e) {
		resp, qerr := c.retry.run(ctx, func() (*response, error) { return c.attempt(ctx, cl, AuthQuery) })
		if qerr == nil {
			if c.auth.CompareAndSwap(AuthBasic, AuthQuery) && c.onFallback != nil {
				c.onFallback(AuthQuery)
			}
			return resp, nil
		}
	}
	return resp, err
}

// attempt sends one request.
func (c *Client) attempt(ctx context.Context, cl call, mode AuthMode) (*response, error) {
	endpoint := c.apiRoot(cl.dialect) + cl.path
	if cl.root != "" {
		endpoint = c.base.String() + cl.root
	}
	q := url.Values{}
	for k, v := range cl.query {
		q[k] = append([]string(nil), v...)
	}
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, endpoint, body)
	if err != nil {
		return nil, &Error{Op: cl.op, Kind: KindBadConfig, Err: err}
	}
	if !cl.anon {
		c.authorize(req, endpoint, q, mode)
	}
	req.URL.RawQuery = q.Encode()
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "ShopLedger/1 (+WooCommerce sync)")
	if cl.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, transportError(cl.op, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return nil, transportError(cl.op, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, statusError(cl.op, resp, data)
	}
	return &response{body: data, header: resp.Header, status: resp.StatusCode}, nil
}

// transportError classifies a failure before any HTTP status arrived.
// The request's URL in it is redacted (see redactURLError).
func transportError(op string, err error) error {
	e := &Error{Op: op, Kind: KindNetwork, Err: redactURLError(err)}
	var certErr *tls.CertificateVerificationError
	var unknownAuth x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var pinErr *PinMismatchError
	var recordErr tls.RecordHeaderError
	var netErr net.Error
	switch {
	case errors.Is(err, context.Canceled):
		e.Kind = KindOther
	case errors.Is(err, context.DeadlineExceeded):
		e.Kind = KindTimeout
	case errors.As(err, &certErr), errors.As(err, &unknownAuth), errors.As(err, &hostErr),
		errors.As(err, &invalid), errors.As(err, &pinErr):
		e.Kind = KindTLS
	case errors.As(err, &recordErr):
		e.Kind = KindTLS
		e.Message = "the address answers without TLS; try http:// instead of https://"
	case errors.As(err, &netErr) && netErr.Timeout():
		e.Kind = KindTimeout
	}
	return e
}

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}
