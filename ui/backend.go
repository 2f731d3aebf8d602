package ui

import (
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	booksui "codeberg.org/shopledger/shopledger/ui/books"
	"codeberg.org/shopledger/shopledger/ui/shops"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// The window talks to the application core through these interfaces, one
// per part of it, so each shows at a glance what that part depends on.
// *books.Books satisfies them all, and tests pass the real one over a
// temp database.

// orderReader is what the order list reads.
type orderReader interface {
	Orders(f store.OrderFilter, after []byte, limit int) ([]ledger.Order, []byte, error)
	CountOrders(store.OrderFilter) (int, error)
	// EachOrder reads whole orders (an export).
	EachOrder(f store.OrderFilter, fn func(*ledger.Order) error) error
	// EachSearchRecord fills the search index.
	EachSearchRecord(fn func(*store.SearchRecord) error) error
	Order(ledger.OrderKey) (ledger.Order, error)
}

// orderBackend adds what the order detail needs.
type orderBackend interface {
	orderReader
	History(ledger.OrderKey) ([]ledger.StatusChange, error)
	Reassign(ledger.OrderKey, ledger.WarehouseID, ledger.CostCenterID) error
}

// Backend is everything the window asks of the application core.
type Backend interface {
	orderBackend
	widgets.CatalogBackend
	shops.Backend
	booksui.Backend
	// Path is the database file, shown in the settings.
	Path() string
}

var _ Backend = (*books.Books)(nil)
