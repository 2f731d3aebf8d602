package ui

import "fyne.io/fyne/v2"

// settings are ShopLedger's preferences, typed, with their keys and
// defaults in one place. They live in Fyne's app preferences, not in the
// books: they belong to this computer's user, not to the ledger.
type settings struct{ p fyne.Preferences }

// Preference keys.
const (
	// prefLanguage is the window's language: "" follows the system,
	// otherwise a code of uiLanguages.
	prefLanguage = "ui.language"
	// prefStartMinimized starts ShopLedger in the tray, the window hidden,
	// even when it is not started at login.
	prefStartMinimized = "ui.startMinimized"
)

func newSettings(a fyne.App) settings { return settings{p: a.Preferences()} }

// language returns the chosen language code, "" for the system's.
func (s settings) language() string {
	code := s.p.StringWithFallback(prefLanguage, "")
	for _, l := range uiLanguages {
		if l.code == code {
			return code
		}
	}
	return ""
}

func (s settings) setLanguage(code string) { s.p.SetString(prefLanguage, code) }

// startMinimized tells whether every start leaves the window in the tray.
func (s settings) startMinimized() bool { return s.p.BoolWithFallback(prefStartMinimized, false) }

func (s settings) setStartMinimized(on bool) { s.p.SetBool(prefStartMinimized, on) }
