package settings

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// startupSettings are the Settings page's choices about how ShopLedger
// starts: minimized in the tray, and at login.
type startupSettings struct {
	minimized *widget.Check
	atLogin   *widget.Check
	// problem is the dialog saying why start at login could not be
	// switched, while it is open.
	problem *dialog.CustomDialog
	content fyne.CanvasObject
}

func newStartupSettings(u UI, prefs Prefs) *startupSettings {
	s := &startupSettings{}
	s.minimized = widget.NewCheck(lang.L("Start minimized in the tray"), prefs.SetStartMinimized)
	s.minimized.SetChecked(prefs.StartMinimized())

	s.atLogin = widget.NewCheck(lang.L("Start ShopLedger when I log in"), nil)
	s.atLogin.SetChecked(autostartEnabled())
	s.atLogin.OnChanged = func(on bool) {
		err := setAutostart(on)
		if err == nil {
			return
		}
		// Show what is really set up, without switching it again.
		changed := s.atLogin.OnChanged
		s.atLogin.OnChanged = nil
		s.atLogin.SetChecked(autostartEnabled())
		s.atLogin.OnChanged = changed
		s.showProblem(u.Window(), on, err)
	}
	hint := widgets.NewHint(lang.L("At login ShopLedger starts in the tray and keeps the shops in sync; open its window from the tray icon."))
	s.content = container.NewVBox(s.minimized, s.atLogin, hint)
	return s
}

// showProblem says in plain words that start at login could not be
// switched on (or off), what to do instead, and the system's reason.
func (s *startupSettings) showProblem(win fyne.Window, on bool, err error) {
	text := lang.L("ShopLedger could not set itself to start at login: the system did not let it write its startup entry. You can add ShopLedger to the programs started at login in your system's settings instead.")
	if !on {
		text = lang.L("ShopLedger could not stop starting at login: the system did not let it remove its startup entry. You can remove ShopLedger from the programs started at login in your system's settings instead.")
	}
	msg := widget.NewLabel(text)
	msg.Wrapping = fyne.TextWrapWord
	detail := widgets.NewHint(lang.L("Details: {{.Error}}", map[string]any{"Error": err.Error()}))
	detail.Wrapping = fyne.TextWrapBreak
	ok := widget.NewButton(lang.L("OK"), nil)
	s.problem = widgets.NewDialog(lang.L("Start at login"), container.NewVBox(msg, detail), win, ok)
	ok.OnTapped = s.problem.Hide
	s.problem.Show()
}
