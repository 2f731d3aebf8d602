// Package widgets holds the small widgets and helpers that more than one
// screen of ShopLedger uses: the warehouse and cost center picker and its
// dialog, the date field, weighted columns, dialogs as wide as a sentence,
// and labels for headings and trouble. Screens import it; it imports no screen.
package widgets

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// DialogWidth is wide enough for a sentence of trouble to read well.
const DialogWidth = 480

// NewDialog is a dialog with the given buttons, as wide as a sentence.
func NewDialog(title string, body fyne.CanvasObject, win fyne.Window, buttons ...fyne.CanvasObject) *dialog.CustomDialog {
	d := dialog.NewCustomWithoutButtons(title, body, win)
	d.SetButtons(buttons)
	d.Resize(fyne.NewSize(max(DialogWidth, d.MinSize().Width), d.MinSize().Height))
	return d
}

// Section is a titled part of a pane.
func Section(title string, content fyne.CanvasObject) fyne.CanvasObject {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(widget.NewSeparator(), t, content)
}

// ErrorLabel says what went wrong, in red, wrapped.
func ErrorLabel(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

// BoldLabel is a heading within a pane.
func BoldLabel(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

// WrapWords breaks text into lines of at most width characters, at spaces.
func WrapWords(text string, width int) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(text) {
		n := len([]rune(word))
		if i > 0 {
			if line+1+n > width {
				b.WriteByte('\n')
				line = 0
			} else {
				b.WriteByte(' ')
				line++
			}
		}
		b.WriteString(word)
		line += n
	}
	return b.String()
}
