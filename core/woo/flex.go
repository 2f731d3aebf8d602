package woo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// PHP shops are loose with JSON types: ids arrive as numbers or strings,
// empty objects as [], booleans as "yes"/1. These types accept all of them.

// flexInt is an integer sent as a number, a numeric string, "", or null.
type flexInt int64

func (n *flexInt) UnmarshalJSON(b []byte) error {
	if v, ok := plainInt(b); ok {
		*n = flexInt(v)
		return nil
	}
	s := strings.Trim(string(bytes.TrimSpace(b)), `"`)
	if s == "" || s == "null" || s == "false" {
		*n = 0
		return nil
	}
	if s == "true" {
		*n = 1
		return nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = flexInt(v)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("parse integer %q: %w", s, err)
	}
	*n = flexInt(f)
	return nil
}

// flexBool is a boolean sent as true/false, 1/0, "yes"/"no" or null.
type flexBool bool

func (v *flexBool) UnmarshalJSON(b []byte) error {
	switch strings.ToLower(strings.Trim(string(bytes.TrimSpace(b)), `"`)) {
	case "true", "1", "yes", "on":
		*v = true
	default:
		*v = false
	}
	return nil
}

// flexString is a string that PHP sometimes sends as a number, a bool or null.
type flexString string

func (s *flexString) UnmarshalJSON(b []byte) error {
	if v, ok := plainString(b); ok {
		*s = flexString(v)
		return nil
	}
	b = bytes.TrimSpace(b)
	switch {
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = flexString(v)
	case bytes.Equal(b, []byte("null")), bytes.Equal(b, []byte("false")):
		*s = ""
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		*s = flexString(b) // structured meta value: keep it readable as JSON
	default:
		*s = flexString(b)
	}
	return nil
}

// flexTime is a WooCommerce date. wc/v3 `_gmt` fields carry no zone and are
// UTC; legacy fields end in Z. null, "" and the legacy API's
// "1970-01-01T00:00:00Z" for "never" all mean zero.
type flexTime time.Time

func (t *flexTime) UnmarshalJSON(b []byte) error {
	// wc/v3's "2006-01-02T15:04:05" (no zone: UTC) parses directly;
	// everything else takes the general way below.
	if len(b) == 21 && b[0] == '"' && b[20] == '"' && b[11] == 'T' {
		if v, err := time.Parse("2006-01-02T15:04:05", string(b[1:20])); err == nil {
			if v.Unix() <= 0 {
				v = time.Time{}
			}
			*t = flexTime(v)
			return nil
		}
	}
	s := strings.Trim(string(bytes.TrimSpace(b)), `"`)
	if s == "" || s == "null" || s == "false" {
		*t = flexTime{}
		return nil
	}
	v, err := parseWooTime(s)
	if err != nil {
		return err
	}
	*t = flexTime(v)
	return nil
}

func (t flexTime) UTC() time.Time { return time.Time(t) }

// parseWooTime parses the date forms WooCommerce sends, treating a missing
// zone as UTC.
func parseWooTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if v, err := time.Parse(layout, s); err == nil {
			v = v.UTC()
			if v.Unix() <= 0 {
				return time.Time{}, nil
			}
			return v, nil
		}
	}
	return time.Time{}, fmt.Errorf("parse date %q: not an ISO 8601 date", s)
}

// objectOrList decodes a JSON object into v, accepting [] as an empty
// object: PHP encodes an empty associative array as [].
type objectOrList[T any] struct{ V T }

func (o *objectOrList[T]) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	var zero T
	if len(b) > 0 && b[0] == '[' || bytes.Equal(b, []byte("null")) {
		o.V = zero
		return nil
	}
	// encoding/json has validated b: a flat object that knows its members
	// decodes without validating it again.
	if d, isFlat := any(&o.V).(memberDecoder); isFlat && len(b) > 0 && b[0] == '{' {
		v := o.V
		o.V = zero
		ok, err := decodeMembers(b, d)
		if ok {
			return err
		}
		o.V = v
	}
	return json.Unmarshal(b, &o.V)
}

func (n flexInt) String() string { return strconv.FormatInt(int64(n), 10) }

// plainInt parses b when it is a plain decimal integer, bare or quoted;
// ok is false for anything else (the general path decides).
func plainInt(b []byte) (int64, bool) {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' {
		b = b[1 : len(b)-1]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	neg := b[0] == '-'
	if neg {
		b = b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// plainString returns the JSON string b unquoted when it is valid UTF-8
// (encoding/json would replace invalid bytes) and holds no \u escape; ok
// is false for anything else. PHP escapes every slash, so "\/" is common.
func plainString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	in := b[1 : len(b)-1]
	esc := bytes.IndexByte(in, '\\')
	if esc < 0 {
		if !utf8.Valid(in) {
			return "", false
		}
		return string(in), true
	}
	out := make([]byte, esc, len(in))
	copy(out, in[:esc])
	for i := esc; i < len(in); i++ {
		c := in[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		if i++; i >= len(in) {
			return "", false
		}
		switch in[i] {
		case '"', '\\', '/':
			out = append(out, in[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		default: // \u and anything odd: encoding/json decides
			return "", false
		}
	}
	if !utf8.Valid(out) {
		return "", false
	}
	return string(out), true
}
