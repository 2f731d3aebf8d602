package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// webhooksPage is the Webhooks tab. For now it has only its URL section:
// each shop, its sync mode, and where its webhook address will be. The
// address, the deliveries and their health come with the webhook receiver,
// which fills this page in later.
type webhooksPage struct {
	rows    *fyne.Container
	content fyne.CanvasObject
}

func newWebhooksPage() *webhooksPage {
	p := &webhooksPage{rows: container.NewVBox()}
	title := widget.NewLabelWithStyle(lang.L("Webhook addresses"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	intro := widget.NewLabel(lang.L("A shop in webhook mode sends every order to ShopLedger the moment it changes, at an address of its own."))
	intro.Wrapping = fyne.TextWrapWord
	coming := widget.NewLabel(lang.L("Coming: the webhook receiver. Until it is running, every shop is synced by asking it every hour, and this page shows no addresses or deliveries yet."))
	coming.Wrapping, coming.Importance = fyne.TextWrapWord, widget.WarningImportance
	p.content = container.NewVScroll(container.NewPadded(container.NewVBox(title, intro, coming, widget.NewSeparator(), p.rows)))
	return p
}

func (p *webhooksPage) show(shops []ledger.Shop) {
	p.rows.RemoveAll()
	for _, sh := range shops {
		addr := lang.L("Address: not available yet")
		mode := widget.NewLabel(syncModeName(sh.SyncMode))
		mode.Importance = widget.LowImportance
		p.rows.Add(container.NewVBox(bold(sh.Name), mode, widget.NewLabel(addr)))
	}
	if len(shops) == 0 {
		p.rows.Add(widget.NewLabel(lang.L("No shops yet.")))
	}
	p.rows.Refresh()
}
