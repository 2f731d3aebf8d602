package shops

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// checkTimeout bounds the connection test: a shop that has not answered by
// then is reported, and the bookkeeper can try again.
const checkTimeout = 45 * time.Second

// wizardWidth is wide enough for a shop URL, a certificate fingerprint and
// the hints to read well.
const wizardWidth = 620

// Steps of the Add shop wizard.
const (
	stepAddress = iota
	stepKeys
	stepBooking
	stepImport
	stepMode
	stepDone
	stepCount
)

// probeInput is what a connection test was run with; a result holds only
// while the fields still say the same.
type probeInput struct{ url, key, secret, pin string }

// Wizard is the Add shop dialog, one question per step: the shop's
// address; its API keys, tested with the shop (and, for a self-signed
// certificate, whether to trust it); the warehouse and cost center; from
// when to import; how to keep in sync; and a summary to confirm. Nothing
// is stored before the last step, and every step keeps what was typed when
// the bookkeeper goes back. The fields a shop is added with are exported
// for the window's tests, which add shops as a bookkeeper does.
type Wizard struct {
	p    *Page
	step int

	stepTitle *widget.Label
	stepHint  *widget.Label
	pages     [stepCount]fyne.CanvasObject
	stack     *fyne.Container
	// Problem says what keeps the step from going on.
	Problem *widget.Label
	back    *widget.Button
	// Next checks the step and goes on; on the last step it adds the shop.
	Next *widget.Button
	dlg  *dialog.CustomDialog

	// Address.
	Name, URL *widget.Entry
	// Keys and the connection test; Result is what the test found.
	Key, Secret *widget.Entry
	test        *widget.Button
	testing     *fyne.Container
	spinner     *widget.Activity
	Result      *widget.Label
	findings    *widget.Label
	certBox     *fyne.Container
	certInfo    *widget.Label
	trust       *widget.Check
	diag        *woo.Diagnosis
	tested      probeInput // what diag is for
	pin         string     // the certificate fingerprint the bookkeeper trusts
	// Booking, import and mode.
	Warehouse, CostCenter *widgets.CodedPicker
	importWhat            *widget.RadioGroup // all orders, or from a day on
	importFrom            *widgets.DateField
	leftOut               *widget.Label // how many orders that day leaves out
	leftOutGen            int           // counts the counts, so a late one is dropped
	mode                  *widget.RadioGroup
	summary               *widget.Form
	summaryBox            *fyne.Container

	onAdded func(ledger.Shop)
}

func newWizard(p *Page, onAdded func(ledger.Shop)) *Wizard {
	z := &Wizard{p: p, onAdded: onAdded}
	z.stepTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	z.stepHint = widget.NewLabel("")
	z.stepHint.Wrapping = fyne.TextWrapWord
	z.stepHint.Importance = widget.LowImportance
	z.Problem = widget.NewLabel("")
	z.Problem.Importance = widget.DangerImportance
	z.Problem.Wrapping = fyne.TextWrapWord
	z.Problem.Hide()

	z.pages[stepAddress] = z.addressPage()
	z.pages[stepKeys] = z.keysPage()
	z.pages[stepBooking] = z.bookingPage()
	z.pages[stepImport] = z.importPage()
	z.pages[stepMode] = z.modePage()
	z.pages[stepDone] = z.donePage()
	z.stack = container.NewStack(z.pages[:]...)

	cancel := widget.NewButton(lang.L("Cancel"), nil)
	z.back = widget.NewButtonWithIcon(lang.L("Back"), theme.NavigateBackIcon(), z.goBack)
	z.Next = widget.NewButtonWithIcon(lang.L("Next"), theme.NavigateNextIcon(), z.goNext)
	z.Next.IconPlacement = widget.ButtonIconTrailingText
	z.Next.Importance = widget.HighImportance
	body := container.NewVBox(z.stepTitle, z.stepHint, widget.NewSeparator(), z.stack, z.Problem)
	z.dlg = dialog.NewCustomWithoutButtons(lang.L("Add shop"), body, p.u.Window())
	z.dlg.SetButtons([]fyne.CanvasObject{cancel, z.back, z.Next})
	cancel.OnTapped = z.dlg.Hide
	z.show(stepAddress)
	return z
}

