package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/nra"
	"codeberg.org/shopledger/shopledger/core/sales"
)

// paymNames are the schema's payment codes as the annex words them.
var paymNames = map[nra.Paym]string{
	nra.PaymBank:     "bank transfer, no postal money transfer",
	nra.PaymVPOS:     "virtual POS terminal",
	nra.PaymCOD:      "cash on delivery, postal money transfer",
	nra.PaymProvider: "payment service provider",
	nra.PaymOther:    "other, no fiscal receipt",
	nra.PaymReceipt:  "covered by a fiscal receipt",
}

var refundNames = map[nra.RefundPaym]string{
	nra.RefundAccount: "to an account", nra.RefundCard: "to the card", nra.RefundCash: "in cash", nra.RefundOther: "other",
}

// runBooksNRASettings is `shopledger books nra-settings --shop NAME …`:
// with any other flag it changes the shop's settings for the NRA audit
// file; it always prints them, with the code of every payment method the
// shop's orders use, for the bookkeeper to confirm.
func runBooksNRASettings(_ context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "books nra-settings")
	shopRef := shopFlag(fs)
	eik := fs.String("eik", "", "the trader's ЕИК (9 or 13 digits; 10 for an ЕГН)")
	eshop := fs.String("eshop-number", "", "the e-shop's unique number from NRA (≤ 10 characters)")
	domain := fs.String("domain", "", "the shop's domain")
	platform := fs.Bool("platform", false, "the shop runs on a platform's domain (e_shop_type 2), not its own (1)")
	paym := fs.String("paym", "", "payment codes: METHOD=CODE,… (1 bank, 2 virtual POS, 3 COD, 4 provider, 5 other, 6 fiscal receipt)")
	refund := fs.String("refund-paym", "", "refund codes: METHOD=CODE,… (1 account, 2 card, 3 cash, 4 other)")
	docMeta := fs.String("doc-number-meta", "", "order meta key holding the document number (\"\": the order number)")
	transMeta := fs.String("trans-meta", "", "order meta key holding the transaction id (\"\": WooCommerce's transaction_id)")
	posMeta := fs.String("pos-meta", "", "order meta key holding the virtual POS terminal number")
	procMeta := fs.String("proc-meta", "", "order meta key holding the payment provider's id")
	deliveredOn := fs.String("delivered-on", "", "an order is delivered on its completed (default) or paid date")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := requireShop(env, "books nra-settings", *shopRef); err != nil {
		return err
	}
	b, sh, err := openShop(env, *dir, *shopRef)
	if err != nil {
		return err
	}
	defer b.Close()
	st, set, err := b.Store.NRASettings(sh.ID)
	if err != nil {
		return err
	}
	changed := false
	var problems []string
	fs.Visit(func(f *flag.Flag) {
		changed = changed || f.Name != "shop" && f.Name != "data-dir"
		switch f.Name {
		case "eik":
			st.EIK = strings.TrimSpace(*eik)
		case "eshop-number":
			st.EShopNumber = strings.TrimSpace(*eshop)
		case "domain":
			st.Domain = strings.TrimSpace(*domain)
		case "platform":
			st.Platform = *platform
		case "paym":
			m, err := codes(*paym, 6)
			problems = append(problems, err...)
			st.Paym = mergeCodes(st.Paym, m, func(c int) nra.Paym { return nra.Paym(c) })
		case "refund-paym":
			m, err := codes(*refund, 4)
			problems = append(problems, err...)
			st.RefundPaym = mergeCodes(st.RefundPaym, m, func(c int) nra.RefundPaym { return nra.RefundPaym(c) })
		case "doc-number-meta":
			st.DocNumberMeta = strings.TrimSpace(*docMeta)
		case "trans-meta":
			st.TransMeta = strings.TrimSpace(*transMeta)
		case "pos-meta":
			st.POSMeta = strings.TrimSpace(*posMeta)
		case "proc-meta":
			st.ProcMeta = strings.TrimSpace(*procMeta)
		case "delivered-on":
			st.DeliveredOn = strings.TrimSpace(*deliveredOn)
			if st.DeliveredOn == nra.DeliveredCompleted {
				st.DeliveredOn = ""
			}
		}
	})
	if len(problems) > 0 {
		return &books.InputError{Problems: problems}
	}
	if changed {
		if err := b.SetNRASettings(sh.ID, st); err != nil {
			return err
		}
		set = true
	}
	methods, err := b.PaymentMethods(sh.ID)
	if err != nil {
		return err
	}
	return printNRASettings(env.Stdout, sh, &st, set, methods)
}

