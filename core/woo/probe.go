package woo

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Problem is something "Test connection" found, by code so the UI can say
// it in the user's language; Detail carries the shop's own words.
type Problem struct {
	Code   ProblemCode
	Detail string
}

// ProblemCode names what a bookkeeper or the shop's admin must fix.
type ProblemCode string

const (
	ProblemUnreachable     ProblemCode = "unreachable"      // no answer at this address
	ProblemTLS             ProblemCode = "tls"              // certificate refused (Diagnosis.Cert tells which)
	ProblemNotWooCommerce  ProblemCode = "not-woocommerce"  // something answers, but not WooCommerce
	ProblemPermalinks      ProblemCode = "permalinks"       // WordPress permalinks are "Plain": REST API unreachable with keys
	ProblemLegacyDisabled  ProblemCode = "legacy-disabled"  // only the legacy API exists and it is switched off
	ProblemBadKey          ProblemCode = "bad-key"          // the consumer key is unknown
	ProblemBadSecret       ProblemCode = "bad-secret"       // the key is known, the secret wrong
	ProblemReadOnly        ProblemCode = "read-only"        // a warning: webhooks can't be registered
	ProblemClock           ProblemCode = "clock"            // the shop's clock is far from ours
	ProblemOldVersion      ProblemCode = "old-version"      // a warning: slower change detection
	ProblemAuthStripped    ProblemCode = "auth-stripped"    // informational: host drops Authorization, query keys used
	ProblemUnexpectedReply ProblemCode = "unexpected-reply" // the shop answered something we cannot read
)

// Diagnosis is what "Test connection" learned about a shop.
type Diagnosis struct {
	URL              string
	Reachable        bool
	WooCommerce      bool
	Version          string // WooCommerce version, when the shop tells
	HTTPS            bool
	LegacyAvailable  bool // the legacy API answers
	WCV3Available    bool // the wc/v3 API answers
	Dialect          ledger.Dialect
	Auth             AuthMode // what worked
	CredentialsOK    bool
	ReadOnly         *bool // nil when the shop did not tell
	PrettyPermalinks *bool
	ClockSkew        time.Duration // shop minus us
	// Timezone is the shop's IANA time zone (see ShopTimezone); empty
	// when the shop did not tell one ShopLedger can use.
	Timezone string
	// ModifiedAfterIgnored: the shop lists all orders whatever
	// modified_after says (WooCommerce before 5.8).
	ModifiedAfterIgnored bool
	Cert                 *CertInfo // when the certificate was refused
	Problems             []Problem
}

// OK reports whether orders can be synced with what was found.
func (d *Diagnosis) OK() bool { return d.CredentialsOK && d.Dialect != "" }

// Has reports whether the diagnosis contains a problem.
func (d *Diagnosis) Has(code ProblemCode) bool {
	for _, p := range d.Problems {
		if p.Code == code {
			return true
		}
	}
	return false
}

func (d *Diagnosis) add(code ProblemCode, detail string) {
	if !d.Has(code) {
		d.Problems = append(d.Problems, Problem{code, detail})
	}
}

// maxSkew is WooCommerce's OAuth timestamp window.
const maxSkew = 15 * time.Minute