func (z *Wizard) open() {
	z.dlg.Show()
	z.p.u.Window().Canvas().Focus(z.Name)
}

// Close closes the wizard without adding a shop, as Cancel does.
func (z *Wizard) Close() { z.dlg.Hide() }

// stepText is each step's title and what it asks for.
func stepText(step int) (title, hint string) {
	switch step {
	case stepAddress:
		return lang.L("Step 1 of 6: the shop"), lang.L("The name you know the shop by, and the address of its home page.")
	case stepKeys:
		return lang.L("Step 2 of 6: API keys"), lang.L("In WordPress open WooCommerce → Settings → Advanced → REST API → Add key, choose Read/Write, and copy the consumer key and secret here. ShopLedger keeps them in your system keyring.")
	case stepBooking:
		return lang.L("Step 3 of 6: booking"), lang.L("Every order of this shop is booked under this warehouse and cost center. You can change single orders later.")
	case stepImport:
		return lang.L("Step 4 of 6: first import"), lang.L("All of the shop's orders, or only those created from a day on: older ones are then left out of the books.")
	case stepMode:
		return lang.L("Step 5 of 6: keeping in sync"), lang.L("How new orders and status changes reach ShopLedger.")
	}
	return lang.L("Step 6 of 6: check and add"), lang.L("ShopLedger adds the shop and imports its orders.")
}

// show switches to a step.
func (z *Wizard) show(step int) {
	z.step = step
	for i, p := range z.pages {
		if i == step {
			p.Show()
		} else {
			p.Hide()
		}
	}
	title, hint := stepText(step)
	z.stepTitle.SetText(title)
	z.stepHint.SetText(hint)
	z.Problem.Hide()
	if step == stepAddress {
		z.back.Disable()
	} else {
		z.back.Enable()
	}
	z.Next.SetText(lang.L("Next"))
	z.Next.SetIcon(theme.NavigateNextIcon())
	if step == stepKeys && z.diag != nil && z.tested.url != z.input().url {
		// The last test was of another address: its verdict no longer
		// applies, and the next Next tests again.
		z.Result.Hide()
		z.findings.Hide()
		z.certBox.Hide()
	}
	if step == stepImport {
		z.countLeftOut() // the connection or the shop may have changed
	}
	if step == stepDone {
		z.fillSummary()
		z.Next.SetText(lang.L("Add shop"))
		z.Next.SetIcon(theme.ConfirmIcon())
	}
	z.Next.Enable()
	z.stack.Refresh()
	z.fit()
}

// fit sizes the dialog to the step shown.
func (z *Wizard) fit() {
	z.dlg.Resize(fyne.NewSize(wizardWidth, z.dlg.MinSize().Height))
}

func (z *Wizard) fail(text string) {
	z.Problem.SetText(text)
	z.Problem.Show()
	z.fit()
}

func (z *Wizard) goBack() {
	if z.step > stepAddress {
		z.show(z.step - 1)
	}
}

// goNext checks the step and moves on; on the keys step it tests the
// connection first unless that was done for what the fields say now.
func (z *Wizard) goNext() {
	switch z.step {
	case stepAddress:
		if strings.TrimSpace(z.Name.Text) == "" {
			z.fail(i18n.T(i18n.Sentence("the shop needs a name")))
			return
		}
		u, err := woo.ParseShopURL(z.URL.Text)
		if err != nil {
			z.fail(i18n.UserMessage(err))
			return
		}
		if u.String() != z.URL.Text {
			z.URL.SetText(u.String())
		}
		z.checkShop(strings.TrimSpace(z.Name.Text), u.String())
		return
	case stepKeys:
		if !z.connected() {
			z.runTest(func() {
				if z.connected() {
					z.show(stepBooking)
				}
			})
			return
		}
	case stepBooking:
		if missing := z.bookingMissing(); missing != "" {
			z.fail(missing)
			return
		}
	case stepImport:
		if z.importFromDay() && z.importFrom.Date == nil {
			z.fail(lang.L("Enter the first day to import, e.g. {{.Example}}.", map[string]any{"Example": i18n.DateOnly(z.defaultImportFrom())}))
			return
		}
	case stepDone:
		z.submit()
		return
	}
	z.show(z.step + 1)
}

