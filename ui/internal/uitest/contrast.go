package uitest

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// Variant is a theme that always draws one variant of another, so a test
// can look at the light and the dark theme whatever the test app's
// settings say.
type Variant struct {
	fyne.Theme
	V fyne.ThemeVariant
}

// Color is the base theme's colour n in the variant.
func (t Variant) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.V)
}

// PaintedText is a text a canvas draws, with what is painted under it.
type PaintedText struct {
	Text              string
	Color, Background color.NRGBA
}

// Contrast is the text's WCAG contrast ratio on what is under it.
func (p PaintedText) Contrast() float64 { return widgets.Contrast(p.Color, p.Background) }

func (p PaintedText) String() string {
	return fmt.Sprintf("%q: %s on %s, %.2f:1", p.Text, hex(p.Color), hex(p.Background), p.Contrast())
}

func hex(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// ReadableTexts lists the texts c shows that are meant to be read: drawn,
// not empty, on the canvas, not part of a disabled control (which WCAG
// exempts), and while a pop-up or dialog is open only those over the
// window, which it shades. Under each is what is painted there: the
// theme's background, then every rectangle drawn before the text that
// covers its middle, blended in the order they are drawn.
func ReadableTexts(c fyne.Canvas) []PaintedText {
	p := &painter{size: c.Size()}
	if len(c.Overlays().List()) == 0 {
		p.walk(c.Content(), fyne.Position{})
	}
	for _, o := range c.Overlays().List() {
		p.walk(o, fyne.Position{})
	}
	bg := theme.Color(theme.ColorNameBackground)
	out := make([]PaintedText, 0, len(p.texts))
	for _, t := range p.texts {
		under := widgets.Over(bg, color.White)
		for _, r := range p.rects[:t.rectsBefore] {
			if r.contains(t.middle) {
				under = widgets.Over(r.fill, under)
			}
		}
		out = append(out, PaintedText{Text: t.text, Color: widgets.Over(t.color, under), Background: under})
	}
	return out
}

type paintedRect struct {
	at, size fyne.Position
	fill     color.Color
}

func (r paintedRect) contains(p fyne.Position) bool {
	return p.X >= r.at.X && p.Y >= r.at.Y && p.X < r.at.X+r.size.X && p.Y < r.at.Y+r.size.Y
}

type paintedText struct {
	text        string
	color       color.Color
	middle      fyne.Position
	rectsBefore int
}

// painter walks the objects in the order Fyne draws them.
type painter struct {
	size  fyne.Size
	rects []paintedRect
	texts []paintedText
}

func (p *painter) walk(o fyne.CanvasObject, parent fyne.Position) {
	if o == nil || !o.Visible() {
		return
	}
	if d, ok := o.(fyne.Disableable); ok && d.Disabled() {
		return
	}
	at := parent.Add(o.Position())
	size := fyne.NewPos(o.Size().Width, o.Size().Height)
	switch v := o.(type) {
	case *canvas.Rectangle:
		if v.FillColor != nil {
			p.rects = append(p.rects, paintedRect{at: at, size: size, fill: v.FillColor})
		}
	case *canvas.Text:
		mid := at.Add(fyne.NewPos(size.X/2, size.Y/2))
		if v.Text != "" && v.Color != nil && mid.X >= 0 && mid.Y >= 0 && mid.X < p.size.Width && mid.Y < p.size.Height {
			p.texts = append(p.texts, paintedText{text: v.Text, color: v.Color, middle: mid, rectsBefore: len(p.rects)})
		}
	case *fyne.Container:
		for _, c := range v.Objects {
			p.walk(c, at)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			p.walk(c, at)
		}
	}
}
