package main

import (
	"flag"
	"fmt"
	"strings"
	"time"

	"codeberg.org/shopledger/shopledger/core/woosim"
)

// faultFlags registers the -fault-* flags and returns a function that
// builds the FaultConfig from them once parsed.
func faultFlags(fs *flag.FlagSet) func() (woosim.FaultConfig, error) {
	seed := fs.Int64("fault-seed", 1, "`seed` of the random fault decisions")
	serverErr := fs.Float64("fault-5xx", 0, "`fraction` of requests answered 500, 502 or 503")
	every := fs.Int("fault-429-every", 0, "answer every `K`th request 429 Too Many Requests")
	rate429 := fs.Float64("fault-429-rate", 0, "`fraction` of requests answered 429")
	retryAfter := fs.Int("fault-retry-after", 1, "Retry-After `seconds` of 429 answers")
	latency := fs.Duration("fault-latency", 0, "`delay` added to every answer")
	jitter := fs.Duration("fault-jitter", 0, "up to this much more `delay`, at random")
	reset := fs.Float64("fault-reset", 0, "`fraction` of connections reset without an answer")
	truncate := fs.Float64("fault-truncate", 0, "`fraction` of answers cut off after half the body")
	notice := fs.Float64("fault-notice", 0, "`fraction` of answers with a PHP notice before the JSON")
	html := fs.Float64("fault-html", 0, "`fraction` of requests answered with a maintenance HTML page and status 200")
	bom := fs.Float64("fault-bom", 0, "`fraction` of answers with a UTF-8 BOM before the body")
	stripAuth := fs.Bool("fault-strip-auth", false, "drop the Authorization header, as Apache with PHP-CGI does: Basic auth fails")
	return func() (woosim.FaultConfig, error) {
		c := woosim.FaultConfig{
			Seed: *seed, ServerErrorRate: *serverErr, RateLimitEvery: *every, RateLimitRate: *rate429, RetryAfter: *retryAfter,
			Latency: *latency, LatencyJitter: *jitter, ResetRate: *reset, TruncateRate: *truncate, PHPNoticeRate: *notice,
			HTMLPageRate: *html, BOMRate: *bom, StripAuthorization: *stripAuth,
		}
		if err := c.Validate(); err != nil {
			return c, fmt.Errorf("-fault-*: %w", err)
		}
		if bare := (woosim.FaultConfig{Seed: c.Seed, RetryAfter: c.RetryAfter}); c == bare {
			return woosim.FaultConfig{}, nil // -fault-seed and -fault-retry-after alone are no faults
		}
		return c, nil
	}
}

// booksFlags sets the orders' date range and currency change from -from,
// -to and -currency-change.
func booksFlags(o *woosim.Options, loc *time.Location, from, to, change string) error {
	for _, f := range []struct {
		name, v string
		dst     *time.Time
	}{{"-from", from, &o.From}, {"-to", to, &o.To}} {
		if f.v == "" {
			continue
		}
		t, err := time.ParseInLocation(time.DateOnly, f.v, loc)
		if err != nil {
			return fmt.Errorf("%s: want YYYY-MM-DD: %w", f.name, err)
		}
		*f.dst = t
	}
	if o.From.IsZero() && !o.To.IsZero() {
		return fmt.Errorf("-to needs -from")
	}
	if !o.To.IsZero() && !o.To.After(o.From) {
		return fmt.Errorf("-to must be after -from")
	}
	if change == "" {
		return nil
	}
	curs, date, ok := strings.Cut(change, "@")
	before, after, ok2 := strings.Cut(curs, ":")
	at, err := time.ParseInLocation(time.DateOnly, date, loc)
	if !ok || !ok2 || err != nil || len(before) != 3 || len(after) != 3 {
		return fmt.Errorf("-currency-change: want BEFORE:AFTER@YYYY-MM-DD, like BGN:EUR@2026-01-01")
	}
	o.CurrencyChange = &woosim.CurrencyChange{At: at, Before: before, After: after}
	return nil
}
