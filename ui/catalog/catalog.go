// Package catalog is the "Warehouses & cost centers" screen: the two lists
// side by side, each with its code and name and buttons to create, edit
// and remove.
package catalog

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// UI is what the screen needs from the window's shell.
type UI interface {
	Window() fyne.Window
	Bridge() *bridge.Bridge
	// Reload reads the books again and shows them on every screen, so a
	// change made here shows wherever warehouses and cost centers do.
	Reload()
}

// Page is the screen.
type Page struct {
	warehouses, costCenters *codedList
	content                 fyne.CanvasObject
}

// New builds the screen over the catalog of b.
func New(u UI, b widgets.CatalogBackend) *Page {
	p := &Page{
		warehouses: newCodedList(u, lang.L("Warehouses"), widgets.WarehouseKind(b),
			lang.L("Where shops' goods are booked out of.")),
		costCenters: newCodedList(u, lang.L("Cost centers"), widgets.CostCenterKind(b),
			lang.L("The units shops' sales are booked under.")),
	}
	p.content = container.NewGridWithColumns(2, p.warehouses.content, p.costCenters.content)
	return p
}

// Content is what the navigation shows for the screen.
func (p *Page) Content() fyne.CanvasObject { return p.content }

// Show lists the warehouses and cost centers the books hold.
func (p *Page) Show(whs []ledger.Warehouse, ccs []ledger.CostCenter) {
	p.warehouses.show(widgets.WarehouseItems(whs))
	p.costCenters.show(widgets.CostCenterItems(ccs))
}

// codedList lists warehouses or cost centers.
type codedList struct {
	u       UI
	kind    widgets.CodedKind
	add     *widget.Button
	rows    []*codedRow
	list    *fyne.Container
	problem *widget.Label       // why the last change failed (e.g. still in use)
	dialog  *widgets.CodeDialog // the open New or Edit dialog, for tests
	confirm *dialog.ConfirmDialog
	content fyne.CanvasObject
}

// codedRow is one entry of a codedList.
type codedRow struct {
	item         widgets.Coded
	label        *widget.Label
	edit, remove *widget.Button
}

func newCodedList(u UI, title string, kind widgets.CodedKind, hint string) *codedList {
	l := &codedList{u: u, kind: kind, list: container.NewVBox()}
	l.add = widget.NewButtonWithIcon(kind.Title, theme.ContentAddIcon(), l.askNew)
	l.problem = widgets.ErrorLabel("")
	l.problem.Hide()
	head := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.SizeName = theme.SizeNameSubHeadingText
	note := widgets.NewHint(hint)
	top := container.NewVBox(container.NewBorder(nil, nil, nil, l.add, head), note, l.problem, widget.NewSeparator())
	l.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, container.NewVScroll(l.list)))
	return l
}

func (l *codedList) show(items []widgets.Coded) {
	l.rows = l.rows[:0]
	l.list.RemoveAll()
	for _, it := range items {
		r := &codedRow{item: it, label: widget.NewLabel(it.Label())}
		r.label.Truncation = fyne.TextTruncateEllipsis
		r.edit = widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { l.askEdit(it) })
		r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { l.askRemove(it) })
		r.edit.Importance, r.remove.Importance = widget.LowImportance, widget.LowImportance
		l.rows = append(l.rows, r)
		l.list.Add(container.NewBorder(nil, nil, nil, container.NewHBox(r.edit, r.remove), r.label))
	}
	if len(items) == 0 {
		l.list.Add(widgets.NewHint(lang.L("None yet.")))
	}
	l.list.Refresh()
}

// row returns the row with the given code, for tests.
func (l *codedList) row(code string) *codedRow {
	for _, r := range l.rows {
		if r.item.Code == code {
			return r
		}
	}
	return nil
}

func (l *codedList) setProblem(text string) {
	l.problem.SetText(text)
	if text == "" {
		l.problem.Hide()
	} else {
		l.problem.Show()
	}
}

func (l *codedList) askNew() {
	l.setProblem("")
	l.dialog = widgets.NewCodeDialog(l.kind.Title, l.kind, widgets.Coded{}, l.u.Window(), func(code, name string, done func(error)) {
		l.change(func() error { _, err := l.kind.Create(code, name); return err }, done)
	})
	l.dialog.Dialog.Show()
	l.u.Window().Canvas().Focus(l.dialog.Code)
}

func (l *codedList) askEdit(it widgets.Coded) {
	l.setProblem("")
	l.dialog = widgets.NewCodeDialog(l.kind.EditTitle, l.kind, it, l.u.Window(), func(code, name string, done func(error)) {
		l.change(func() error { return l.kind.Update(widgets.Coded{ID: it.ID, Code: code, Name: name}) }, done)
	})
	l.dialog.Dialog.Show()
}

func (l *codedList) askRemove(it widgets.Coded) {
	l.setProblem("")
	l.confirm = dialog.NewConfirm(lang.L("Remove"),
		lang.L("Remove {{.Item}}? Orders already booked under it keep it.", map[string]any{"Item": it.Label()}),
		func(ok bool) {
			if ok {
				l.change(func() error { return l.kind.Remove(it.ID) }, func(err error) {
					if err != nil {
						l.setProblem(i18n.UserMessage(err))
					}
				})
			}
		}, l.u.Window())
	l.confirm.SetConfirmText(lang.L("Remove"))
	l.confirm.SetConfirmImportance(widget.DangerImportance)
	l.confirm.Show()
}

// change runs a create, update or remove in the background, then reads
// the books again so every screen shows the change.
func (l *codedList) change(do func() error, done func(error)) {
	bridge.Load(l.u.Bridge(), func(context.Context) (struct{}, error) {
		return struct{}{}, do()
	}, func(_ struct{}, err error) {
		done(err)
		if err == nil {
			l.u.Reload()
		}
	})
}
