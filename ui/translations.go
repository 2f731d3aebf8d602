package ui

import (
	"embed"
	"io/fs"

	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// translations holds ShopLedger's message files, one per language, named
// shopledger.<code>.json. Both files list every key: the Bulgarian one to
// translate it, the English one so that switching back from Bulgarian at
// run time restores every string (see i18n.SetLanguage), and for plural
// forms.
//
//go:embed translations
var translations embed.FS

// loadTranslations hands the message files to i18n, once per process.
func loadTranslations() {
	sub, err := fs.Sub(translations, "translations")
	if err != nil {
		panic(err) // the embedded directory is there by construction
	}
	i18n.Load(sub)
}

// setLanguage makes the window speak code ("en", "bg"), or the system's
// language when code is empty; widgets built afterwards use it.
func setLanguage(code string) {
	loadTranslations()
	i18n.SetLanguage(code)
}
