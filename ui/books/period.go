package books

import (
	"os/user"
	"time"

	"fyne.io/fyne/v2/lang"

	"codeberg.org/shopledger/shopledger/core/sales"
)

// The period picker's presets, in the order it lists them.
const (
	presetThisMonth = iota
	presetLastMonth
	presetThisQuarter
	presetThisYear
	presetCustom
)

func periodNames() []string {
	return []string{lang.L("This month"), lang.L("Last month"), lang.L("This quarter"), lang.L("This year"), lang.L("Custom")}
}

func byNames() []string { return []string{lang.L("Per day"), lang.L("Per month")} }

// presetRange is the first and last day of a preset, counted from today.
func presetRange(preset int, today time.Time) (from, to sales.Day) {
	y, m, _ := today.Date()
	switch preset {
	case presetThisMonth:
		return sales.DateDay(y, m, 1), sales.DateDay(y, m+1, 1) - 1
	case presetLastMonth:
		return sales.DateDay(y, m-1, 1), sales.DateDay(y, m, 1) - 1
	case presetThisQuarter:
		q := (m-1)/3*3 + 1
		return sales.DateDay(y, q, 1), sales.DateDay(y, q+3, 1) - 1
	default:
		return sales.DateDay(y, 1, 1), sales.DateDay(y+1, 1, 1) - 1
	}
}

// dayOf is the calendar day a date field shows.
func dayOf(t time.Time) sales.Day {
	y, m, d := t.Date()
	return sales.DateDay(y, m, d)
}

// fieldDate is a day as the date field takes it.
func fieldDate(d sales.Day) *time.Time {
	y, m, dd := d.Date().Date()
	t := time.Date(y, m, dd, 0, 0, 0, 0, time.Local)
	return &t
}

// presetChosen follows the period picker: a preset fills the dates and
// picks days for a month, months for longer; Custom keeps the dates typed.
func (p *Page) presetChosen() {
	if p.fillPreset() {
		p.Reload()
	}
}

// fillPreset shows the dates of the chosen preset; false for Custom.
func (p *Page) fillPreset() bool {
	preset := p.period.SelectedIndex()
	if preset == presetCustom || preset < 0 {
		return false
	}
	from, to := presetRange(preset, p.u.Now().Local())
	p.from.Set(fieldDate(from))
	p.to.Set(fieldDate(to))
	by := 0
	if preset == presetThisQuarter || preset == presetThisYear {
		by = 1
	}
	f := p.by.OnChanged
	p.by.OnChanged = nil
	p.by.SetSelectedIndex(by)
	p.by.OnChanged = f
	return true
}

// typedDates follows the date fields: typed dates are a custom period.
func (p *Page) typedDates() {
	if p.period.SelectedIndex() != presetCustom {
		f := p.period.OnChanged
		p.period.OnChanged = nil
		p.period.SetSelectedIndex(presetCustom)
		p.period.OnChanged = f
	}
	p.Reload()
}

// currentUser is who closes or reopens the books: the computer's user.
func currentUser() string {
	if u, err := user.Current(); err == nil {
		if u.Name != "" {
			return u.Name
		}
		return u.Username
	}
	return ""
}
