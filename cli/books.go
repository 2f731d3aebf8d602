package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/journal"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
)

func runBooks(ctx context.Context, env *Env, args []string) error {
	return subcommand(ctx, env, "books", args, map[string]func(context.Context, *Env, []string) error{
		"summary": runBooksSummary,
		"journal": runBooksJournal,
		"close":   runBooksClose,
		"reopen":  runBooksReopen,
		"changes": runBooksChanges,
		"basis":   runBooksBasis,
		// The NRA audit file (Наредба Н-18, Приложение № 38).
		"nra":          runBooksNRA,
		"nra-audit":    runBooksNRA,
		"nra-settings": runBooksNRASettings,
	})
}

func runBooksBasis(_ context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "books basis")
	shopRef := shopFlag(fs)
	on := fs.String("on", "", "book sales on their created, paid or completed date (empty: show the basis)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := requireShop(env, "books basis", *shopRef); err != nil {
		return err
	}
	b, sh, err := openShop(env, *dir, *shopRef)
	if err != nil {
		return err
	}
	defer b.Close()
	if *on != "" {
		if sh, err = b.SetBooksBasis(sh.ID, ledger.BooksBasis(*on)); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stdout, "%q books sales on their %s date\n", sh.Name, sales.Basis(sh.BooksBasis))
	return nil
}

// dayFlag reads a required YYYY-MM-DD flag.
func dayFlag(env *Env, cmdName, flagName, v string) (sales.Day, error) {
	if v == "" {
		fmt.Fprintf(env.Stderr, "shopledger %s: missing --%s YYYY-MM-DD\n", cmdName, flagName)
		return 0, errUsage
	}
	d, err := sales.ParseDay(v)
	if err != nil {
		return 0, &books.InputError{Problems: []string{fmt.Sprintf("%q is not a date; write it as YYYY-MM-DD", v)}}
	}
	return d, nil
}

// shopIDOf resolves an optional --shop to an id (0: every shop).
func shopIDOf(b *books.Books, ref string) (ledger.ShopID, error) {
	if ref == "" {
		return 0, nil
	}
	sh, err := findShop(b, ref)
	return sh.ID, err
}

// who is the person closing or reopening the books: --by, else the
// account the command runs under.
func who(by string) string {
	if by != "" {
		return by
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}

func runBooksSummary(_ context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "books summary")
	from := fs.String("from", "", "first day, YYYY-MM-DD in the shop's time zone (required)")
	to := fs.String("to", "", "last day, YYYY-MM-DD (required)")
	shopRef := fs.String("shop", "", "only this shop (name or id)")
	by := fs.String("by", "", "subtotals by day or month (default: day for up to 31 days, else month)")
	format := fs.String("format", "table", "table, json or csv")
	if err := parse(fs, args); err != nil {
		return err
	}
	q := books.SummaryQuery{}
	var err error
	if q.From, err = dayFlag(env, "books summary", "from", *from); err != nil {
		return err
	}
	if q.To, err = dayFlag(env, "books summary", "to", *to); err != nil {
		return err
	}
	switch *by {
	case "":
		q.By = sales.ByDay
		if q.To-q.From >= 31 {
			q.By = sales.ByMonth
		}
	case "day", "month":
		q.By = sales.Grouping(*by)
	default:
		fmt.Fprintln(env.Stderr, "shopledger books summary: --by is day or month")
		return errUsage
	}
	if *format != "table" && *format != "json" && *format != "csv" {
		fmt.Fprintln(env.Stderr, "shopledger books summary: --format is table, json or csv")
		return errUsage
	}
	b, err := open(env, *dir)
	if err != nil {
		return err
	}
	defer b.Close()
	if q.Shop, err = shopIDOf(b, *shopRef); err != nil {
		return err
	}
	s, err := b.Summary(q)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(summaryJSON(b, &s))
	case "csv":
		return summaryCSV(env.Stdout, &s)
	}
	return summaryTable(env.Stdout, b, &s)
}

