package ui

import (
	"fyne.io/fyne/v2"

	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// prefs are ShopLedger's preferences, typed, with their keys and
// defaults in one place (the Export dialog's are the Orders screen's own:
// ui/orders/export_prefs.go). They live in Fyne's app preferences, not in the
// books: they belong to this computer's user, not to the ledger.
type prefs struct{ p fyne.Preferences }

// Preference keys.
const (
	// prefLanguage is the window's language: "" follows the system,
	// otherwise a code of i18n.Languages.
	prefLanguage = "ui.language"
	// prefStartMinimized starts ShopLedger in the tray, the window hidden,
	// even when it is not started at login.
	prefStartMinimized = "ui.startMinimized"
	// prefPublicWebhookURL is how WooCommerce reaches this computer's
	// webhook receiver (a tunnel or proxy); empty: its own address.
	prefPublicWebhookURL = "webhooks.publicURL"
)

func newPrefs(a fyne.App) prefs { return prefs{p: a.Preferences()} }

// language returns the chosen language code, "" for the system's.
func (s prefs) Language() string {
	code := s.p.StringWithFallback(prefLanguage, "")
	for _, l := range i18n.Languages {
		if l.Code == code {
			return code
		}
	}
	return ""
}

func (s prefs) setLanguage(code string) { s.p.SetString(prefLanguage, code) }

// startMinimized tells whether every start leaves the window in the tray.
func (s prefs) StartMinimized() bool { return s.p.BoolWithFallback(prefStartMinimized, false) }

func (s prefs) SetStartMinimized(on bool) { s.p.SetBool(prefStartMinimized, on) }

// PublicWebhookURL is the "Public address for webhooks" setting, which
// Main passes to the engine: "" for the receiver's own address.
func (s prefs) PublicWebhookURL() string     { return s.p.String(prefPublicWebhookURL) }
func (s prefs) SetPublicWebhookURL(u string) { s.p.SetString(prefPublicWebhookURL, u) }
