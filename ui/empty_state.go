package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/assets"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// emptyState is the welcome screen that fills the order area while no shop
// is connected: it says what the app does and offers the two ways to get
// going, connecting a shop or trying a demo shop.
type emptyState struct {
	add  *widget.Button // Connect your shop
	demo *widget.Button // Try with a demo shop; hidden without an engine to run it
	// While the demo shop starts: a spinner and what is happening; if it
	// cannot start, why.
	activity *widget.Activity
	progress *widget.Label
	busy     *fyne.Container // activity and progress
	problem  *widget.Label
	content  fyne.CanvasObject
}

// newEmptyState builds the welcome screen; onDemo nil leaves the demo out.
func newEmptyState(onAdd, onDemo func()) *emptyState {
	icon := canvas.NewImageFromResource(assets.IconResource)
	icon.FillMode = canvas.ImageFillContain
	icon.SetMinSize(fyne.NewSquareSize(72))

	title := widget.NewLabelWithStyle(lang.L("Welcome to ShopLedger"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	// Lines are broken in the text: a wrapping label in a centered box
	// would be as narrow as its longest word.
	text := widget.NewLabelWithStyle(
		lang.L("ShopLedger imports the orders of your WooCommerce shops, keeps their statuses in step\nand books each one under the warehouse and cost center you choose."),
		fyne.TextAlignCenter, fyne.TextStyle{})

	e := &emptyState{}
	e.add = widget.NewButtonWithIcon(lang.L("Connect your shop"), theme.ContentAddIcon(), onAdd)
	e.add.Importance = widget.HighImportance
	e.demo = widget.NewButtonWithIcon(lang.L("Try with a demo shop"), theme.MediaPlayIcon(), onDemo)
	hint := widgets.NewHint(
		lang.L("The demo shop is simulated on this computer: a few hundred sample orders,\nand new ones arriving while you watch. Remove it from Shops when you are done."))
	hint.Wrapping, hint.Alignment = fyne.TextWrapOff, fyne.TextAlignCenter
	if onDemo == nil {
		e.demo.Hide()
		hint.Hide()
	}

	e.activity = widget.NewActivity()
	e.progress = widget.NewLabel(lang.L("Starting the demo shop…"))
	e.problem = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	e.problem.Importance = widget.DangerImportance
	e.problem.Hide()
	e.busy = container.NewHBox(e.activity, e.progress)
	e.busy.Hide()

	e.content = container.NewCenter(container.NewVBox(
		icon, title, text,
		container.NewCenter(container.NewHBox(e.add, e.demo)),
		hint,
		container.NewCenter(e.busy),
		e.problem,
	))
	return e
}

// starting shows that the demo shop is being started, and keeps the
// buttons from starting anything else meanwhile.
func (e *emptyState) starting() {
	e.add.Disable()
	e.demo.Disable()
	e.problem.Hide()
	e.activity.Start()
	e.busy.Show()
}

// started ends the progress; problem, if any, says why the demo did not
// start.
func (e *emptyState) started(problem string) {
	e.add.Enable()
	e.demo.Enable()
	e.activity.Stop()
	e.busy.Hide()
	if problem != "" {
		e.problem.SetText(widgets.WrapWords(problem, 90))
		e.problem.Show()
	}
}
