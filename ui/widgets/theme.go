package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Theme is ShopLedger's look: a theme (Fyne's default in the app) whose
// placeholder grey — the placeholders of fields and the hints under form
// fields — is made readable where the theme's is not: Fyne's light
// #888888 reads at 3.2:1 on a field and 3.5:1 on the window, below WCAG
// AA's 4.5:1; its dark one passes and is kept.
type Theme struct{ fyne.Theme }

// Color is the theme's colour n, with a readable placeholder grey and
// warning colour.
func (t Theme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	c := t.Theme.Color(n, v)
	if n == theme.ColorNameWarning {
		// Warnings are read as text ("…could not be asked", the wizard's
		// findings): Fyne's light orange #ff9800 reads at 2.2:1 on white.
		return readableOn(t.Theme, v, c, theme.ColorNameBackground, theme.ColorNameOverlayBackground)
	}
	if n != theme.ColorNamePlaceHolder {
		return c
	}
	on := []fyne.ThemeColorName{theme.ColorNameInputBackground, theme.ColorNameBackground, theme.ColorNameOverlayBackground}
	for _, bg := range on {
		if Contrast(Over(c, color.White), Over(t.Theme.Color(bg, v), color.White)) < MinContrast {
			return quietGrey(t.Theme, v, on...)
		}
	}
	return c
}
