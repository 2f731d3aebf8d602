package widgets

import (
	"context"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// Coded is a warehouse or a cost center as a picker sees it: both are a
// code and a name under an id.
type Coded struct {
	ID         uint64
	Code, Name string
}

// Label is how lists and pickers show it: "MAIN — Main warehouse", or the
// code alone when the name adds nothing.
func (c Coded) Label() string {
	if c.Name == "" || strings.EqualFold(c.Name, c.Code) {
		return c.Code
	}
	return c.Code + " — " + c.Name
}

// CodedKind tells a picker or a catalog list which of the two it handles
// and how to create, change and remove one.
type CodedKind struct {
	Title       string // "New warehouse"
	EditTitle   string // "Edit warehouse"
	Placeholder string
	Create      func(code, name string) (Coded, error)
	Update      func(Coded) error
	Remove      func(id uint64) error
}

// CodedPicker is a Select of the existing warehouses (or cost centers) with
// a "New…" button beside it that creates one on the spot and selects it.
type CodedPicker struct {
	kind      CodedKind
	br        *bridge.Bridge
	win       fyne.Window
	Items     []Coded
	Select    *widget.Select
	NewButton *widget.Button
	// Creating is the open "New…" dialog, kept for tests.
	Creating *CodeDialog

	Content fyne.CanvasObject
}

// NewCodedPicker offers items, creating new ones through kind in the
// background; win hosts its dialog.
func NewCodedPicker(kind CodedKind, items []Coded, br *bridge.Bridge, win fyne.Window) *CodedPicker {
	p := &CodedPicker{kind: kind, br: br, win: win, Items: items}
	p.Select = widget.NewSelect(nil, nil)
	p.Select.PlaceHolder = lang.L("Choose…")
	p.NewButton = widget.NewButtonWithIcon(lang.L("New…"), theme.ContentAddIcon(), p.askNew)
	p.setOptions()
	if len(items) == 1 {
		p.Select.SetSelectedIndex(0) // the only choice: save the bookkeeper a click
	}
	p.Content = container.NewBorder(nil, nil, nil, p.NewButton, p.Select)
	return p
}

func (p *CodedPicker) setOptions() {
	opts := make([]string, len(p.Items))
	for i, it := range p.Items {
		opts[i] = it.Label()
	}
	p.Select.SetOptions(opts)
}

// Selected returns the chosen id, 0 when none.
func (p *CodedPicker) Selected() uint64 {
	if i := p.Select.SelectedIndex(); i >= 0 && i < len(p.Items) {
		return p.Items[i].ID
	}
	return 0
}

func (p *CodedPicker) askNew() {
	d := NewCodeDialog(p.kind.Title, p.kind, Coded{}, p.win, func(code, name string, done func(error)) {
		bridge.Load(p.br, func(context.Context) (Coded, error) {
			return p.kind.Create(code, name)
		}, func(c Coded, err error) {
			if err == nil {
				p.Items = append(p.Items, c)
				p.setOptions()
				p.Select.SetSelectedIndex(len(p.Items) - 1)
			}
			done(err)
		})
	})
	p.Creating = d
	d.Dialog.Show()
	p.win.Canvas().Focus(d.Code)
}

// codeDialogWidth fits a code, a name and a sentence of trouble.
const codeDialogWidth = 420

// CodeDialog asks for a code and a name. It stays open when creating fails,
// with the reason under the fields, so nothing typed is lost.
type CodeDialog struct {
	body       *fyne.Container
	Code, Name *widget.Entry
	Problem    *widget.Label
	Create     *widget.Button
	Dialog     *dialog.CustomDialog
}

// NewCodeDialog builds the dialog over win, filled with current (zero for
// a new one); submit stores what was typed and calls done with the outcome.
func NewCodeDialog(title string, kind CodedKind, current Coded, win fyne.Window, submit func(code, name string, done func(error))) *CodeDialog {
	d := &CodeDialog{Code: widget.NewEntry(), Name: widget.NewEntry(), Problem: widget.NewLabel("")}
	d.Code.SetPlaceHolder(kind.Placeholder)
	d.Code.SetText(current.Code)
	d.Name.SetText(current.Name)
	d.Name.SetPlaceHolder(lang.L("Same as the code if left empty"))
	d.Problem.Importance = widget.DangerImportance
	d.Problem.Wrapping = fyne.TextWrapWord
	d.Problem.Hide()
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Code"), d.Code),
		widget.NewFormItem(lang.L("Name"), d.Name),
	)
	cancel := widget.NewButton(lang.L("Cancel"), nil)
	action := lang.L("Create")
	if current.ID != 0 {
		action = lang.L("Save")
	}
	d.Create = widget.NewButtonWithIcon(action, theme.ConfirmIcon(), nil)
	d.Create.Importance = widget.HighImportance
	d.body = container.NewVBox(form, d.Problem)
	d.Dialog = dialog.NewCustomWithoutButtons(title, d.body, win)
	d.Dialog.SetButtons([]fyne.CanvasObject{cancel, d.Create})
	cancel.OnTapped = d.Dialog.Hide
	d.Create.OnTapped = func() {
		code, name := strings.TrimSpace(d.Code.Text), strings.TrimSpace(d.Name.Text)
		if code == "" {
			d.showProblem(lang.L("Enter a short code, e.g. MAIN."))
			return
		}
		if name == "" {
			name = code
		}
		d.Create.Disable()
		submit(code, name, func(err error) {
			d.Create.Enable()
			if err != nil {
				d.showProblem(i18n.UserMessage(err))
				return
			}
			d.Dialog.Hide()
		})
	}
	d.Code.OnSubmitted = func(string) { d.Create.OnTapped() }
	d.Name.OnSubmitted = func(string) { d.Create.OnTapped() }
	d.Dialog.Resize(fyne.NewSize(codeDialogWidth, d.Dialog.MinSize().Height))
	return d
}

