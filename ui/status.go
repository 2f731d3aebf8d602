package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// statusLine is the one-line sync status in the header: a spinner while a
// sync runs, and a sentence about what happened last.
type statusLine struct {
	label    *widget.Label
	activity *widget.Activity
	// bar shows a pass's pages (of those expected) and orders while it runs.
	bar     *widget.ProgressBar
	barBox  *fyne.Container
	content fyne.CanvasObject
	// onDone, when set, hears every finished sentence (for the log).
	onDone func(sentence)
}

// sentence says a status sentence in the window's language of the moment.
// The session log keeps sentences rather than their words, so that after a
// language switch its older lines read in the new language too.
type sentence func() string

// fixed is a sentence whose words are given: a shop's own, or ones that
// were said in the language of their time.
func fixed(text string) sentence { return func() string { return text } }

// explains says what went wrong, as i18n.UserMessage does.
func explains(err error) sentence { return func() string { return i18n.UserMessage(err) } }

func newStatusLine() *statusLine {
	s := &statusLine{
		label:    widget.NewLabel(""),
		activity: widget.NewActivity(),
		bar:      widget.NewProgressBar(),
	}
	s.label.Truncation = fyne.TextTruncateEllipsis
	s.activity.Hide()
	s.barBox = container.NewGridWrap(fyne.NewSize(280, s.bar.MinSize().Height), s.bar)
	s.barBox.Hide()
	s.content = container.NewBorder(nil, nil, s.activity, s.barBox, s.label)
	return s
}

// showProgress shows the progress bar: pages committed of those expected,
// and the orders received, e.g. "Page 3 of 10 · 300 orders".
func (s *statusLine) showProgress(pages, expected, orders int) {
	s.bar.Max = float64(max(expected, pages, 1))
	s.bar.TextFormatter = func() string {
		if expected <= 0 {
			return lang.N("{{.Count}} order", orders, map[string]any{"Count": orders})
		}
		return lang.N("Page {{.Page}} of {{.Pages}} · {{.Count}} order", orders,
			map[string]any{"Page": pages, "Pages": expected, "Count": orders})
	}
	s.bar.SetValue(float64(pages))
	if !s.barBox.Visible() {
		s.barBox.Show()
		s.content.Refresh()
	}
}

// hideProgress hides the progress bar once no sync runs.
func (s *statusLine) hideProgress() {
	if s.barBox.Visible() {
		s.barBox.Hide()
		s.content.Refresh()
	}
}

// progressShown tells whether the bar is up, and what it reads, for tests.
func (s *statusLine) progressShown() (bool, string) {
	if !s.barBox.Visible() || s.bar.TextFormatter == nil {
		return s.barBox.Visible(), ""
	}
	return true, s.bar.TextFormatter()
}

// busy shows text with the spinner running.
func (s *statusLine) busy(text string) {
	if !s.activity.Visible() {
		s.activity.Show()
		s.activity.Start()
		s.content.Refresh() // a container lays out again only when refreshed
	}
	s.set(text, widget.MediumImportance)
}

// done shows text with the spinner stopped; failed ones read in red.
// The log keeps it in the words given; say keeps a sentence.
func (s *statusLine) done(text string, failed bool) { s.say(fixed(text), failed) }

// say shows a sentence with the spinner stopped; failed ones read in red.
func (s *statusLine) say(said sentence, failed bool) {
	if s.activity.Visible() {
		s.activity.Stop()
		s.activity.Hide()
		s.content.Refresh()
	}
	imp := widget.MediumImportance
	if failed {
		imp = widget.DangerImportance
	}
	s.set(said(), imp)
	if s.onDone != nil {
		s.onDone(said)
	}
}

func (s *statusLine) set(text string, imp widget.Importance) {
	s.label.Importance = imp
	s.label.SetText(text)
}

// text returns what the line says, for tests.
func (s *statusLine) text() string { return s.label.Text }

