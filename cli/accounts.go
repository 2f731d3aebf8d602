package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/journal"
)

func runAccounts(ctx context.Context, env *Env, args []string) error {
	return subcommand(ctx, env, "accounts", args, map[string]func(context.Context, *Env, []string) error{
		"show": runAccountsShow,
		"set":  runAccountsSet,
	})
}

func runAccountsShow(_ context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "accounts show")
	shopRef := shopFlag(fs)
	format := fs.String("format", "table", "table or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := requireShop(env, "accounts show", *shopRef); err != nil {
		return err
	}
	b, sh, err := openShop(env, *dir, *shopRef)
	if err != nil {
		return err
	}
	defer b.Close()
	acc, set, err := b.Store.Accounts(sh.ID)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(acc)
	}
	origin := "defaults (" + acc.Preset + "), not set yet"
	if set {
		origin = "set for this shop, from the " + acc.Preset + " set"
	}
	fmt.Fprintf(env.Stdout, "Accounts of %q: %s\n", sh.Name, origin)
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	row := func(what string, a journal.Account) { fmt.Fprintf(tw, "  %s\t%s\t%s\n", what, a.Code, a.Name) }
	row("sales", acc.Sales)
	for _, id := range slices.Sorted(maps.Keys(acc.SalesByRate)) {
		row(fmt.Sprintf("sales, tax rate %d", id), acc.SalesByRate[id])
	}
	row("shipping", acc.Shipping)
	row("fees", acc.Fees)
	if acc.DiscountsApart {
		row("discounts (booked apart)", acc.Discounts)
	} else {
		fmt.Fprintf(tw, "  discounts\t\t(sales are booked net of discounts)\n")
	}
	row("vat", acc.VAT)
	for _, id := range slices.Sorted(maps.Keys(acc.VATByRate)) {
		row(fmt.Sprintf("vat, tax rate %d", id), acc.VATByRate[id])
	}
	row("clearing", acc.Clearing)
	for _, m := range slices.Sorted(maps.Keys(acc.ClearingByMethod)) {
		row("clearing, "+m, acc.ClearingByMethod[m])
	}
	if acc.Refunds.Code == "" {
		fmt.Fprintf(tw, "  refunds\t\t(reverse the sales accounts)\n")
	} else {
		row("refunds", acc.Refunds)
	}
	row("rounding", acc.Rounding)
	return tw.Flush()
}

// accountFlag is an account given as CODE or CODE:NAME.
type accountFlag struct {
	set bool
	acc journal.Account
}

func (f *accountFlag) String() string { return f.acc.String() }

func (f *accountFlag) Set(s string) error {
	a, err := parseAccount(s)
	f.acc, f.set = a, true
	return err
}

func parseAccount(s string) (journal.Account, error) {
	code, name, _ := strings.Cut(s, ":")
	code = strings.TrimSpace(code)
	if code == "" && strings.TrimSpace(s) != "" {
		return journal.Account{}, fmt.Errorf("%q has no account code; write CODE or CODE:NAME", s)
	}
	return journal.Account{Code: code, Name: strings.TrimSpace(name)}, nil
}

// keyedFlag collects KEY=CODE[:NAME] values; an empty CODE removes KEY.
type keyedFlag map[string]*journal.Account

func (f keyedFlag) String() string { return "" }

func (f keyedFlag) Set(s string) error {
	k, v, ok := strings.Cut(s, "=")
	if !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("%q: write KEY=CODE or KEY=CODE:NAME", s)
	}
	if strings.TrimSpace(v) == "" {
		f[strings.TrimSpace(k)] = nil
		return nil
	}
	a, err := parseAccount(v)
	f[strings.TrimSpace(k)] = &a
	return err
}

func runAccountsSet(_ context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "accounts set")
	shopRef := shopFlag(fs)
	preset := fs.String("preset", "", "start again from a set of defaults: bg (НСС) or en")
	single := map[string]*accountFlag{}
	for _, name := range []string{"sales", "shipping", "fees", "discounts", "vat", "clearing", "refunds", "rounding"} {
		single[name] = &accountFlag{}
		fs.Var(single[name], name, "the "+name+" account, CODE or CODE:NAME"+map[string]string{
			"refunds": " (empty: refunds reverse the sales accounts)"}[name])
	}
	apart := fs.String("discounts-apart", "", "true: book sales before discounts and the discounts on their account")
	salesRate, vatRate, clearingMethod := keyedFlag{}, keyedFlag{}, keyedFlag{}
	fs.Var(salesRate, "sales-rate", "RATE_ID=CODE[:NAME]: the sales account of a tax rate (repeat; empty CODE removes)")
	fs.Var(vatRate, "vat-rate", "RATE_ID=CODE[:NAME]: the VAT account of a tax rate (repeat)")
	fs.Var(clearingMethod, "clearing-method", "METHOD=CODE[:NAME]: the clearing account of a payment method (repeat)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := requireShop(env, "accounts set", *shopRef); err != nil {
		return err
	}
	if *preset != "" && !slices.Contains(journal.Presets, *preset) {
		fmt.Fprintln(env.Stderr, "shopledger accounts set: --preset is bg or en")
		return errUsage
	}
	b, sh, err := openShop(env, *dir, *shopRef)
	if err != nil {
		return err
	}
	defer b.Close()
	acc, _, err := b.Store.Accounts(sh.ID)
	if err != nil {
		return err
	}
	if *preset != "" {
		acc = journal.Defaults(*preset)
	}
	for name, f := range single {
		if !f.set {
			continue
		}
		*map[string]*journal.Account{
			"sales": &acc.Sales, "shipping": &acc.Shipping, "fees": &acc.Fees, "discounts": &acc.Discounts,
			"vat": &acc.VAT, "clearing": &acc.Clearing, "refunds": &acc.Refunds, "rounding": &acc.Rounding,
		}[name] = f.acc
	}
	if *apart != "" {
		v, err := strconv.ParseBool(*apart)
		if err != nil {
			return &books.InputError{Problems: []string{"--discounts-apart is true or false"}}
		}
		acc.DiscountsApart = v
	}
	if err := setByRate(&acc.SalesByRate, salesRate); err != nil {
		return err
	}
	if err := setByRate(&acc.VATByRate, vatRate); err != nil {
		return err
	}
	for m, a := range clearingMethod {
		if acc.ClearingByMethod == nil {
			acc.ClearingByMethod = map[string]journal.Account{}
		}
		if a == nil {
			delete(acc.ClearingByMethod, m)
		} else {
			acc.ClearingByMethod[m] = *a
		}
	}
	if err := b.Store.SetAccounts(sh.ID, acc); err != nil {
		return &books.InputError{Problems: []string{err.Error()}}
	}
	fmt.Fprintf(env.Stdout, "saved the accounts of %q\n", sh.Name)
	return nil
}

func setByRate(m *map[int64]journal.Account, f keyedFlag) error {
	for k, a := range f {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return &books.InputError{Problems: []string{fmt.Sprintf("%q is not a tax rate id (a number: `shopledger books summary` lists them)", k)}}
		}
		if *m == nil {
			*m = map[int64]journal.Account{}
		}
		if a == nil {
			delete(*m, id)
		} else {
			(*m)[id] = *a
		}
	}
	return nil
}

var _ flag.Value = (*accountFlag)(nil)
