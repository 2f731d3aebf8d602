// Package ledger holds ShopLedger's domain types: shops, warehouses, cost
// centers, orders with their lines, and the history of status changes.
// It has no behaviour beyond small value helpers and imports nothing of
// the rest of the project, so every other package can depend on it.
package ledger
