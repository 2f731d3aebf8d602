// Package orders is the Orders screen: a search and filters (shop, one
// or more statuses, dates typed or picked by a shortcut) over the
// virtualized list of every order, sortable by its headings, the detail
// of the order picked beside or under it (where it can be booked under another
// warehouse or cost center), and the export of what the list shows, in
// its order.
//
// Newest first is the books' own order: the store pages it by keyset
// tokens, the search index lists a search's matches in it. Any other
// order is sorted from the matches' orders (sort.go) and paged by key,
// as a search is.
//
// The shell reads the list's first page in the same background job as
// the rest of its snapshot (Prepare, then Reading.Read off the UI
// goroutine, then Show), so the first rows appear with one redraw; the
// screen's own queries (a filter changed, a search typed) it runs itself.
// The footer's totals per currency follow each answer shown, read in a
// background job of their own (totals.go), so they never hold up the rows.
package orders

import (
	"time"

	"fyne.io/fyne/v2"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/export"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/orderindex"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/ui/bridge"
)

// UI is what the screen needs from the window's shell.
type UI interface {
	Window() fyne.Window
	Bridge() *bridge.Bridge
	// Now is the window's clock, which names the export's file.
	Now() time.Time
	// SearchIndex is the shell's search index over every order, and
	// whether it has been read; the shell fills and refreshes it, the
	// screen searches it and puts in the orders it reassigns.
	SearchIndex() (ix *orderindex.Index, ready bool)
	// ShowError says in the status line what failed, in words.
	ShowError(err error)
}

// Backend is what the screen asks of the core; *books.Books has it all.
type Backend interface {
	Orders(f store.OrderFilter, after []byte, limit int) ([]ledger.Order, []byte, error)
	CountOrders(store.OrderFilter) (int, error)
	Order(ledger.OrderKey) (ledger.Order, error)
	// OrderTotals and OrderTotalsOf are the footer's totals of what the
	// list shows: of a filter's orders, of a search's matches.
	OrderTotals(store.OrderFilter) ([]store.CurrencyTotals, error)
	OrderTotalsOf([]ledger.OrderKey) ([]store.CurrencyTotals, error)
	// History and Reassign are the detail's.
	History(ledger.OrderKey) ([]ledger.StatusChange, error)
	Reassign(ledger.OrderKey, ledger.WarehouseID, ledger.CostCenterID) error
	// An export reads whole orders and the names of their shops,
	// warehouses and cost centers.
	export.Source
}

var _ Backend = (*books.Books)(nil)
