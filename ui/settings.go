package ui

import (
	"fyne.io/fyne/v2"

	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// settings are ShopLedger's preferences, typed, with their keys and
// defaults in one place. They live in Fyne's app preferences, not in the
// books: they belong to this computer's user, not to the ledger.
type settings struct{ p fyne.Preferences }

// Preference keys.
const (
	// prefLanguage is the window's language: "" follows the system,
	// otherwise a code of i18n.Languages.
	prefLanguage = "ui.language"
	// prefStartMinimized starts ShopLedger in the tray, the window hidden,
	// even when it is not started at login.
	prefStartMinimized = "ui.startMinimized"
	// The Export dialog's last choices: the format ("xlsx", "csv"), the
	// CSV separator (";" or ","), the byte order mark, and the folder.
	prefExportFormat    = "export.format"
	prefExportDelimiter = "export.delimiter"
	prefExportBOM       = "export.bom"
	prefExportDir       = "export.dir"
	// prefPublicWebhookURL is how WooCommerce reaches this computer's
	// webhook receiver (a tunnel or proxy); empty: its own address.
	prefPublicWebhookURL = "webhooks.publicURL"
)

func newSettings(a fyne.App) settings { return settings{p: a.Preferences()} }

// language returns the chosen language code, "" for the system's.
func (s settings) language() string {
	code := s.p.StringWithFallback(prefLanguage, "")
	for _, l := range i18n.Languages {
		if l.Code == code {
			return code
		}
	}
	return ""
}

func (s settings) setLanguage(code string) { s.p.SetString(prefLanguage, code) }

// startMinimized tells whether every start leaves the window in the tray.
func (s settings) startMinimized() bool { return s.p.BoolWithFallback(prefStartMinimized, false) }

func (s settings) setStartMinimized(on bool) { s.p.SetBool(prefStartMinimized, on) }

// exportFormat is "xlsx" (the default: it opens right in any spreadsheet)
// or "csv".
func (s settings) exportFormat() string {
	if f := s.p.StringWithFallback(prefExportFormat, "xlsx"); f == "csv" {
		return f
	}
	return "xlsx"
}

func (s settings) setExportFormat(f string) { s.p.SetString(prefExportFormat, f) }

// exportDelimiter is the CSV separator: ';' by default, what Excel expects
// where the decimal separator is a comma, as in Bulgaria.
func (s settings) exportDelimiter() rune {
	if s.p.StringWithFallback(prefExportDelimiter, ";") == "," {
		return ','
	}
	return ';'
}

func (s settings) setExportDelimiter(d rune) { s.p.SetString(prefExportDelimiter, string(d)) }

// exportBOM: CSV files start with a byte order mark, so Excel on Windows
// reads Cyrillic right; on by default.
func (s settings) exportBOM() bool         { return s.p.BoolWithFallback(prefExportBOM, true) }
func (s settings) setExportBOM(on bool)    { s.p.SetBool(prefExportBOM, on) }
func (s settings) exportDir() string       { return s.p.String(prefExportDir) }
func (s settings) setExportDir(dir string) { s.p.SetString(prefExportDir, dir) }

// publicWebhookURL is the "Public address for webhooks" setting, which
// Main passes to the engine: "" for the receiver's own address.
func (s settings) publicWebhookURL() string     { return s.p.String(prefPublicWebhookURL) }
func (s settings) setPublicWebhookURL(u string) { s.p.SetString(prefPublicWebhookURL, u) }
