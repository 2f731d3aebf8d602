package engine

import (
	"context"
	"fmt"

	"codeberg.org/shopledger/shopledger/core/autosync"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/webhook"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// The webhooks page of the window works through these: each ties the
// books' webhook calls to the running receiver's URL and to the automatic
// sync, as `shopledger webhooks` does from the command line.

// WebhookURL returns the shop's webhook delivery URL, making the shop's
// token if it has none yet.
func (e *Engine) WebhookURL(id ledger.ShopID) (string, error) {
	sh, err := e.Books.Shop(id)
	if err != nil {
		return "", err
	}
	if sh.WebhookToken == "" {
		if sh.WebhookToken, err = webhook.EnsureToken(e.Books.Store, id); err != nil {
			return "", fmt.Errorf("make the webhook address of %s: %w", sh.Name, err)
		}
	}
	return e.Receiver.URL(sh), nil
}

// WebhookSecret is the shop's webhook secret, for the user who asks to
// see it; see books.Books.WebhookSecret.
func (e *Engine) WebhookSecret(id ledger.ShopID) (string, error) { return e.Books.WebhookSecret(id) }

// RegisterWebhooks registers ShopLedger's webhooks in the shop with the
// receiver's URL, and switches the shop's automatic sync to webhook mode
// with its nightly catch-up.
func (e *Engine) RegisterWebhooks(ctx context.Context, id ledger.ShopID) ([]woo.Webhook, error) {
	url, err := e.WebhookURL(id)
	if err != nil {
		return nil, err
	}
	hooks, err := e.Books.RegisterWebhooks(ctx, id, url)
	// The secret may be new; the receiver must not check against an old
	// one it still holds.
	e.Receiver.ForgetSecret(id)
	if rerr := e.Sync.Refresh(); rerr != nil && err == nil {
		err = fmt.Errorf("register webhooks: restart the automatic sync: %w", rerr)
	}
	return hooks, err
}

// CheckWebhooks looks at the shop's webhooks, switching disabled ones back
// on; see books.Books.CheckWebhooks.
func (e *Engine) CheckWebhooks(ctx context.Context, id ledger.ShopID) (books.WebhookCheck, error) {
	url, err := e.WebhookURL(id)
	if err != nil {
		return books.WebhookCheck{}, err
	}
	return e.Books.CheckWebhooks(ctx, id, url)
}

// Deliveries lists up to limit of the shop's webhook deliveries, newest
// first, before seq before (0: from the newest).
func (e *Engine) Deliveries(id ledger.ShopID, limit int, before uint64) ([]ledger.Delivery, error) {
	return e.Books.Store.Deliveries(id, "", limit, before)
}

// RetryDelivery applies a stored delivery again.
func (e *Engine) RetryDelivery(id ledger.ShopID, seq uint64) (ledger.Delivery, error) {
	return e.Receiver.Retry(id, seq)
}

// SyncStatus is the shop's automatic sync schedule.
func (e *Engine) SyncStatus(id ledger.ShopID) (autosync.Status, error) { return e.Sync.Status(id) }

// SetPublicBaseURL changes the address WooCommerce reaches the receiver
// at (empty: the listen address), checked as webhook.CheckPublicBaseURL
// does; shops pick it up when their webhooks are registered again.
func (e *Engine) SetPublicBaseURL(base string) error {
	base, err := webhook.CheckPublicBaseURL(base)
	if err != nil {
		return &books.InputError{Problems: []string{err.Error()}}
	}
	e.Receiver.SetPublicBaseURL(base)
	return nil
}
