// Package posixlocale names English as the language when the system locale
// is POSIX's "C" (LANG=C.UTF-8 is the default on Debian servers and in
// containers). Fyne's lang package reads the locale in its init and logs
// "Error parsing user locale C" for it, on every start and before main
// runs, which would clutter the command line's output.
//
// Import it first from main, blank. Go initializes packages in import-path
// order among those whose imports are ready, and this path sorts before
// fyne.io's, so this init runs before Fyne's.
package posixlocale

import (
	"os"
	"strings"
)

func init() {
	if os.Getenv("LANGUAGE") != "" {
		return
	}
	if isPOSIX(effectiveLocale()) {
		os.Setenv("LANGUAGE", "en")
	}
}

// effectiveLocale is the message locale as setlocale would choose it.
func effectiveLocale() string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return ""
}

func isPOSIX(loc string) bool {
	base, _, _ := strings.Cut(loc, ".")
	return base == "C" || base == "POSIX"
}
