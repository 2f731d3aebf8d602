package autosync

import (
	"context"
	"fmt"
	"strings"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// DeliveryGrace is how late a webhook delivery may be before its absence
// counts: WooCommerce queues deliveries and runs the queue at most once a
// minute, on a quiet shop only when a page is viewed, and the shop's clock
// may differ from this computer's.
const DeliveryGrace = 10 * time.Minute

// missedLimit bounds how many recent orders the silence check reads.
const missedLimit = 50

// checkHealth looks at the shop's webhooks (one list request), switches
// ours back on where they were disabled or paused, and decides whether the
// shop must be polled for now. A shop that could not be asked keeps its
// state: the passes report why.
func (s *Service) checkHealth(ctx context.Context, sh ledger.Shop) {
	url := ""
	if s.opt.DeliveryURL != nil {
		url = s.opt.DeliveryURL(sh)
	}
	chk, err := s.books.CheckWebhooks(ctx, s.id, url)
	if err != nil {
		if ctx.Err() == nil {
			s.opt.Log.Warn("check webhooks", "shop", s.id, "err", err)
		}
		return
	}
	st, err := s.books.SyncState(s.id)
	if err != nil {
		s.opt.Log.Error("check webhooks", "shop", s.id, "err", err)
		return
	}
	now := s.opt.Clock.Now()
	since := later(st.LastDelivery, chk.Since)
	missed, err := s.missed(since, now)
	if err != nil {
		s.opt.Log.Error("check webhook deliveries", "shop", s.id, "err", err)
	}
	reason := unhealthy(chk, st.LastDelivery, missed, now.Location())
	if reason != st.Fallback {
		if err := s.books.UpdateSyncState(s.id, func(st *ledger.SyncState) { st.Fallback = reason }); err != nil {
			s.opt.Log.Error("note webhook health", "shop", s.id, "err", err)
		}
		if reason != "" {
			s.opt.Log.Warn("webhooks unhealthy: polling", "shop", s.id, "reason", reason)
		} else {
			s.opt.Log.Info("webhooks healthy again", "shop", s.id)
		}
	}
	s.publish(events.WebhookHealth{Base: s.base(), Healthy: reason == "", Reason: reason,
		Reactivated: chk.Reactivated, FallbackToPolling: reason != ""})
}

// missed counts the orders created after since (plus the grace) and long
// enough ago that a working webhook would have delivered them, which
// ShopLedger saw first by polling instead. With webhooks that deliver, the
// last delivery is later than any such order, and the count is zero.
func (s *Service) missed(since, now time.Time) (int, error) {
	if since.IsZero() {
		return 0, nil // nothing to measure silence from
	}
	f := store.OrderFilter{Shop: s.id, From: since.Add(DeliveryGrace), To: now.Add(-DeliveryGrace)}
	if !f.From.Before(f.To) {
		return 0, nil
	}
	orders, _, err := s.books.Orders(f, nil, missedLimit)
	if err != nil {
		return 0, err
	}
	n := 0
	for i := range orders {
		h, err := s.books.History(orders[i].Key())
		if err != nil {
			return n, err
		}
		if len(h) > 0 && h[0].Source != ledger.SourceWebhook {
			n++
		}
	}
	return n, nil
}

// unhealthy says why the shop's webhooks cannot be relied on, in a
// sentence for the window; empty when they can.
func unhealthy(chk books.WebhookCheck, lastDelivery time.Time, missed int, loc *time.Location) string {
	var why []string
	if len(chk.Ours) == 0 {
		why = append(why, "ShopLedger's webhooks are not in the shop; register them again.")
	} else if len(chk.Missing) > 0 {
		why = append(why, fmt.Sprintf("The shop has no ShopLedger webhook for %s; register the webhooks again.", strings.Join(chk.Missing, ", ")))
	}
	if off := chk.Inactive(); len(off) > 0 {
		var each []string
		for _, w := range off {
			each = append(each, fmt.Sprintf("the %s webhook is %s", w.Topic, w.Status))
		}
		msg := "In the shop " + strings.Join(each, ", ") + ", and ShopLedger could not switch it back on."
		if chk.Err != nil {
			msg += " " + books.UserMessage(chk.Err)
		}
		why = append(why, msg)
	}
	if missed > 0 {
		when := "yet"
		if !lastDelivery.IsZero() {
			when = "since " + lastDelivery.In(loc).Format("2006-01-02 15:04")
		}
		why = append(why, fmt.Sprintf("No webhook delivery has arrived %s, but %d new orders came only by polling: the webhooks seem to be silent. Check that the shop can reach the delivery URL.", when, missed))
	}
	return strings.Join(why, " ")
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
