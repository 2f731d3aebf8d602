package ledger

import "strings"

// DisplayName is the line's name with its visible attributes after it,
// each once: WooCommerce already names a variation "T-Shirt - L", so its
// size is added only when the name does not end with it.
func (l *LineItem) DisplayName() string {
	name := l.Name
	var shown []string // the attribute values the name ends with
	if i := strings.LastIndex(name, " - "); i >= 0 {
		for _, v := range strings.Split(name[i+3:], ", ") {
			shown = append(shown, strings.TrimSpace(v))
		}
	}
	for _, m := range l.Meta {
		v := strings.TrimSpace(m.Value)
		if v == "" || containsFold(shown, v) {
			continue
		}
		name += ", " + v
	}
	return name
}

func containsFold(list []string, s string) bool {
	for _, v := range list {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}
