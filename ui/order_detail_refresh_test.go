package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// detailShowsStatus tells whether the open detail's summary shows status.
func detailShowsStatus(d *orderDetail, status ledger.Status) bool {
	want := i18n.StatusName(status)
	for _, o := range test.LaidOutObjects(d.body) {
		if f, ok := o.(*widget.Form); ok && len(f.Items) > 0 {
			l, ok := f.Items[0].Widget.(*widget.Label)
			return ok && f.Items[0].Text == "Status" && l.Text == want
		}
	}
	return false
}

// TestOpenDetailFollowsSync opens an order, changes its status in the
// shop, and syncs (Sync now, then a webhook): each time the open detail
// shows the new status, as the list does, without being closed and
// opened again and where it was scrolled to. It once kept the old one.
func TestOpenDetailFollowsSync(t *testing.T) {
	b := openBooks(t)
	srv := startShop(t, 5)
	w, j, _ := openEngineWindow(t, b)
	w.win.Resize(fyne.NewSize(1200, 500))
	sh := addShopDirectly(t, b, "Demo shop", srv)
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Fatal(err)
	}
	w.start()
	j.drain(t)
	waitWindow(t, w, j, "the list", func() bool { return w.orders.list.rows() == 5 })

	p := w.orders
	p.list.table.Select(widget.TableCellID{Row: 0, Col: 0})
	j.drain(t)
	d := p.detail
	if d == nil {
		t.Fatal("picking a row opened no detail")
	}
	o := d.order
	if !detailShowsStatus(d, o.Status) {
		t.Fatalf("the detail does not show order %s's status %s", o.Number, o.Status)
	}
	d.scroll.Refresh() // lays the loaded sections out in the pane
	d.scroll.ScrollToOffset(fyne.NewPos(0, 60))
	at := d.scroll.Offset
	if at.Y == 0 {
		t.Fatal("the detail cannot be scrolled: not a test of keeping its place")
	}

	listed := func(want ledger.Status) func() bool {
		return func() bool {
			got, _ := p.list.model.order(0)
			return got != nil && got.ID == o.ID && got.Status == want
		}
	}
	change := func(want ledger.Status) {
		t.Helper()
		if err := srv.Sim.SetStatus(o.ID, string(want)); err != nil {
			t.Fatal(err)
		}
	}

	// Sync now.
	first := ledger.StatusCancelled
	if o.Status == first {
		first = ledger.StatusOnHold
	}
	change(first)
	test.Tap(w.syncBtn)
	waitWindow(t, w, j, "the synced list", func() bool { return !w.syncBusy() && listed(first)() })
	j.drain(t)
	if p.detail != d {
		t.Fatal("the sync closed or replaced the open detail")
	}
	if !detailShowsStatus(d, first) || d.order.Status != first {
		t.Errorf("after Sync now the list shows %s, the detail %s", first, d.order.Status)
	}
	if d.scroll.Offset != at {
		t.Errorf("the detail scrolled from %v to %v", at, d.scroll.Offset)
	}

	// A webhook's delivery, applied as the receiver does.
	second := ledger.StatusRefunded
	change(second)
	if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
		t.Fatal(err)
	}
	w.eng.Bus.Publish(events.WebhookApplied{Base: w.eng.Bus.Stamp(sh.ID), OrderID: o.ID, Topic: "order.updated"})
	waitWindow(t, w, j, "the delivered order", listed(second))
	j.drain(t)
	if !detailShowsStatus(d, second) || d.order.Status != second {
		t.Errorf("after a webhook the list shows %s, the detail %s", second, d.order.Status)
	}
}
