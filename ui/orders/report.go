package orders

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// What the shell's screen report (scripts/screenshot.sh) reads of the
// screen: the order whose detail is drawn, and where the first row is.

// Shown is the number of the order whose detail is open and drawn (read,
// its sections built); false while none is, or while it is still loading.
func (p *Page) Shown() (number string, ok bool) {
	if d := p.detail; d != nil && d.historyBox != nil {
		return d.order.Number, true
	}
	return "", false
}

// FirstRow is the middle-left of the list's first row, below its header, on
// the canvas; false when the list is hidden or has no rows.
func (p *Page) FirstRow() (fyne.Position, bool) {
	l := p.list
	if !p.content.Visible() || l.rows() <= 0 {
		return fyne.Position{}, false
	}
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(l.table)
	header, row := l.createHeader().MinSize().Height, l.createCell().MinSize().Height
	return at.Add(fyne.NewPos(40, header+theme.SeparatorThicknessSize()+row/2)), true
}
