package ui

import (
	"context"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
)

// Backend is everything the window asks of the application core. Keeping it
// small shows at a glance what the UI depends on; *books.Books satisfies it,
// and tests pass the real one over a temp database.
type Backend interface {
	Shops() ([]ledger.Shop, error)
	Warehouses() ([]ledger.Warehouse, error)
	CostCenters() ([]ledger.CostCenter, error)
	CreateWarehouse(ledger.Warehouse) (ledger.Warehouse, error)
	CreateCostCenter(ledger.CostCenter) (ledger.CostCenter, error)

	Orders(f store.OrderFilter, after []byte, limit int) ([]ledger.Order, []byte, error)
	CountOrders(store.OrderFilter) (int, error)
	SyncState(ledger.ShopID) (ledger.SyncState, error)

	CheckConnection(ctx context.Context, url, key, secret string) error
	AddShop(books.NewShop) (ledger.Shop, error)
	SyncAll(ctx context.Context, progress func(syncer.Progress)) ([]books.ShopResult, error)
}

var _ Backend = (*books.Books)(nil)
