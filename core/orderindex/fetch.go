package orderindex

import (
	"errors"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// Reader reads one order by key; *store.Store satisfies it.
type Reader interface {
	Order(ledger.OrderKey) (ledger.Order, error)
}

// Fetch reads the orders of keys from r, in the same order, without their
// raw payloads (a list does not show them). An order that is gone from the
// store since the index was read comes back as a zero order with only its
// key set, so positions still match; Fetch fails only on other errors.
func Fetch(r Reader, keys []ledger.OrderKey) ([]ledger.Order, error) {
	out := make([]ledger.Order, len(keys))
	for i, k := range keys {
		o, err := r.Order(k)
		switch {
		case errors.Is(err, store.ErrNotFound):
			out[i] = ledger.Order{Shop: k.Shop, ID: k.ID}
			continue
		case err != nil:
			return nil, err
		}
		o.Raw = nil
		out[i] = o
	}
	return out, nil
}
