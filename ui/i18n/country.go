package i18n

import (
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// CountryName names a country by its ISO 3166 code as WooCommerce sends
// it ("BG"), in the language the window speaks: "Bulgaria", "България".
// A code CLDR does not know is shown as it is.
func CountryName(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil || !r.IsCountry() {
		return code
	}
	tag := language.English
	if activeLanguage == "bg" {
		tag = language.Bulgarian
	}
	if name := display.Regions(tag).Name(r); name != "" {
		return name
	}
	return code
}
