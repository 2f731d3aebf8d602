package orders

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// statusFilter is the status filter: a button that names the statuses
// chosen and opens WooCommerce's statuses to tick, several at once
// (completed and processing, say). None ticked is every status.
type statusFilter struct {
	button    *dropButton
	check     *widget.CheckGroup
	all       *widget.Button // ticks none: every status
	popUp     *widget.PopUp
	chosen    []ledger.Status // in ledger.KnownStatuses' order
	onChanged func()
}

func newStatusFilter(onChanged func()) *statusFilter {
	f := &statusFilter{onChanged: onChanged}
	names := make([]string, len(ledger.KnownStatuses))
	for i, s := range ledger.KnownStatuses {
		names[i] = i18n.StatusName(s)
	}
	f.check = widget.NewCheckGroup(names, f.ticked)
	f.all = widget.NewButton(lang.L("All statuses"), func() { f.check.SetSelected(nil) })
	f.button = newDropButton(f.open)
	f.relabel()
	return f
}

// open shows the statuses under the button.
func (f *statusFilter) open() {
	c := fyne.CurrentApp().Driver().CanvasForObject(f.button)
	if c == nil {
		return
	}
	f.popUp = widget.NewPopUp(container.NewVBox(f.check, widget.NewSeparator(), f.all), c)
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(f.button)
	f.popUp.ShowAtPosition(pos.Add(fyne.NewPos(0, f.button.Size().Height)))
}

// dropButton looks like the drop-down selects beside it (the text on the
// input's background, the arrow at the end) and opens a pop-up of its
// own: a select that takes several choices.
type dropButton struct {
	widget.BaseWidget
	Text  string
	label *widget.Label
	onTap func()
}

func newDropButton(onTap func()) *dropButton {
	b := &dropButton{label: widget.NewLabel(""), onTap: onTap}
	b.label.Truncation = fyne.TextTruncateEllipsis
	b.ExtendBaseWidget(b)
	return b
}

// SetText shows text on the button.
func (b *dropButton) SetText(text string) {
	b.Text = text
	b.label.SetText(text)
}

// Tapped opens the pop-up.
func (b *dropButton) Tapped(*fyne.PointEvent) {
	if b.onTap != nil {
		b.onTap()
	}
}

func (b *dropButton) CreateRenderer() fyne.WidgetRenderer {
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	icon := widget.NewIcon(theme.MenuDropDownIcon())
	return widget.NewSimpleRenderer(container.NewStack(bg,
		container.NewBorder(nil, nil, nil, container.NewPadded(icon), b.label)))
}

// ticked follows the check boxes.
func (f *statusFilter) ticked(names []string) {
	f.chosen = f.chosen[:0]
	for i, s := range ledger.KnownStatuses {
		if slices.Contains(names, f.check.Options[i]) {
			f.chosen = append(f.chosen, s)
		}
	}
	f.relabel()
	if f.onChanged != nil {
		f.onChanged()
	}
}

// statuses returns the statuses chosen, nil for every status.
func (f *statusFilter) statuses() []ledger.Status {
	if len(f.chosen) == 0 {
		return nil
	}
	return slices.Clone(f.chosen)
}

// set ticks the given statuses without calling onChanged.
func (f *statusFilter) set(statuses []ledger.Status) {
	var names []string
	for i, s := range ledger.KnownStatuses {
		if slices.Contains(statuses, s) {
			names = append(names, f.check.Options[i])
		}
	}
	cb := f.onChanged
	f.onChanged = nil
	f.check.SetSelected(names)
	f.onChanged = cb
}

// relabel names the choice on the button: every status, the one chosen,
// or how many.
func (f *statusFilter) relabel() {
	switch len(f.chosen) {
	case 0:
		f.button.SetText(lang.L("All statuses"))
	case 1:
		f.button.SetText(i18n.StatusName(f.chosen[0]))
	default:
		f.button.SetText(lang.N("{{.Count}} statuses", len(f.chosen), map[string]any{"Count": len(f.chosen)}))
	}
}
