package webhooks

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/internal/uitest"
)

// defaultSize is what the window leaves the screen at its default size,
// 1180×720, rounded down (the shell's TestWebhooksTabFollowsDeliveries
// checks that it leaves at least this).
var defaultSize = fyne.NewSize(960, 650)

// TestHealthShowsWhole: at the window's default size the health section
// is not cut off by the split above the deliveries log (issue 12, 15),
// in English and in Bulgarian: after Register in shop, with its message,
// the three webhooks and the last delivery; and for a shop whose webhooks
// fell silent, polled for now, with the reason.
func TestHealthShowsWhole(t *testing.T) {
	for _, language := range []string{"en", "bg"} {
		t.Run(language, func(t *testing.T) {
			b := uitest.OpenBooks(t)
			uitest.AddShop(t, b, "Corner shop", uitest.StartShop(t, 3))
			sh := uitest.AddShop(t, b, "Магазинът на ъгъла", uitest.StartShop(t, 3))
			eng := uitest.StartEngine(t, b)
			p, s, j := openPage(t, b, eng, language)
			s.win.Resize(defaultSize)
			test.Tap(p.register)
			j.Drain(t)
			if len(p.healthMore.Text) == 0 || !p.registered.Visible() || !p.lastSeen.Visible() {
				t.Fatalf("after Register the health reads %q / %q", p.health.Text, p.healthMore.Text)
			}
			checkHealthShows(t, p)

			// The other shop registers its webhooks, which later fall silent:
			// it is polled for now and the page says why (after a restart,
			// with no message from Register).
			p.shop.SetSelected(sh.Name)
			j.Drain(t)
			test.Tap(p.register)
			j.Drain(t)
			if err := b.UpdateSyncState(sh.ID, func(st *ledger.SyncState) {
				st.Fallback = "no delivery arrived for 3 orders created in the shop since 13:00"
			}); err != nil {
				t.Fatal(err)
			}
			p.shop.SetSelected("Corner shop")
			s.Reload()
			j.Drain(t)
			p.shop.SetSelected(sh.Name)
			j.Drain(t)
			if !p.fallbackWhy.Visible() || p.registered.Visible() || len(p.healthMore.Text) == 0 {
				t.Fatalf("the fallback's reason is not shown: %q / %q", p.health.Text, p.healthMore.Text)
			}
			checkHealthShows(t, p)
		})
	}
}

// checkHealthShows fails unless the health section, at its minimum
// height, lies within what the scroll above the log shows.
func checkHealthShows(t *testing.T, p *Page) {
	t.Helper()
	d := fyne.CurrentApp().Driver()
	health := d.AbsolutePositionForObject(p.healthBox).Y + p.healthBox.MinSize().Height
	shown := d.AbsolutePositionForObject(p.scroll).Y + p.scroll.Size().Height
	if p.scroll.Offset.Y != 0 || health > shown {
		t.Errorf("the health section ends at %.0f px, the part above the log at %.0f (scrolled %.0f)", health, shown, p.scroll.Offset.Y)
	}
}
