package shops

import (
	"context"
	"strings"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/verify"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// verifyShop is "Verify with shop": every order of the shop is compared
// with the books, what differs is fetched again (changes WooCommerce does
// not announce), and the status line says what was found.
func (p *Page) verifyShop(sh ledger.Shop, btn *widget.Button) {
	btn.Disable()
	p.u.StatusBusy(lang.L("Verifying {{.Shop}} with the shop…", map[string]any{"Shop": sh.Name}))
	b := p.b
	bridge.Load(p.u.Bridge(), func(ctx context.Context) (verify.Report, error) {
		return b.Verify(ctx, sh.ID, verify.Options{})
	}, func(r verify.Report, err error) {
		btn.Enable()
		if err != nil {
			p.u.StatusDone(lang.L("{{.Shop}} could not be verified: {{.Reason}}",
				map[string]any{"Shop": sh.Name, "Reason": i18n.UserMessage(err)}), true)
			return
		}
		p.u.StatusDone(verifiedText(sh.Name, r), false)
		if r.New+r.Updated > 0 {
			p.u.OrdersCorrected() // into the list and the index
		}
	})
}

// verifiedText says what a verification found, in the user's language.
func verifiedText(shop string, r verify.Report) string {
	parts := []string{lang.L("Verified {{.Shop}}:", map[string]any{"Shop": shop})}
	if r.Updated+r.New == 0 && len(r.Gone) == 0 {
		parts = append(parts, lang.N("{{.Count}} order agrees with the shop.", r.Compared, map[string]any{"Count": r.Compared}))
	}
	if r.Updated > 0 {
		parts = append(parts, lang.N("{{.Count}} order differed and was updated.", r.Updated, map[string]any{"Count": r.Updated}))
	}
	if r.New > 0 {
		parts = append(parts, lang.N("{{.Count}} order missing from the books was added.", r.New, map[string]any{"Count": r.New}))
	}
	if n := len(r.Gone); n > 0 {
		parts = append(parts, lang.N("{{.Count}} order is no longer in the shop; the books keep it.", n, map[string]any{"Count": n}))
	}
	return strings.Join(parts, " ")
}
