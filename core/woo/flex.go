package woo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// PHP shops are loose with JSON types: ids arrive as numbers or strings,
// empty objects as [], booleans as "yes"/1. These types accept all of them.

// flexInt is an integer sent as a number, a numeric string, "", or null.
type flexInt int64

func (n *flexInt) UnmarshalJSON(b []byte) error {
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
	if len(b) > 0 && b[0] == '[' || bytes.Equal(b, []byte("null")) {
		var zero T
		o.V = zero
		return nil
	}
	return json.Unmarshal(b, &o.V)
}

func (n flexInt) String() string { return strconv.FormatInt(int64(n), 10) }
