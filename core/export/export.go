// Package export writes orders for an accounting package: CSV (for any
// program; UTF-8 with an optional byte order mark so Excel on Windows
// reads Cyrillic right, `,` or `;` between fields) and XLSX (an Orders and
// a Lines sheet). Orders are streamed from the store, so 100,000 of them
// never sit in memory at once.
package export

import (
	"fmt"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// Source is what an export reads; *store.Store satisfies it.
type Source interface {
	EachOrder(f store.OrderFilter, fn func(*ledger.Order) error) error
	Shops() ([]ledger.Shop, error)
	Warehouses() ([]ledger.Warehouse, error)
	CostCenters() ([]ledger.CostCenter, error)
}

// Options choose what is exported and how.
type Options struct {
	Filter store.OrderFilter
	// Location is the time zone dates are written in (default time.Local).
	Location *time.Location
	// CSV only: Delimiter is ',' (default) or ';' (what Excel expects
	// where the decimal separator is a comma); BOM starts the file with a
	// UTF-8 byte order mark.
	Delimiter rune
	BOM       bool
	// Totals ends each sheet with a totals row per currency, after an
	// empty row: "Total", the number of orders, the currency and the sum
	// of each amount column. Leave it out of a file that an accounting
	// package imports row by row.
	Totals bool
}

// Stats says what an export wrote.
type Stats struct{ Orders, Lines int }

// names resolves ids to what a bookkeeper recognises.
type names struct {
	shops       map[ledger.ShopID]string
	warehouses  map[ledger.WarehouseID]string
	costCenters map[ledger.CostCenterID]string
}

func loadNames(src Source) (names, error) {
	n := names{map[ledger.ShopID]string{}, map[ledger.WarehouseID]string{}, map[ledger.CostCenterID]string{}}
	shops, err := src.Shops()
	if err != nil {
		return n, fmt.Errorf("read shops: %w", err)
	}
	for _, s := range shops {
		n.shops[s.ID] = s.Name
	}
	ws, err := src.Warehouses()
	if err != nil {
		return n, fmt.Errorf("read warehouses: %w", err)
	}
	for _, w := range ws {
		n.warehouses[w.ID] = w.Code
	}
	cs, err := src.CostCenters()
	if err != nil {
		return n, fmt.Errorf("read cost centers: %w", err)
	}
	for _, c := range cs {
		n.costCenters[c.ID] = c.Code
	}
	return n, nil
}

// shop names an order's shop; a removed shop whose orders were kept still
// shows its id.
func (n names) shop(id ledger.ShopID) string {
	if s, ok := n.shops[id]; ok {
		return s
	}
	return fmt.Sprintf("shop %d (removed)", id)
}

func (n names) warehouse(id ledger.WarehouseID) string {
	if id == 0 {
		return ""
	}
	if s, ok := n.warehouses[id]; ok {
		return s
	}
	return fmt.Sprintf("#%d", id)
}

func (n names) costCenter(id ledger.CostCenterID) string {
	if id == 0 {
		return ""
	}
	if s, ok := n.costCenters[id]; ok {
		return s
	}
	return fmt.Sprintf("#%d", id)
}
