// Package secrets keeps shop credentials in the operating system's keyring
// (Secret Service on Linux, Keychain on macOS, Credential Manager on
// Windows). Nothing here ever falls back to a file: where no keyring
// answers, callers get an *UnavailableError that says what to do.
package secrets

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Service is the keyring service name every ShopLedger secret is filed under.
const Service = "ShopLedger"

// DefaultTimeout bounds each keyring call: a locked or missing keyring can
// hang forever (GitHub's CLI learned the same).
const DefaultTimeout = 3 * time.Second

// ErrNotFound means the keyring has no such secret.
var ErrNotFound = errors.New("secret not found in the keyring")

// Store reads and writes secrets by account name.
type Store interface {
	Get(account string) (string, error)
	Set(account, secret string) error
	Delete(account string) error
}

// UnavailableError means no keyring could be used. Its message is meant for
// the user: what happened and what to install or unlock.
type UnavailableError struct{ Err error }

func (e *UnavailableError) Error() string {
	return "the system keyring is not available: " + hint() + " (" + e.Err.Error() + ")"
}

func (e *UnavailableError) Unwrap() error { return e.Err }

func hint() string {
	switch runtime.GOOS {
	case "linux", "freebsd", "openbsd", "netbsd":
		return "install and unlock a Secret Service keyring (GNOME Keyring or KWallet), e.g. `sudo apt install gnome-keyring`, then log in again"
	case "darwin":
		return "unlock the login keychain in Keychain Access"
	case "windows":
		return "Windows Credential Manager did not answer; sign in to Windows with your own account"
	}
	return "no supported keyring on this system"
}

// Keyring is the OS keyring through go-keyring.
type Keyring struct{ Timeout time.Duration }

// NewKeyring returns the OS keyring with DefaultTimeout per call.
func NewKeyring() *Keyring { return &Keyring{Timeout: DefaultTimeout} }

func (k *Keyring) Get(account string) (string, error) {
	var v string
	err := k.call(func() (err error) { v, err = keyring.Get(Service, account); return err })
	return v, err
}

func (k *Keyring) Set(account, secret string) error {
	return k.call(func() error { return keyring.Set(Service, account, secret) })
}

func (k *Keyring) Delete(account string) error {
	err := k.call(func() error { return keyring.Delete(Service, account) })
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	return err
}

// keyringMu lets one keyring call run at a time, process-wide: calls are
// rare and short, some backends (and go-keyring's own mock) are not safe
// for concurrent use, and a hung call then holds up later ones only until
// their own timeouts.
var keyringMu sync.Mutex

// call runs f with a timeout; the goroutine of a hung call is abandoned.
func (k *Keyring) call(f func() error) error {
	timeout := k.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		keyringMu.Lock()
		defer keyringMu.Unlock()
		done <- f()
	}()
	select {
	case err := <-done:
		switch {
		case err == nil:
			return nil
		case errors.Is(err, keyring.ErrNotFound):
			return ErrNotFound
		}
		return &UnavailableError{Err: scrub(err)}
	case <-ctx.Done():
		return &UnavailableError{Err: fmt.Errorf("no answer within %s (is the keyring locked?)", timeout)}
	}
}

// scrub shortens D-Bus errors to their first line; they never contain the
// secret, but can be long.
func scrub(err error) error {
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return errors.New(msg)
}

// Credentials are a shop's REST API keys.
type Credentials struct{ Key, Secret string }

// String never prints the secret.
func (c Credentials) String() string { return "credentials(" + mask(c.Key) + ")" }

// GoString keeps %#v from printing the secret too.
func (c Credentials) GoString() string { return c.String() }

func mask(key string) string {
	if len(key) <= 7 {
		return "…"
	}
	return key[:3] + "…" + key[len(key)-4:]
}

func account(id ledger.ShopID, what string) string { return fmt.Sprintf("shop-%d-%s", id, what) }

// SaveShop stores a shop's consumer key and secret.
func SaveShop(s Store, id ledger.ShopID, c Credentials) error {
	if err := s.Set(account(id, "consumer-key"), c.Key); err != nil {
		return fmt.Errorf("save consumer key of shop %d: %w", id, err)
	}
	if err := s.Set(account(id, "consumer-secret"), c.Secret); err != nil {
		return fmt.Errorf("save consumer secret of shop %d: %w", id, err)
	}
	return nil
}

// LoadShop reads a shop's consumer key and secret.
func LoadShop(s Store, id ledger.ShopID) (Credentials, error) {
	var c Credentials
	var err error
	if c.Key, err = s.Get(account(id, "consumer-key")); err != nil {
		return Credentials{}, fmt.Errorf("read consumer key of shop %d: %w", id, err)
	}
	if c.Secret, err = s.Get(account(id, "consumer-secret")); err != nil {
		return Credentials{}, fmt.Errorf("read consumer secret of shop %d: %w", id, err)
	}
	return c, nil
}

// DeleteShop removes every secret of a shop.
func DeleteShop(s Store, id ledger.ShopID) error {
	for _, what := range []string{"consumer-key", "consumer-secret", "webhook-secret"} {
		if err := s.Delete(account(id, what)); err != nil {
			return fmt.Errorf("delete %s of shop %d: %w", what, id, err)
		}
	}
	return nil
}