func (d *CodeDialog) showProblem(text string) {
	d.Problem.SetText(text)
	d.Problem.Show()
	d.body.Refresh()
	d.Dialog.Resize(fyne.NewSize(codeDialogWidth, d.Dialog.MinSize().Height))
}

// Choose selects the item with the given id, if there is one.
func (p *CodedPicker) Choose(id uint64) {
	for i, it := range p.Items {
		if it.ID == id {
			p.Select.SetSelectedIndex(i)
			return
		}
	}
}

// CatalogBackend manages warehouses and cost centers.
type CatalogBackend interface {
	Warehouses() ([]ledger.Warehouse, error)
	CostCenters() ([]ledger.CostCenter, error)
	CreateWarehouse(ledger.Warehouse) (ledger.Warehouse, error)
	UpdateWarehouse(ledger.Warehouse) error
	DeleteWarehouse(ledger.WarehouseID) error
	CreateCostCenter(ledger.CostCenter) (ledger.CostCenter, error)
	UpdateCostCenter(ledger.CostCenter) error
	DeleteCostCenter(ledger.CostCenterID) error
}

// WarehouseKind handles warehouses in b.
func WarehouseKind(b CatalogBackend) CodedKind {
	return CodedKind{
		Title: lang.L("New warehouse"), EditTitle: lang.L("Edit warehouse"), Placeholder: lang.L("e.g. MAIN"),
		Create: func(code, name string) (Coded, error) {
			w, err := b.CreateWarehouse(ledger.Warehouse{Code: code, Name: name})
			return Coded{uint64(w.ID), w.Code, w.Name}, err
		},
		Update: func(c Coded) error {
			return b.UpdateWarehouse(ledger.Warehouse{ID: ledger.WarehouseID(c.ID), Code: c.Code, Name: c.Name})
		},
		Remove: func(id uint64) error { return b.DeleteWarehouse(ledger.WarehouseID(id)) },
	}
}

// CostCenterKind handles cost centers in b.
func CostCenterKind(b CatalogBackend) CodedKind {
	return CodedKind{
		Title: lang.L("New cost center"), EditTitle: lang.L("Edit cost center"), Placeholder: lang.L("e.g. WEB"),
		Create: func(code, name string) (Coded, error) {
			c, err := b.CreateCostCenter(ledger.CostCenter{Code: code, Name: name})
			return Coded{uint64(c.ID), c.Code, c.Name}, err
		},
		Update: func(c Coded) error {
			return b.UpdateCostCenter(ledger.CostCenter{ID: ledger.CostCenterID(c.ID), Code: c.Code, Name: c.Name})
		},
		Remove: func(id uint64) error { return b.DeleteCostCenter(ledger.CostCenterID(id)) },
	}
}

// WarehouseItems are warehouses as a picker lists them.
func WarehouseItems(whs []ledger.Warehouse) []Coded {
	out := make([]Coded, len(whs))
	for i, w := range whs {
		out[i] = Coded{uint64(w.ID), w.Code, w.Name}
	}
	return out
}

// CostCenterItems are cost centers as a picker lists them.
func CostCenterItems(ccs []ledger.CostCenter) []Coded {
	out := make([]Coded, len(ccs))
	for i, c := range ccs {
		out[i] = Coded{uint64(c.ID), c.Code, c.Name}
	}
	return out
}
