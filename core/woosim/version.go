package woosim

import (
	"strconv"
	"strings"
)

// wcVersion is a WooCommerce version, compared by major and minor.
type wcVersion struct{ major, minor int }

// parseVersion reads "7.9.0", "5.7", "9"; unreadable parts count as 0.
func parseVersion(s string) wcVersion {
	parts := strings.SplitN(strings.TrimSpace(s), ".", 3)
	n := func(i int) int {
		if i >= len(parts) {
			return 0
		}
		v, _ := strconv.Atoi(parts[i])
		return v
	}
	return wcVersion{n(0), n(1)}
}

func (v wcVersion) atLeast(major, minor int) bool {
	return v.major > major || v.major == major && v.minor >= minor
}

// hasWCV3 reports whether the shop's WooCommerce registers wc/v3 (3.5+).
func (s *Sim) hasWCV3() bool { return s.version.atLeast(3, 5) }

// hasModifiedFilters reports whether wc/v3's GET /orders knows
// modified_after and modified_before (5.8+); older versions ignore them as
// unknown parameters.
func (s *Sim) hasModifiedFilters() bool { return s.version.atLeast(5, 8) }

// legacyInstalled reports whether the legacy REST API's code is there: in
// WooCommerce itself before 9.0, in the Legacy REST API plugin after.
func (s *Sim) legacyInstalled() bool { return !s.version.atLeast(9, 0) || s.legacyPlugin }