// codes parses METHOD=CODE,… ("METHOD=" removes the method's own code).
func codes(s string, max int) (map[string]int, []string) {
	out := map[string]int{}
	var problems []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part == "" {
			continue
		}
		m, c, ok := strings.Cut(part, "=")
		m, c = strings.TrimSpace(m), strings.TrimSpace(c)
		if !ok || m == "" {
			problems = append(problems, fmt.Sprintf("%q is not METHOD=CODE", part))
			continue
		}
		if c == "" {
			out[m] = 0
			continue
		}
		n, err := strconv.Atoi(c)
		if err != nil || n < 1 || n > max {
			problems = append(problems, fmt.Sprintf("the code of %s is %q; it is a number from 1 to %d", m, c, max))
			continue
		}
		out[m] = n
	}
	return out, problems
}

func mergeCodes[C ~int](cur map[string]C, set map[string]int, conv func(int) C) map[string]C {
	out := map[string]C{}
	for k, v := range cur {
		out[k] = v
	}
	for k, v := range set {
		if v == 0 {
			delete(out, k)
		} else {
			out[k] = conv(v)
		}
	}
	return out
}

func printNRASettings(w io.Writer, sh ledger.Shop, st *nra.Settings, set bool, methods map[string]string) error {
	if !set {
		fmt.Fprintf(w, "%q has no NRA audit file settings yet: set --eik and --eshop-number.\n", sh.Name)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	orNone := func(s, none string) string {
		if s == "" {
			return none
		}
		return s
	}
	fmt.Fprintf(tw, "Shop\t%s\n", sh.Name)
	fmt.Fprintf(tw, "EIK (eik)\t%s\n", orNone(st.EIK, "(missing)"))
	fmt.Fprintf(tw, "E-shop number (e_shop_n)\t%s\n", orNone(st.EShopNumber, "(missing)"))
	fmt.Fprintf(tw, "Domain (domain_name)\t%s\n", orNone(st.Domain, "(none)"))
	fmt.Fprintf(tw, "E-shop type (e_shop_type)\t%d %s\n", st.EShopType(), map[bool]string{false: "own domain", true: "platform"}[st.Platform])
	fmt.Fprintf(tw, "Delivered on\tthe %s date (shop's time zone %s)\n", orNone(st.DeliveredOn, nra.DeliveredCompleted), sh.Location())
	fmt.Fprintf(tw, "Document number (doc_n)\t%s\n", orNone(metaSource(st.DocNumberMeta), "the order number"))
	fmt.Fprintf(tw, "Transaction id (trans_n)\t%s\n", orNone(metaSource(st.TransMeta), "WooCommerce's transaction id"))
	fmt.Fprintf(tw, "Virtual POS (pos_n)\t%s\n", orNone(metaSource(st.POSMeta), "(not written)"))
	fmt.Fprintf(tw, "Provider id (proc_id)\t%s\n", orNone(metaSource(st.ProcMeta), "(not written)"))
	if err := tw.Flush(); err != nil {
		return err
	}
	all := map[string]bool{}
	for m := range methods {
		all[m] = true
	}
	for _, m := range st.Methods() {
		all[m] = true
	}
	names := make([]string, 0, len(all))
	for m := range all {
		names = append(names, m)
	}
	slices.Sort(names)
	fmt.Fprintln(w, "\nPayment methods (confirm the defaults; change with --paym and --refund-paym):")
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "METHOD\tTITLE\tPAYM\t\tREFUND (R_PAYM)\t")
	for _, m := range names {
		p, pok := st.PaymFor(m)
		r, rok := st.RefundPaymFor(m)
		_, pset := st.Paym[m]
		_, rset := st.RefundPaym[m]
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", m, methods[m], codeText(int(p), pok, paymNames[p]), source(pok, pset),
			codeText(int(r), rok, refundNames[r]), source(rok, rset))
	}
	return tw.Flush()
}

