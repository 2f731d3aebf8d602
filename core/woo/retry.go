package woo

import (
	"context"
	"math/rand/v2"
	"time"
)

// Retry bounds how transient failures (network errors, timeouts, 5xx, 429)
// are retried: exponential backoff with full jitter, and a 429's
// Retry-After honoured when it is not longer than MaxWait.
type Retry struct {
	Attempts int           // tries in all, including the first; default 4
	Base     time.Duration // first backoff; default 1s
	Max      time.Duration // longest backoff; default 30s
	MaxWait  time.Duration // longest Retry-After honoured in place; default 2m
	// Sleep waits for d or until ctx ends; tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// OnRetry, if set, hears about each retry (for logs).
	OnRetry func(err error, attempt int, wait time.Duration)
}

// DefaultRetry is the policy a zero Retry gets.
var DefaultRetry = Retry{Attempts: 4, Base: time.Second, Max: 30 * time.Second, MaxWait: 2 * time.Minute}

func (r Retry) withDefaults() Retry {
	d := DefaultRetry
	if r.Attempts > 0 {
		d.Attempts = r.Attempts
	}
	if r.Base > 0 {
		d.Base = r.Base
	}
	if r.Max > 0 {
		d.Max = r.Max
	}
	if r.MaxWait > 0 {
		d.MaxWait = r.MaxWait
	}
	d.Sleep, d.OnRetry = r.Sleep, r.OnRetry
	if d.Sleep == nil {
		d.Sleep = sleepCtx
	}
	return d
}

// run calls f until it succeeds, fails permanently, or attempts run out.
func (r Retry) run(ctx context.Context, f func() (*response, error)) (*response, error) {
	for attempt := 1; ; attempt++ {
		resp, err := f()
		e, ok := err.(*Error)
		if err == nil || !ok || !e.Retryable() || attempt >= r.Attempts || ctx.Err() != nil {
			return resp, err
		}
		wait := r.backoff(attempt)
		if e.Kind == KindRateLimited && e.RetryAfter > 0 {
			if e.RetryAfter > r.MaxWait {
				return resp, err // the caller's schedule decides when to come back
			}
			wait = e.RetryAfter
		}
		if r.OnRetry != nil {
			r.OnRetry(err, attempt, wait)
		}
		if serr := r.Sleep(ctx, wait); serr != nil {
			return resp, err
		}
	}
}

// backoff is a random wait in [0, min(Max, Base·2^(attempt-1))]: full
// jitter keeps many clients from retrying in step.
func (r Retry) backoff(attempt int) time.Duration {
	ceiling := r.Base << (attempt - 1)
	if ceiling > r.Max || ceiling <= 0 {
		ceiling = r.Max
	}
	return time.Duration(rand.Int64N(int64(ceiling) + 1))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
