package books

import (
	"errors"

	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// UserMessage turns an error into a sentence a bookkeeper can act on. The
// technical detail stays available through err.Error() for a "details" view.
func UserMessage(err error) string { return userMessage(err) }

func userMessage(err error) string {
	if err == nil {
		return ""
	}
	var we *woo.Error
	var ue *secrets.UnavailableError
	var ie *InputError
	var ce *ConnectionError
	var ro *ReadOnlyKeyError
	var cl *store.ClosingError
	switch {
	case errors.As(err, &cl):
		return cl.Error()
	case errors.As(err, &ro):
		return readOnlyMessage
	case errors.As(err, &ce):
		return connectionMessage(ce)
	case errors.As(err, &ie):
		return ie.Error()
	case errors.As(err, &ue):
		return ue.Error()
	case errors.Is(err, secrets.ErrNotFound):
		return "The shop's API keys are missing from the keyring. Edit the shop and enter them again."
	case errors.Is(err, store.ErrAlreadyRunning):
		return store.ErrAlreadyRunning.Error()
	case errors.As(err, &we):
		return wooMessage(we)
	}
	return err.Error()
}

func wooMessage(e *woo.Error) string {
	switch e.Kind {
	case woo.KindBadConfig:
		if e.Message != "" {
			return "Check the shop's address: " + e.Message + "."
		}
		return "Check the shop's address."
	case woo.KindAuth:
		return "The shop refused the API keys. Check the consumer key and secret in WooCommerce → Settings → Advanced → REST API."
	case woo.KindNotFound:
		return "The shop's REST API was not found at this address. Check the URL and that WordPress permalinks are not set to \"Plain\"."
	case woo.KindNetwork:
		return "The shop could not be reached. Check the address and your internet connection; ShopLedger will try again."
	case woo.KindTimeout:
		return "The shop took too long to answer; ShopLedger will try again."
	case woo.KindTLS:
		return "The shop's security certificate was not accepted. Check the address, or ask the shop's host to renew the certificate."
	case woo.KindServer:
		return "The shop had an internal error; ShopLedger will try again."
	case woo.KindRateLimited:
		return "The shop asked ShopLedger to slow down; it will try again shortly."
	case woo.KindBadPayload:
		if e.Message != "" {
			return "The shop's answer could not be read: " + e.Message + "."
		}
		return "The shop's answer could not be read."
	}
	return e.Error()
}