// totalsJSON is the figures by the names of WooCommerce's report (and
// issue 11): amounts as decimal strings, counts as integers.
type totalsJSON struct {
	TotalOrders      int64         `json:"total_orders"`
	TotalItems       int64         `json:"total_items"`
	TotalSales       ledger.Amount `json:"total_sales"`
	NetSales         ledger.Amount `json:"net_sales"`
	TotalTax         ledger.Amount `json:"total_tax"`
	TotalShipping    ledger.Amount `json:"total_shipping"`
	TotalShippingTax ledger.Amount `json:"total_shipping_tax"`
	TotalRefunds     ledger.Amount `json:"total_refunds"`
	TotalDiscount    ledger.Amount `json:"total_discount"`
	TotalFees        ledger.Amount `json:"total_fees"`
}

func totalsOf(t *sales.Totals) totalsJSON {
	return totalsJSON{t.TotalOrders(), t.TotalItems(), t.TotalSales(), t.NetSales(), t.TotalTax(), t.TotalShipping(),
		t.TotalShippingTax(), t.TotalRefunds(), t.TotalDiscount(), t.TotalFees()}
}

type summaryOut struct {
	From   sales.Day   `json:"from"`
	To     sales.Day   `json:"to"`
	Basis  string      `json:"basis"`
	Groups []groupJSON `json:"groups"`
	Notes  []string    `json:"notes"`
}

type groupJSON struct {
	Shop     string `json:"shop"`
	Currency string `json:"currency"`
	totalsJSON
	Taxes          []taxJSON       `json:"taxes"`
	PaymentMethods []methodJSON    `json:"payment_methods"`
	Periods        []periodJSON    `json:"periods"`
	Dimensions     []dimensionJSON `json:"dimensions"`
}

type taxJSON struct {
	RateID      int64         `json:"rate_id"`
	Label       string        `json:"label"`
	Rate        ledger.Amount `json:"rate"`
	Tax         ledger.Amount `json:"tax"`
	ShippingTax ledger.Amount `json:"shipping_tax"`
	RefundedTax ledger.Amount `json:"refunded_tax"`
}

type methodJSON struct {
	Method  string        `json:"method"`
	Title   string        `json:"title"`
	Sales   ledger.Amount `json:"sales"`
	Refunds ledger.Amount `json:"refunds"`
}

type periodJSON struct {
	Period string `json:"period"`
	totalsJSON
}

type dimensionJSON struct {
	Warehouse  string `json:"warehouse"`
	CostCenter string `json:"cost_center"`
	totalsJSON
}

func summaryJSON(b *books.Books, s *books.Summary) summaryOut {
	names, _ := b.JournalNames()
	out := summaryOut{From: s.From, To: s.To, Basis: s.Basis, Groups: []groupJSON{}, Notes: s.Notes}
	for i := range s.Groups {
		g := &s.Groups[i]
		gj := groupJSON{Shop: s.Shops[g.Shop].Name, Currency: g.Currency, totalsJSON: totalsOf(&g.Totals),
			Taxes: []taxJSON{}, PaymentMethods: []methodJSON{}, Periods: []periodJSON{}, Dimensions: []dimensionJSON{}}
		for _, t := range g.Taxes {
			gj.Taxes = append(gj.Taxes, taxJSON{t.ID, t.Label, t.Percent, sales.Cents(t.Tax), sales.Cents(t.ShippingTax), sales.Cents(t.RefundedTax)})
		}
		for _, m := range g.Methods {
			gj.PaymentMethods = append(gj.PaymentMethods, methodJSON{m.Method, m.Title, sales.Cents(m.Sales), sales.Cents(m.Refunds)})
		}
		for j := range g.Periods {
			gj.Periods = append(gj.Periods, periodJSON{g.Periods[j].Period, totalsOf(&g.Periods[j].Totals)})
		}
		for j := range g.Dimensions {
			d := &g.Dimensions[j]
			gj.Dimensions = append(gj.Dimensions, dimensionJSON{codeOf(names.Warehouse, d.Warehouse), codeOf(names.CostCenter, d.CostCenter), totalsOf(&d.Totals)})
		}
		out.Groups = append(out.Groups, gj)
	}
	return out
}