// Step 1: name and address.
func (z *Wizard) addressPage() fyne.CanvasObject {
	z.Name, z.URL = widget.NewEntry(), widget.NewEntry()
	z.Name.SetPlaceHolder(lang.L("e.g. My shop"))
	z.URL.SetPlaceHolder("https://myshop.example")
	z.Name.OnSubmitted = func(string) { z.p.u.Window().Canvas().Focus(z.URL) }
	// A problem the user is fixing goes as they type.
	z.Name.OnChanged = func(string) { z.Problem.Hide() }
	z.URL.OnChanged = func(string) { z.Problem.Hide() }
	z.URL.OnSubmitted = func(string) { z.goNext() }
	return widget.NewForm(
		widget.NewFormItem(lang.L("Name"), z.Name),
		&widget.FormItem{Text: lang.L("Shop URL"), Widget: z.URL, HintText: lang.L("The address of the shop's home page")},
	)
}

// checkShop asks the books, off the UI goroutine, whether another shop
// has this name or address, and goes on to the keys only when none has:
// a shop added twice would have every order twice, and the bookkeeper
// hears of it now rather than at the last step (issue 12).
func (z *Wizard) checkShop(name, url string) {
	b := z.p.b
	z.Next.Disable()
	bridge.Load(z.p.u.Bridge(), func(context.Context) (struct{}, error) {
		return struct{}{}, b.CheckShop(0, name, url)
	}, func(_ struct{}, err error) {
		z.Next.Enable()
		if z.step != stepAddress || strings.TrimSpace(z.Name.Text) != name || z.URL.Text != url {
			return // typed over meanwhile: the next Next checks what is there
		}
		if err != nil {
			z.fail(i18n.UserMessage(err))
			return
		}
		z.show(stepKeys)
	})
}

// Step 2: keys and the connection test.
func (z *Wizard) keysPage() fyne.CanvasObject {
	z.Key, z.Secret = widget.NewPasswordEntry(), widget.NewPasswordEntry()
	z.Key.SetPlaceHolder("ck_…")
	z.Secret.SetPlaceHolder("cs_…")
	z.Secret.OnSubmitted = func(string) { z.goNext() }
	z.test = widget.NewButtonWithIcon(lang.L("Test connection"), theme.SearchIcon(), func() { z.runTest(nil) })
	z.spinner = widget.NewActivity()
	z.testing = container.NewHBox(z.spinner, widget.NewLabel(lang.L("Testing the connection…")))
	z.testing.Hide()
	z.Result = widget.NewLabel("")
	z.Result.Wrapping = fyne.TextWrapWord
	z.Result.Hide()
	z.findings = widget.NewLabel("")
	z.findings.Wrapping = fyne.TextWrapWord
	z.findings.Hide()

	z.certInfo = widget.NewLabel("")
	z.certInfo.Wrapping = fyne.TextWrapWord
	z.certInfo.TextStyle.Monospace = true
	z.trust = widget.NewCheck(lang.L("I compared the fingerprint with the one my web host shows, and trust this certificate"), z.trustChanged)
	z.certBox = container.NewVBox(widgets.BoldLabel(lang.L("The shop's certificate")), z.certInfo, z.trust)
	z.certBox.Hide()

	form := widget.NewForm(
		widget.NewFormItem(lang.L("Consumer key"), z.Key),
		&widget.FormItem{Text: lang.L("Consumer secret"), Widget: z.Secret, HintText: lang.L("From WooCommerce → Settings → Advanced → REST API")},
	)
	return container.NewVBox(form, container.NewHBox(z.test, z.testing), z.Result, z.findings, z.certBox)
}

