package sales

import (
	"fmt"
	"time"
)

// Day is a calendar day in a shop's time zone, counted from 1970-01-01.
// The books group by the shop's local day, as WooCommerce's report does by
// its posts' local post_date.
type Day int32

// DayOf is the local day, in loc, of the Unix time s.
func DayOf(s int64, loc *time.Location) Day {
	y, m, d := time.Unix(s, 0).In(loc).Date()
	return DateDay(y, m, d)
}

// Zone turns Unix times into local days of one time zone quickly: it
// keeps the offset of the last zone period it met (Sofia has two a year),
// so most days are an addition and a division instead of a calendar walk.
type Zone struct {
	loc        *time.Location
	start, end int64 // the period [start, end) where offset holds
	offset     int64
}

// NewZone is a Zone of loc (UTC when nil).
func NewZone(loc *time.Location) *Zone {
	if loc == nil {
		loc = time.UTC
	}
	return &Zone{loc: loc, start: 1, end: 0}
}

// Day is the local day of the Unix time s.
func (z *Zone) Day(s int64) Day {
	if s < z.start || s >= z.end {
		t := time.Unix(s, 0).In(z.loc)
		_, off := t.Zone()
		start, end := t.ZoneBounds()
		z.offset = int64(off)
		z.start, z.end = minInt64, maxInt64
		if !start.IsZero() {
			z.start = start.Unix()
		}
		if !end.IsZero() {
			z.end = end.Unix()
		}
	}
	local := s + z.offset
	d := local / 86400
	if local%86400 < 0 {
		d--
	}
	return Day(d)
}

const (
	minInt64 = -1 << 63
	maxInt64 = 1<<63 - 1
)

// DateDay is the Day of a calendar date.
func DateDay(y int, m time.Month, d int) Day {
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// ParseDay reads "2026-10-31".
func ParseDay(s string) (Day, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, fmt.Errorf("read the date %q: use YYYY-MM-DD", s)
	}
	return Day(t.Unix() / 86400), nil
}

// Date is the day as a UTC midnight, for formatting.
func (d Day) Date() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String is "2026-10-31".
func (d Day) String() string { return d.Date().Format(time.DateOnly) }

// Month is the day's "2026-10".
func (d Day) Month() string { return d.Date().Format("2006-01") }

// MonthIndex counts months from 1970-01, for grouping.
func (d Day) MonthIndex() int {
	y, m, _ := d.Date().Date()
	return (y-1970)*12 + int(m) - 1
}

// Start is the first instant of the day in loc.
func (d Day) Start(loc *time.Location) time.Time {
	y, m, dd := d.Date().Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}
