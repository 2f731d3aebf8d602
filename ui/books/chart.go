package books

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// barChart draws a group's sales and refunds per day or month: two bars
// per period, the highest amount and zero on the left axis, the first and
// last period under it.
type barChart struct {
	periods []sales.Period
	top     ledger.Amount // the highest bar's amount
	sales   []*canvas.Rectangle
	refunds []*canvas.Rectangle
	yTop    *canvas.Text
	yZero   *canvas.Text
	xFirst  *canvas.Text
	xLast   *canvas.Text
	axis    *canvas.Line
	content fyne.CanvasObject
}

func newBarChart(periods []sales.Period, currency string) *barChart {
	c := &barChart{periods: periods}
	for _, p := range periods {
		c.top = max(c.top, p.Gross, p.Refunds)
	}
	salesColor := theme.Color(theme.ColorNamePrimary)
	refundColor := theme.Color(theme.ColorNameError)
	objs := []fyne.CanvasObject{}
	for range periods {
		s, r := canvas.NewRectangle(salesColor), canvas.NewRectangle(refundColor)
		c.sales, c.refunds = append(c.sales, s), append(c.refunds, r)
		objs = append(objs, s, r)
	}
	small := theme.CaptionTextSize()
	text := func(s string) *canvas.Text {
		t := canvas.NewText(s, theme.Color(theme.ColorNameForeground))
		t.TextSize = small
		return t
	}
	c.yTop, c.yZero = text(i18n.Money(c.top, currency)), text("0")
	c.yTop.Alignment, c.yZero.Alignment = fyne.TextAlignTrailing, fyne.TextAlignTrailing
	c.xFirst, c.xLast = text(""), text("")
	if len(periods) > 0 {
		c.xFirst.Text, c.xLast.Text = periodLabel(periods[0]), periodLabel(periods[len(periods)-1])
		c.xLast.Alignment = fyne.TextAlignTrailing
	}
	c.axis = canvas.NewLine(theme.Color(theme.ColorNameForeground))
	c.axis.StrokeWidth = 1
	objs = append(objs, c.axis, c.yTop, c.yZero, c.xFirst, c.xLast)
	plot := container.New(&chartLayout{c: c}, objs...)
	legend := container.NewHBox(swatch(salesColor), text(lang.L("Sales")), swatch(refundColor), text(lang.L("Refunds")))
	c.content = container.NewBorder(nil, legend, nil, nil, plot)
	return c
}

// periodLabel is a period as the axis shows it.
func periodLabel(p sales.Period) string {
	if p.From == p.To {
		return i18n.DateOnly(p.From.Date())
	}
	return p.Period
}

func swatch(c color.Color) fyne.CanvasObject {
	r := canvas.NewRectangle(c)
	r.SetMinSize(fyne.NewSquareSize(theme.CaptionTextSize()))
	return container.NewCenter(r)
}

// height is the share of the plot's height an amount fills. Only the
// drawing uses a float: the figures themselves stay exact.
func (c *barChart) height(a ledger.Amount, plot float32) float32 {
	if c.top <= 0 || a <= 0 {
		return 0
	}
	return plot * float32(float64(a)/float64(c.top))
}

// chartLayout places the chart's bars and labels.
type chartLayout struct{ c *barChart }

func (l *chartLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	return fyne.NewSize(320, 160)
}

func (l *chartLayout) Layout(_ []fyne.CanvasObject, size fyne.Size) {
	c := l.c
	pad := theme.Padding()
	labelH := c.xFirst.MinSize().Height
	left := max(c.yTop.MinSize().Width, c.yZero.MinSize().Width) + pad
	plotH := max(0, size.Height-labelH-pad)
	plotW := max(0, size.Width-left)

	c.yTop.Move(fyne.NewPos(0, 0))
	c.yTop.Resize(fyne.NewSize(left-pad, labelH))
	c.yZero.Move(fyne.NewPos(0, plotH-labelH))
	c.yZero.Resize(fyne.NewSize(left-pad, labelH))
	c.axis.Position1, c.axis.Position2 = fyne.NewPos(left, plotH), fyne.NewPos(size.Width, plotH)
	c.xFirst.Move(fyne.NewPos(left, plotH+pad))
	c.xFirst.Resize(fyne.NewSize(plotW/2, labelH))
	c.xLast.Move(fyne.NewPos(left+plotW/2, plotH+pad))
	c.xLast.Resize(fyne.NewSize(plotW/2, labelH))

	n := len(c.periods)
	if n == 0 {
		return
	}
	slot := plotW / float32(n)
	gap := min(slot/5, pad)
	bar := max(1, (slot-gap)/2)
	for i, p := range c.periods {
		x := left + float32(i)*slot + gap/2
		for j, r := range []*struct {
			rect *canvas.Rectangle
			a    ledger.Amount
		}{{c.sales[i], p.Gross}, {c.refunds[i], p.Refunds}} {
			h := c.height(r.a, plotH)
			r.rect.Move(fyne.NewPos(x+float32(j)*bar, plotH-h))
			r.rect.Resize(fyne.NewSize(bar, h))
		}
	}
}