// clock formats a time of day in local time, the way the status line shows it.
func clock(t time.Time) string { return t.Local().Format("15:04") }

// progressText describes a running pass, e.g.
// "Syncing Demo shop: page 3 of 10, 300 orders…".
func progressText(shop string, page, pages, orders int) string {
	return lang.L("Syncing {{.Shop}}: page {{.Page}} of {{.Pages}}, {{.Orders}} orders…", map[string]any{
		"Shop": shop, "Page": page, "Pages": pages, "Orders": orders,
	})
}

// startText is shown when a sync starts, before the first page arrives.
func startText(shops []ledger.Shop) string {
	if len(shops) == 1 {
		return lang.L("Syncing {{.Shop}}…", map[string]any{"Shop": shops[0].Name})
	}
	return lang.L("Syncing {{.Count}} shops…", map[string]any{"Count": len(shops)})
}

// resultText sums up a finished SyncAll in one sentence; failed is true
// when a shop could not be synced, and the sentence then says why in the
// words of books.UserMessage, translated.
func resultText(results []books.ShopResult, err error, at time.Time) (text string, failed bool) {
	if err != nil && len(results) == 0 {
		return i18n.UserMessage(err), true
	}
	var fails []books.ShopResult
	received := 0
	for _, r := range results {
		if r.Err != nil {
			fails = append(fails, r)
			continue
		}
		received += r.Result.New + r.Result.Updated
	}
	data := map[string]any{"Count": received, "Time": clock(at), "Shops": len(results)}
	switch {
	case len(fails) == 1:
		data["Shop"], data["Message"] = fails[0].Shop.Name, i18n.UserMessage(fails[0].Err)
		return lang.L("{{.Shop}} could not be synced: {{.Message}}", data), true
	case len(fails) > 1:
		data["Failed"], data["Message"] = len(fails), i18n.UserMessage(fails[0].Err)
		return lang.L("{{.Failed}} shops could not be synced: {{.Message}}", data), true
	case len(results) == 1:
		data["Shop"] = results[0].Shop.Name
		if received == 0 {
			return lang.L("{{.Shop}} is up to date (checked at {{.Time}})", data), false
		}
		return lang.N("Synced {{.Count}} order from {{.Shop}} at {{.Time}}", received, data), false
	case received == 0:
		return lang.L("All {{.Shops}} shops are up to date (checked at {{.Time}})", data), false
	}
	return lang.N("Synced {{.Count}} order from {{.Shops}} shops at {{.Time}}", received, data), false
}

// resultSaid is resultText as a sentence, said again in each language.
func resultSaid(results []books.ShopResult, err error, at time.Time) (sentence, bool) {
	_, failed := resultText(results, err, at)
	return func() string { text, _ := resultText(results, err, at); return text }, failed
}

// lastSyncSaid is lastSyncText as a sentence, said again in each language.
func lastSyncSaid(shops []ledger.Shop, states map[ledger.ShopID]ledger.SyncState) (sentence, bool) {
	_, failed := lastSyncText(shops, states)
	return func() string { text, _ := lastSyncText(shops, states); return text }, failed
}

// lastSyncText describes the stored outcome of earlier syncs, shown at
// start before this session has synced anything.
func lastSyncText(shops []ledger.Shop, states map[ledger.ShopID]ledger.SyncState) (text string, failed bool) {
	var last time.Time
	for _, sh := range shops {
		st := states[sh.ID]
		if st.LastError != "" && st.LastAttempt.After(st.LastSuccess) {
			return lang.L("The last sync of {{.Shop}} failed; press Sync now to try again", map[string]any{"Shop": sh.Name}), true
		}
		if st.LastSuccess.After(last) {
			last = st.LastSuccess
		}
	}
	if last.IsZero() {
		return lang.L("Not synced yet"), false
	}
	return lang.L("Last synced {{.Date}}", map[string]any{"Date": i18n.DateTime(last)}), false
}
