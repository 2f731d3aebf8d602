package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
)

// dialogWidth is wide enough for a sentence of trouble to read well.
const dialogWidth = 480

// newDialog is a dialog with the given buttons, as wide as a sentence.
func newDialog(title string, body fyne.CanvasObject, win fyne.Window, buttons ...fyne.CanvasObject) *dialog.CustomDialog {
	d := dialog.NewCustomWithoutButtons(title, body, win)
	d.SetButtons(buttons)
	d.Resize(fyne.NewSize(max(dialogWidth, d.MinSize().Width), d.MinSize().Height))
	return d
}
