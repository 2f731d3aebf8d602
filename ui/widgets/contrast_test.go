package widgets

import (
	"image/color"
	"math"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// TestContrast checks the WCAG formula on known pairs.
func TestContrast(t *testing.T) {
	for _, c := range []struct {
		a, b color.Color
		want float64
	}{
		{color.Black, color.White, 21},
		{color.White, color.White, 1},
		{color.NRGBA{0x76, 0x76, 0x76, 0xff}, color.White, 4.54}, // the lightest grey that passes on white
		{color.NRGBA{0xe3, 0xe3, 0xe3, 0xff}, color.White, 1.28}, // Fyne's light disabled colour
	} {
		if got := Contrast(c.a, c.b); math.Abs(got-c.want) > 0.01 {
			t.Errorf("Contrast(%v, %v) = %.3f, want %.2f", c.a, c.b, got, c.want)
		}
	}
}

// TestHintAndPlaceholderColours: in the light and dark default themes the
// hint grey reads at 4.5:1 or more on the window and in dialogs yet is
// quieter than the text, and the placeholder grey does on fields too.
func TestHintAndPlaceholderColours(t *testing.T) {
	test.NewTempApp(t)
	th := Theme{Theme: theme.DefaultTheme()}
	for _, v := range []fyne.ThemeVariant{theme.VariantLight, theme.VariantDark} {
		fg := th.Color(theme.ColorNameForeground, v)
		for _, bg := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameOverlayBackground} {
			on := th.Color(bg, v)
			hint := HintColor(th, v)
			if c := Contrast(hint, on); c < MinContrast || c >= Contrast(fg, on) {
				t.Errorf("variant %d: the hint grey %v reads at %.2f:1 on %s, the text at %.2f:1", v, hint, c, bg, Contrast(fg, on))
			}
		}
		for _, bg := range []fyne.ThemeColorName{theme.ColorNameInputBackground, theme.ColorNameBackground, theme.ColorNameOverlayBackground} {
			ph := th.Color(theme.ColorNamePlaceHolder, v)
			if c := Contrast(ph, th.Color(bg, v)); c < MinContrast {
				t.Errorf("variant %d: the placeholder %v reads at %.2f:1 on %s", v, ph, c, bg)
			}
		}
		for _, bg := range []fyne.ThemeColorName{theme.ColorNameBackground, theme.ColorNameOverlayBackground} {
			w := th.Color(theme.ColorNameWarning, v)
			if c := Contrast(w, th.Color(bg, v)); c < MinContrast {
				t.Errorf("variant %d: warning text %v reads at %.2f:1 on %s", v, w, c, bg)
			}
		}
		t.Logf("variant %d: hint %v, placeholder %v, warning %v", v, HintColor(th, v),
			th.Color(theme.ColorNamePlaceHolder, v), th.Color(theme.ColorNameWarning, v))
	}
}

// TestHintUnderItsOwnTheme: on the GL driver a Hint can come to carry the
// theme it puts around its text; drawing it then must not ask that theme
// for itself without end (the real binary died of a stack overflow).
func TestHintUnderItsOwnTheme(t *testing.T) {
	test.NewTempApp(t)
	h := NewHint("Readable help")
	h.Wrapping = fyne.TextWrapOff
	w := test.NewWindow(container.NewThemeOverride(h, hintTheme{}))
	defer w.Close()
	if !strings.Contains(test.RenderObjectToMarkup(h), "Readable help") {
		t.Errorf("the hint does not draw its text:\n%s", test.RenderObjectToMarkup(h))
	}
}
