package posixlocale

import "testing"

func TestIsPOSIX(t *testing.T) {
	for loc, want := range map[string]bool{"C": true, "C.UTF-8": true, "C.utf8": true, "POSIX": true, "": false, "bg_BG.UTF-8": false, "en_US": false} {
		if got := isPOSIX(loc); got != want {
			t.Errorf("isPOSIX(%q) = %v", loc, got)
		}
	}
}