func codeOf[T ~uint64](f func(T) string, id T) string {
	if id == 0 {
		return ""
	}
	if f != nil {
		if s := f(id); s != "" {
			return s
		}
	}
	return strconv.FormatUint(uint64(id), 10)
}

var figureNames = []string{"total_orders", "total_items", "total_sales", "net_sales", "total_tax", "total_shipping",
	"total_shipping_tax", "total_refunds", "total_discount", "total_fees"}

func (t totalsJSON) cells() []string {
	return []string{strconv.FormatInt(t.TotalOrders, 10), strconv.FormatInt(t.TotalItems, 10), t.TotalSales.String(),
		t.NetSales.String(), t.TotalTax.String(), t.TotalShipping.String(), t.TotalShippingTax.String(),
		t.TotalRefunds.String(), t.TotalDiscount.String(), t.TotalFees.String()}
}

// summaryCSV writes a row per shop, currency and period, and the whole
// range as the period "total".
func summaryCSV(w io.Writer, s *books.Summary) error {
	cw := csv.NewWriter(w)
	cw.Write(append([]string{"shop", "currency", "period"}, figureNames...))
	for i := range s.Groups {
		g := &s.Groups[i]
		name := s.Shops[g.Shop].Name
		for j := range g.Periods {
			cw.Write(append([]string{name, g.Currency, g.Periods[j].Period}, totalsOf(&g.Periods[j].Totals).cells()...))
		}
		cw.Write(append([]string{name, g.Currency, "total"}, totalsOf(&g.Totals).cells()...))
	}
	cw.Flush()
	return cw.Error()
}

func summaryTable(w io.Writer, b *books.Books, s *books.Summary) error {
	fmt.Fprintf(w, "Books %s to %s, sales booked on their %s date\n", s.From, s.To, s.Basis)
	if len(s.Groups) == 0 {
		fmt.Fprintln(w, "\nNo sales or refunds in this period.")
	}
	names, _ := b.JournalNames()
	for i := range s.Groups {
		g := &s.Groups[i]
		fmt.Fprintf(w, "\n%s — %s\n", s.Shops[g.Shop].Name, g.Currency)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
		t := totalsOf(&g.Totals)
		for k, c := range t.cells() {
			fmt.Fprintf(tw, "  %s\t%s\t\n", figureNames[k], c)
		}
		tw.Flush()
		if len(g.Taxes) > 0 {
			fmt.Fprintln(w, "\n  Taxes per rate")
			tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "  rate\tlabel\t%\ttax\tshipping tax\trefunded tax\t")
			for _, r := range g.Taxes {
				fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\t%s\t\n", r.ID, r.Label, r.Percent, sales.Cents(r.Tax), sales.Cents(r.ShippingTax), sales.Cents(r.RefundedTax))
			}
			tw.Flush()
		}
		if len(g.Methods) > 0 {
			fmt.Fprintln(w, "\n  Payment methods")
			tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "  method\ttitle\tsales\trefunds\t")
			for _, m := range g.Methods {
				fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t\n", m.Method, m.Title, sales.Cents(m.Sales), sales.Cents(m.Refunds))
			}
			tw.Flush()
		}
		if len(g.Dimensions) > 0 {
			fmt.Fprintln(w, "\n  Warehouses and cost centers")
			tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "  warehouse\tcost center\torders\tsales\tnet sales\ttax\trefunds\t")
			for _, d := range g.Dimensions {
				t := totalsOf(&d.Totals)
				fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\t%s\t%s\t\n", codeOf(names.Warehouse, d.Warehouse), codeOf(names.CostCenter, d.CostCenter),
					t.TotalOrders, t.TotalSales, t.NetSales, t.TotalTax, t.TotalRefunds)
			}
			tw.Flush()
		}
		if len(g.Periods) > 0 {
			fmt.Fprintln(w, "\n  By period")
			tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
			fmt.Fprintln(tw, "  period\torders\titems\tsales\tnet sales\ttax\tshipping\trefunds\t")
			for j := range g.Periods {
				p := &g.Periods[j]
				if p.Orders == 0 && p.Refunds == 0 {
					continue // quiet days are left out of the table (json and csv keep them)
				}
				t := totalsOf(&p.Totals)
				fmt.Fprintf(tw, "  %s\t%d\t%d\t%s\t%s\t%s\t%s\t%s\t\n", p.Period, t.TotalOrders, t.TotalItems, t.TotalSales, t.NetSales, t.TotalTax, t.TotalShipping, t.TotalRefunds)
			}
			tw.Flush()
		}
	}
	fmt.Fprintln(w)
	for _, n := range s.Notes {
		fmt.Fprintln(w, "Note: "+n)
	}
	return nil
}

