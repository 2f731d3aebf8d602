package books

import (
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/nra"
)

// NRAFileScanAll is NRAFile reading every order of the shop, not only
// those the sales records point at: the tests compare the two.
func NRAFileScanAll(b *Books, q NRAQuery) (*nra.File, ledger.Shop, error) {
	q.scanAll = true
	return b.NRAFile(q)
}
