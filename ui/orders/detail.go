package orders

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// orderDetail is the pane beside or under the list that shows one order in full:
// who bought what, taxes, shipping, fees, coupons and refunds, payment, the
// status history with where each change came from, the payload as the shop
// sent it, and the warehouse and cost center it is booked under, which the
// bookkeeper can change here.
type orderDetail struct {
	p       *Page
	order   ledger.Order // as listed; load reads it again with its payload
	history []ledger.StatusChange

	title      *widget.Label
	close      *widget.Button
	body       *fyne.Container // the sections, once loaded
	warehouse  *widget.Select
	costCenter *widget.Select
	reassign   *widget.Button
	note       *widget.Label // the outcome of a reassignment
	lines      *fyne.Container
	amounts    *fyne.Container // the Amounts section's rows
	historyBox *fyne.Container
	raw        *widget.Entry
	copyRaw    *widget.Button
	scroll     *container.Scroll
	content    fyne.CanvasObject

	onClose      func()
	onReassigned func(ledger.Order)
}

func newOrderDetail(p *Page, o ledger.Order, onClose func(), onReassigned func(ledger.Order)) *orderDetail {
	d := &orderDetail{p: p, order: o, onClose: onClose, onReassigned: onReassigned}
	d.title = widget.NewLabelWithStyle(orderTitle(&o), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	d.title.SizeName = theme.SizeNameSubHeadingText
	d.title.Truncation = fyne.TextTruncateEllipsis
	d.close = widget.NewButtonWithIcon("", theme.CancelIcon(), onClose)
	d.close.Importance = widget.LowImportance
	d.body = container.NewVBox(widget.NewLabel(lang.L("Loading…")))
	head := container.NewBorder(nil, nil, nil, d.close, d.title)
	d.scroll = container.NewVScroll(container.NewPadded(d.body))
	d.content = container.NewBorder(container.NewVBox(head, widget.NewSeparator()), nil, nil, nil, d.scroll)
	return d
}

func orderTitle(o *ledger.Order) string {
	return lang.L("Order {{.Number}}", map[string]any{"Number": o.Number})
}

// detailData is what the pane reads in one background job.
type detailData struct {
	order   ledger.Order
	history []ledger.StatusChange
}

// load reads the order with its payload and its history, then shows them.
func (d *orderDetail) load() {
	d.read(func(v detailData) {
		d.order, d.history = v.order, v.history
		d.build()
	})
}

// reload reads the order again (the list reloaded after a sync, a
// webhook or a verification) and shows it anew only if it changed, where
// the pane was scrolled to; an unchanged order keeps the pane as it is,
// with any warehouse or cost center picked but not yet saved.
func (d *orderDetail) reload() {
	d.read(func(v detailData) {
		if reflect.DeepEqual(v.order, d.order) && reflect.DeepEqual(v.history, d.history) {
			return
		}
		d.order, d.history = v.order, v.history
		at := d.scroll.Offset
		d.build()
		d.scroll.Offset = at
		d.scroll.Refresh()
	})
}

// read reads the order and its history in the background and hands them
// to then, or shows why it could not.
func (d *orderDetail) read(then func(detailData)) {
	key := d.order.Key()
	b := d.p.b
	bridge.Load(d.p.u.Bridge(), func(context.Context) (detailData, error) {
		var v detailData
		var err error
		if v.order, err = b.Order(key); err != nil {
			return v, err
		}
		v.history, err = b.History(key)
		return v, err
	}, func(v detailData, err error) {
		if err != nil {
			d.body.Objects = []fyne.CanvasObject{widgets.ErrorLabel(i18n.UserMessage(err))}
			d.body.Refresh()
			return
		}
		then(v)
	})
}

// build lays the sections out.
func (d *orderDetail) build() {
	o := &d.order
	names := &d.p.names
	d.title.SetText(orderTitle(o))

	summary := widget.NewForm(
		widget.NewFormItem(lang.L("Status"), widget.NewLabel(i18n.OrderStatusName(o))),
		widget.NewFormItem(lang.L("Date"), widget.NewLabel(i18n.DateTime(o.Created))),
		widget.NewFormItem(lang.L("Shop"), widget.NewLabel(names.shop(o.Shop))),
		widget.NewFormItem(lang.L("Total"), widget.NewLabel(i18n.Money(o.Total, o.Currency))),
	)
	if o.RefundedTotal() != 0 {
		summary.Append(lang.L("Refunded"), widget.NewLabel(i18n.Money(o.RefundedTotal(), o.Currency)))
	}

	d.amounts = d.amountsGrid()
	sections := []fyne.CanvasObject{summary, widgets.Section(lang.L("Amounts"), d.amounts), d.bookingSection()}
	sections = append(sections, widgets.Section(lang.L("Customer"), d.addresses()))
	d.lines = d.lineGrid()
	sections = append(sections, widgets.Section(lang.L("Items"), d.lines))
	if c := d.charges(); c != nil {
		sections = append(sections, widgets.Section(lang.L("Shipping, fees and coupons"), c))
	}
	if len(o.Refunds) > 0 {
		sections = append(sections, widgets.Section(lang.L("Refunds"), d.refunds()))
	}
	sections = append(sections, widgets.Section(lang.L("Payment"), d.payment()))
	d.historyBox = d.historyList()
	sections = append(sections, widgets.Section(lang.L("Status history"), d.historyBox))
	sections = append(sections, widgets.Section(lang.L("Data as the shop sent it"), d.payload()))
	d.body.Objects = sections
	d.body.Refresh()
}

// bookingSection shows the warehouse and cost center and lets the
// bookkeeper book this one order elsewhere.
func (d *orderDetail) bookingSection() fyne.CanvasObject {
	whs, ccs := d.p.warehouses, d.p.costCenters
	whOpts, ccOpts := make([]string, len(whs)), make([]string, len(ccs))
	for i, w := range whs {
		whOpts[i] = widgets.Coded{ID: uint64(w.ID), Code: w.Code, Name: w.Name}.Label()
	}
	for i, c := range ccs {
		ccOpts[i] = widgets.Coded{ID: uint64(c.ID), Code: c.Code, Name: c.Name}.Label()
	}
	d.warehouse = widget.NewSelect(whOpts, nil)
	d.costCenter = widget.NewSelect(ccOpts, nil)
	for i, w := range whs {
		if w.ID == d.order.Warehouse {
			d.warehouse.SetSelectedIndex(i)
		}
	}
	for i, c := range ccs {
		if c.ID == d.order.CostCenter {
			d.costCenter.SetSelectedIndex(i)
		}
	}
	d.note = widget.NewLabel("")
	d.note.Wrapping = fyne.TextWrapWord
	d.note.Hide()
	d.reassign = widget.NewButtonWithIcon(lang.L("Book this order here"), theme.DocumentSaveIcon(), d.saveBooking)
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Warehouse"), d.warehouse),
		widget.NewFormItem(lang.L("Cost center"), d.costCenter),
	)
	return widgets.Section(lang.L("Booked under"), container.NewVBox(form, container.NewHBox(d.reassign), d.note))
}