func runBooksJournal(_ context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "books journal")
	from := fs.String("from", "", "first day, YYYY-MM-DD (required)")
	to := fs.String("to", "", "last day, YYYY-MM-DD (required)")
	shopRef := fs.String("shop", "", "only this shop (name or id)")
	per := fs.String("per", "day", "one entry per day, or per period (the whole range)")
	format := fs.String("format", "", "csv or xlsx (default: from the -o file's extension)")
	out := fs.String("o", "", "file to write (required; - for standard output with csv)")
	delim := fs.String("delimiter", ",", `csv only: "," or ";" (";" also writes amounts with a decimal comma, as Excel in Bulgaria expects)`)
	bom := fs.Bool("bom", false, "csv only: start with a UTF-8 byte order mark, so Excel on Windows shows Cyrillic right")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *delim != "," && *delim != ";" {
		fmt.Fprintln(env.Stderr, `shopledger books journal: --delimiter is "," or ";"`)
		return errUsage
	}
	q := books.JournalQuery{Per: journal.Per(*per)}
	var err error
	if q.From, err = dayFlag(env, "books journal", "from", *from); err != nil {
		return err
	}
	if q.To, err = dayFlag(env, "books journal", "to", *to); err != nil {
		return err
	}
	if *out == "" {
		fmt.Fprintln(env.Stderr, "shopledger books journal: missing -o FILE")
		return errUsage
	}
	if *format == "" {
		*format = map[string]string{".csv": "csv", ".xlsx": "xlsx", "": "csv"}[strings.ToLower(filepath.Ext(*out))]
	}
	if *format != "csv" && *format != "xlsx" || q.Per != journal.PerDay && q.Per != journal.PerPeriod {
		fmt.Fprintln(env.Stderr, "shopledger books journal: --format is csv or xlsx, --per is day or period")
		return errUsage
	}
	if *format == "xlsx" && *out == "-" {
		fmt.Fprintln(env.Stderr, "shopledger books journal: an xlsx file cannot go to standard output; name a file with -o")
		return errUsage
	}
	b, err := open(env, *dir)
	if err != nil {
		return err
	}
	defer b.Close()
	if q.Shop, err = shopIDOf(b, *shopRef); err != nil {
		return err
	}
	entries, err := b.Journal(q)
	if err != nil {
		return err
	}
	names, err := b.JournalNames()
	if err != nil {
		return err
	}
	w, commit, err := output(env, *out)
	if err != nil {
		return err
	}
	if *format == "xlsx" {
		err = journal.WriteXLSX(w, entries, names)
	} else {
		err = journal.WriteCSV(w, entries, names, journal.CSVOptions{Semicolon: *delim == ";", BOM: *bom})
	}
	if err = commit(err); err != nil {
		return err
	}
	if *out != "-" {
		lines := 0
		for _, e := range entries {
			lines += len(e.Lines)
		}
		fmt.Fprintf(env.Stdout, "wrote %d balanced entries (%d lines) to %s\n", len(entries), lines, *out)
	}
	return nil
}

