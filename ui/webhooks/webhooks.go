// Package webhooks is the Webhooks screen: for the shop picked at the
// top, the address and secret WooCommerce delivers with, "Register in
// shop", the webhooks' health, the public address of the receiver, and
// the log of deliveries with Retry for a failed one.
package webhooks

import (
	"context"
	"errors"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/demo"
	"codeberg.org/shopledger/shopledger/core/engine"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/webhook"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// UI is what the screen needs from the window's shell.
type UI interface {
	Bridge() *bridge.Bridge
	// Reload reads the books again and shows them on every screen, this
	// one through Show: a shop that registered its webhooks is in webhook
	// mode now.
	Reload()
	// RefreshIndex reads the search index again, so that the order a
	// retried delivery brought is found.
	RefreshIndex()
}

// Prefs is the preference the screen shows and sets: the public address
// for webhooks, which the shell passes to the engine at start.
type Prefs interface {
	PublicWebhookURL() string
	SetPublicWebhookURL(string)
}

// Backend is what the screen asks of the running engine: the receiver's
// URL and the shop's secret, registration and health in the shop, and the
// deliveries log. *engine.Engine has it all.
type Backend interface {
	WebhookURL(ledger.ShopID) (string, error)
	WebhookSecret(ledger.ShopID) (string, error)
	RegisterWebhooks(context.Context, ledger.ShopID) ([]woo.Webhook, error)
	CheckWebhooks(context.Context, ledger.ShopID) (books.WebhookCheck, error)
	Deliveries(shop ledger.ShopID, limit int, before uint64) ([]ledger.Delivery, error)
	RetryDelivery(shop ledger.ShopID, seq uint64) (ledger.Delivery, error)
	SetPublicBaseURL(string) error
}

var _ Backend = (*engine.Engine)(nil)

// webhookTimeout bounds a talk with the shop about its webhooks.
const webhookTimeout = 2 * time.Minute

// secretMask stands for the secret until Reveal.
const secretMask = "••••••••••••••••••••••••"

// Page is the screen.
type Page struct {
	u     UI
	prefs Prefs
	be    Backend // nil without a running engine

	shops  []ledger.Shop
	states map[ledger.ShopID]ledger.SyncState // as the shell last read them
	shop   *widget.Select
	id     ledger.ShopID // the shop shown; 0 for none
	gen    int           // bumped when the shop changes; older answers are dropped

	notRunning  *widget.Label
	body        *fyne.Container // everything about the picked shop
	mode        *widget.Label
	demoNote    *widget.Label
	url         *widget.Label
	copyURL     *widget.Button
	secret      *widget.Label
	reveal      *widget.Button
	copySecret  *widget.Button
	register    *widget.Button
	registered  *widget.Label // what Register in shop did
	reach       *widget.Label // the shop cannot reach this computer
	health      *widget.Label
	healthMore  *widget.Label
	lastSeen    *widget.Label
	fallback    *widget.Label
	fallbackWhy *widget.Label
	check       *widget.Button
	public      *widget.Entry
	savePublic  *widget.Button
	publicNote  *widget.Label

	healthBox *fyne.Container
	log       *deliveryLog
	scroll    *container.Scroll
	split     *container.Split
	content   fyne.CanvasObject

	revealed bool
	checking bool
	// recheck: the health is looked at again once the shell's reload
	// shows the shop, after Register in shop switched its mode.
	recheck bool
}

// New builds the screen; be is nil when the engine, and with it the
// webhook receiver, is not running. It shows no shop until Show.
func New(u UI, prefs Prefs, be Backend) *Page {
	p := &Page{u: u, prefs: prefs, be: be}
	title := widget.NewLabelWithStyle(lang.L("Webhooks"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameSubHeadingText
	intro := widget.NewLabel(lang.L("A shop in webhook mode sends every order to ShopLedger the moment it changes, at an address of its own."))
	intro.Wrapping = fyne.TextWrapWord
	p.shop = widget.NewSelect(nil, func(string) { p.pick() })
	p.notRunning = widget.NewLabel(lang.L("The webhook receiver is not running, so webhooks cannot be set up or received now. Restart ShopLedger; if this stays, see the log in the settings."))
	p.notRunning.Wrapping, p.notRunning.Importance = fyne.TextWrapWord, widget.WarningImportance
	if p.be != nil {
		p.notRunning.Hide()
	}

	p.mode = widget.NewLabel("")
	p.demoNote = widget.NewLabel(lang.L("Demo shop: a simulated shop on this computer that sends made-up orders by webhook."))
	p.demoNote.Importance, p.demoNote.Wrapping = widget.WarningImportance, fyne.TextWrapWord
	p.url = widget.NewLabel("")
	p.url.Truncation = fyne.TextTruncateEllipsis
	p.url.TextStyle.Monospace = true
	p.copyURL = widget.NewButtonWithIcon(lang.L("Copy"), theme.ContentCopyIcon(), p.copyAddress)
	p.secret = widget.NewLabel(secretMask)
	p.secret.TextStyle.Monospace = true
	p.reveal = widget.NewButtonWithIcon(lang.L("Reveal"), theme.VisibilityIcon(), p.toggleSecret)
	p.copySecret = widget.NewButtonWithIcon(lang.L("Copy"), theme.ContentCopyIcon(), p.copySecretValue)
	p.register = widget.NewButtonWithIcon(lang.L("Register in shop"), theme.UploadIcon(), p.registerInShop)
	p.register.Importance = widget.HighImportance
	p.registered = wrapped("")
	p.reach = wrapped("")
	p.reach.Importance = widget.WarningImportance
	p.health = wrapped("")
	p.healthMore = wrapped("")
	p.lastSeen = widget.NewLabel("")
	p.fallback = wrapped("")
	p.fallback.Importance = widget.WarningImportance
	p.fallbackWhy = wrapped("")
	p.fallbackWhy.Importance = widget.LowImportance
	p.check = widget.NewButtonWithIcon(lang.L("Check now"), theme.ViewRefreshIcon(), p.checkHealth)

	p.public = widget.NewEntry()
	p.public.SetPlaceHolder("https://hooks.example.com")
	p.public.SetText(prefs.PublicWebhookURL())
	p.savePublic = widget.NewButton(lang.L("Save"), p.savePublicURL)
	p.publicNote = wrapped(lang.L("Only needed when the shop is on the internet: the address of a tunnel or proxy that forwards to this computer's webhook receiver. Empty: this computer's own address."))
	p.publicNote.Importance = widget.LowImportance

	p.log = newDeliveryLog(p)

	label := func(s string) *widget.Label {
		return widget.NewLabelWithStyle(s, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	form := container.New(&widgets.WeightedColumns{Weights: []float32{1, 4}},
		label(lang.L("Delivery URL")), container.NewBorder(nil, nil, nil, p.copyURL, p.url),
		label(lang.L("Secret")), container.NewBorder(nil, nil, nil, container.NewHBox(p.reveal, p.copySecret), p.secret),
	)
	p.healthBox = container.NewVBox(
		container.NewBorder(nil, nil, label(lang.L("Health")), p.check),
		p.health, p.healthMore, p.lastSeen, p.fallback, p.fallbackWhy)
	p.mode.Wrapping = fyne.TextWrapWord
	publicBox := container.NewVBox(p.mode,
		label(lang.L("Public address for webhooks")),
		container.NewBorder(nil, nil, nil, p.savePublic, p.public), p.publicNote)
	// The health beside how the shop is synced and the public address, and
	// what Register did beside its button, so that the part above the
	// deliveries shows whole at the window's default size.
	p.body = container.NewVBox(
		p.demoNote, form, p.reach,
		container.NewBorder(nil, nil, p.register, nil, p.registered),
		widget.NewSeparator(),
		container.NewGridWithColumns(2, p.healthBox, publicBox))
	top := container.NewVBox(title, intro, container.NewBorder(nil, nil, label(lang.L("Shop")), nil, p.shop), p.notRunning)
	upper := container.NewPadded(p.body)
	p.scroll = container.NewVScroll(upper)
	p.split = container.NewVSplit(container.New(fitUpTo{upper, upperMax}, p.scroll), p.log.content)
	p.split.Offset = 0.62
	p.content = container.NewBorder(container.NewPadded(top), nil, nil, nil, p.split)
	p.showShop(nil)
	return p
}

// wrapped is a label that wraps its words, hidden while empty.
func wrapped(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	if text == "" {
		l.Hide()
	}
	return l
}

// say sets a label's text and shows it, or hides it when text is empty.
func say(l *widget.Label, text string) {
	l.SetText(text)
	if text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// upperMax is the most height the part above the deliveries log asks
// for, so that the log keeps room at the window's default size; longer
// content scrolls.
const upperMax = 420

// relayout lays the page out again after texts changed their height: a
// container does not notice by itself that a label now wraps more lines.
// The split above the log then asks again how tall the upper part is.
func (p *Page) relayout() {
	p.body.Refresh()
	p.scroll.Refresh()
	p.split.Refresh()
}

// Content is what the navigation shows for the screen.
func (p *Page) Content() fyne.CanvasObject { return p.content }

// Show takes the shell's shops and their sync states in: the picked shop
// stays, else the first. While the screen shows, the deliveries that
// arrived since are added to the log (the shell reloads when they do).
func (p *Page) Show(shops []ledger.Shop, states map[ledger.ShopID]ledger.SyncState) {
	p.shops, p.states = shops, states
	opts := make([]string, len(shops))
	sel := -1
	for i, sh := range shops {
		opts[i] = sh.Name
		if sh.ID == p.id {
			sel = i
		}
	}
	if sel < 0 && len(shops) > 0 {
		sel = 0
	}
	keep := p.id
	p.shop.OnChanged = nil // not a new pick: the same shop, read again
	p.shop.SetOptions(opts)
	if sel >= 0 {
		p.shop.SetSelectedIndex(sel)
	} else {
		p.shop.ClearSelected()
	}
	p.shop.OnChanged = func(string) { p.pick() }
	if sel < 0 {
		p.id = 0
		p.showShop(nil)
		return
	}
	sh := shops[sel]
	if sh.ID != keep {
		p.pick()
		return
	}
	p.showShop(&sh)
	if p.content.Visible() {
		p.log.newer() // the window reloads when deliveries arrive
	}
	if p.recheck {
		p.recheck = false
		p.checkHealth()
	}
}

// current is the shop shown, if any.
func (p *Page) current() *ledger.Shop {
	for i := range p.shops {
		if p.shops[i].ID == p.id {
			return &p.shops[i]
		}
	}
	return nil
}

// pick shows the shop chosen in the select, from scratch.
func (p *Page) pick() {
	i := p.shop.SelectedIndex()
	if i < 0 || i >= len(p.shops) {
		return
	}
	sh := p.shops[i]
	p.id = sh.ID
	p.gen++
	p.revealed = false
	p.secret.SetText(secretMask)
	p.reveal.SetText(lang.L("Reveal"))
	p.reveal.SetIcon(theme.VisibilityIcon())
	say(p.registered, "")
	say(p.health, "")
	say(p.healthMore, "")
	p.url.SetText("")
	p.showShop(&sh)
	p.loadURL()
	p.log.reset()
	if p.content.Visible() {
		p.checkHealth()
	}
}

// Opened is called when the screen is selected: the health is looked at
// again, and the log read again.
func (p *Page) Opened() {
	if p.current() == nil {
		return
	}
	p.log.reset()
	p.checkHealth()
}

// showShop fills in what the window already knows of the shop: its mode,
// last delivery and any fallback to polling.
func (p *Page) showShop(sh *ledger.Shop) {
	if sh == nil || p.be == nil {
		p.body.Hide()
		p.log.content.Hide()
		return
	}
	p.body.Show()
	p.log.content.Show()
	st := p.states[sh.ID]
	mode := i18n.SyncModeName(sh.SyncMode)
	if sh.SyncMode == ledger.SyncWebhook && st.Fallback != "" {
		mode = lang.L("Every hour for now, until the webhooks deliver again")
	}
	p.mode.SetText(lang.L("Sync: {{.Mode}}", map[string]any{"Mode": mode}))
	if demo.IsDemo(*sh) {
		p.demoNote.Show()
	} else {
		p.demoNote.Hide()
	}
	if st.LastDelivery.IsZero() {
		p.lastSeen.SetText(lang.L("No delivery has arrived yet."))
	} else {
		p.lastSeen.SetText(lang.L("Last delivery: {{.Date}}", map[string]any{"Date": i18n.DateTime(st.LastDelivery)}))
	}
	if st.Fallback != "" {
		say(p.fallback, lang.L("The webhooks do not deliver reliably, so the shop is synced every hour for now. Why:"))
		say(p.fallbackWhy, st.Fallback) // the automatic sync's own sentence
	} else {
		say(p.fallback, "")
		say(p.fallbackWhy, "")
	}
	p.relayout()
}

// loadURL reads the shop's delivery URL (making its token if needed) and
// judges whether the shop can reach it.
func (p *Page) loadURL() {
	sh := p.current()
	if sh == nil || p.be == nil {
		return
	}
	id, gen, be, shopURL := sh.ID, p.gen, p.be, sh.URL
	bridge.Load(p.u.Bridge(), func(context.Context) (string, error) {
		return be.WebhookURL(id)
	}, func(u string, err error) {
		if gen != p.gen {
			return
		}
		if err != nil {
			p.url.SetText("")
			say(p.reach, i18n.UserMessage(err))
			p.relayout()
			return
		}
		p.url.SetText(u)
		say(p.reach, reachWarning(webhook.Reachability(u, shopURL)))
		p.relayout()
	})
}

// reachWarning says why the shop cannot deliver to the URL, and what to do.
func reachWarning(r webhook.Reach) string {
	switch r {
	case webhook.LoopbackOnly:
		return lang.L("This address only works for a shop on this computer. The shop runs on its own server, where 127.0.0.1 is that server itself, so its webhooks would never arrive here. Give this computer a public address (a tunnel such as Cloudflare Tunnel or ngrok, or a port forwarded on your router), enter it under “Public address for webhooks” below, then press Register in shop. Until then the shop is synced every hour.")
	case webhook.PrivateOnly:
		return lang.L("This address is inside your local network, which a shop on the internet cannot reach. Enter a public address (a tunnel or a port forwarded on your router) under “Public address for webhooks” below, then press Register in shop. Until then the shop is synced every hour.")
	}
	return ""
}

func (p *Page) copyAddress() {
	if p.url.Text != "" {
		fyne.CurrentApp().Clipboard().SetContent(p.url.Text)
		say(p.registered, lang.L("The delivery URL is copied."))
		p.relayout()
	}
}

// toggleSecret shows the secret, or hides it again.
func (p *Page) toggleSecret() {
	if p.revealed {
		p.revealed = false
		p.secret.SetText(secretMask)
		p.reveal.SetText(lang.L("Reveal"))
		p.reveal.SetIcon(theme.VisibilityIcon())
		return
	}
	p.withSecret(func(s string) {
		p.revealed = true
		p.secret.SetText(s)
		p.reveal.SetText(lang.L("Hide"))
		p.reveal.SetIcon(theme.VisibilityOffIcon())
	})
}

func (p *Page) copySecretValue() {
	p.withSecret(func(s string) {
		fyne.CurrentApp().Clipboard().SetContent(s)
		say(p.registered, lang.L("The secret is copied. Paste it only into the shop's webhook settings."))
		p.relayout()
	})
}

// withSecret reads the shop's secret off the UI goroutine (the keyring
// may be slow) and hands it to use; it is kept nowhere else.
func (p *Page) withSecret(use func(string)) {
	sh := p.current()
	if sh == nil || p.be == nil {
		return
	}
	id, gen, be := sh.ID, p.gen, p.be
	bridge.Load(p.u.Bridge(), func(context.Context) (string, error) {
		return be.WebhookSecret(id)
	}, func(s string, err error) {
		if gen != p.gen {
			return
		}
		if err != nil {
			say(p.registered, i18n.UserMessage(err))
			p.relayout()
			return
		}
		use(s)
	})
}

// registerInShop registers the webhooks in the shop, which switches it to
// webhook mode with a nightly catch-up.
func (p *Page) registerInShop() {
	sh := p.current()
	if sh == nil || p.be == nil {
		return
	}
	id, gen, be, name := sh.ID, p.gen, p.be, sh.Name
	p.register.Disable()
	p.registered.Importance = widget.MediumImportance
	say(p.registered, lang.L("Registering the webhooks in {{.Shop}}…", map[string]any{"Shop": name}))
	p.relayout()
	bridge.Load(p.u.Bridge(), func(ctx context.Context) ([]woo.Webhook, error) {
		ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
		defer cancel()
		return be.RegisterWebhooks(ctx, id)
	}, func(hooks []woo.Webhook, err error) {
		p.register.Enable()
		if gen != p.gen {
			return
		}
		if err != nil {
			msg := lang.L("The webhooks could not be registered: {{.Reason}}", map[string]any{"Reason": i18n.UserMessage(err)})
			var ro *books.ReadOnlyKeyError
			if errors.As(err, &ro) {
				msg += " " + lang.L("Then press Register in shop again.")
			}
			p.registered.Importance = widget.DangerImportance
			say(p.registered, msg)
			p.relayout()
			return
		}
		p.registered.Importance = widget.SuccessImportance
		say(p.registered, lang.N("Registered {{.Count}} webhook in {{.Shop}}. New and changed orders now arrive at once, and a catch-up sync runs every night.", len(hooks), map[string]any{"Count": len(hooks), "Shop": name}))
		p.recheck = true // once the shop shows in webhook mode
		p.u.Reload()
	})
}

// checkHealth asks the shop about its webhooks, switching disabled ones
// back on, and says how they stand.
func (p *Page) checkHealth() {
	sh := p.current()
	if sh == nil || p.be == nil || p.checking {
		return
	}
	id, gen, be := sh.ID, p.gen, p.be
	p.checking = true
	p.check.Disable()
	say(p.health, lang.L("Asking the shop about its webhooks…"))
	p.health.Importance = widget.MediumImportance
	say(p.healthMore, "")
	p.relayout()
	bridge.Load(p.u.Bridge(), func(ctx context.Context) (books.WebhookCheck, error) {
		ctx, cancel := context.WithTimeout(ctx, webhookTimeout)
		defer cancel()
		return be.CheckWebhooks(ctx, id)
	}, func(chk books.WebhookCheck, err error) {
		p.checking = false
		p.check.Enable()
		if gen != p.gen {
			p.checkHealth() // the shop changed meanwhile: look at the new one
			return
		}
		head, detail, imp := healthText(*sh, chk, err)
		p.health.Importance = imp
		say(p.health, head)
		say(p.healthMore, detail)
		p.relayout()
	})
}

// healthText says how a shop's webhooks stand: a headline, the details
// (one line per webhook, then what was done or is missing), and how the
// headline is shown: success, a warning, or neutral for a shop the user
// chose to poll, which needs no webhooks.
func healthText(sh ledger.Shop, chk books.WebhookCheck, err error) (head, detail string, imp widget.Importance) {
	if err != nil {
		return lang.L("The shop could not be asked about its webhooks: {{.Reason}}", map[string]any{"Reason": i18n.UserMessage(err)}), "", widget.WarningImportance
	}
	if len(chk.Ours) == 0 {
		if sh.SyncMode != ledger.SyncWebhook {
			return lang.L("{{.Shop}} is synced by polling and needs no webhooks. To get new and changed orders at once, press Register in shop.",
				map[string]any{"Shop": sh.Name}), "", widget.MediumImportance
		}
		return lang.L("The shop has none of ShopLedger's webhooks. Press Register in shop to add them."), "", widget.WarningImportance
	}
	var lines []string
	for _, h := range chk.Ours {
		lines = append(lines, lang.L("{{.Topic}}: {{.Status}}", map[string]any{"Topic": topicName(h.Topic), "Status": webhookStatusName(h.Status)}))
	}
	if n := len(chk.Reactivated); n > 0 {
		lines = append(lines, lang.N("ShopLedger switched {{.Count}} webhook back on: WooCommerce had disabled or paused it.", n, map[string]any{"Count": n}))
	}
	if len(chk.Missing) > 0 {
		names := make([]string, len(chk.Missing))
		for i, t := range chk.Missing {
			names[i] = topicName(t)
		}
		lines = append(lines, lang.L("Missing: {{.Topics}}. Press Register in shop to add them.", map[string]any{"Topics": strings.Join(names, ", ")}))
	}
	if chk.Err != nil {
		lines = append(lines, i18n.UserMessage(chk.Err))
	}
	if len(chk.Missing) == 0 && len(chk.Inactive()) == 0 {
		return lang.L("Healthy: every webhook is active."), strings.Join(lines, "\n"), widget.SuccessImportance
	}
	return lang.L("Needs attention: not every webhook is active."), strings.Join(lines, "\n"), widget.WarningImportance
}

// topicName is a webhook topic as WooCommerce's Topic list names it.
func topicName(topic string) string {
	switch topic {
	case "order.created":
		return lang.L("Order created")
	case "order.updated":
		return lang.L("Order updated")
	case "order.deleted":
		return lang.L("Order deleted")
	case "order.restored":
		return lang.L("Order restored")
	}
	return topic
}

func webhookStatusName(s string) string {
	switch s {
	case woo.WebhookActive:
		return lang.L("active")
	case woo.WebhookPaused:
		return lang.L("paused")
	case woo.WebhookDisabled:
		return lang.L("disabled (WooCommerce switched it off after failed deliveries)")
	}
	return s
}

// savePublicURL keeps the public address and puts it to use at once.
func (p *Page) savePublicURL() {
	base, err := webhook.CheckPublicBaseURL(p.public.Text)
	if err != nil {
		p.publicNote.Importance = widget.DangerImportance
		say(p.publicNote, lang.L("Enter a web address like https://hooks.example.com: http:// or https:// and a host, nothing after it."))
		p.relayout()
		return
	}
	if p.be != nil {
		if err := p.be.SetPublicBaseURL(base); err != nil {
			p.publicNote.Importance = widget.DangerImportance
			say(p.publicNote, i18n.UserMessage(err))
			p.relayout()
			return
		}
	}
	p.prefs.SetPublicWebhookURL(base)
	p.public.SetText(base)
	p.publicNote.Importance = widget.SuccessImportance
	if base == "" {
		say(p.publicNote, lang.L("Saved: webhooks go to this computer's own address."))
	} else {
		say(p.publicNote, lang.L("Saved. Press Register in shop so that the shop delivers to the new address."))
	}
	p.relayout()
	p.loadURL()
}