// saveBooking reassigns the order to the chosen warehouse and cost center.
func (d *orderDetail) saveBooking() {
	wi, ci := d.warehouse.SelectedIndex(), d.costCenter.SelectedIndex()
	var wh ledger.WarehouseID
	var cc ledger.CostCenterID
	if wi >= 0 && wi < len(d.p.warehouses) {
		wh = d.p.warehouses[wi].ID
	}
	if ci >= 0 && ci < len(d.p.costCenters) {
		cc = d.p.costCenters[ci].ID
	}
	key, b := d.order.Key(), d.p.b
	d.reassign.Disable()
	bridge.Load(d.p.u.Bridge(), func(context.Context) (ledger.Order, error) {
		if err := b.Reassign(key, wh, cc); err != nil {
			return ledger.Order{}, err
		}
		return b.Order(key)
	}, func(o ledger.Order, err error) {
		d.reassign.Enable()
		if err != nil {
			d.note.Importance = widget.DangerImportance
			d.note.SetText(i18n.UserMessage(err))
		} else {
			d.order.Warehouse, d.order.CostCenter = o.Warehouse, o.CostCenter
			d.note.Importance = widget.SuccessImportance
			d.note.SetText(lang.L("Saved: this order is now booked under {{.Warehouse}} / {{.CostCenter}}.",
				map[string]any{"Warehouse": d.warehouse.Selected, "CostCenter": d.costCenter.Selected}))
			o.Raw = nil
			if d.onReassigned != nil {
				d.onReassigned(o)
			}
		}
		d.note.Show()
	})
}

