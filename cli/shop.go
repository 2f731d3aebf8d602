package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// Credentials never come from argv, where `ps` and shell history show them.
const (
	keyEnv    = "SHOPLEDGER_CONSUMER_KEY"
	secretEnv = "SHOPLEDGER_CONSUMER_SECRET"
)

func runShop(ctx context.Context, env *Env, args []string) error {
	return subcommand(ctx, env, "shop", args, map[string]func(context.Context, *Env, []string) error{
		"add":    runShopAdd,
		"list":   runShopList,
		"test":   runShopTest,
		"keys":   runShopKeys,
		"remove": runShopRemove,
	})
}

func runShopAdd(ctx context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "shop add")
	name := fs.String("name", "", "a name for the shop (required)")
	url := fs.String("url", "", "the shop's address, e.g. https://shop.example (required)")
	wh := fs.String("warehouse", "", "warehouse code; created if it does not exist (required)")
	cc := fs.String("cost-center", "", "cost center code; created if it does not exist (required)")
	skip := fs.Bool("skip-check", false, "save without asking the shop whether the keys work")
	trust := fs.String("trust-cert", "", "trust this self-signed certificate (its SHA-256 fingerprint, as `shop test` shows it)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: shopledger shop add --name N --url U --warehouse W --cost-center C")
		fmt.Fprintln(fs.Output(), "The consumer key and secret are read from $"+keyEnv+" and $"+secretEnv+", or from standard input.")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	var missing []string
	for flagName, v := range map[string]string{"--name": *name, "--url": *url, "--warehouse": *wh, "--cost-center": *cc} {
		if strings.TrimSpace(v) == "" {
			missing = append(missing, flagName)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		fmt.Fprintln(env.Stderr, "shopledger shop add: missing "+strings.Join(missing, ", "))
		fs.Usage()
		return errUsage
	}
	key, secret, err := readCredentials(env)
	if err != nil {
		return err
	}
	b, err := open(env, *dir)
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.CheckShop(0, *name, *url); err != nil {
		return err
	}
	if !*skip {
		cctx, cancel := context.WithTimeout(ctx, time.Minute)
		d := b.Probe(cctx, *url, key, secret, *trust)
		cancel()
		if !d.OK() {
			printDiagnosis(env.Stderr, d)
			return fmt.Errorf("check connection to %s: %w", *url, &books.ConnectionError{Diagnosis: d})
		}
	}
	// A warehouse or cost center made for this shop goes again if the shop
	// cannot be added (a keyring that refuses the keys, say).
	var made []string
	var undo []func() error
	fail := func(err error) error {
		for _, u := range slices.Backward(undo) {
			if uerr := u(); uerr != nil {
				err = errors.Join(err, uerr)
			}
		}
		return err
	}
	w, err := b.Store.WarehouseByCode(*wh)
	if errors.Is(err, store.ErrNotFound) {
		if w, err = b.Store.CreateWarehouse(ledger.Warehouse{Code: *wh, Name: *wh}); err == nil {
			made = append(made, "warehouse "+w.Code)
			undo = append(undo, func() error { return b.Store.DeleteWarehouse(w.ID) })
		}
	}
	if err != nil {
		return fail(err)
	}
	c, err := b.Store.CostCenterByCode(*cc)
	if errors.Is(err, store.ErrNotFound) {
		if c, err = b.Store.CreateCostCenter(ledger.CostCenter{Code: *cc, Name: *cc}); err == nil {
			made = append(made, "cost center "+c.Code)
			undo = append(undo, func() error { return b.Store.DeleteCostCenter(c.ID) })
		}
	}
	if err != nil {
		return fail(err)
	}
	sh, err := b.AddShop(books.NewShop{Name: *name, URL: *url, Key: key, Secret: secret, Warehouse: w.ID, CostCenter: c.ID, CertSHA256: *trust})
	if err != nil {
		return fail(err)
	}
	for _, m := range made {
		fmt.Fprintln(env.Stdout, "created "+m)
	}
	fmt.Fprintf(env.Stdout, "added shop %q (%s); run `shopledger sync --shop %q` to import its orders\n", sh.Name, sh.URL, sh.Name)
	return nil
}