// Probe works out how to talk to a shop and what stands in the way. It
// prefers wc/v3 and falls back to the legacy API. cfg.Dialect and cfg.Auth
// are ignored: finding them is the point. The only write it attempts is an
// invalid webhook creation that WooCommerce rejects before doing anything,
// which is how a read-only key shows itself.
func Probe(ctx context.Context, cfg Config) *Diagnosis {
	d := &Diagnosis{URL: cfg.URL}
	cfg.Dialect, cfg.Auth = ledger.DialectWCV3, ""
	c, err := New(cfg)
	if err != nil {
		d.add(ProblemUnexpectedReply, err.Error())
		return d
	}
	d.URL, d.HTTPS = c.BaseURL(), c.base.Scheme == "https"
	c.retry.Attempts = 1 // a person is waiting; say what is wrong now

	if !d.legacyIndex(ctx, c) {
		return d
	}
	if d.tryOrders(ctx, c, ledger.DialectWCV3) {
		d.WCV3Available = true
	}
	if !d.CredentialsOK && d.LegacyAvailable {
		d.tryOrders(ctx, c, ledger.DialectLegacyV3)
	}
	if !d.CredentialsOK {
		switch {
		case d.PrettyPermalinks != nil && !*d.PrettyPermalinks:
			d.add(ProblemPermalinks, "")
		case !d.WooCommerce && len(d.Problems) == 0:
			d.add(ProblemNotWooCommerce, "")
		}
	}
	if d.CredentialsOK && d.Dialect == ledger.DialectWCV3 {
		d.checkWrite(ctx, c)
	}
	if d.CredentialsOK && d.Dialect == ledger.DialectWCV3 {
		d.checkModifiedAfter(ctx, c)
	}
	if d.CredentialsOK {
		// WordPress's own setting wins over the legacy index's rendering of it.
		if zone, err := c.wpTimezone(ctx); err == nil && zone != "" {
			d.Timezone = zone
		}
	}
	// Only a problem the user must act on stays a problem: the legacy API
	// being off does not matter when wc/v3 works.
	if d.CredentialsOK {
		d.drop(ProblemLegacyDisabled, ProblemNotWooCommerce, ProblemPermalinks)
	}
	return d
}

func (d *Diagnosis) drop(codes ...ProblemCode) {
	kept := d.Problems[:0]
	for _, p := range d.Problems {
		drop := false
		for _, c := range codes {
			drop = drop || p.Code == c
		}
		if !drop {
			kept = append(kept, p)
		}
	}
	d.Problems = kept
}

// legacyIndex asks the unauthenticated legacy index, which tells the
// version, SSL and permalinks. It returns false when the shop cannot be
// reached at all.
func (d *Diagnosis) legacyIndex(ctx context.Context, c *Client) bool {
	resp, err := c.do(ctx, call{op: "read shop index", dialect: ledger.DialectLegacyV3, anon: true})
	var e *Error
	if errors.As(err, &e) && e.Kind == KindNotFound && e.Code == "" {
		// No JSON at /wc-api/v3/: with "Plain" permalinks only the query
		// form reaches the legacy API, and its index still answers.
		resp, err = c.do(ctx, call{op: "read shop index", root: "/", anon: true,
			query: map[string][]string{"wc-api-version": {"3"}, "wc-api-route": {"/"}}})
	}
	switch {
	case err == nil:
		d.Reachable = true
		var idx struct {
			Store struct {
				Version string `json:"wc_version"`
				Meta    struct {
					SSL        flexBool `json:"ssl_enabled"`
					Permalinks flexBool `json:"permalinks_enabled"`
				} `json:"meta"`
			} `json:"store"`
		}
		if decodeJSON("read shop index", resp.body, &idx) == nil && idx.Store.Version != "" {
			d.WooCommerce, d.LegacyAvailable, d.Version = true, true, idx.Store.Version
			d.Timezone = legacyIndexZone(resp.body)
			pretty := bool(idx.Store.Meta.Permalinks)
			d.PrettyPermalinks = &pretty
		}
		d.clock(c, resp.header)
	case errors.As(err, &e) && e.Status != 0:
		d.Reachable = true
		if e.Code == "woocommerce_api_disabled" {
			d.WooCommerce = true
			d.add(ProblemLegacyDisabled, e.Message)
		}
	case errors.As(err, &e) && e.Kind == KindTLS:
		d.Reachable = true
		d.add(ProblemTLS, e.Error())
		if info, ierr := FetchCertificate(ctx, c.BaseURL()); ierr == nil {
			d.Cert = info
		}
		return false
	default:
		d.add(ProblemUnreachable, err.Error())
		return false
	}
	return true
}

