// Package i18n is what every screen needs to speak the bookkeeper's
// language: the message files' languages and the switch between them,
// how dates, amounts and statuses read in each, and the core's errors as
// plain sentences. Every user-visible string goes through lang.L (or
// lang.N for plurals) with its English text as the key; the files are in
// ui/translations, which package ui embeds and hands to Load.
package i18n

import (
	"encoding/json"
	"io/fs"
	"strings"
	"sync"

	// Before fyne.io's lang reads the locale: English for LANG=C.
	_ "codeberg.org/shopledger/shopledger/internal/posixlocale"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// Language is one language the window can speak.
type Language struct {
	Code string // "en", "bg"
	Name string // in itself: "English", "Български"
}

// Languages are the languages ShopLedger is translated to, English first.
var Languages = []Language{{"en", "English"}, {"bg", "Български"}}

var (
	loadOnce sync.Once
	// messageFiles are the raw files by language code, and knownKeys the
	// keys they define; both are read once and never change.
	messageFiles = map[string][]byte{}
	knownKeys    = map[string]bool{}
	// activeLanguage is the language the window speaks now, "en" or "bg".
	// It is set on the UI goroutine (at start and from the settings page)
	// and read by the formatting functions on the same goroutine.
	activeLanguage = "en"
)

// Load adds the message files in fsys (shopledger.<code>.json, one per
// language, at its root) to Fyne's bundle once per process; the system
// locale then picks one, as for Fyne's own strings. Later calls do
// nothing.
func Load(fsys fs.FS) {
	loadOnce.Do(func() {
		for _, l := range Languages {
			name := "shopledger." + l.Code + ".json"
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				fyne.LogError("reading "+name, err)
				continue
			}
			messageFiles[l.Code] = data
			if err := lang.AddTranslations(fyne.NewStaticResource(name, data)); err != nil {
				fyne.LogError("loading "+name, err)
			}
			var keys map[string]json.RawMessage
			if err := json.Unmarshal(data, &keys); err != nil {
				fyne.LogError("reading "+name, err)
				continue
			}
			for k := range keys {
				knownKeys[k] = true
			}
		}
		activeLanguage = SystemLanguage()
	})
}

// SystemLanguage is the language of ours the system locale asks for:
// Bulgarian for a Bulgarian locale, English for any other.
func SystemLanguage() string {
	loc := strings.ToLower(lang.SystemLocale().String())
	if loc == "bg" || strings.HasPrefix(loc, "bg-") || strings.HasPrefix(loc, "bg_") {
		return "bg"
	}
	return "en"
}

// SetLanguage makes the window speak code ("en", "bg"), or the system's
// language when code is empty; widgets built afterwards use it. Load must
// have run.
//
// Fyne 2.7 has no API to choose the language (fyne-io/fyne#5333): its
// localizer follows the system locale. What it does offer is adding
// messages for a locale, and its localizer then prefers that locale when it
// is the system's own. So the chosen language's messages are registered
// under the system locale's tag: Fyne's lookup lands on them whatever the
// system speaks. Both files list every key, so each switch replaces all of
// ShopLedger's strings, and the Fyne strings they include (OK, Cancel, …).
func SetLanguage(code string) {
	if code == "" {
		code = SystemLanguage()
	}
	data, ok := messageFiles[code]
	if !ok {
		code, data = "en", messageFiles["en"]
	}
	if err := lang.AddTranslationsForLocale(data, lang.SystemLocale()); err != nil {
		fyne.LogError("switching language to "+code, err)
		return
	}
	activeLanguage = code
}

// T translates a sentence from the core (books.UserMessage,
// books.ProblemSentence): the core writes English, and the message files
// carry the sentences it can say. A sentence they do not know, such as one
// with a shop's own words in it, is shown as it is.
func T(s string) string {
	if !knownKeys[s] || strings.Contains(s, "{{") {
		return s
	}
	return lang.L(s)
}

// Active is the code of the language the window speaks now: "en" or "bg".
func Active() string { return activeLanguage }
