package webhooks

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// deliveryPage is how many deliveries the log reads at once; the list is
// virtualized and reads the next page when its end comes into view.
const deliveryPage = 100

// deliveryLog is the Webhooks page's log of a shop's deliveries, newest
// first: when, topic, order, how it went, and Retry for a failed one.
type deliveryLog struct {
	p       *Page
	items   []ledger.Delivery
	more    bool // the store may hold older ones
	loading bool
	gen     int // bumped by reset; older pages are dropped

	list     *widget.List
	summary  *widget.Label
	message  *widget.Label // what a retry did
	refresh  *widget.Button
	retrying map[uint64]bool
	rows     map[*fyne.Container]*deliveryRow // the widgets of each row the list made
	content  *fyne.Container
}

func newDeliveryLog(p *Page) *deliveryLog {
	l := &deliveryLog{p: p, retrying: map[uint64]bool{}, rows: map[*fyne.Container]*deliveryRow{}}
	l.list = widget.NewList(func() int { return len(l.items) }, l.createRow, l.updateRow)
	// A row is too narrow for a long error: picking it shows it whole.
	l.list.OnSelected = func(id widget.ListItemID) {
		if id < len(l.items) {
			d := l.items[id]
			status, importance := deliveryStatusName(d.Status)
			text := status + " · " + topicName(d.Topic)
			if more := deliveryDetail(d); more != "" {
				text += " · " + more
			}
			l.tell(text, importance)
		}
	}
	l.summary = widget.NewLabel("")
	l.message = wrapped("")
	l.refresh = widget.NewButtonWithIcon(lang.L("Refresh"), theme.ViewRefreshIcon(), l.reset)
	title := widget.NewLabelWithStyle(lang.L("Deliveries"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head := container.NewVBox(container.NewBorder(nil, nil, container.NewHBox(title, l.summary), l.refresh), l.message)
	l.content = container.NewBorder(container.NewPadded(head), nil, nil, nil, l.list)
	return l
}

// deliveryRow is one line of the log.
type deliveryRow struct {
	when, topic, order, status, detail *widget.Label
	retry                              *widget.Button
}

func (l *deliveryLog) createRow() fyne.CanvasObject {
	r := &deliveryRow{
		when: widget.NewLabel("2026-11-27 14:02:00"), topic: widget.NewLabel(""), order: widget.NewLabel(""),
		status: widget.NewLabel(""), detail: widget.NewLabel(""),
		retry: widget.NewButtonWithIcon(lang.L("Retry"), theme.MediaReplayIcon(), nil),
	}
	r.detail.Truncation = fyne.TextTruncateEllipsis
	r.detail.Importance = widget.LowImportance
	r.topic.Truncation = fyne.TextTruncateEllipsis
	h := r.when.MinSize().Height
	cells := container.NewHBox(
		container.NewGridWrap(fyne.NewSize(150, h), r.when),
		container.NewGridWrap(fyne.NewSize(140, h), r.topic),
		container.NewGridWrap(fyne.NewSize(110, h), r.order),
		container.NewGridWrap(fyne.NewSize(110, h), r.status),
	)
	row := container.NewBorder(nil, nil, cells, r.retry, r.detail)
	l.rows[row] = r
	return row
}

func (l *deliveryLog) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(l.items) {
		return
	}
	r := l.rows[o.(*fyne.Container)]
	d := l.items[id]
	r.when.SetText(i18n.DateTime(d.Received))
	r.topic.SetText(topicName(d.Topic))
	if d.OrderID != 0 {
		r.order.SetText(lang.L("Order {{.ID}}", map[string]any{"ID": d.OrderID}))
	} else {
		r.order.SetText("")
	}
	status, importance := deliveryStatusName(d.Status)
	r.status.Importance = importance
	r.status.SetText(status)
	r.detail.SetText(deliveryDetail(d))
	if d.Status == ledger.DeliveryFailed {
		seq := d.Seq
		r.retry.OnTapped = func() { l.retry(seq) }
		if l.retrying[seq] {
			r.retry.Disable()
		} else {
			r.retry.Enable()
		}
		r.retry.Show()
	} else {
		r.retry.OnTapped = nil
		r.retry.Hide()
	}
	if id >= len(l.items)-10 {
		l.loadMore()
	}
}

// deliveryStatusName is a delivery's status in words, and how to show it.
func deliveryStatusName(s ledger.DeliveryStatus) (string, widget.Importance) {
	switch s {
	case ledger.DeliveryApplied:
		return lang.L("Applied"), widget.SuccessImportance
	case ledger.DeliveryIgnored:
		return lang.L("Ignored"), widget.LowImportance
	case ledger.DeliveryFailed:
		return lang.L("Failed"), widget.DangerImportance
	}
	return lang.L("Waiting"), widget.MediumImportance
}

// deliveryDetail says what became of a delivery beyond its status.
func deliveryDetail(d ledger.Delivery) string {
	switch d.Status {
	case ledger.DeliveryFailed:
		return lang.L("ShopLedger could not use this delivery ({{.Error}}). Press Retry; the nightly catch-up sync fetches the order from the shop in any case.", map[string]any{"Error": d.Error})
	case ledger.DeliveryIgnored:
		if d.Error != "" {
			return lang.L("Nothing to do: {{.Reason}}", map[string]any{"Reason": d.Error})
		}
		return lang.L("Nothing to do for ShopLedger.")
	case ledger.DeliveryReceived:
		return lang.L("Received; being applied.")
	}
	return ""
}

// reset reads the log from the newest delivery again.
func (l *deliveryLog) reset() {
	l.gen++
	l.items, l.more, l.loading = nil, true, false
	l.tell("", widget.MediumImportance)
	l.list.Refresh()
	l.list.ScrollToTop()
	l.loadMore()
}

// loadMore reads the next page of older deliveries.
func (l *deliveryLog) loadMore() {
	sh := l.p.current()
	if sh == nil || l.p.be == nil || l.loading || !l.more {
		return
	}
	l.loading = true
	var before uint64
	if n := len(l.items); n > 0 {
		before = l.items[n-1].Seq
	}
	id, gen, be := sh.ID, l.gen, l.p.be
	bridge.Load(l.p.u.Bridge(), func(context.Context) ([]ledger.Delivery, error) {
		return be.Deliveries(id, deliveryPage, before)
	}, func(ds []ledger.Delivery, err error) {
		if gen != l.gen {
			return
		}
		l.loading = false
		if err != nil {
			l.more = false
			l.tell(i18n.UserMessage(err), widget.DangerImportance)
			return
		}
		l.more = len(ds) == deliveryPage
		l.items = append(l.items, ds...)
		l.showSummary()
		l.list.Refresh()
	})
}

// newer adds the deliveries that arrived since the log was read at its
// top, and takes in the newest ones' changed statuses, keeping the place
// in the list.
func (l *deliveryLog) newer() {
	sh := l.p.current()
	if sh == nil || l.p.be == nil || l.loading {
		return
	}
	if len(l.items) == 0 {
		l.more = true
		l.loadMore()
		return
	}
	l.loading = true
	id, gen, be := sh.ID, l.gen, l.p.be
	bridge.Load(l.p.u.Bridge(), func(context.Context) ([]ledger.Delivery, error) {
		return be.Deliveries(id, deliveryPage, 0)
	}, func(ds []ledger.Delivery, err error) {
		if gen != l.gen {
			return
		}
		l.loading = false
		if err != nil {
			l.tell(i18n.UserMessage(err), widget.DangerImportance)
			return
		}
		top := l.items[0].Seq
		var fresh []ledger.Delivery
		bySeq := map[uint64]ledger.Delivery{}
		for _, d := range ds {
			if d.Seq > top {
				fresh = append(fresh, d)
			} else {
				bySeq[d.Seq] = d
			}
		}
		if len(fresh) == len(ds) && len(ds) == deliveryPage {
			// More arrived than a page: the log starts over from them.
			l.items, l.more = fresh, true
		} else {
			for i := range l.items {
				if d, ok := bySeq[l.items[i].Seq]; ok {
					l.items[i] = d
				}
			}
			l.items = append(fresh, l.items...)
		}
		l.showSummary()
		l.list.Refresh()
	})
}

// tell shows what became of an action above the list.
func (l *deliveryLog) tell(text string, importance widget.Importance) {
	l.message.Importance = importance
	say(l.message, text)
	l.content.Refresh()
}

func (l *deliveryLog) showSummary() {
	n := len(l.items)
	switch {
	case n == 0:
		l.summary.SetText(lang.L("none yet"))
	case l.more:
		l.summary.SetText(lang.L("the newest {{.Count}}", map[string]any{"Count": n}))
	default:
		l.summary.SetText(lang.N("{{.Count}} delivery", n, map[string]any{"Count": n}))
	}
}

// retry applies a failed delivery again and shows how it went.
func (l *deliveryLog) retry(seq uint64) {
	sh := l.p.current()
	if sh == nil || l.p.be == nil || l.retrying[seq] {
		return
	}
	l.retrying[seq] = true
	l.list.Refresh()
	id, gen, be := sh.ID, l.gen, l.p.be
	bridge.Load(l.p.u.Bridge(), func(context.Context) (ledger.Delivery, error) {
		return be.RetryDelivery(id, seq)
	}, func(d ledger.Delivery, err error) {
		delete(l.retrying, seq)
		if gen != l.gen {
			return
		}
		if err != nil {
			l.tell(lang.L("The retry failed: {{.Reason}}", map[string]any{"Reason": i18n.UserMessage(err)}), widget.DangerImportance)
			l.list.Refresh()
			return
		}
		for i := range l.items {
			if l.items[i].Seq == seq {
				l.items[i] = d
			}
		}
		l.list.Refresh()
		if d.Status == ledger.DeliveryFailed {
			l.tell(lang.L("It failed again: {{.Reason}}", map[string]any{"Reason": d.Error}), widget.DangerImportance)
			return
		}
		l.tell(lang.L("The delivery was applied."), widget.SuccessImportance)
		l.p.u.Reload() // the order it carried is in the books now
		l.p.u.RefreshIndex()
	})
}

// row returns the delivery shown at i, for tests.
func (l *deliveryLog) row(i int) string {
	d := l.items[i]
	s, _ := deliveryStatusName(d.Status)
	return fmt.Sprintf("%s %s %d %s", i18n.DateTime(d.Received), d.Topic, d.OrderID, s)
}

// Deliveries are those the log shows, newest first, for the shell's tests.
func (p *Page) Deliveries() []ledger.Delivery { return p.log.items }