// tryOrders lists one order in a dialect to test the credentials.
func (d *Diagnosis) tryOrders(ctx context.Context, c *Client, dialect ledger.Dialect) bool {
	dc := c.withDialect(dialect)
	resp, err := dc.do(ctx, call{op: "list one order", path: "orders", query: map[string][]string{
		"per_page": {"1"}, "filter[limit]": {"1"},
	}})
	var e *Error
	switch {
	case err == nil:
		d.Reachable, d.WooCommerce, d.CredentialsOK = true, true, true
		d.Dialect, d.Auth = dialect, dc.Auth()
		if d.Auth == AuthQuery {
			d.add(ProblemAuthStripped, "")
		}
		if dialect == ledger.DialectLegacyV3 {
			d.LegacyAvailable = true
		}
		d.clock(c, resp.header)
		if trimmed := trimToJSON(resp.body); trimmed == nil {
			d.CredentialsOK, d.Dialect = false, ""
			d.add(ProblemUnexpectedReply, firstLine(resp.body))
		}
		return d.CredentialsOK
	case errors.As(err, &e):
		if e.Status != 0 {
			d.Reachable = true
		}
		d.authProblem(e, dialect)
	}
	return false
}

// authProblem sorts a failed authenticated request into what to fix.
func (d *Diagnosis) authProblem(e *Error, dialect ledger.Dialect) {
	msg := strings.ToLower(e.Message)
	switch {
	case e.Kind == KindNotFound && e.Code == "rest_no_route":
		d.WooCommerce = d.WooCommerce || dialect == ledger.DialectLegacyV3
	case e.Kind == KindNotFound && e.Code == "woocommerce_api_disabled":
		d.WooCommerce = true
		d.add(ProblemLegacyDisabled, e.Message)
	case e.Kind == KindNotFound:
		// A web page, not JSON: no REST API at this path.
	case e.Kind == KindAuth && strings.Contains(msg, "timestamp"):
		d.WooCommerce = true
		d.add(ProblemClock, e.Message)
	case e.Kind == KindAuth && (strings.Contains(msg, "secret") || strings.Contains(msg, "signature")):
		d.WooCommerce = true
		d.add(ProblemBadSecret, e.Message)
	case e.Kind == KindAuth:
		d.WooCommerce = true
		d.add(ProblemBadKey, e.Message)
	case e.Kind == KindBadPayload:
		d.add(ProblemUnexpectedReply, e.Message)
	case e.Kind == KindNetwork || e.Kind == KindTimeout:
		d.add(ProblemUnreachable, e.Error())
	default:
		d.add(ProblemUnexpectedReply, e.Error())
	}
}

// checkWrite finds out whether the key may write: WooCommerce checks key
// permissions before it validates the request, so creating a webhook with
// no topic is refused with 401 for a read-only key and 400 for a
// read/write one, and nothing is created either way.
func (d *Diagnosis) checkWrite(ctx context.Context, c *Client) {
	_, err := c.do(ctx, call{op: "check write permission", method: http.MethodPost, path: "webhooks", body: []byte("{}")})
	var e *Error
	if !errors.As(err, &e) {
		return
	}
	ro := e.Kind == KindAuth && strings.Contains(strings.ToLower(e.Message), "write permission")
	if ro || e.Status == http.StatusBadRequest {
		d.ReadOnly = &ro
	}
	if ro {
		d.add(ProblemReadOnly, e.Message)
	}
}

// checkModifiedAfter asks for orders modified after a date a year ahead:
// a shop that knows modified_after (WooCommerce 5.8+) lists none, an older
// one ignores the filter and lists its orders.
func (d *Diagnosis) checkModifiedAfter(ctx context.Context, c *Client) {
	page, err := c.ListOrders(ctx, ListOptions{PerPage: 1, ModifiedAfter: c.now().AddDate(1, 0, 0)})
	if err == nil && page.FilterIgnored {
		d.ModifiedAfterIgnored = true
		d.add(ProblemOldVersion, d.Version)
	}
}

// clock notes how far the shop's clock is from ours; OAuth over plain
// HTTP fails beyond 15 minutes.
func (d *Diagnosis) clock(c *Client, h http.Header) {
	t := serverTime(h)
	if t.IsZero() {
		return
	}
	d.ClockSkew = t.Sub(c.now()).Round(time.Second)
	if (d.ClockSkew > maxSkew || d.ClockSkew < -maxSkew) && !d.HTTPS {
		d.add(ProblemClock, d.ClockSkew.String())
	}
}

// String is a one-line technical summary for logs.
func (d *Diagnosis) String() string {
	b, _ := json.Marshal(d)
	return string(b)
}