func metaSource(key string) string {
	if key == "" {
		return ""
	}
	return "order meta " + key
}

func codeText(c int, ok bool, name string) string {
	if !ok {
		return "NONE"
	}
	return fmt.Sprintf("%d %s", c, name)
}

func source(ok, set bool) string {
	switch {
	case set:
		return "(set)"
	case ok:
		return "(default)"
	}
	return "(to set)"
}

// runBooksNRA is `shopledger books nra --shop NAME --month YYYY-MM -o
// FILE` (or --all-shops --dir DIR): the month's NRA audit file, with a
// summary; the file is refused, with the reasons, when it would be wrong.
func runBooksNRA(_ context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "books nra")
	shopRef := fs.String("shop", "", "the shop (name or id)")
	allShops := fs.Bool("all-shops", false, "every shop with NRA settings, one file each in --dir")
	month := fs.String("month", "", "the month, YYYY-MM (required)")
	out := fs.String("o", "", "the file to write (with --shop)")
	outDir := fs.String("dir", "", "the directory to write into (with --all-shops): SHOP-YYYY-MM.xml")
	created := fs.String("creation-date", "", "creation_date, YYYY-MM-DD (default today): fixed, a closed month's file is the same bytes")
	if err := parse(fs, args); err != nil {
		return err
	}
	if (*shopRef == "") == !*allShops || *month == "" || (*shopRef != "" && *out == "") || (*allShops && *outDir == "") {
		fmt.Fprintln(env.Stderr, "shopledger books nra: give --month YYYY-MM and either --shop NAME -o FILE or --all-shops --dir DIR")
		return errUsage
	}
	m, err := time.Parse("2006-01", *month)
	if err != nil {
		return &books.InputError{Problems: []string{fmt.Sprintf("%q is not a month; write it as YYYY-MM", *month)}}
	}
	var creation time.Time
	if *created != "" {
		if creation, err = time.Parse("2006-01-02", *created); err != nil {
			return &books.InputError{Problems: []string{fmt.Sprintf("%q is not a date; write it as YYYY-MM-DD", *created)}}
		}
	}
	b, err := open(env, *dir)
	if err != nil {
		return err
	}
	defer b.Close()
	if !*allShops {
		sh, err := findShop(b, *shopRef)
		if err != nil {
			return err
		}
		return nraFile(env, b, sh, m, creation, *out)
	}
	shops, err := b.Store.Shops()
	if err != nil {
		return err
	}
	var failed []string
	made := 0
	for _, sh := range shops {
		if _, set, err := b.Store.NRASettings(sh.ID); err != nil {
			return err
		} else if !set {
			fmt.Fprintf(env.Stdout, "%q: no NRA settings, no file (set them with books nra-settings)\n\n", sh.Name)
			continue
		}
		name := filepath.Join(*outDir, fileName(sh.Name)+"-"+m.Format("2006-01")+".xml")
		if err := nraFile(env, b, sh, m, creation, name); err != nil {
			fmt.Fprintln(env.Stdout, books.UserMessage(err))
			fmt.Fprintln(env.Stdout)
			failed = append(failed, sh.Name)
			continue
		}
		made++
	}
	fmt.Fprintf(env.Stdout, "%d file(s) written to %s\n", made, *outDir)
	if len(failed) > 0 {
		return fmt.Errorf("no audit file for %s: %w", strings.Join(failed, ", "), nra.ErrNotWritable)
	}
	return nil
}

// fileName keeps a shop's name safe as a file name.
func fileName(s string) string {
	return strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < ' ' {
			return '_'
		}
		return r
	}, s)
}