// input is what the connection test would run with now.
func (z *Wizard) input() probeInput {
	u := z.URL.Text
	if pu, err := woo.ParseShopURL(u); err == nil {
		u = pu.String()
	}
	return probeInput{url: u, key: strings.TrimSpace(z.Key.Text), secret: strings.TrimSpace(z.Secret.Text), pin: z.pin}
}

// connected reports whether the last test succeeded with what the fields
// say now.
func (z *Wizard) connected() bool {
	return z.diag != nil && z.diag.OK() && z.tested == z.input()
}

// runTest probes the shop in the background and shows what it found; then
// runs after it, on the UI goroutine, when given.
func (z *Wizard) runTest(then func()) {
	in := z.input()
	if in.key == "" || in.secret == "" {
		z.fail(i18n.T(i18n.Sentence("enter the consumer key and the consumer secret from WooCommerce → Settings → Advanced → REST API")))
		return
	}
	z.Problem.Hide()
	z.Result.Hide()
	z.findings.Hide()
	z.test.Disable()
	z.Next.Disable()
	z.testing.Show()
	z.spinner.Start()
	z.fit()
	b := z.p.b
	bridge.Load(z.p.u.Bridge(), func(ctx context.Context) (*woo.Diagnosis, error) {
		ctx, cancel := context.WithTimeout(ctx, checkTimeout)
		defer cancel()
		return b.Probe(ctx, in.url, in.key, in.secret, in.pin), nil
	}, func(d *woo.Diagnosis, _ error) {
		z.spinner.Stop()
		z.testing.Hide()
		z.test.Enable()
		z.Next.Enable()
		z.diag, z.tested = d, in
		z.showDiagnosis(d)
		if then != nil {
			then()
		}
	})
}

// showDiagnosis says what the test found, in plain words: that the shop is
// connected, or what stands in the way and what to do about it, plus any
// warnings; and the certificate when it is the certificate that failed.
func (z *Wizard) showDiagnosis(d *woo.Diagnosis) {
	blocking, warnings := problemTexts(d)
	if d.OK() {
		api := "wc/v3"
		if d.Dialect == ledger.DialectLegacyV3 {
			api = lang.L("legacy REST API v3")
		}
		text := lang.L("Connected. The shop's orders can be read ({{.API}}).", map[string]any{"API": api})
		if d.Version != "" {
			text = lang.L("Connected to WooCommerce {{.Version}}. The shop's orders can be read ({{.API}}).", map[string]any{"Version": d.Version, "API": api})
		}
		z.Result.SetText(text)
		z.Result.Importance = widget.SuccessImportance
	} else {
		if len(blocking) == 0 {
			blocking = []string{i18n.T("The shop answered, but offers no REST API ShopLedger can use.")}
		}
		z.Result.SetText(strings.Join(blocking, "\n\n"))
		z.Result.Importance = widget.DangerImportance
	}
	z.Result.Show()
	z.Result.Refresh()
	if len(warnings) > 0 {
		z.findings.SetText(strings.Join(warnings, "\n\n"))
		z.findings.Importance = widget.WarningImportance
		z.findings.Show()
	}

	if d.Has(woo.ProblemTLS) && d.Cert != nil || z.pin != "" && d.Cert != nil {
		z.certInfo.SetText(certText(d.Cert))
		z.certBox.Show()
	} else if z.pin == "" {
		z.certBox.Hide()
	}
	z.fit()
}

