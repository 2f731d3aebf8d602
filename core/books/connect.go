package books

import (
	"context"
	"fmt"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// ConnectionError is a failed "Test connection": the diagnosis says what
// stands in the way.
type ConnectionError struct{ Diagnosis *woo.Diagnosis }

func (e *ConnectionError) Error() string {
	if len(e.Diagnosis.Problems) == 0 {
		return "connect to " + e.Diagnosis.URL + ": no usable API found"
	}
	p := e.Diagnosis.Problems[0]
	msg := "connect to " + e.Diagnosis.URL + ": " + string(p.Code)
	if p.Detail != "" {
		msg += ": " + p.Detail
	}
	return msg
}

// Probe tests how a shop can be reached with the given keys.
func (b *Books) Probe(ctx context.Context, url, key, secret, certSHA256 string) *woo.Diagnosis {
	return woo.Probe(ctx, woo.Config{URL: url, Key: key, Secret: secret, CertSHA256: certSHA256, HTTPClient: b.HTTPClient})
}

// CheckConnection probes the shop and returns a *ConnectionError when
// orders could not be synced with what it found.
func (b *Books) CheckConnection(ctx context.Context, url, key, secret string) error {
	d := b.Probe(ctx, url, key, secret, "")
	if !d.OK() {
		return &ConnectionError{Diagnosis: d}
	}
	return nil
}

// TestShop probes a stored shop with its stored keys.
func (b *Books) TestShop(ctx context.Context, id ledger.ShopID) (*woo.Diagnosis, error) {
	sh, err := b.Store.Shop(id)
	if err != nil {
		return nil, err
	}
	cred, err := secrets.LoadShop(b.Secrets, id)
	if err != nil {
		return nil, err
	}
	return b.Probe(ctx, sh.URL, cred.Key, cred.Secret, sh.CertSHA256), nil
}

// detect probes a shop whose dialect is not known yet and remembers how
// to talk to it.
func (b *Books) detect(ctx context.Context, sh ledger.Shop) (ledger.Shop, error) {
	d, err := b.TestShop(ctx, sh.ID)
	if err != nil {
		return sh, err
	}
	if !d.OK() {
		return sh, &ConnectionError{Diagnosis: d}
	}
	sh.Dialect, sh.Auth, sh.ModifiedAfterIgnored = d.Dialect, string(d.Auth), d.ModifiedAfterIgnored
	if d.Timezone != "" {
		sh.Timezone = d.Timezone
	}
	if err := b.Store.UpdateShop(sh); err != nil {
		return sh, fmt.Errorf("remember how to reach %s: %w", sh.Name, err)
	}
	return sh, nil
}

// ProblemSentence says a probe problem in plain English; the UI
// translates these sentences.
func ProblemSentence(p woo.Problem) string {
	switch p.Code {
	case woo.ProblemUnreachable:
		return "The shop could not be reached. Check the address and the internet connection."
	case woo.ProblemTLS:
		return "The shop's security certificate is not trusted. If the shop uses a self-signed certificate, compare its fingerprint with the one your web host shows before trusting it."
	case woo.ProblemNotWooCommerce:
		return "This address answers, but not as a WooCommerce shop. Check the address: it should be the shop's home page."
	case woo.ProblemPermalinks:
		return "WordPress permalinks are set to \"Plain\", which hides the REST API. In WordPress choose Settings → Permalinks → \"Post name\" and save."
	case woo.ProblemLegacyDisabled:
		return "This shop only offers the legacy REST API, and it is switched off. In WooCommerce enable Settings → Advanced → Legacy API."
	case woo.ProblemBadKey:
		return "The shop does not know this consumer key. Copy it again from WooCommerce → Settings → Advanced → REST API."
	case woo.ProblemBadSecret:
		return "The consumer secret does not match the key. Copy it again, or create a new key in WooCommerce → Settings → Advanced → REST API."
	case woo.ProblemReadOnly:
		return "The key can only read. Orders will sync, but ShopLedger cannot register webhooks; give the key Read/Write permission for instant updates."
	case woo.ProblemClock:
		return "The shop's clock is far from this computer's, so signed requests are refused. Correct the time on the server or on this computer."
	case woo.ProblemOldVersion:
		return "This WooCommerce version cannot list only changed orders, so ShopLedger scans recent orders instead; updating WooCommerce to 5.8 or later makes syncing faster."
	case woo.ProblemAuthStripped:
		return "The web server drops the login header, so ShopLedger sends the keys in the address instead (over HTTPS only)."
	case woo.ProblemUnexpectedReply:
		return "The shop answered something ShopLedger cannot read. A maintenance page or a security plugin may be in the way."
	}
	return string(p.Code)
}

// Blocking reports whether a problem stops syncing, as opposed to a warning.
func Blocking(p woo.Problem) bool {
	switch p.Code {
	case woo.ProblemReadOnly, woo.ProblemOldVersion, woo.ProblemAuthStripped:
		return false
	}
	return true
}

func connectionMessage(e *ConnectionError) string {
	for _, p := range e.Diagnosis.Problems {
		if Blocking(p) {
			return ProblemSentence(p)
		}
	}
	return "The shop answered, but offers no REST API ShopLedger can use."
}
