package shops

import (
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/autosync"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// Card is one shop on the Shops page. Its labels and buttons are exported
// for the window's tests, which follow a shop through syncs and removals.
type Card struct {
	shop      ledger.Shop
	name, url *widget.Label
	// Mode is how the shop syncs, Sync when it last did, Next when it
	// syncs next.
	Mode, Sync, Next *widget.Label
	// Problem is the last sync's failure in plain words, Detail its
	// technical text, shown and hidden by Details.
	Problem, Detail      *widget.Label
	Details              *widget.Button
	Verify, Edit, Remove *widget.Button
	content              fyne.CanvasObject
}

func newCard(p *Page, sh ledger.Shop, st ledger.SyncState, sessionErr error) *Card {
	c := &Card{shop: sh}
	c.name = widgets.BoldLabel(sh.Name)
	c.url = widget.NewLabel(sh.URL)
	c.url.Importance = widget.LowImportance
	c.url.Truncation = fyne.TextTruncateEllipsis
	c.Mode = widget.NewLabel(lang.L("Sync: {{.Mode}}", map[string]any{"Mode": scheduleName(sh, st)}))
	c.Mode.Wrapping = fyne.TextWrapWord
	c.Next = widget.NewLabel("")
	c.Next.Hide()
	if st.LastSuccess.IsZero() {
		c.Sync = widget.NewLabel(lang.L("Not synced yet"))
	} else {
		c.Sync = widget.NewLabel(lang.L("Last successful sync: {{.Date}}", map[string]any{"Date": i18n.DateTime(st.LastSuccess)}))
	}
	c.Problem, c.Detail = widget.NewLabel(""), widget.NewLabel("")
	c.Problem.Importance, c.Problem.Wrapping = widget.DangerImportance, fyne.TextWrapWord
	c.Detail.Importance, c.Detail.Wrapping = widget.LowImportance, fyne.TextWrapWord
	c.Problem.Hide()
	c.Detail.Hide()
	// The problem in plain words; its technical text behind Details.
	var details []string
	switch {
	case sessionErr != nil:
		c.Problem.SetText(lang.L("Last sync failed: {{.Reason}}", map[string]any{"Reason": i18n.UserMessage(sessionErr)}))
		c.Problem.Show()
		details = append(details, sessionErr.Error())
	case st.LastError != "":
		when := i18n.DateTime(st.LastAttempt)
		if when == "" {
			c.Problem.SetText(lang.L("The last sync failed. Press Sync now to try again."))
		} else {
			c.Problem.SetText(lang.L("The sync of {{.Date}} failed. Press Sync now to try again.", map[string]any{"Date": when}))
		}
		c.Problem.Show()
		details = append(details, st.LastError)
	}
	if st.Fallback != "" && sh.SyncMode == ledger.SyncWebhook {
		details = append(details, st.Fallback)
	}
	c.Detail.SetText(strings.Join(details, "\n"))
	c.Details = widget.NewButton(lang.L("Details"), c.toggleDetails)
	c.Details.Importance = widget.LowImportance
	if len(details) == 0 {
		c.Details.Hide()
	}
	c.Edit = widget.NewButtonWithIcon(lang.L("Edit"), theme.DocumentCreateIcon(), func() { p.openEditor(sh) })
	c.Remove = widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), func() { p.Remove(sh, true, p.removed(sh)) })
	c.Verify = widget.NewButtonWithIcon(lang.L("Verify with shop"), theme.ViewRefreshIcon(), nil)
	c.Verify.OnTapped = func() { p.verifyShop(sh, c.Verify) }
	buttons := container.NewHBox(c.Verify, c.Edit, c.Remove)
	// The problem with its Details button; the row is hidden with nothing
	// in it, so that a shop without trouble takes no room for it.
	problemRow := container.NewBorder(nil, nil, nil, container.NewVBox(c.Details), c.Problem)
	if !c.Problem.Visible() && len(details) == 0 {
		problemRow.Hide()
	}
	info := container.NewVBox(c.name, c.url, c.Mode, c.Sync, c.Next, problemRow, c.Detail)
	c.content = container.NewVBox(
		container.NewBorder(nil, nil, nil, container.NewVBox(buttons, layout.NewSpacer()), info),
		widget.NewSeparator())
	return c
}

// toggleDetails shows or hides the technical text of the card's problem.
func (c *Card) toggleDetails() {
	if c.Detail.Visible() {
		c.Detail.Hide()
		c.Details.SetText(lang.L("Details"))
	} else {
		c.Detail.Show()
		c.Details.SetText(lang.L("Hide details"))
	}
}

// showSchedule shows how the automatic sync keeps the shop current: the
// mode of the moment and when the next pass is due.
func (c *Card) showSchedule(st autosync.Status, now time.Time) {
	switch {
	case st.Running:
		c.Next.SetText(lang.L("Syncing now…"))
	case st.Next.IsZero() || !st.Next.After(now):
		c.Next.SetText(lang.L("Next sync: due now"))
	default:
		c.Next.SetText(lang.L("Next sync: {{.Date}}", map[string]any{"Date": i18n.DateTime(st.Next)}))
	}
	c.Next.Show()
}

// scheduleName says how a shop is kept current: polled (how often), by
// webhooks with a nightly catch-up (at what time), or polled for now
// because its webhooks are not working.
func scheduleName(sh ledger.Shop, st ledger.SyncState) string {
	switch autosync.ModeOf(sh, st) {
	case autosync.ModeWebhook:
		h, m, _ := autosync.CatchUpAt(sh)
		at := time.Date(2000, 1, 1, h, m, 0, 0, time.Local).Format("15:04")
		return lang.L("Webhooks, with a nightly catch-up at {{.Time}}", map[string]any{"Time": at})
	case autosync.ModeFallback:
		return lang.L("Every hour for now, because the webhooks are not working")
	}
	d, _ := autosync.PollInterval(sh)
	if d == time.Hour {
		return lang.L("Every hour")
	}
	mins := int(d / time.Minute)
	return lang.N("Every {{.Count}} minute", mins, map[string]any{"Count": mins})
}