// addresses shows the billing and the shipping address side by side.
func (d *orderDetail) addresses() fyne.CanvasObject {
	o := &d.order
	bill := widget.NewLabel(addressText(o.Billing, true))
	bill.Wrapping = fyne.TextWrapWord
	var ship fyne.CanvasObject = widgets.NewHint(lang.L("No shipping address"))
	if text := addressText(o.Shipping, false); strings.TrimSpace(text) != "" {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		ship = l
	}
	return container.NewGridWithColumns(2,
		container.NewVBox(widgets.BoldLabel(lang.L("Billing")), bill),
		container.NewVBox(widgets.BoldLabel(lang.L("Shipping")), ship))
}

// addressText is an address as it is written on an envelope, with the
// email and phone of a billing address under it.
func addressText(a ledger.Address, contact bool) string {
	var lines []string
	add := func(parts ...string) {
		if s := strings.TrimSpace(strings.Join(parts, " ")); s != "" {
			lines = append(lines, s)
		}
	}
	add(a.FirstName, a.LastName)
	add(a.Company)
	add(a.Address1)
	add(a.Address2)
	add(a.Postcode, a.City)
	add(a.State, i18n.CountryName(a.Country))
	if contact {
		add(a.Email)
		add(a.Phone)
	}
	return strings.Join(lines, "\n")
}

// lineNameCol is the items' name column, which takes the width the SKU
// and the amounts leave.
const lineNameCol = 1

// lineGrid lists the items: SKU, name, quantity, price, total and tax.
func (d *orderDetail) lineGrid() *fyne.Container {
	o := &d.order
	grid := container.New(lineColumns{share: []float32{0, 1, 0, 0, 0, 0}, minFill: 90})
	// Amounts line up on the right, as in a ledger.
	align := func(col int) fyne.TextAlign {
		if col >= 2 {
			return fyne.TextAlignTrailing
		}
		return fyne.TextAlignLeading
	}
	for i, h := range []string{lang.L("SKU"), lang.L("Product"), lang.L("Qty"), lang.L("Price"), lang.L("Total"), lang.L("Tax")} {
		lbl := widgets.BoldLabel(h)
		lbl.Alignment = align(i)
		grid.Add(lbl)
	}
	for _, l := range o.Lines {
		for i, text := range []string{l.SKU, l.DisplayName(), i18n.Quantity(l.Quantity), i18n.Number(l.Price), i18n.Number(l.Total), i18n.Number(l.TotalTax)} {
			lbl := widget.NewLabel(text)
			lbl.Alignment = align(i)
			if i == lineNameCol {
				lbl.Wrapping = fyne.TextWrapWord // the SKU and the amounts are never cut
			}
			grid.Add(lbl)
		}
	}
	return grid
}

// charges lists the shipping methods, fees and coupons, or returns nil
// when the order has none; what they and the taxes add up to is in the
// Amounts section.
func (d *orderDetail) charges() fyne.CanvasObject {
	o := &d.order
	form := widget.NewForm()
	add := func(label, value string) { form.Append(label, widget.NewLabel(value)) }
	for _, s := range o.ShippingLines {
		add(lang.L("Shipping: {{.Method}}", map[string]any{"Method": s.MethodTitle}),
			lang.L("{{.Total}} + tax {{.Tax}}", map[string]any{"Total": i18n.Money(s.Total, o.Currency), "Tax": i18n.Number(s.TotalTax)}))
	}
	for _, f := range o.FeeLines {
		add(lang.L("Fee: {{.Name}}", map[string]any{"Name": f.Name}),
			lang.L("{{.Total}} + tax {{.Tax}}", map[string]any{"Total": i18n.Money(f.Total, o.Currency), "Tax": i18n.Number(f.TotalTax)}))
	}
	for _, c := range o.CouponLines {
		add(lang.L("Coupon: {{.Code}}", map[string]any{"Code": c.Code}), "−"+i18n.Money(c.Discount, o.Currency))
	}
	if len(form.Items) == 0 {
		return nil
	}
	return form
}

