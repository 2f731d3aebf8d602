package orders

import (
	"context"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
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
// shop, syncs and reloads as the window does after a sync (and again, as
// after a webhook's delivery): each time the open detail shows the new
// status, as the list does, without being closed and opened again and
// where it was scrolled to. It once kept the old one. (That a sync or a
// delivery makes the window reload is the shell's, tested in ui.)
func TestOpenDetailFollowsSync(t *testing.T) {
	b := uitest.OpenBooks(t)
	srv := uitest.StartShop(t, 5)
	sh := uitest.AddShop(t, b, "Demo shop", srv)
	sync := func() {
		t.Helper()
		if _, err := b.Sync(context.Background(), sh.ID, nil); err != nil {
			t.Fatal(err)
		}
	}
	sync()
	p, s, j := openPage(t, b, 0)
	s.win.Resize(fyne.NewSize(1200, 500))
	s.reload()
	j.Drain(t)
	if p.Rows() != 5 {
		t.Fatalf("the list has %d rows, want 5", p.Rows())
	}

	p.list.table.Select(widget.TableCellID{Row: 0, Col: 0})
	j.Drain(t)
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

	for _, want := range []ledger.Status{ledger.StatusCancelled, ledger.StatusRefunded} {
		if want == o.Status {
			want = ledger.StatusOnHold
		}
		if err := srv.Sim.SetStatus(o.ID, string(want)); err != nil {
			t.Fatal(err)
		}
		sync()
		s.reload()
		j.Drain(t)
		if got := p.Order(0); got == nil || got.ID != o.ID || got.Status != want {
			t.Fatalf("the list does not show order %s as %s", o.Number, want)
		}
		if p.detail != d {
			t.Fatal("the reload closed or replaced the open detail")
		}
		if !detailShowsStatus(d, want) || d.order.Status != want {
			t.Errorf("after a sync the list shows %s, the detail %s", want, d.order.Status)
		}
		if d.scroll.Offset != at {
			t.Errorf("the detail scrolled from %v to %v", at, d.scroll.Offset)
		}
	}
}