// problemTexts says in plain words what a connection test found: what
// stands in the way, and the warnings (e.g. a read-only key, which cannot
// register webhooks).
func problemTexts(d *woo.Diagnosis) (blocking, warnings []string) {
	for _, p := range d.Problems {
		if books.Blocking(p) {
			blocking = append(blocking, i18n.ProblemText(p))
		} else {
			warnings = append(warnings, i18n.ProblemText(p))
		}
	}
	return blocking, warnings
}

// certText describes a certificate for the bookkeeper to compare.
func certText(c *woo.CertInfo) string {
	var b strings.Builder
	b.WriteString(lang.L("SHA-256 fingerprint:") + "\n" + fingerprint(c.SHA256))
	if c.Subject != "" {
		b.WriteString("\n" + lang.L("Issued to: {{.Subject}}", map[string]any{"Subject": c.Subject}))
	}
	if c.Issuer != "" {
		b.WriteString("\n" + lang.L("Issued by: {{.Issuer}}", map[string]any{"Issuer": c.Issuer}))
	}
	if !c.NotAfter.IsZero() {
		b.WriteString("\n" + lang.L("Valid from {{.From}} to {{.To}}", map[string]any{"From": i18n.DateOnly(c.NotBefore), "To": i18n.DateOnly(c.NotAfter)}))
	}
	return b.String()
}

// fingerprint groups a hex SHA-256 as browsers show it, AB:CD:…, in two lines.
func fingerprint(hex string) string {
	hex = strings.ToUpper(hex)
	var pairs []string
	for i := 0; i+1 < len(hex); i += 2 {
		pairs = append(pairs, hex[i:i+2])
	}
	if len(pairs) == 32 {
		return strings.Join(pairs[:16], ":") + "\n" + strings.Join(pairs[16:], ":")
	}
	return strings.Join(pairs, ":")
}

// trustChanged pins the certificate shown (or stops trusting it) and tests
// the connection again.
func (z *Wizard) trustChanged(on bool) {
	switch {
	case on && z.diag != nil && z.diag.Cert != nil:
		z.pin = z.diag.Cert.SHA256
	case on:
		return
	default:
		z.pin = ""
	}
	z.runTest(nil)
}

// bookingMissing says what the booking step still lacks, "" when nothing.
func (z *Wizard) bookingMissing() string {
	var missing []string
	if z.Warehouse.Selected() == 0 {
		missing = append(missing, i18n.T(i18n.Sentence("choose a warehouse")))
	}
	if z.CostCenter.Selected() == 0 {
		missing = append(missing, i18n.T(i18n.Sentence("choose a cost center")))
	}
	return strings.Join(missing, " ")
}

// Step 3: warehouse and cost center, picked or created on the spot.
func (z *Wizard) bookingPage() fyne.CanvasObject {
	b := z.p.b
	z.Warehouse = widgets.NewCodedPicker(widgets.WarehouseKind(b), widgets.WarehouseItems(z.p.warehouses), z.p.u.Bridge(), z.p.u.Window())
	z.CostCenter = widgets.NewCodedPicker(widgets.CostCenterKind(b), widgets.CostCenterItems(z.p.costCenters), z.p.u.Bridge(), z.p.u.Window())
	// What the booking step said is missing shrinks as it is chosen.
	recheck := func(string) {
		if !z.Problem.Visible() {
			return
		}
		if missing := z.bookingMissing(); missing != "" {
			z.Problem.SetText(missing)
		} else {
			z.Problem.Hide()
		}
	}
	z.Warehouse.Select.OnChanged, z.CostCenter.Select.OnChanged = recheck, recheck
	return widget.NewForm(
		&widget.FormItem{Text: lang.L("Warehouse"), Widget: z.Warehouse.Content, HintText: lang.L("Where this shop's goods are booked out of")},
		&widget.FormItem{Text: lang.L("Cost center"), Widget: z.CostCenter.Content, HintText: lang.L("The unit this shop's sales are booked under")},
	)
}

