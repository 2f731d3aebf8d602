package widgets

import (
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// MinContrast is WCAG 2's AA minimum contrast ratio for normal text.
const MinContrast = 4.5

// Contrast is the WCAG 2 contrast ratio of two opaque colours, from 1 (the
// same) to 21 (black on white).
func Contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// luminance is WCAG 2's relative luminance of an sRGB colour.
func luminance(c color.Color) float64 {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	lin := func(v uint8) float64 {
		s := float64(v) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(n.R) + 0.7152*lin(n.G) + 0.0722*lin(n.B)
}

// Over paints top over bottom (alpha compositing), as the screen shows it.
func Over(top, bottom color.Color) color.NRGBA {
	t := color.NRGBAModel.Convert(top).(color.NRGBA)
	b := color.NRGBAModel.Convert(bottom).(color.NRGBA)
	a := float64(t.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(t.R, b.R), G: mix(t.G, b.G), B: mix(t.B, b.B), A: 0xff}
}

// HintColor is the colour of help text in th's variant v: a grey between
// the foreground and the background, quieter than the text around it yet
// readable on the window's and the dialogs' background (see quietGrey).
// Fyne's disabled colour, which low-importance labels use, reads at 1.3:1
// (light) and 1.6:1 (dark).
func HintColor(th fyne.Theme, v fyne.ThemeVariant) color.Color {
	return quietGrey(th, v, theme.ColorNameBackground, theme.ColorNameOverlayBackground)
}

// quietGrey is th's foreground blended toward its background until its
// contrast on each of the backgrounds named is halfway (geometrically)
// between the foreground's own and WCAG AA's 4.5:1, never below that.
func quietGrey(th fyne.Theme, v fyne.ThemeVariant, backgrounds ...fyne.ThemeColorName) color.Color {
	fg := Over(th.Color(theme.ColorNameForeground, v), color.White)
	least := func(c color.Color) float64 {
		r := math.Inf(1)
		for _, n := range backgrounds {
			r = min(r, Contrast(c, Over(th.Color(n, v), color.White)))
		}
		return r
	}
	target := max(math.Sqrt(least(fg)*MinContrast), MinContrast+0.1)
	if least(fg) <= target {
		return fg // a theme whose own text is this faint: no quieter grey reads
	}
	// Blend toward the background while the contrast stays above target.
	bg := Over(th.Color(theme.ColorNameBackground, v), color.White)
	lo, hi := 0.0, 1.0 // share of the background
	for range 20 {
		mid := (lo + hi) / 2
		if least(blend(fg, bg, mid)) >= target {
			lo = mid
		} else {
			hi = mid
		}
	}
	return blend(fg, bg, lo)
}

// readableOn is c, or c darkened (lightened) just enough to read
// at WCAG AA on each of the backgrounds named; its hue stays.
func readableOn(th fyne.Theme, v fyne.ThemeVariant, c color.Color, backgrounds ...fyne.ThemeColorName) color.Color {
	least := func(c color.Color) float64 {
		r := math.Inf(1)
		for _, n := range backgrounds {
			r = min(r, Contrast(c, Over(th.Color(n, v), color.White)))
		}
		return r
	}
	target := MinContrast + 0.1
	from := Over(c, color.White)
	if least(from) >= target {
		return c
	}
	// Toward black on a light theme, white on a dark one: a mix with pure
	// black or white keeps the hue's saturation (the grey foreground
	// turned orange into mud).
	fg := color.NRGBA{A: 0xff}
	if luminance(Over(th.Color(theme.ColorNameBackground, v), color.White)) < 0.5 {
		fg = color.NRGBA{R: 0xff, G: 0xff, B: 0xff, A: 0xff}
	}
	lo, hi := 0.0, 1.0 // share of black or white
	for range 20 {
		mid := (lo + hi) / 2
		if least(blend(from, fg, mid)) >= target {
			hi = mid
		} else {
			lo = mid
		}
	}
	return blend(from, fg, hi)
}

// blend mixes share of bg into fg.
func blend(fg, bg color.NRGBA, share float64) color.NRGBA {
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-share) + float64(y)*share)) }
	return color.NRGBA{R: mix(fg.R, bg.R), G: mix(fg.G, bg.G), B: mix(fg.B, bg.B), A: 0xff}
}
