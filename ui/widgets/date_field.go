package widgets

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// DateField is a day typed in the window's own date format (Fyne's
// DateEntry follows the system's region instead, which can disagree with
// the language chosen in the settings), with a calendar beside it.
type DateField struct {
	Entry    *widget.Entry
	pick     *widget.Button
	popUp    *widget.PopUp
	Date     *time.Time // nil: none, or not a valid date
	onChange func(*time.Time)
	Content  fyne.CanvasObject
}

// NewDateField is an empty field; onChange hears each complete date typed
// or picked, and nil when it is emptied.
func NewDateField(placeholder string, onChange func(*time.Time)) *DateField {
	d := &DateField{Entry: widget.NewEntry(), onChange: onChange}
	d.Entry.SetPlaceHolder(placeholder)
	d.Entry.Validator = func(s string) error {
		if s == "" {
			return nil
		}
		_, err := i18n.ParseDate(s)
		return err
	}
	d.Entry.OnChanged = d.typed
	d.pick = widget.NewButtonWithIcon("", theme.CalendarIcon(), d.showCalendar)
	d.pick.Importance = widget.LowImportance
	d.Content = container.NewBorder(nil, nil, nil, d.pick, d.Entry)
	return d
}

// Set shows t (nil: none) without calling onChange.
func (d *DateField) Set(t *time.Time) {
	f := d.Entry.OnChanged
	d.Entry.OnChanged = nil
	if t == nil {
		d.Entry.SetText("")
	} else {
		d.Entry.SetText(i18n.DateOnly(*t))
	}
	d.Entry.OnChanged = f
	d.Date = t
}

// typed follows the entry: a complete valid date or an empty field is a
// change; anything in between is not, so typing a date does not filter
// by every prefix of it.
func (d *DateField) typed(s string) {
	var t *time.Time
	if s != "" {
		v, err := i18n.ParseDate(s)
		if err != nil {
			return
		}
		t = &v
	}
	if sameDay(t, d.Date) {
		return
	}
	d.Date = t
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

func (d *DateField) showCalendar() {
	c := fyne.CurrentApp().Driver().CanvasForObject(d.Entry)
	if c == nil {
		return
	}
	start := time.Now()
	if d.Date != nil {
		start = *d.Date
	}
	cal := widget.NewCalendar(start, func(t time.Time) {
		if d.popUp != nil {
			d.popUp.Hide()
		}
		d.Entry.SetText(i18n.DateOnly(t)) // through typed, like typing it
	})
	d.popUp = widget.NewPopUp(cal, c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(d.Entry)
	d.popUp.ShowAtPosition(pos.Add(fyne.NewPos(0, d.Entry.Size().Height)))
}
