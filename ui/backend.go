package ui

import (
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/store"
	booksui "codeberg.org/shopledger/shopledger/ui/books"
	ordersui "codeberg.org/shopledger/shopledger/ui/orders"
	"codeberg.org/shopledger/shopledger/ui/shops"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// The window talks to the application core through these interfaces, one
// per part of it, so each shows at a glance what that part depends on.
// *books.Books satisfies them all, and tests pass the real one over a
// temp database.

// Backend is everything the window asks of the application core.
type Backend interface {
	ordersui.Backend
	// EachSearchRecord fills the search index.
	EachSearchRecord(fn func(*store.SearchRecord) error) error
	widgets.CatalogBackend
	shops.Backend
	booksui.Backend
	// Path is the database file, shown in the settings.
	Path() string
}

var _ Backend = (*books.Books)(nil)
