package ui

import (
	"embed"
	"encoding/json"
	"strings"
	"sync"

	// Before fyne.io's lang reads the locale: English for LANG=C.
	_ "codeberg.org/shopledger/shopledger/internal/posixlocale"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// translations holds ShopLedger's message files, one per language, named
// shopledger.<code>.json. Every user-visible string goes through lang.L (or
// lang.N for plurals) with its English text as the key. Both files list
// every key: the Bulgarian one to translate it, the English one so that
// switching back from Bulgarian at run time restores every string (see
// setLanguage), and for plural forms.
//
//go:embed translations
var translations embed.FS

// uiLanguage is one language the window can speak.
type uiLanguage struct {
	code string // "en", "bg"
	name string // in itself: "English", "Български"
}

// uiLanguages are the languages ShopLedger is translated to, English first.
var uiLanguages = []uiLanguage{{"en", "English"}, {"bg", "Български"}}

var (
	translationsOnce sync.Once
	// messageFiles are the raw files by language code, and knownKeys the
	// keys they define; both are read once and never change.
	messageFiles = map[string][]byte{}
	knownKeys    = map[string]bool{}
	// activeLanguage is the language the window speaks now, "en" or "bg".
	// It is set on the UI goroutine (at start and from the settings page)
	// and read by the formatting functions on the same goroutine.
	activeLanguage = "en"
)

// loadTranslations adds the message files to Fyne's bundle once per
// process; the system locale then picks one, as for Fyne's own strings.
func loadTranslations() {
	translationsOnce.Do(func() {
		for _, l := range uiLanguages {
			name := "translations/shopledger." + l.code + ".json"
			data, err := translations.ReadFile(name)
			if err != nil {
				fyne.LogError("reading "+name, err)
				continue
			}
			messageFiles[l.code] = data
			var keys map[string]json.RawMessage
			if err := json.Unmarshal(data, &keys); err != nil {
				fyne.LogError("reading "+name, err)
				continue
			}
			for k := range keys {
				knownKeys[k] = true
			}
		}
		if err := lang.AddTranslationsFS(translations, "translations"); err != nil {
			fyne.LogError("loading translations", err)
		}
		activeLanguage = systemLanguage()
	})
}

// systemLanguage is the language of ours the system locale asks for:
// Bulgarian for a Bulgarian locale, English for any other.
func systemLanguage() string {
	loc := strings.ToLower(lang.SystemLocale().String())
	if loc == "bg" || strings.HasPrefix(loc, "bg-") || strings.HasPrefix(loc, "bg_") {
		return "bg"
	}
	return "en"
}

// setLanguage makes the window speak code ("en", "bg"), or the system's
// language when code is empty; widgets built afterwards use it.
//
// Fyne 2.7 has no API to choose the language (fyne-io/fyne#5333): its
// localizer follows the system locale. What it does offer is adding
// messages for a locale, and its localizer then prefers that locale when it
// is the system's own. So the chosen language's messages are registered
// under the system locale's tag: Fyne's lookup lands on them whatever the
// system speaks. Both files list every key, so each switch replaces all of
// ShopLedger's strings, and the Fyne strings they include (OK, Cancel, …).
func setLanguage(code string) {
	loadTranslations()
	if code == "" {
		code = systemLanguage()
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

// tr translates a sentence from the core (books.UserMessage,
// books.ProblemSentence): the core writes English, and the message files
// carry the sentences it can say. A sentence they do not know, such as one
// with a shop's own words in it, is shown as it is.
func tr(s string) string {
	loadTranslations()
	if !knownKeys[s] || strings.Contains(s, "{{") {
		return s
	}
	return lang.L(s)
}
