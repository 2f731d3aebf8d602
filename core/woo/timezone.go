package woo

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// The shop's time zone decides the day an order belongs to in the books.
// WordPress keeps it as timezone_string (an IANA name, "Europe/Sofia") or,
// when the admin chose "UTC+2" in Settings → General, only as gmt_offset;
// its REST index (/wp-json/) tells both without authentication. The legacy
// index (/wc-api/v3) tells WooCommerce's wc_timezone_string(): the IANA
// name, or one derived from the offset, or "+02:00".

// ShopTimezone reads the shop's time zone as an IANA name loadable with
// time.LoadLocation: from the WordPress index, else (the legacy dialect, or
// a shop whose /wp-json/ does not answer) from the legacy index. A bare
// offset becomes a fixed zone ("Etc/GMT-2" for UTC+2; such zones know no
// summer time). It returns "" without an error when the shop tells no
// zone ShopLedger can use (an offset of a fraction of an hour).
func (c *Client) ShopTimezone(ctx context.Context) (string, error) {
	zone, wpErr := c.wpTimezone(ctx)
	if zone != "" {
		return zone, nil
	}
	zone, err := c.legacyTimezone(ctx)
	if zone != "" || err == nil || wpErr == nil {
		return zone, nil
	}
	return "", fmt.Errorf("read the shop's time zone: %w", wpErr)
}

// wpTimezone reads timezone_string and gmt_offset from /wp-json/.
func (c *Client) wpTimezone(ctx context.Context) (string, error) {
	resp, err := c.do(ctx, call{op: "read WordPress index", root: "/wp-json/", anon: true,
		query: map[string][]string{"_fields": {"timezone_string,gmt_offset"}}})
	if err != nil {
		return "", err
	}
	var idx struct {
		Zone   flexString `json:"timezone_string"`
		Offset flexString `json:"gmt_offset"`
	}
	if err := decodeJSON("read WordPress index", resp.body, &idx); err != nil {
		return "", err
	}
	return wpZone(string(idx.Zone), string(idx.Offset)), nil
}

// legacyTimezone reads store.meta.timezone from the legacy index.
func (c *Client) legacyTimezone(ctx context.Context) (string, error) {
	resp, err := c.do(ctx, call{op: "read shop index", dialect: ledger.DialectLegacyV3, anon: true})
	if err != nil {
		return "", err
	}
	return legacyIndexZone(resp.body), nil
}

func legacyIndexZone(body []byte) string {
	var idx struct {
		Store struct {
			Meta struct {
				Timezone flexString `json:"timezone"`
			} `json:"meta"`
		} `json:"store"`
	}
	if decodeJSON("read shop index", body, &idx) != nil {
		return ""
	}
	return legacyZone(string(idx.Store.Meta.Timezone))
}

// wpZone is the zone WordPress's settings name: timezone_string when it
// is set and known, else the offset as a fixed zone.
func wpZone(name, offset string) string {
	if z := ianaZone(name); z != "" {
		return z
	}
	hours, err := strconv.ParseFloat(strings.TrimSpace(offset), 64)
	if err != nil {
		return ""
	}
	return offsetZone(hours * 3600)
}

// legacyZone reads wc_timezone_string(): an IANA name, or "+02:00".
func legacyZone(s string) string {
	s = strings.TrimSpace(s)
	if z := ianaZone(s); z != "" {
		return z
	}
	if len(s) == 6 && (s[0] == '+' || s[0] == '-') && s[3] == ':' {
		h, err1 := strconv.Atoi(s[1:3])
		m, err2 := strconv.Atoi(s[4:])
		if err1 == nil && err2 == nil {
			secs := float64(h*3600 + m*60)
			if s[0] == '-' {
				secs = -secs
			}
			return offsetZone(secs)
		}
	}
	return ""
}

// ianaZone returns name when it is a zone this ShopLedger can load.
func ianaZone(name string) string {
	name = strings.TrimSpace(name)
	if name == "" || strings.HasPrefix(name, "UTC+") || strings.HasPrefix(name, "UTC-") {
		return "" // WordPress writes "UTC+2" for an offset; that is no zone name
	}
	if _, err := time.LoadLocation(name); err != nil {
		return ""
	}
	return name
}

// offsetZone is the IANA fixed zone for a whole-hour offset east of UTC
// (whose sign the Etc names invert), or "" for any other offset.
func offsetZone(secs float64) string {
	if secs != float64(int(secs)) || int(secs)%3600 != 0 {
		return ""
	}
	h := int(secs) / 3600
	switch {
	case h == 0:
		return "UTC"
	case h < -12 || h > 14:
		return ""
	case h > 0:
		return "Etc/GMT-" + strconv.Itoa(h)
	}
	return "Etc/GMT+" + strconv.Itoa(-h)
}
