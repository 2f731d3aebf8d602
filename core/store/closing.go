package store

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.etcd.io/bbolt"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
)

// ErrClosingOrder is matched by a ClosingError: a close that would move
// the closing back, or a reopen that would move it forward.
var ErrClosingOrder = errors.New("the closing cannot move that way")

// ClosingError says why the closing cannot move as asked, in words the
// bookkeeper can act on.
type ClosingError struct {
	Action  string    // sales.ActionClose or sales.ActionReopen
	Through sales.Day // the closing in force (zero: nothing closed)
}

func (e *ClosingError) Error() string {
	switch {
	case e.Action == sales.ActionReopen && e.Through == 0:
		return "the books are not closed: there is nothing to reopen"
	case e.Action == sales.ActionReopen:
		return fmt.Sprintf("the books are closed only through %s: to close later days, close them instead", e.Through)
	}
	return fmt.Sprintf("the books are already closed through %s: to close through an earlier day, reopen them to that day", e.Through)
}

func (e *ClosingError) Is(target error) bool { return target == ErrClosingOrder }

func getClosing(tx *bbolt.Tx, shop ledger.ShopID) (sales.Closing, bool, error) {
	c := sales.Closing{Shop: shop}
	data := tx.Bucket(bucketClosings).Get(u64(uint64(shop)))
	if data == nil {
		return c, false, nil
	}
	if err := decodeJSON(data, &c); err != nil {
		return c, false, fmt.Errorf("closing of shop %d: %w", shop, err)
	}
	return c, true, nil
}

// Closing returns how far the shop's books are closed (zero Through: not
// at all), with its history.
func (s *Store) Closing(shop ledger.ShopID) (sales.Closing, error) {
	var c sales.Closing
	err := s.db.View(func(tx *bbolt.Tx) error {
		var err error
		c, _, err = getClosing(tx, shop)
		return err
	})
	return c, err
}

// CloseBooks closes the shop's books through the given day, noting who
// and when. Closing again through the same day changes nothing; an
// earlier day than the closing is refused (reopen instead).
func (s *Store) CloseBooks(shop ledger.ShopID, through sales.Day, by string, at time.Time) (sales.Closing, error) {
	return s.moveClosing(shop, sales.ActionClose, through, by, at)
}

// ReopenBooks moves the shop's closing back to through (zero: nothing
// stays closed), noting who and when. Changes after closing that were
// booked for the reopened days stop being adjustments: the reopened days
// are booked as the orders are now.
func (s *Store) ReopenBooks(shop ledger.ShopID, through sales.Day, by string, at time.Time) (sales.Closing, error) {
	return s.moveClosing(shop, sales.ActionReopen, through, by, at)
}

func (s *Store) moveClosing(shop ledger.ShopID, action string, through sales.Day, by string, at time.Time) (sales.Closing, error) {
	var c sales.Closing
	err := s.update(func(tx *bbolt.Tx) error {
		if tx.Bucket(bucketShops).Get(u64(uint64(shop))) == nil {
			return fmt.Errorf("shop %d: %w", shop, ErrNotFound)
		}
		var err error
		if c, _, err = getClosing(tx, shop); err != nil {
			return err
		}
		switch {
		case through == c.Through:
			return errNoChange
		case action == sales.ActionClose && c.Through != 0 && through < c.Through,
			action == sales.ActionReopen && (c.Through == 0 || through > c.Through):
			return &ClosingError{Action: action, Through: c.Through}
		}
		c.Through = through
		c.History = append(c.History, sales.ClosingEvent{Action: action, Through: through, At: at.UTC(), By: by})
		return putRecord(tx, bucketClosings, uint64(shop), &c)
	})
	if err != nil {
		return sales.Closing{}, fmt.Errorf("%s the books of shop %d: %w", action, shop, err)
	}
	return c, nil
}

// ClosedChanges returns the changes after closing of shop (every shop's
// when 0), oldest first.
func (s *Store) ClosedChanges(shop ledger.ShopID) ([]sales.Change, error) {
	var out []sales.Change
	err := s.db.View(func(tx *bbolt.Tx) error {
		c := tx.Bucket(bucketClosedChanges).Cursor()
		var prefix []byte
		k, v := c.First()
		if shop != 0 {
			prefix = u64(uint64(shop))
			k, v = c.Seek(prefix)
		}
		for ; k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var ch sales.Change
			if err := decodeJSON(v, &ch); err != nil {
				return fmt.Errorf("change %x: %w", k, err)
			}
			out = append(out, ch)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read changes after closing: %w", err)
	}
	slices.SortFunc(out, func(a, b sales.Change) int { return cmp.Compare(a.Seq, b.Seq) })
	return out, nil
}
