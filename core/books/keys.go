package books

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// ReplaceKeys gives a stored shop new REST API keys, after asking the shop
// whether they work: keys it refuses come back as a *ConnectionError and
// the old ones stay. The diagnosis is returned either way, for its
// warnings (a read-only key). It is how keys the shop revoked, or that the
// keyring lost, are entered again.
func (b *Books) ReplaceKeys(ctx context.Context, id ledger.ShopID, key, secret string) (*woo.Diagnosis, error) {
	key, secret = strings.TrimSpace(key), strings.TrimSpace(secret)
	if key == "" || secret == "" {
		return nil, &InputError{Problems: []string{"enter the consumer key and the consumer secret from WooCommerce → Settings → Advanced → REST API"}}
	}
	sh, err := b.Store.Shop(id)
	if err != nil {
		return nil, err
	}
	d := b.Probe(ctx, sh.URL, key, secret, sh.CertSHA256)
	if !d.OK() {
		return d, &ConnectionError{Diagnosis: d}
	}
	old, oldErr := secrets.LoadShop(b.Secrets, id)
	if err := secrets.SaveShop(b.Secrets, id, secrets.Credentials{Key: key, Secret: secret}); err != nil {
		// A key saved without its secret would pair with the old secret.
		if oldErr == nil {
			if rerr := secrets.SaveShop(b.Secrets, id, old); rerr != nil {
				err = errors.Join(err, rerr)
			}
		}
		return d, fmt.Errorf("replace the keys of %s: %w", sh.Name, err)
	}
	// The new key may reach the shop another way (its own permissions,
	// the host's handling of the login header): learn it again.
	sh.Dialect, sh.Auth, sh.ModifiedAfterIgnored = d.Dialect, string(d.Auth), d.ModifiedAfterIgnored
	if err := b.Store.UpdateShop(sh); err != nil {
		return d, fmt.Errorf("remember how to reach %s: %w", sh.Name, err)
	}
	return d, nil
}
