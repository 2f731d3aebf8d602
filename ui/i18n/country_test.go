package i18n

import "testing"

func TestCountryName(t *testing.T) {
	t.Cleanup(func() { activeLanguage = "en" })
	for _, tc := range []struct{ lang, code, want string }{
		{"en", "BG", "Bulgaria"},
		{"en", "DE", "Germany"},
		{"en", "gb", "United Kingdom"},
		{"bg", "BG", "България"},
		{"bg", "DE", "Германия"},
		{"bg", "US", "Съединени щати"},
		{"en", "", ""},
		{"en", "Bulgaria", "Bulgaria"}, // not a code: as the shop wrote it
		{"en", "ZZ", "ZZ"},
	} {
		activeLanguage = tc.lang
		if got := CountryName(tc.code); got != tc.want {
			t.Errorf("%s %q: %q, want %q", tc.lang, tc.code, got, tc.want)
		}
	}
}
