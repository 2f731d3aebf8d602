package orders

import "fyne.io/fyne/v2"

// The Export dialog's last choices, kept in the app's preferences: the
// format ("xlsx", "csv"), the CSV separator (";" or ","), the byte order
// mark, and the folder.
const (
	prefExportFormat    = "export.format"
	prefExportDelimiter = "export.delimiter"
	prefExportBOM       = "export.bom"
	prefExportDir       = "export.dir"
	prefExportTotals    = "export.totals"
)

// exportPrefs are the Export dialog's preferences, typed, with their
// defaults.
type exportPrefs struct{ p fyne.Preferences }

// exportFormat is "xlsx" (the default: it opens right in any spreadsheet)
// or "csv".
func (s exportPrefs) exportFormat() string {
	if f := s.p.StringWithFallback(prefExportFormat, "xlsx"); f == "csv" {
		return f
	}
	return "xlsx"
}

func (s exportPrefs) setExportFormat(f string) { s.p.SetString(prefExportFormat, f) }

// exportDelimiter is the CSV separator: ';' by default, what Excel expects
// where the decimal separator is a comma, as in Bulgaria.
func (s exportPrefs) exportDelimiter() rune {
	if s.p.StringWithFallback(prefExportDelimiter, ";") == "," {
		return ','
	}
	return ';'
}

func (s exportPrefs) setExportDelimiter(d rune) { s.p.SetString(prefExportDelimiter, string(d)) }

// exportBOM: CSV files start with a byte order mark, so Excel on Windows
// reads Cyrillic right; on by default.
func (s exportPrefs) exportBOM() bool         { return s.p.BoolWithFallback(prefExportBOM, true) }
func (s exportPrefs) setExportBOM(on bool)    { s.p.SetBool(prefExportBOM, on) }
func (s exportPrefs) exportDir() string       { return s.p.String(prefExportDir) }
func (s exportPrefs) setExportDir(dir string) { s.p.SetString(prefExportDir, dir) }

// exportTotals: each sheet ends with a totals row per currency; on by
// default, off for a file an accounting package imports row by row.
func (s exportPrefs) exportTotals() bool      { return s.p.BoolWithFallback(prefExportTotals, true) }
func (s exportPrefs) setExportTotals(on bool) { s.p.SetBool(prefExportTotals, on) }
