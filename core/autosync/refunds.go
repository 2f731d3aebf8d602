package autosync

import (
	"context"

	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/syncer"
)

// refunds keeps the shop's refunds complete beside its schedule: it runs
// the one-time refund backfill at start (and again after a pass that had
// to leave some order's refunds out), and fetches the refunds of an order
// a webhook delivery changed when they changed. A delivery missed here
// (the bus drops events for a slow subscriber) is caught by the next pass,
// which compares every order it reads with the books.
func (s *Service) refunds(ctx context.Context) {
	var deliveries <-chan events.Event
	if s.opt.Bus != nil {
		sub := s.opt.Bus.Subscribe()
		defer sub.Close()
		deliveries = sub.C
	}
	s.backfill(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-deliveries:
			if !ok {
				deliveries = nil
				continue
			}
			switch e := e.(type) {
			case events.WebhookApplied:
				if e.Shop == s.id && e.OrderID > 0 {
					s.refreshOrder(ctx, e.OrderID)
				}
			case events.SyncFinished:
				if e.Shop == s.id {
					s.backfill(ctx)
				}
			}
		}
	}
}

func (s *Service) refreshOrder(ctx context.Context, id int64) {
	fetched, err := s.books.RefreshRefunds(ctx, ledger.OrderKey{Shop: s.id, ID: id})
	switch {
	case err != nil && ctx.Err() == nil:
		// The order stays marked; the next pass or backfill fetches them.
		s.opt.Log.Warn("fetch refunds after a webhook", "shop", s.id, "order", id, "err", err)
	case fetched && err == nil:
		s.publish(events.RefundsFetched{Base: s.base(), OrderID: id})
	}
}

// backfill runs the shop's refund backfill if its sync state asks for one.
func (s *Service) backfill(ctx context.Context) {
	st, err := s.books.SyncState(s.id)
	if err != nil || !st.RefundBackfill {
		return
	}
	p, err := s.books.BackfillRefunds(ctx, s.id, func(p syncer.BackfillProgress) {
		s.publish(events.RefundBackfill{Base: s.base(), Scanned: p.Scanned, Total: p.Total, Fetched: p.Fetched, Done: p.Done})
	})
	if err != nil && ctx.Err() == nil {
		s.opt.Log.Warn("refund backfill stopped; it goes on from there next time", "shop", s.id, "err", err)
		s.publish(events.RefundBackfill{Base: s.base(), Scanned: p.Scanned, Total: p.Total, Fetched: p.Fetched, Err: err})
	}
}
