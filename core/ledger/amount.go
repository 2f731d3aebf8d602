package ledger

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Amount is a money value or quantity in ten-thousandths of a unit. Books
// must add up exactly, so amounts never pass through float64: WooCommerce
// sends "43.00" as a string, and line prices as JSON numbers like 7.3, both
// parsed from their text.
type Amount int64

// amountScale is the number of decimal places an Amount keeps.
const amountScale = 4

// ParseAmount parses a decimal such as "43.00", "-7.3", "1e2" is rejected.
// An empty string is zero: WooCommerce sends "" for unset totals.
func ParseAmount(s string) (Amount, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	neg := false
	switch s[0] {
	case '-':
		neg, s = true, s[1:]
	case '+':
		s = s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" && frac == "" {
		return 0, fmt.Errorf("parse amount %q: no digits", s)
	}
	var v int64
	for _, c := range whole {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("parse amount %q: not a decimal number", s)
		}
		v = v*10 + int64(c-'0')
		if v > 1e14 {
			return 0, fmt.Errorf("parse amount %q: too large", s)
		}
	}
	roundUp := false
	for i, c := range frac {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("parse amount %q: not a decimal number", s)
		}
		switch {
		case i < amountScale:
			v = v*10 + int64(c-'0')
		case i == amountScale:
			roundUp = c >= '5' // half away from zero, as accountants round
		}
	}
	for i := len(frac); i < amountScale; i++ {
		v *= 10
	}
	if roundUp {
		v++
	}
	if neg {
		v = -v
	}
	return Amount(v), nil
}

// MustAmount parses s and panics on error; for tests and constants.
func MustAmount(s string) Amount {
	a, err := ParseAmount(s)
	if err != nil {
		panic(err)
	}
	return a
}

// String formats the amount with at least two decimals ("43.00", "7.3050").
func (a Amount) String() string {
	var buf [24]byte
	return string(a.appendDecimal(buf[:0]))
}

// appendDecimal appends the amount as String formats it.
func (a Amount) appendDecimal(b []byte) []byte {
	v := int64(a)
	if v == math.MinInt64 { // cannot be negated; the general formatting
		frac := fmt.Sprintf("%04d", v%10000)
		frac = strings.TrimRight(frac, "0")
		for len(frac) < 2 {
			frac += "0"
		}
		return append(b, "-"+strconv.FormatInt(v/10000, 10)+"."+frac...)
	}
	if v < 0 {
		b, v = append(b, '-'), -v
	}
	b = strconv.AppendInt(b, v/10000, 10)
	f := v % 10000
	digits := [4]byte{byte('0' + f/1000), byte('0' + f/100%10), byte('0' + f/10%10), byte('0' + f%10)}
	n := 4
	for n > 2 && digits[n-1] == '0' {
		n--
	}
	return append(append(b, '.'), digits[:n]...)
}

// Float returns an approximation for display and charts, never for sums.
func (a Amount) Float() float64 { return float64(a) / 10000 }

// MarshalJSON writes the amount as a decimal string, the way WooCommerce does.
func (a Amount) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 24)
	b = a.appendDecimal(append(b, '"'))
	return append(b, '"'), nil
}

// UnmarshalJSON accepts a string ("43.00"), a number (7.3) or null; PHP
// shops send all three for the same field.
func (a *Amount) UnmarshalJSON(b []byte) error {
	if v, ok := plainAmount(b); ok {
		*a = v
		return nil
	}
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) || bytes.Equal(b, []byte("false")) {
		*a = 0
		return nil
	}
	s := string(b)
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		s = s[1 : len(s)-1]
		if strings.ContainsRune(s, '\\') { // escaped: let encoding/json unquote it
			if err := json.Unmarshal(b, &s); err != nil {
				return err
			}
		}
	}
	if strings.ContainsAny(s, "eE") {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return fmt.Errorf("parse amount %q: %w", s, err)
		}
		s = strconv.FormatFloat(f, 'f', -1, 64)
	}
	v, err := ParseAmount(s)
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// plainAmount parses the common forms, "43.00" and 7.3: digits with an
// optional minus and point, bare or quoted, short enough not to overflow.
// ok is false for anything else, which UnmarshalJSON parses the general
// way (the results agree where both apply).
func plainAmount(b []byte) (Amount, bool) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		b = b[1 : len(b)-1]
	}
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 14 {
		return 0, false
	}
	var v int64
	decimals := -1 // digits after the point; -1 before it
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			if decimals >= amountScale {
				return 0, false // rounding: the general way
			}
			v = v*10 + int64(c-'0')
			if decimals >= 0 {
				decimals++
			}
		case c == '.' && decimals < 0:
			decimals = 0
		default:
			return 0, false
		}
	}
	if decimals < 0 {
		decimals = 0
	}
	if len(b) == 1 && decimals == 0 && b[0] == '.' {
		return 0, false
	}
	for ; decimals < amountScale; decimals++ {
		v *= 10
	}
	if neg {
		v = -v
	}
	return Amount(v), true
}
