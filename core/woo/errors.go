package woo

import (
	"errors"
	"fmt"
	"time"
)

// Kind classifies a failure by what the user or the caller can do about it.
type Kind int

const (
	KindOther       Kind = iota
	KindNetwork          // the shop could not be reached; retry later
	KindTimeout          // the shop took too long; retry later
	KindTLS              // the certificate was refused
	KindAuth             // key or secret wrong, or not allowed
	KindNotFound         // the URL or the object does not exist
	KindServer           // the shop answered 5xx; retry later
	KindRateLimited      // 429; retry after a while
	KindBadPayload       // the answer is not the JSON we expect
	KindBadConfig        // the shop settings are unusable (bad URL, insecure auth)
)

var kindNames = map[Kind]string{
	KindOther: "other", KindNetwork: "network", KindTimeout: "timeout", KindTLS: "tls",
	KindAuth: "auth", KindNotFound: "not found", KindServer: "server", KindRateLimited: "rate limited",
	KindBadPayload: "bad payload", KindBadConfig: "bad config",
}

func (k Kind) String() string { return kindNames[k] }

// Error is a failed call to a shop. Message is WooCommerce's own message when
// it sent one; it never contains credentials.
type Error struct {
	Op      string // what we were doing: "list orders page 3"
	Kind    Kind
	Status  int    // HTTP status, 0 when none arrived
	Code    string // WooCommerce's error code, e.g. woocommerce_rest_cannot_view
	Message string
	// RetryAfter is how long a rate-limited shop asked us to wait.
	RetryAfter time.Duration
	Err        error // the underlying cause, if any
}

func (e *Error) Error() string {
	msg := e.Op + ": " + e.Kind.String()
	if e.Status != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Retryable reports whether trying again later may succeed.
func (e *Error) Retryable() bool {
	switch e.Kind {
	case KindServer:
		// 501: the shop does not implement the request at all.
		return e.Status != 501
	case KindNetwork, KindTimeout, KindRateLimited:
		return true
	}
	return false
}

// Unsupported reports whether err says the shop has no such thing to give:
// the object is gone (404) or the request is not implemented (501). Trying
// again will not help; going on without it may.
func Unsupported(err error) bool {
	var e *Error
	return errors.As(err, &e) && (e.Kind == KindNotFound || e.Status == 501)
}

// KindOf returns the Kind of err, KindOther if it is not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindOther
}