// readCredentials takes the key and secret from the environment or, failing
// that, from standard input: prompted without echo on a terminal, else the
// first two lines.
func readCredentials(env *Env) (key, secret string, err error) {
	key, secret = strings.TrimSpace(env.Getenv(keyEnv)), strings.TrimSpace(env.Getenv(secretEnv))
	if key != "" && secret != "" {
		return key, secret, nil
	}
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(env.Stderr, "Consumer key: ")
		k, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", "", fmt.Errorf("read consumer key: %w", err)
		}
		fmt.Fprint(env.Stderr, "Consumer secret: ")
		s, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(env.Stderr)
		if err != nil {
			return "", "", fmt.Errorf("read consumer secret: %w", err)
		}
		return strings.TrimSpace(string(k)), strings.TrimSpace(string(s)), nil
	}
	r := bufio.NewReader(env.Stdin)
	k, kerr := r.ReadString('\n')
	s, serr := r.ReadString('\n')
	key, secret = strings.TrimSpace(k), strings.TrimSpace(s)
	if key == "" || secret == "" {
		if kerr != nil && !errors.Is(kerr, io.EOF) {
			return "", "", fmt.Errorf("read consumer key: %w", kerr)
		}
		if serr != nil && !errors.Is(serr, io.EOF) {
			return "", "", fmt.Errorf("read consumer secret: %w", serr)
		}
		return "", "", &books.InputError{Problems: []string{"no consumer key and secret: set $" + keyEnv + " and $" + secretEnv + " or give them on two lines of standard input"}}
	}
	return key, secret, nil
}

func runShopList(ctx context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "shop list")
	if err := parse(fs, args); err != nil {
		return err
	}
	b, err := open(env, *dir)
	if err != nil {
		return err
	}
	defer b.Close()
	shops, err := b.Store.Shops()
	if err != nil {
		return err
	}
	if len(shops) == 0 {
		fmt.Fprintln(env.Stdout, "no shops yet; add one with `shopledger shop add`")
		return nil
	}
	names := catalogNames(b)
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tURL\tWAREHOUSE\tCOST CENTER\tORDERS\tLAST SYNC\tLAST ERROR")
	for _, sh := range shops {
		n, err := b.Store.CountOrders(store.OrderFilter{Shop: sh.ID})
		if err != nil {
			return err
		}
		st, err := b.Store.SyncState(sh.ID)
		if err != nil {
			return err
		}
		last := "never"
		if !st.LastSuccess.IsZero() {
			last = st.LastSuccess.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", sh.ID, sh.Name, sh.URL,
			names.warehouses[sh.Warehouse], names.costCenters[sh.CostCenter], n, last, oneLine(st.LastError))
	}
	return tw.Flush()
}

// catalog maps ids to codes for printing.
type catalog struct {
	warehouses  map[ledger.WarehouseID]string
	costCenters map[ledger.CostCenterID]string
	shops       map[ledger.ShopID]string
}

func catalogNames(b *books.Books) catalog {
	c := catalog{map[ledger.WarehouseID]string{}, map[ledger.CostCenterID]string{}, map[ledger.ShopID]string{}}
	ws, _ := b.Store.Warehouses()
	for _, w := range ws {
		c.warehouses[w.ID] = w.Code
	}
	cs, _ := b.Store.CostCenters()
	for _, cc := range cs {
		c.costCenters[cc.ID] = cc.Code
	}
	ss, _ := b.Store.Shops()
	for _, s := range ss {
		c.shops[s.ID] = s.Name
	}
	return c
}

func oneLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80]) + "…"
	}
	return s
}

// findShop resolves --shop by name (case-insensitive) or numeric id.
func findShop(b *books.Books, ref string) (ledger.Shop, error) {
	if sh, err := b.Store.ShopByName(ref); err == nil || !errors.Is(err, store.ErrNotFound) {
		return sh, err
	}
	var id uint64
	if _, err := fmt.Sscan(ref, &id); err == nil {
		return b.Store.Shop(ledger.ShopID(id))
	}
	return ledger.Shop{}, &books.InputError{Problems: []string{fmt.Sprintf("no shop named %q; `shopledger shop list` shows the shops", ref)}}
}
