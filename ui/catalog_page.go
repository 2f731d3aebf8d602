package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

func warehouseKind(b catalogBackend) codedKind {
	return codedKind{
		title: lang.L("New warehouse"), editTitle: lang.L("Edit warehouse"), placeholder: lang.L("e.g. MAIN"),
		create: func(code, name string) (coded, error) {
			w, err := b.CreateWarehouse(ledger.Warehouse{Code: code, Name: name})
			return coded{uint64(w.ID), w.Code, w.Name}, err
		},
		update: func(c coded) error {
			return b.UpdateWarehouse(ledger.Warehouse{ID: ledger.WarehouseID(c.id), Code: c.code, Name: c.name})
		},
		remove: func(id uint64) error { return b.DeleteWarehouse(ledger.WarehouseID(id)) },
	}
}

func costCenterKind(b catalogBackend) codedKind {
	return codedKind{
		title: lang.L("New cost center"), editTitle: lang.L("Edit cost center"), placeholder: lang.L("e.g. WEB"),
		create: func(code, name string) (coded, error) {
			c, err := b.CreateCostCenter(ledger.CostCenter{Code: code, Name: name})
			return coded{uint64(c.ID), c.Code, c.Name}, err
		},
		update: func(c coded) error {
			return b.UpdateCostCenter(ledger.CostCenter{ID: ledger.CostCenterID(c.id), Code: c.code, Name: c.name})
		},
		remove: func(id uint64) error { return b.DeleteCostCenter(ledger.CostCenterID(id)) },
	}
}

func warehouseItems(whs []ledger.Warehouse) []coded {
	out := make([]coded, len(whs))
	for i, w := range whs {
		out[i] = coded{uint64(w.ID), w.Code, w.Name}
	}
	return out
}

func costCenterItems(ccs []ledger.CostCenter) []coded {
	out := make([]coded, len(ccs))
	for i, c := range ccs {
		out[i] = coded{uint64(c.ID), c.Code, c.Name}
	}
	return out
}

// catalogPage is the Warehouses & cost centers tab: the two lists side by
// side, each with its code and name and buttons to create, edit and remove.
type catalogPage struct {
	warehouses, costCenters *codedList
	content                 fyne.CanvasObject
}

func newCatalogPage(w *mainWindow) *catalogPage {
	p := &catalogPage{
		warehouses: newCodedList(w, lang.L("Warehouses"), warehouseKind(w.backend),
			lang.L("Where shops' goods are booked out of.")),
		costCenters: newCodedList(w, lang.L("Cost centers"), costCenterKind(w.backend),
			lang.L("The units shops' sales are booked under.")),
	}
	p.content = container.NewGridWithColumns(2, p.warehouses.content, p.costCenters.content)
	return p
}

func (p *catalogPage) show(whs []ledger.Warehouse, ccs []ledger.CostCenter) {
	p.warehouses.show(warehouseItems(whs))
	p.costCenters.show(costCenterItems(ccs))
}

// codedList lists warehouses or cost centers.
type codedList struct {
	w       *mainWindow
	kind    codedKind
	add     *widget.Button
	rows    []*codedRow
	list    *fyne.Container
	problem *widget.Label // why the last change failed (e.g. still in use)
	dialog  *codeDialog   // the open New or Edit dialog, for tests
	confirm *dialog.ConfirmDialog
	content fyne.CanvasObject
}

// codedRow is one entry of a codedList.
type codedRow struct {
	item         coded
	label        *widget.Label
	edit, remove *widget.Button
}

func newCodedList(w *mainWindow, title string, kind codedKind, hint string) *codedList {
	l := &codedList{w: w, kind: kind, list: container.NewVBox()}
	l.add = widget.NewButtonWithIcon(kind.title, theme.ContentAddIcon(), l.askNew)
	l.problem = errorLabel("")
	l.problem.Hide()
	head := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.SizeName = theme.SizeNameSubHeadingText
	note := widget.NewLabel(hint)
	note.Importance, note.Wrapping = widget.LowImportance, fyne.TextWrapWord
	top := container.NewVBox(container.NewBorder(nil, nil, nil, l.add, head), note, l.problem, widget.NewSeparator())
	l.content = container.NewPadded(container.NewBorder(top, nil, nil, nil, container.NewVScroll(l.list)))
	return l
}

func (l *codedList) show(items []coded) {
	l.rows = l.rows[:0]
	l.list.RemoveAll()
	for _, it := range items {
		r := &codedRow{item: it, label: widget.NewLabel(it.label())}
		r.label.Truncation = fyne.TextTruncateEllipsis
		r.edit = widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { l.askEdit(it) })
		r.remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { l.askRemove(it) })
		r.edit.Importance, r.remove.Importance = widget.LowImportance, widget.LowImportance
		l.rows = append(l.rows, r)
		l.list.Add(container.NewBorder(nil, nil, nil, container.NewHBox(r.edit, r.remove), r.label))
	}
	if len(items) == 0 {
		none := widget.NewLabel(lang.L("None yet."))
		none.Importance = widget.LowImportance
		l.list.Add(none)
	}
	l.list.Refresh()
}

// row returns the row with the given code, for tests.
func (l *codedList) row(code string) *codedRow {
	for _, r := range l.rows {
		if r.item.code == code {
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
	l.dialog = newCodeDialog(l.kind.title, l.kind, coded{}, l.w.win, func(code, name string, done func(error)) {
		l.change(func() error { _, err := l.kind.create(code, name); return err }, done)
	})
	l.dialog.dlg.Show()
	l.w.win.Canvas().Focus(l.dialog.code)
}

func (l *codedList) askEdit(it coded) {
	l.setProblem("")
	l.dialog = newCodeDialog(l.kind.editTitle, l.kind, it, l.w.win, func(code, name string, done func(error)) {
		l.change(func() error { return l.kind.update(coded{it.id, code, name}) }, done)
	})
	l.dialog.dlg.Show()
}

func (l *codedList) askRemove(it coded) {
	l.setProblem("")
	l.confirm = dialog.NewConfirm(lang.L("Remove"),
		lang.L("Remove {{.Item}}? Orders already booked under it keep it.", map[string]any{"Item": it.label()}),
		func(ok bool) {
			if ok {
				l.change(func() error { return l.kind.remove(it.id) }, func(err error) {
					if err != nil {
						l.setProblem(userMessage(err))
					}
				})
			}
		}, l.w.win)
	l.confirm.SetConfirmText(lang.L("Remove"))
	l.confirm.SetConfirmImportance(widget.DangerImportance)
	l.confirm.Show()
}

// change runs a create, update or remove in the background, then reads
// the books again so every page shows the change.
func (l *codedList) change(do func() error, done func(error)) {
	load(l.w.br, func(context.Context) (struct{}, error) {
		return struct{}{}, do()
	}, func(_ struct{}, err error) {
		done(err)
		if err == nil {
			l.w.reload(nil)
		}
	})
}
