package ui

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// coded is a warehouse or a cost center as a picker sees it: both are a
// code and a name under an id.
type coded struct {
	id         uint64
	code, name string
}

func (c coded) label() string {
	if c.name == "" || strings.EqualFold(c.name, c.code) {
		return c.code
	}
	return c.code + " — " + c.name
}

// codedKind tells a picker or a catalog list which of the two it handles
// and how to create, change and remove one.
type codedKind struct {
	title       string // "New warehouse"
	editTitle   string // "Edit warehouse"
	placeholder string
	create      func(code, name string) (coded, error)
	update      func(coded) error
	remove      func(id uint64) error
}

// codedPicker is a Select of the existing warehouses (or cost centers) with
// a "New…" button beside it that creates one on the spot and selects it.
type codedPicker struct {
	kind   codedKind
	br     *bridge
	win    fyne.Window
	items  []coded
	sel    *widget.Select
	newBtn *widget.Button
	// creating is the open "New…" dialog, kept for tests.
	creating *codeDialog

	content fyne.CanvasObject
}

func newCodedPicker(kind codedKind, items []coded, br *bridge, win fyne.Window) *codedPicker {
	p := &codedPicker{kind: kind, br: br, win: win, items: items}
	p.sel = widget.NewSelect(nil, nil)
	p.sel.PlaceHolder = lang.L("Choose…")
	p.newBtn = widget.NewButtonWithIcon(lang.L("New…"), theme.ContentAddIcon(), p.askNew)
	p.setOptions()
	if len(items) == 1 {
		p.sel.SetSelectedIndex(0) // the only choice: save the bookkeeper a click
	}
	p.content = container.NewBorder(nil, nil, nil, p.newBtn, p.sel)
	return p
}

func (p *codedPicker) setOptions() {
	opts := make([]string, len(p.items))
	for i, it := range p.items {
		opts[i] = it.label()
	}
	p.sel.SetOptions(opts)
}

// selected returns the chosen id, 0 when none.
func (p *codedPicker) selected() uint64 {
	if i := p.sel.SelectedIndex(); i >= 0 && i < len(p.items) {
		return p.items[i].id
	}
	return 0
}

func (p *codedPicker) askNew() {
	d := newCodeDialog(p.kind.title, p.kind, coded{}, p.win, func(code, name string, done func(error)) {
		load(p.br, func(context.Context) (coded, error) {
			return p.kind.create(code, name)
		}, func(c coded, err error) {
			if err == nil {
				p.items = append(p.items, c)
				p.setOptions()
				p.sel.SetSelectedIndex(len(p.items) - 1)
			}
			done(err)
		})
	})
	p.creating = d
	d.dlg.Show()
	p.win.Canvas().Focus(d.code)
}

// codeDialogWidth fits a code, a name and a sentence of trouble.
const codeDialogWidth = 420

// codeDialog asks for a code and a name. It stays open when creating fails,
// with the reason under the fields, so nothing typed is lost.
type codeDialog struct {
	body       *fyne.Container
	code, name *widget.Entry
	problem    *widget.Label
	create     *widget.Button
	dlg        *dialog.CustomDialog
}

func newCodeDialog(title string, kind codedKind, current coded, win fyne.Window, submit func(code, name string, done func(error))) *codeDialog {
	d := &codeDialog{code: widget.NewEntry(), name: widget.NewEntry(), problem: widget.NewLabel("")}
	d.code.SetPlaceHolder(kind.placeholder)
	d.code.SetText(current.code)
	d.name.SetText(current.name)
	d.name.SetPlaceHolder(lang.L("Same as the code if left empty"))
	d.problem.Importance = widget.DangerImportance
	d.problem.Wrapping = fyne.TextWrapWord
	d.problem.Hide()
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Code"), d.code),
		widget.NewFormItem(lang.L("Name"), d.name),
	)
	cancel := widget.NewButton(lang.L("Cancel"), nil)
	action := lang.L("Create")
	if current.id != 0 {
		action = lang.L("Save")
	}
	d.create = widget.NewButtonWithIcon(action, theme.ConfirmIcon(), nil)
	d.create.Importance = widget.HighImportance
	d.body = container.NewVBox(form, d.problem)
	d.dlg = dialog.NewCustomWithoutButtons(title, d.body, win)
	d.dlg.SetButtons([]fyne.CanvasObject{cancel, d.create})
	cancel.OnTapped = d.dlg.Hide
	d.create.OnTapped = func() {
		code, name := strings.TrimSpace(d.code.Text), strings.TrimSpace(d.name.Text)
		if code == "" {
			d.showProblem(lang.L("Enter a short code, e.g. MAIN."))
			return
		}
		if name == "" {
			name = code
		}
		d.create.Disable()
		submit(code, name, func(err error) {
			d.create.Enable()
			if err != nil {
				d.showProblem(userMessage(err))
				return
			}
			d.dlg.Hide()
		})
	}
	d.code.OnSubmitted = func(string) { d.create.OnTapped() }
	d.name.OnSubmitted = func(string) { d.create.OnTapped() }
	d.dlg.Resize(fyne.NewSize(codeDialogWidth, d.dlg.MinSize().Height))
	return d
}

func (d *codeDialog) showProblem(text string) {
	d.problem.SetText(text)
	d.problem.Show()
	d.body.Refresh()
	d.dlg.Resize(fyne.NewSize(codeDialogWidth, d.dlg.MinSize().Height))
}

// choose selects the item with the given id, if there is one.
func (p *codedPicker) choose(id uint64) {
	for i, it := range p.items {
		if it.id == id {
			p.sel.SetSelectedIndex(i)
			return
		}
	}
}
