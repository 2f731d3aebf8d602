package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// logSize is how many lines the session log keeps.
const logSize = 200

// settingsPage is the Settings tab: the language, how ShopLedger starts,
// where the books are kept, and the log of this session's syncs and
// problems.
type settingsPage struct {
	language *widget.Select
	startup  *startupSettings
	log      *widget.List
	lines    []string // newest first, shared with the window
	content  fyne.CanvasObject
}

func newSettingsPage(w *mainWindow) *settingsPage {
	p := &settingsPage{lines: w.log}
	opts := []string{lang.L("As the system (currently {{.Language}})", map[string]any{"Language": languageName(i18n.SystemLanguage())})}
	for _, l := range i18n.Languages {
		opts = append(opts, l.Name)
	}
	p.language = widget.NewSelect(opts, nil)
	current := w.settings.language()
	p.language.SetSelectedIndex(0)
	for i, l := range i18n.Languages {
		if l.Code == current {
			p.language.SetSelectedIndex(i + 1)
		}
	}
	p.language.OnChanged = func(string) {
		code := ""
		if i := p.language.SelectedIndex(); i > 0 {
			code = i18n.Languages[i-1].Code
		}
		w.changeLanguage(code)
	}

	path := widget.NewLabel(w.backend.Path())
	path.Wrapping = fyne.TextWrapBreak
	path.TextStyle.Monospace = true
	p.startup = newStartupSettings(w)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Language"), p.language),
		widget.NewFormItem(lang.L("Startup"), p.startup.content),
		widget.NewFormItem(lang.L("Database"), path),
	)
	title := widget.NewLabelWithStyle(lang.L("Settings"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	logTitle := widgets.BoldLabel(lang.L("Log of this session"))
	p.log = widget.NewList(
		func() int { return len(p.lines) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(p.lines[i]) },
	)
	top := container.NewVBox(title, form, widget.NewSeparator(), logTitle)
	p.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, p.log))
	return p
}

// showLog shows the window's log lines, newest first.
func (p *settingsPage) showLog(lines []string) {
	p.lines = lines
	p.log.Refresh()
}

func languageName(code string) string {
	for _, l := range i18n.Languages {
		if l.Code == code {
			return l.Name
		}
	}
	return code
}
