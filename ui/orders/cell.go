package orders

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Badge colours of statuses the theme has no name for.
var (
	colorOnHold   = color.NRGBA{R: 0xd9, G: 0xa4, B: 0x06, A: 0xff}
	colorRefunded = color.NRGBA{R: 0x8e, G: 0x44, B: 0xad, A: 0xff}
	colorNeutral  = color.NRGBA{R: 0x80, G: 0x80, B: 0x80, A: 0xff}
)

// statusColor is the colour of an order's status badge: green when done,
// blue while in progress, orange or yellow while waiting, red when it
// failed, purple when refunded, grey when gone.
func statusColor(o *ledger.Order) color.Color {
	if o.Deleted {
		return colorNeutral
	}
	switch o.Status {
	case ledger.StatusCompleted:
		return theme.Color(theme.ColorNameSuccess)
	case ledger.StatusProcessing:
		return theme.Color(theme.ColorNamePrimary)
	case ledger.StatusPending:
		return theme.Color(theme.ColorNameWarning)
	case ledger.StatusOnHold:
		return colorOnHold
	case ledger.StatusCancelled, ledger.StatusFailed:
		return theme.Color(theme.ColorNameError)
	case ledger.StatusRefunded:
		return colorRefunded
	}
	return colorNeutral
}

// tint is c at a quarter strength: the badge's fill, under normal text.
func tint(c color.Color) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x48}
}

// textCell is a cell of the order table: a label, with a rounded badge
// behind its text when it shows a status.
type textCell struct {
	widget.BaseWidget
	label *widget.Label
	badge *canvas.Rectangle
}

func newTextCell() *textCell {
	c := &textCell{label: widget.NewLabel(""), badge: canvas.NewRectangle(color.Transparent)}
	c.label.Truncation = fyne.TextTruncateEllipsis
	c.badge.CornerRadius = theme.InputRadiusSize()
	c.badge.Hide()
	c.ExtendBaseWidget(c)
	return c
}

// set shows text; with a badge colour, as a status badge.
func (c *textCell) set(text string, align fyne.TextAlign, badge color.Color) {
	c.label.Alignment = align
	c.label.SetText(text)
	if badge == nil {
		c.badge.Hide()
		return
	}
	c.badge.FillColor = tint(badge)
	c.badge.StrokeColor = badge
	c.badge.StrokeWidth = 1
	c.badge.Show()
	c.badge.Refresh()
	c.Refresh() // the badge's width follows the text
}

func (c *textCell) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(badgeLayout{c}, c.badge, c.label))
}

// badgeLayout gives the label the cell and the badge the text's extent.
type badgeLayout struct{ c *textCell }

func (l badgeLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	c := l.c
	c.label.Move(fyne.NewPos(0, 0))
	c.label.Resize(size)
	if !c.badge.Visible() {
		return
	}
	inner, pad := theme.InnerPadding(), theme.Padding()
	text := fyne.MeasureText(c.label.Text, theme.TextSize(), c.label.TextStyle)
	w := min(text.Width+inner, size.Width-inner)
	h := min(text.Height+pad, size.Height)
	if w < 2*c.badge.CornerRadius || h < 2*c.badge.CornerRadius {
		w, h = 0, 0 // not laid out yet: a negative size would break the painter
	}
	x := inner / 2
	if c.label.Alignment == fyne.TextAlignTrailing {
		x = size.Width - w - inner/2
	}
	c.badge.Move(fyne.NewPos(x, (size.Height-h)/2))
	c.badge.Resize(fyne.NewSize(w, h))
}

func (l badgeLayout) MinSize([]fyne.CanvasObject) fyne.Size { return l.c.label.MinSize() }