// nraFile makes one shop's file, prints its summary and writes it; a file
// that cannot be made is not written and its reasons are the error.
func nraFile(env *Env, b *books.Books, sh ledger.Shop, m, creation time.Time, path string) error {
	f, sh, err := b.NRAFile(books.NRAQuery{Shop: sh.ID, Year: m.Year(), Month: m.Month(), CreationDate: creation})
	if err != nil {
		return err
	}
	printNRASummary(env.Stdout, sh, f)
	// The file is meant to be made after "Close the month": until then
	// a late change can still alter it.
	if c, err := b.Store.Closing(sh.ID); err == nil && c.Through < sales.DateDay(m.Year(), m.Month()+1, 1)-1 {
		fmt.Fprintf(env.Stdout, "  note: the books of %q are not closed through the month's end; close the month (books close) so that the file cannot change\n", sh.Name)
	}
	saved, err := b.SaveNRAFile(f, sh, path)
	if err != nil {
		return err
	}
	if saved.FiledBefore {
		printNRAChanges(env.Stdout, saved.Changes)
	}
	fmt.Fprintf(env.Stdout, "written: %s (%d bytes, windows-1251)\n\n", path, saved.Bytes)
	return nil
}

// printNRAChanges says what differs from the last file made of the month.
func printNRAChanges(w io.Writer, c nra.Changes) {
	since := c.Since.Local().Format("2006-01-02 15:04")
	if c.Empty() {
		fmt.Fprintf(w, "  the same orders and refunds as the last file made (%s)\n", since)
		return
	}
	fmt.Fprintf(w, "  since the last file made (%s):\n", since)
	for _, l := range []struct {
		what string
		list []string
	}{
		{"orders added", c.Added}, {"orders gone", c.Removed}, {"orders changed", c.Changed},
		{"refunds added", c.RefundsAdded}, {"refunds gone", c.RefundsRemoved}, {"refunds changed", c.RefundsCh},
	} {
		if len(l.list) > 0 {
			fmt.Fprintf(w, "    %s: %s\n", l.what, strings.Join(l.list, ", "))
		}
	}
}

func printNRASummary(w io.Writer, sh ledger.Shop, f *nra.File) {
	total2, vat, byPaym := f.Totals()
	fmt.Fprintf(w, "%s, %d-%02d, in %s\n", sh.Name, f.Year, f.Month, f.Currency)
	fmt.Fprintf(w, "  orders delivered: %d, ord_total2 %s, ord_vat %s\n", len(f.Orders), total2, vat)
	codes := make([]nra.Paym, 0, len(byPaym))
	for c := range byPaym {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, c := range codes {
		fmt.Fprintf(w, "    paym %d (%s): %s\n", c, paymNames[c], byPaym[c])
	}
	fmt.Fprintf(w, "  refunds: %d, r_total %s, of %d order(s) (r_ord)\n", len(f.Refunds), f.RTotal, f.ROrd)
	if co, cr := f.Converted(); co+cr > 0 {
		fmt.Fprintf(w, "  converted to %s at 1 EUR = %s BGN, each figure rounded to the cent: %d order(s), %d refund(s)\n", f.Currency, nra.RateBGNPerEUR, co, cr)
	}
	var carried []string
	for _, o := range f.Orders {
		if o.DiscRounding != 0 {
			carried = append(carried, fmt.Sprintf("%s (%s)", o.Number, o.DiscRounding))
		}
	}
	if len(carried) > 0 {
		fmt.Fprintf(w, "  ord_disc carries the cents of rounding or conversion in: %s\n", strings.Join(carried, ", "))
	}
	if len(f.NoDocNumber) > 0 {
		fmt.Fprintf(w, "  no order meta %s, doc_n is the order number: %s\n", f.Settings.DocNumberMeta, strings.Join(f.NoDocNumber, ", "))
	}
	for _, s := range f.Skipped {
		fmt.Fprintf(w, "  skipped order %s: %s\n", s.Number, s.Why)
	}
}
