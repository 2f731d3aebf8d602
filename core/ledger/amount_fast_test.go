package ledger

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
)

// oldString is String as it was before appendDecimal: the reference.
func oldString(a Amount) string {
	v := int64(a)
	sign := ""
	if v < 0 {
		sign, v = "-", -v
	}
	frac := fmt.Sprintf("%04d", v%10000)
	frac = strings.TrimRight(frac, "0")
	for len(frac) < 2 {
		frac += "0"
	}
	return sign + strconv.FormatInt(v/10000, 10) + "." + frac
}

// TestAmountFastPaths checks the fast formatting and parsing against the
// general ways.
func TestAmountFastPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	values := []Amount{0, 1, -1, 9, 10, 99, 100, 10000, -10000, 12345, 430000, math.MaxInt64, math.MinInt64, math.MinInt64 + 1}
	for range 20000 {
		values = append(values, Amount(r.Int64N(1e12)-5e11), Amount(r.Int64()))
	}
	for _, a := range values {
		if got, want := a.String(), oldString(a); got != want {
			t.Fatalf("String(%d) = %q, want %q", int64(a), got, want)
		}
		if got, _ := a.MarshalJSON(); string(got) != strconv.Quote(oldString(a)) {
			t.Fatalf("MarshalJSON(%d) = %s", int64(a), got)
		}
	}
	inputs := []string{"", ".", "-", "-.", "5.", ".5", "-.5", "007", "43.00", "7.3", "-7.3050", "1.2345", "1.23456", "1.23455",
		"99999999999999", "999999999999999", "99999999999.99", "1e2", " 43.00", "+5", "null", "1,5", "--1", "1.2.3", "0.0001", "-0"}
	for range 20000 {
		s := strconv.FormatInt(r.Int64N(1e9), 10)
		if p := r.IntN(len(s) + 1); r.IntN(2) == 0 {
			s = s[:p] + "." + s[p:]
		}
		if r.IntN(3) == 0 {
			s = "-" + s
		}
		inputs = append(inputs, s)
	}
	for _, s := range inputs {
		for _, b := range []string{`"` + s + `"`, s} {
			var fast Amount
			fastErr := fast.UnmarshalJSON([]byte(b))
			v, ok := plainAmount([]byte(b))
			want, wantErr := ParseAmount(strings.Trim(b, `"`))
			if ok && (wantErr != nil || v != want) {
				t.Fatalf("plainAmount(%s) = %d, ParseAmount %d, %v", b, v, want, wantErr)
			}
			if fastErr == nil && wantErr == nil && fast != want && !strings.ContainsAny(s, "eE ") {
				t.Fatalf("UnmarshalJSON(%s) = %d, want %d", b, fast, want)
			}
		}
	}
}