func (d *orderDetail) refunds() fyne.CanvasObject {
	o := &d.order
	form := widget.NewForm()
	for _, r := range o.Refunds {
		reason := r.Reason
		if reason == "" {
			reason = lang.L("No reason given")
		}
		form.Append(reason, widget.NewLabel(i18n.Money(r.Amount, o.Currency)))
	}
	return form
}

func (d *orderDetail) payment() fyne.CanvasObject {
	o := &d.order
	method := o.PaymentMethodTitle
	if method == "" {
		method = o.PaymentMethod
	}
	if method == "" {
		method = lang.L("Not given")
	}
	form := widget.NewForm(widget.NewFormItem(lang.L("Method"), widget.NewLabel(method)))
	if o.TransactionID != "" {
		form.Append(lang.L("Transaction"), widget.NewLabel(o.TransactionID))
	}
	paid := lang.L("Not paid")
	if !o.Paid.IsZero() {
		paid = i18n.DateTime(o.Paid)
	}
	form.Append(lang.L("Paid"), widget.NewLabel(paid))
	if o.CustomerNote != "" {
		note := widget.NewLabel(o.CustomerNote)
		note.Wrapping = fyne.TextWrapWord
		form.Append(lang.L("Customer's note"), note)
	}
	return form
}

// historyList shows each status change, oldest first, with its source.
func (d *orderDetail) historyList() *fyne.Container {
	box := container.NewVBox()
	for _, ch := range d.history {
		var what string
		if ch.From == "" {
			what = lang.L("Imported as {{.Status}}", map[string]any{"Status": i18n.StatusName(ch.To)})
		} else {
			what = lang.L("{{.From}} → {{.To}}", map[string]any{"From": i18n.StatusName(ch.From), "To": i18n.StatusName(ch.To)})
		}
		line := widget.NewLabel(lang.L("{{.When}}: {{.What}} ({{.Source}})", map[string]any{
			"When": i18n.DateTime(ch.At), "What": what, "Source": i18n.SourceName(ch.Source),
		}))
		line.Wrapping = fyne.TextWrapWord
		box.Add(line)
	}
	if len(d.history) == 0 {
		box.Add(widget.NewLabel(lang.L("No changes recorded")))
	}
	return box
}

// payload shows the raw order as the shop sent it, indented, read-only
// but selectable, with a button that copies it.
func (d *orderDetail) payload() fyne.CanvasObject {
	text := lang.L("The shop's data for this order was not kept.")
	if len(d.order.Raw) > 0 {
		var pretty bytes.Buffer
		if json.Indent(&pretty, d.order.Raw, "", "  ") == nil {
			text = pretty.String()
		} else {
			text = string(d.order.Raw)
		}
	}
	d.raw = widget.NewMultiLineEntry()
	d.raw.TextStyle.Monospace = true
	d.raw.Wrapping = fyne.TextWrapOff
	d.raw.SetText(text)
	d.raw.SetMinRowsVisible(12)
	// Read-only: an edit is undone at once, so the text stays selectable.
	d.raw.OnChanged = func(s string) {
		if s != text {
			d.raw.SetText(text)
		}
	}
	d.copyRaw = widget.NewButtonWithIcon(lang.L("Copy"), theme.ContentCopyIcon(), func() {
		fyne.CurrentApp().Clipboard().SetContent(text)
	})
	return container.NewVBox(d.raw, container.NewHBox(d.copyRaw))
}
