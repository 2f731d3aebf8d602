package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Hint is help text beside or under what it explains: a word-wrapped
// label in HintColor, quieter than the text around it and still readable
// at WCAG AA contrast in the light and dark themes. A low-importance
// label would do for the look, but Fyne draws it in the disabled colour,
// which is meant for controls that cannot be used, not for text to read.
type Hint struct {
	widget.Label
}

// NewHint returns help text that wraps at word boundaries.
func NewHint(text string) *Hint {
	h := &Hint{}
	h.Text, h.Wrapping = text, fyne.TextWrapWord
	h.Importance = widget.LowImportance // drawn in HintColor; another importance in its own colour
	h.ExtendBaseWidget(h)
	return h
}

// CreateRenderer draws the label's text through a theme whose disabled
// colour is HintColor, since a label's colour can only be one of its
// importances.
func (h *Hint) CreateRenderer() fyne.WidgetRenderer {
	r := h.Label.CreateRenderer()
	objs := r.Objects()
	text := objs[len(objs)-1] // the text; a selectable label has its selection first
	if len(objs) > 1 {
		text = container.NewStack(objs...)
	}
	over := container.NewThemeOverride(text, hintTheme{})
	return &hintRenderer{WidgetRenderer: r, over: over}
}

type hintRenderer struct {
	fyne.WidgetRenderer
	over *container.ThemeOverride
}

func (r *hintRenderer) Layout(s fyne.Size) {
	r.WidgetRenderer.Layout(s)
	r.over.Resize(s)
}

func (r *hintRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.over} }

func (r *hintRenderer) Refresh() {
	r.WidgetRenderer.Refresh()
	r.over.Refresh()
}

// hintTheme is the theme around a Hint's text: the app's theme (read each
// time, as it may change), with HintColor as the disabled colour. Not the
// Hint's own theme: on the GL driver the Hint itself can come to carry this
// override, and asking it would ask this theme again, without end.
type hintTheme struct{}

func (t hintTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if n == theme.ColorNameDisabled {
		return HintColor(t.base(), v)
	}
	return t.base().Color(n, v)
}

func (t hintTheme) Font(s fyne.TextStyle) fyne.Resource     { return t.base().Font(s) }
func (t hintTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return t.base().Icon(n) }
func (t hintTheme) Size(n fyne.ThemeSizeName) float32       { return t.base().Size(n) }
func (t hintTheme) base() fyne.Theme                        { return fyne.CurrentApp().Settings().Theme() }
