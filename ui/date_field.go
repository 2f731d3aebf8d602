package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// dateField is a day typed in the window's own date format (Fyne's
// DateEntry follows the system's region instead, which can disagree with
// the language chosen in the settings), with a calendar beside it.
type dateField struct {
	entry    *widget.Entry
	pick     *widget.Button
	popUp    *widget.PopUp
	date     *time.Time // nil: none, or not a valid date
	onChange func(*time.Time)
	content  fyne.CanvasObject
}

func newDateField(placeholder string, onChange func(*time.Time)) *dateField {
	d := &dateField{entry: widget.NewEntry(), onChange: onChange}
	d.entry.SetPlaceHolder(placeholder)
	d.entry.Validator = func(s string) error {
		if s == "" {
			return nil
		}
		_, err := parseDate(s)
		return err
	}
	d.entry.OnChanged = d.typed
	d.pick = widget.NewButtonWithIcon("", theme.CalendarIcon(), d.showCalendar)
	d.pick.Importance = widget.LowImportance
	d.content = container.NewBorder(nil, nil, nil, d.pick, d.entry)
	return d
}

// set shows t (nil: none) without calling onChange.
func (d *dateField) set(t *time.Time) {
	f := d.entry.OnChanged
	d.entry.OnChanged = nil
	if t == nil {
		d.entry.SetText("")
	} else {
		d.entry.SetText(dateOnly(*t))
	}
	d.entry.OnChanged = f
	d.date = t
}

// typed follows the entry: a complete valid date or an empty field is a
// change; anything in between is not, so typing a date does not filter
// by every prefix of it.
func (d *dateField) typed(s string) {
	var t *time.Time
	if s != "" {
		v, err := parseDate(s)
		if err != nil {
			return
		}
		t = &v
	}
	if sameDay(t, d.date) {
		return
	}
	d.date = t
	if d.onChange != nil {
		d.onChange(t)
	}
}

func sameDay(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

func (d *dateField) showCalendar() {
	c := fyne.CurrentApp().Driver().CanvasForObject(d.entry)
	if c == nil {
		return
	}
	start := time.Now()
	if d.date != nil {
		start = *d.date
	}
	cal := widget.NewCalendar(start, func(t time.Time) {
		if d.popUp != nil {
			d.popUp.Hide()
		}
		d.entry.SetText(dateOnly(t)) // through typed, like typing it
	})
	d.popUp = widget.NewPopUp(cal, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(d.entry)
	d.popUp.ShowAtPosition(pos.Add(fyne.NewPos(0, d.entry.Size().Height)))
}
