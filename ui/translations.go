package ui

import (
	"embed"
	"sync"

	// Before fyne.io's lang reads the locale: English for LANG=C.
	_ "codeberg.org/shopledger/shopledger/internal/posixlocale"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
)

// translations holds ShopLedger's message files, one per language. Every
// user-visible string goes through lang.L with its English text as the key,
// so a language file only lists what it translates. en.json exists for
// plural forms: a key alone gives go-i18n only the "other" form.
//
//go:embed translations
var translations embed.FS

var translationsOnce sync.Once

// loadTranslations adds the message files to Fyne's bundle once per process.
func loadTranslations() {
	translationsOnce.Do(func() {
		if err := lang.AddTranslationsFS(translations, "translations"); err != nil {
			fyne.LogError("loading translations", err)
		}
	})
}
