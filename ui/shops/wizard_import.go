package shops

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

// Step 4: which orders the first import brings. All of them unless the
// bookkeeper chooses a day, and then the wizard says how many older orders
// that day leaves out of the books: a default of "this year" used to drop
// them without a word (issue 12).
func (z *Wizard) importPage() fyne.CanvasObject {
	z.importWhat = widget.NewRadioGroup([]string{lang.L("All orders"), lang.L("Orders from a day on")}, nil)
	z.importWhat.Required = true
	z.importWhat.SetSelected(z.importWhat.Options[0])
	z.importWhat.OnChanged = func(string) { z.importChanged() }
	z.importFrom = widgets.NewDateField(i18n.DateHint(), func(*time.Time) { z.countLeftOut() })
	from := z.defaultImportFrom()
	z.importFrom.Set(&from)
	z.importFrom.Content.Hide()
	z.leftOut = widget.NewLabel("")
	z.leftOut.Wrapping = fyne.TextWrapWord
	z.leftOut.Hide()
	return container.NewVBox(z.importWhat, z.importFrom.Content, z.leftOut)
}

// importFromDay reports whether the import starts at a day rather than
// bringing every order.
func (z *Wizard) importFromDay() bool { return z.importWhat.Selected == z.importWhat.Options[1] }

// defaultImportFrom is the day offered when the bookkeeper chooses one:
// the start of the current year, the books of this year.
func (z *Wizard) defaultImportFrom() time.Time {
	now := z.p.u.Now().Local()
	return time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.Local)
}

func (z *Wizard) importChanged() {
	if z.importFromDay() {
		z.importFrom.Content.Show()
	} else {
		z.importFrom.Content.Hide()
	}
	z.Problem.Hide()
	z.countLeftOut()
}

// countLeftOut asks the shop, off the UI goroutine, how many of its orders
// an import from the chosen day leaves out, and says so under the day.
func (z *Wizard) countLeftOut() {
	z.leftOutGen++
	gen := z.leftOutGen
	if !z.importFromDay() || z.importFrom.Date == nil || !z.connected() {
		z.leftOut.Hide()
		z.fit()
		return
	}
	in, d, from := z.input(), z.diag, *z.importFrom.Date
	n := books.NewShop{URL: in.url, Key: in.key, Secret: in.secret, CertSHA256: in.pin, ImportFrom: from}
	b := z.p.b
	z.leftOut.Importance = widget.MediumImportance
	z.leftOut.SetText(lang.L("Counting the shop's orders…"))
	z.leftOut.Show()
	z.fit()
	bridge.Load(z.p.u.Bridge(), func(ctx context.Context) (int, error) {
		ctx, cancel := context.WithTimeout(ctx, checkTimeout)
		defer cancel()
		return b.OrdersLeftOut(ctx, n, d)
	}, func(count int, err error) {
		if gen != z.leftOutGen {
			return // another day was chosen meanwhile
		}
		day := i18n.DateOnly(from)
		switch {
		case err != nil:
			z.leftOut.Importance = widget.WarningImportance
			z.leftOut.SetText(lang.L("The shop's orders could not be counted: {{.Reason}}", map[string]any{"Reason": i18n.UserMessage(err)}))
		case count == 0:
			z.leftOut.Importance = widget.MediumImportance
			z.leftOut.SetText(lang.L("The shop has no orders from before {{.Date}}.", map[string]any{"Date": day}))
		default:
			z.leftOut.Importance = widget.WarningImportance
			z.leftOut.SetText(lang.N("The shop has {{.Count}} order from before {{.Date}}; it is not imported.", count,
				map[string]any{"Count": count, "Date": day}))
		}
		z.leftOut.Refresh()
		z.fit()
	})
}
