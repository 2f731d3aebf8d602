package orders

import (
	"time"

	"fyne.io/fyne/v2/lang"
)

// The date shortcuts, in the order the period picker lists them.
const (
	periodAll = iota
	periodThisMonth
	periodLastMonth
	periodThisQuarter
	periodThisYear
)

func periodNames() []string {
	return []string{lang.L("All dates"), lang.L("This month"), lang.L("Last month"), lang.L("This quarter"), lang.L("This year")}
}

// periodRange is the first and last day of a shortcut, counted from
// today, in local time; nil for all dates.
func periodRange(period int, today time.Time) (from, to *time.Time) {
	y, m, _ := today.Date()
	day := func(y int, m time.Month, d int) *time.Time {
		t := time.Date(y, m, d, 0, 0, 0, 0, time.Local)
		return &t
	}
	switch period {
	case periodThisMonth:
		return day(y, m, 1), day(y, m+1, 0)
	case periodLastMonth:
		return day(y, m-1, 1), day(y, m, 0)
	case periodThisQuarter:
		q := (m-1)/3*3 + 1
		return day(y, q, 1), day(y, q+3, 0)
	case periodThisYear:
		return day(y, 1, 1), day(y, 12, 31)
	}
	return nil, nil
}

// periodChosen fills the dates of the shortcut picked and lists them.
func (p *Page) periodChosen() {
	if p.building || p.period.SelectedIndex() < 0 {
		return
	}
	from, to := periodRange(p.period.SelectedIndex(), p.u.Now().Local())
	p.from.Set(from)
	p.to.Set(to)
	p.query()
}

// datesTyped follows a date typed or picked: it is no shortcut any more.
func (p *Page) datesTyped() {
	if p.building {
		return
	}
	p.quietly(p.period.ClearSelected)
	p.query()
}

// quietly runs fn, which sets filters, without each change querying.
func (p *Page) quietly(fn func()) {
	was := p.building
	p.building = true
	fn()
	p.building = was
}
