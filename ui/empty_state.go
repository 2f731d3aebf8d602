package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// emptyState fills the order area while no shop is connected: it says what
// the app does and offers the one step that gets it going.
type emptyState struct {
	add     *widget.Button
	content fyne.CanvasObject
}

func newEmptyState(onAdd func()) *emptyState {
	icon := canvas.NewImageFromResource(theme.StorageIcon())
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSquareSize(64))

	title := widget.NewLabelWithStyle(lang.L("No shops yet"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	text := widget.NewLabelWithStyle(
		lang.L("Add your WooCommerce shop and ShopLedger imports its orders,\nbooked under the warehouse and cost center you choose."),
		fyne.TextAlignCenter, fyne.TextStyle{})
	text.Importance = widget.LowImportance

	e := &emptyState{}
	e.add = widget.NewButtonWithIcon(lang.L("Add shop"), theme.ContentAddIcon(), onAdd)
	e.add.Importance = widget.HighImportance
	e.content = container.NewCenter(container.NewVBox(
		icon, title, text, container.NewCenter(e.add),
	))
	return e
}
