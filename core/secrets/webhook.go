package secrets

import (
	"crypto/rand"
	"fmt"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// WebhookSecretLength is the length of the secrets NewWebhookSecret makes:
// 40 characters of 62 give 238 bits.
const WebhookSecretLength = 40

const secretAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// NewWebhookSecret returns a fresh random webhook secret from crypto/rand.
// It is alphanumeric only: some WooCommerce versions sign with a mangled
// secret when it holds &, < or > (woocommerce#22500).
func NewWebhookSecret() string {
	out := make([]byte, 0, WebhookSecretLength)
	buf := make([]byte, 64)
	for len(out) < WebhookSecretLength {
		rand.Read(buf) // never fails (crypto/rand since Go 1.24)
		for _, b := range buf {
			// 248 = 4*62: rejecting the bytes above keeps every character
			// equally likely.
			if b < 248 && len(out) < WebhookSecretLength {
				out = append(out, secretAlphabet[b%62])
			}
		}
	}
	return string(out)
}

// SaveWebhookSecret stores the secret WooCommerce signs the shop's webhook
// deliveries with.
func SaveWebhookSecret(s Store, id ledger.ShopID, secret string) error {
	if err := s.Set(account(id, "webhook-secret"), secret); err != nil {
		return fmt.Errorf("save webhook secret of shop %d: %w", id, err)
	}
	return nil
}

// LoadWebhookSecret reads the shop's webhook secret; the error matches
// ErrNotFound when the shop has none.
func LoadWebhookSecret(s Store, id ledger.ShopID) (string, error) {
	v, err := s.Get(account(id, "webhook-secret"))
	if err != nil {
		return "", fmt.Errorf("read webhook secret of shop %d: %w", id, err)
	}
	return v, nil
}
