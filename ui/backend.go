package ui

import (
	"context"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/verify"
	"codeberg.org/shopledger/shopledger/core/woo"
	booksui "codeberg.org/shopledger/shopledger/ui/books"
	ordersui "codeberg.org/shopledger/shopledger/ui/orders"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// The window talks to the application core through these interfaces, one
// per part of it, so each shows at a glance what that part depends on.
// *books.Books satisfies them all, and tests pass the real one over a
// temp database.

// shopBackend connects, changes and removes shops.
type shopBackend interface {
	Shops() ([]ledger.Shop, error)
	SyncState(ledger.ShopID) (ledger.SyncState, error)
	// Probe is "Test connection": what stands between ShopLedger and the
	// shop's orders, with the certificate to trust when that is it.
	Probe(ctx context.Context, url, key, secret, certSHA256 string) *woo.Diagnosis
	AddShop(books.NewShop) (ledger.Shop, error)
	UpdateShop(ledger.Shop) error
	RemoveShop(id ledger.ShopID, keepOrders bool) error
	// ReplaceKeys gives a shop new API keys once the shop accepts them.
	ReplaceKeys(ctx context.Context, id ledger.ShopID, key, secret string) (*woo.Diagnosis, error)
	// Verify is "Verify with shop": the shop's orders compared with the
	// books, and what differs fetched again.
	Verify(ctx context.Context, id ledger.ShopID, opt verify.Options) (verify.Report, error)
}

// Backend is everything the window asks of the application core.
type Backend interface {
	ordersui.Backend
	// EachSearchRecord fills the search index.
	EachSearchRecord(fn func(*store.SearchRecord) error) error
	widgets.CatalogBackend
	shopBackend
	booksui.Backend
	// Path is the database file, shown in the settings.
	Path() string
}

var _ Backend = (*books.Books)(nil)