// Step 5: polling or webhooks.
func (z *Wizard) modePage() fyne.CanvasObject {
	z.mode = widget.NewRadioGroup([]string{i18n.SyncModeName(ledger.SyncPoll), i18n.SyncModeName(ledger.SyncWebhook)}, nil)
	z.mode.Required = true
	z.mode.SetSelected(i18n.SyncModeName(ledger.SyncPoll))
	poll := widget.NewLabel(lang.L("Every hour: ShopLedger asks the shop for new and changed orders. Works with any shop."))
	hook := widget.NewLabel(lang.L("Webhooks: the shop sends each order the moment it changes, and ShopLedger checks once a night for anything a webhook missed. Needs a key with Read/Write permission and an address the shop can reach."))
	for _, l := range []*widget.Label{poll, hook} {
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.LowImportance
	}
	return container.NewVBox(z.mode, poll, hook)
}

func (z *Wizard) selectedMode() ledger.SyncMode {
	if z.mode.Selected == i18n.SyncModeName(ledger.SyncWebhook) {
		return ledger.SyncWebhook
	}
	return ledger.SyncPoll
}

// Step 6: the summary.
func (z *Wizard) donePage() fyne.CanvasObject {
	z.summary = widget.NewForm()
	z.summaryBox = container.NewStack(z.summary)
	return z.summaryBox
}

func (z *Wizard) fillSummary() {
	imported := lang.L("All orders")
	if z.importFromDay() && z.importFrom.Date != nil {
		imported = lang.L("Orders from {{.Date}}", map[string]any{"Date": i18n.DateOnly(*z.importFrom.Date)})
	}
	value := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.Truncation = fyne.TextTruncateEllipsis
		return l
	}
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("Name"), value(strings.TrimSpace(z.Name.Text))),
		widget.NewFormItem(lang.L("Shop URL"), value(z.input().url)),
		widget.NewFormItem(lang.L("Warehouse"), value(z.Warehouse.Select.Selected)),
		widget.NewFormItem(lang.L("Cost center"), value(z.CostCenter.Select.Selected)),
		widget.NewFormItem(lang.L("Import"), value(imported)),
		widget.NewFormItem(lang.L("Sync"), value(i18n.SyncModeName(z.selectedMode()))),
	}
	if z.pin != "" {
		items = append(items, widget.NewFormItem(lang.L("Certificate"), value(lang.L("trusted by its fingerprint"))))
	}
	// A new form each time: a shown Form keeps the widgets it first laid
	// out, so changed Items would still show the old name (issue 12).
	z.summary = widget.NewForm(items...)
	z.summaryBox.Objects = []fyne.CanvasObject{z.summary}
	z.summaryBox.Refresh()
}

// submit stores the shop and its keys, then hands it to onAdded.
func (z *Wizard) submit() {
	in := z.input()
	n := books.NewShop{
		Name: z.Name.Text, URL: in.url, Key: in.key, Secret: in.secret,
		Warehouse:  ledger.WarehouseID(z.Warehouse.Selected()),
		CostCenter: ledger.CostCenterID(z.CostCenter.Selected()),
		CertSHA256: in.pin,
	}
	if z.importFromDay() && z.importFrom.Date != nil {
		n.ImportFrom = *z.importFrom.Date
	}
	mode := z.selectedMode()
	b := z.p.b
	z.Next.Disable()
	bridge.Load(z.p.u.Bridge(), func(context.Context) (ledger.Shop, error) {
		sh, err := b.AddShop(n)
		if err != nil || mode == sh.SyncMode {
			return sh, err
		}
		// books.NewShop has no sync mode yet: set it on the stored shop.
		sh.SyncMode = mode
		return sh, b.UpdateShop(sh)
	}, func(sh ledger.Shop, err error) {
		z.Next.Enable()
		if err != nil && sh.ID == 0 {
			z.fail(strings.Join(i18n.InputProblems(err), " "))
			return
		}
		z.dlg.Hide()
		if err != nil { // stored, but the mode could not be set
			z.p.u.StatusDone(i18n.UserMessage(err), true)
		}
		z.onAdded(sh)
	})
}
