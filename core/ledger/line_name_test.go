package ledger

import "testing"

func TestLineDisplayName(t *testing.T) {
	meta := func(kv ...string) []MetaItem {
		var m []MetaItem
		for i := 0; i < len(kv); i += 2 {
			m = append(m, MetaItem{Key: kv[i], Value: kv[i+1]})
		}
		return m
	}
	for _, tc := range []struct {
		name string
		meta []MetaItem
		want string
	}{
		{"T-Shirt - L", meta("pa_size", "L"), "T-Shirt - L"},
		{"T-Shirt - L, Blue", meta("pa_size", "L", "pa_color", "Blue"), "T-Shirt - L, Blue"},
		{"T-Shirt - l", meta("pa_size", "L"), "T-Shirt - l"},
		{"T-Shirt", meta("pa_size", "L"), "T-Shirt, L"},
		{"T-Shirt - L", meta("pa_size", "L", "Gift wrap", "Yes"), "T-Shirt - L, Yes"},
		{"Mug", nil, "Mug"},
		{"Mug", meta("note", ""), "Mug"},
		{"Cable - 2 m", meta("length", "1 m"), "Cable - 2 m, 1 m"},
		{"Тениска - M", meta("pa_razmer", "M"), "Тениска - M"},
	} {
		l := LineItem{Name: tc.name, Meta: tc.meta}
		if got := l.DisplayName(); got != tc.want {
			t.Errorf("%q with %v reads %q, want %q", tc.name, tc.meta, got, tc.want)
		}
	}
}
