package orders

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// catalogNames are what the list shows in place of internal ids.
type catalogNames struct {
	shops       map[ledger.ShopID]string
	warehouses  map[ledger.WarehouseID]string  // by code
	costCenters map[ledger.CostCenterID]string // by code
}

func newCatalogNames(shops []ledger.Shop, whs []ledger.Warehouse, ccs []ledger.CostCenter) catalogNames {
	n := catalogNames{
		shops:       make(map[ledger.ShopID]string, len(shops)),
		warehouses:  make(map[ledger.WarehouseID]string, len(whs)),
		costCenters: make(map[ledger.CostCenterID]string, len(ccs)),
	}
	for _, s := range shops {
		n.shops[s.ID] = s.Name
	}
	for _, w := range whs {
		n.warehouses[w.ID] = w.Code
	}
	for _, c := range ccs {
		n.costCenters[c.ID] = c.Code
	}
	return n
}

// shop names an order's shop; a removed shop's orders stay in the books.
func (n *catalogNames) shop(id ledger.ShopID) string {
	if name, ok := n.shops[id]; ok {
		return name
	}
	return lang.L("(removed shop)")
}

// orderColumn is one column of the list.
type orderColumn struct {
	title    string
	sample   string // a typically wide value, to size the column
	sortable bool   // its heading sorts the list by it
	align    fyne.TextAlign
	value    func(*ledger.Order, *catalogNames) string
	badge    func(*ledger.Order) color.Color // the status column's colour
}

// The list's columns, in order; the shell's tests read cells by them.
const (
	ColNumber = iota
	ColDate
	ColCustomer
	ColTotal
	ColStatus
	ColShop
	ColWarehouse
	ColCostCenter
)

// customerCol takes the width the other columns leave.
const customerCol = ColCustomer

func orderColumns() []orderColumn {
	return []orderColumn{
		{title: lang.L("Number"), sortable: true, sample: "00000000", align: fyne.TextAlignLeading,
			value: func(o *ledger.Order, _ *catalogNames) string { return o.Number }},
		{title: lang.L("Date"), sortable: true, sample: "2026-11-27 14:02", align: fyne.TextAlignLeading,
			value: func(o *ledger.Order, _ *catalogNames) string { return i18n.DateTime(o.Created) }},
		{title: lang.L("Customer"), sortable: true, sample: "Margaret Hamilton-Smith", align: fyne.TextAlignLeading,
			value: func(o *ledger.Order, _ *catalogNames) string { return o.CustomerLabel() }},
		{title: lang.L("Total"), sortable: true, sample: "10,000.00 USD", align: fyne.TextAlignTrailing,
			value: func(o *ledger.Order, _ *catalogNames) string { return i18n.Money(o.Total, o.Currency) }},
		{title: lang.L("Status"), sortable: true, sample: "Pending payment", align: fyne.TextAlignLeading,
			value: func(o *ledger.Order, _ *catalogNames) string { return i18n.OrderStatusName(o) },
			badge: statusColor},
		{title: lang.L("Shop"), sample: "Demo shop long", align: fyne.TextAlignLeading,
			value: func(o *ledger.Order, n *catalogNames) string { return n.shop(o.Shop) }},
		{title: lang.L("Warehouse"), sample: "MAIN", align: fyne.TextAlignLeading,
			value: func(o *ledger.Order, n *catalogNames) string { return n.warehouses[o.Warehouse] }},
		{title: lang.L("Cost center"), sample: "WEB", align: fyne.TextAlignLeading,
			value: func(o *ledger.Order, n *catalogNames) string { return n.costCenters[o.CostCenter] }},
	}
}

// columnWidth fits the wider of the column's title and sample, plus the
// label's own padding on both sides.
func columnWidth(c orderColumn) float32 {
	size := theme.TextSize()
	title := fyne.MeasureText(c.title, size, fyne.TextStyle{Bold: true}).Width
	if c.sortable {
		title += arrowWidth()
	}
	w := max(fyne.MeasureText(c.sample, size, fyne.TextStyle{}).Width, title)
	return w + 2*theme.InnerPadding() + theme.Padding()
}