func runBooksClose(_ context.Context, env *Env, args []string) error {
	return moveClosing(env, "close", args)
}

func runBooksReopen(_ context.Context, env *Env, args []string) error {
	return moveClosing(env, "reopen", args)
}

func moveClosing(env *Env, action string, args []string) error {
	name := "books " + action
	fs, dir := newFlags(env, name)
	shopRef := shopFlag(fs)
	through := fs.String("through", "", "the last closed day, YYYY-MM-DD (close: required; reopen: empty reopens everything)")
	by := fs.String("by", "", "who does it (default: the user running the command)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := requireShop(env, name, *shopRef); err != nil {
		return err
	}
	var day sales.Day
	if action == "close" || *through != "" {
		var err error
		if day, err = dayFlag(env, name, "through", *through); err != nil {
			return err
		}
	}
	b, sh, err := openShop(env, *dir, *shopRef)
	if err != nil {
		return err
	}
	defer b.Close()
	var c sales.Closing
	if action == "close" {
		c, err = b.CloseBooks(sh.ID, day, who(*by))
	} else {
		c, err = b.ReopenBooks(sh.ID, day, who(*by))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s: ", sh.Name)
	printClosing(env.Stdout, c)
	return nil
}

// printClosing says how far the books are closed and how they got there.
func printClosing(w io.Writer, c sales.Closing) {
	if c.Through == 0 {
		fmt.Fprintln(w, "the books are open")
	} else {
		fmt.Fprintf(w, "the books are closed through %s\n", c.Through)
	}
	for _, h := range c.History {
		through := h.Through.String()
		if h.Through == 0 {
			through = "(nothing)"
		}
		fmt.Fprintf(w, "  %s  %-6s through %s  by %s\n", h.At.Local().Format("2006-01-02 15:04"), h.Action, through, h.By)
	}
}

func runBooksChanges(_ context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "books changes")
	shopRef := fs.String("shop", "", "only this shop (name or id)")
	format := fs.String("format", "table", "table or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "table" && *format != "json" {
		fmt.Fprintln(env.Stderr, "shopledger books changes: --format is table or json")
		return errUsage
	}
	b, err := open(env, *dir)
	if err != nil {
		return err
	}
	defer b.Close()
	id, err := shopIDOf(b, *shopRef)
	if err != nil {
		return err
	}
	changes, err := b.ClosedChanges(id)
	if err != nil {
		return err
	}
	if id != 0 && *format == "table" {
		c, err := b.Store.Closing(id)
		if err != nil {
			return err
		}
		printClosing(env.Stdout, c)
	}
	if *format == "json" {
		if changes == nil {
			changes = []sales.Change{}
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(changes)
	}
	if len(changes) == 0 {
		fmt.Fprintln(env.Stdout, "no changes after closing")
		return nil
	}
	names, err := b.JournalNames()
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "arrived\tshop\torder\tclosed through\tbooked on\tbefore\tafter")
	for _, c := range changes {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\n", c.Arrived.Local().Format("2006-01-02 15:04"), names.Shop(c.Shop), c.Order,
			c.ClosedThrough, c.BookOn, describeRecord(c.Before), describeRecord(&c.After))
	}
	return tw.Flush()
}

// describeRecord is an order's state as a change lists it.
func describeRecord(r *sales.Record) string {
	if r == nil {
		return "(new)"
	}
	var refunded ledger.Amount
	for _, f := range r.Refunds {
		refunded += f.Amount
	}
	s := fmt.Sprintf("%s %s %s", r.Status, r.Total, r.Currency)
	if refunded != 0 {
		s += fmt.Sprintf(", refunded %s", refunded)
	}
	if r.Deleted {
		s += ", deleted"
	}
	return s
}
