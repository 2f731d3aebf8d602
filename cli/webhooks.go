package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"codeberg.org/shopledger/shopledger/core/autosync"
	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/webhook"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// publicURLEnv is the public URL when --public-url is not given. Core has
// no settings store yet, so the address lives in the environment (a
// service file or a shell profile) rather than in the database.
const publicURLEnv = "SHOPLEDGER_PUBLIC_URL"

// webhookTimeout bounds a webhook command's talk with the shop.
const webhookTimeout = 2 * time.Minute

func publicURLFlag(fs *flag.FlagSet) *string {
	return fs.String("public-url", "", "the address WooCommerce reaches this ShopLedger's webhook receiver at, "+
		"e.g. https://hooks.example.com (default $"+publicURLEnv+")")
}

// resolvePublicURL is the flag's value, else $SHOPLEDGER_PUBLIC_URL,
// checked and without a trailing slash; empty when neither is set.
func resolvePublicURL(env *Env, flagValue string) (string, error) {
	s := strings.TrimSpace(flagValue)
	from := "--public-url"
	if s == "" {
		s, from = strings.TrimSpace(env.Getenv(publicURLEnv)), "$"+publicURLEnv
	}
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" {
		return "", &books.InputError{Problems: []string{fmt.Sprintf(
			"%s %q is not a web address like https://hooks.example.com (http:// or https://, a host, no query)", from, s)}}
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// deliveryURL is the shop's webhook URL under base, as webhook.Receiver's
// URL builds it.
func deliveryURL(base, token string) string {
	if token == "" {
		return ""
	}
	return strings.TrimRight(base, "/") + webhook.PathPrefix + token
}

// matchURL is a URL that finds the shop's webhooks in its list when no
// public URL is known: ShopLedger recognises its webhooks by the path,
// which carries the shop's token, whatever the host.
func matchURL(sh ledger.Shop) string {
	return deliveryURL("http://"+webhook.DefaultAddr, sh.WebhookToken)
}

// isLoopbackURL reports whether u's host is this machine.
func isLoopbackURL(u string) bool {
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	h := p.Hostname()
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

func runWebhooks(ctx context.Context, env *Env, args []string) error {
	return subcommand(ctx, env, "webhooks", args, map[string]func(context.Context, *Env, []string) error{
		"register": runWebhooksRegister,
		"status":   runWebhooksStatus,
		"url":      runWebhooksURL,
	})
}

// shopFlag adds the required --shop flag.
func shopFlag(fs *flag.FlagSet) *string {
	return fs.String("shop", "", "the shop (name or id; required)")
}

func requireShop(env *Env, cmdName, ref string) error {
	if strings.TrimSpace(ref) == "" {
		fmt.Fprintln(env.Stderr, "shopledger "+cmdName+": missing --shop")
		return errUsage
	}
	return nil
}

// openShop opens the books and finds the shop ref names in them; the
// caller closes the books, which are closed already on an error.
func openShop(env *Env, dir, ref string) (*books.Books, ledger.Shop, error) {
	b, err := open(env, dir)
	if err != nil {
		return nil, ledger.Shop{}, err
	}
	sh, err := findShop(b, ref)
	if err != nil {
		b.Close()
		return nil, ledger.Shop{}, err
	}
	return b, sh, nil
}

// requirePublicURL is resolvePublicURL for commands that cannot do without
// a public URL.
func requirePublicURL(env *Env, flagValue string) (string, error) {
	base, err := resolvePublicURL(env, flagValue)
	if err == nil && base == "" {
		err = errNoPublicURL
	}
	return base, err
}

func runWebhooksRegister(ctx context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "webhooks register")
	shopRef := shopFlag(fs)
	public := publicURLFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: shopledger webhooks register --shop NAME [--public-url URL]")
		fmt.Fprintln(fs.Output(), "Creates (or corrects) ShopLedger's webhooks in the shop and switches it to webhook mode. Needs a Read/Write API key.")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := requireShop(env, "webhooks register", *shopRef); err != nil {
		return err
	}
	base, err := requirePublicURL(env, *public)
	if err != nil {
		return err
	}
	b, sh, err := openShop(env, *dir, *shopRef)
	if err != nil {
		return err
	}
	defer b.Close()
	token, err := webhook.EnsureToken(b.Store, sh.ID)
	if err != nil {
		return err
	}
	target := deliveryURL(base, token)
	if isLoopbackURL(target) && !isLoopbackURL(sh.URL) {
		fmt.Fprintf(env.Stderr, "note: %s points at this machine, which the shop at %s cannot reach; "+
			"WooCommerce delivers from the shop's server\n", base, sh.URL)
	}

	cctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	// What was there before, to tell created from reused. The check also
	// switches disabled ones back on, which registering would do anyway.
	before, berr := b.CheckWebhooks(cctx, sh.ID, target)
	kept, err := b.RegisterWebhooks(cctx, sh.ID, target)
	if len(kept) > 0 || err == nil {
		printRegistered(env.Stdout, sh, target, before, berr == nil, kept)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "The shop is now in webhook mode: orders arrive as they happen, with a catch-up sync every night.")
	fmt.Fprintln(env.Stdout, "Keep `shopledger serve` (or the ShopLedger window) running and reachable at that address.")
	return nil
}

// printRegistered lists what RegisterWebhooks left in the shop, and what
// it changed, when the state before is known.
func printRegistered(w io.Writer, sh ledger.Shop, target string, before books.WebhookCheck, known bool, kept []woo.Webhook) {
	fmt.Fprintf(w, "Webhooks of %q deliver to %s\n", sh.Name, target)
	old := map[int64]woo.Webhook{}
	for _, o := range before.Ours {
		old[o.ID] = o
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, k := range kept {
		what := "created"
		if o, ok := old[k.ID]; ok {
			var changes []string
			if slices.Contains(before.Reactivated, k.ID) {
				changes = append(changes, "switched back on")
			}
			if o.DeliveryURL != target {
				changes = append(changes, "delivery URL was "+o.DeliveryURL)
			}
			what = "reused"
			if len(changes) > 0 {
				what += " (" + strings.Join(changes, "; ") + ")"
			}
		} else if !known {
			what = "registered"
		}
		fmt.Fprintf(tw, "  #%d\t%s\t%s\n", k.ID, k.Topic, what)
	}
	tw.Flush()
	for _, o := range before.Ours {
		gone := !slices.ContainsFunc(kept, func(k woo.Webhook) bool { return k.ID == o.ID })
		if gone && slices.Contains(books.WebhookTopics, o.Topic) && len(kept) == len(books.WebhookTopics) {
			fmt.Fprintf(w, "  #%d\t%s\tremoved (a second webhook on the same topic)\n", o.ID, o.Topic)
		}
	}
}

func runWebhooksStatus(ctx context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "webhooks status")
	shopRef := shopFlag(fs)
	public := publicURLFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: shopledger webhooks status --shop NAME [--public-url URL]")
		fmt.Fprintln(fs.Output(), "Asks the shop about ShopLedger's webhooks (switching disabled ones back on) and shows how the shop is kept current.")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := requireShop(env, "webhooks status", *shopRef); err != nil {
		return err
	}
	base, err := resolvePublicURL(env, *public)
	if err != nil {
		return err
	}
	b, sh, err := openShop(env, *dir, *shopRef)
	if err != nil {
		return err
	}
	defer b.Close()
	want := ""
	if base != "" {
		want = deliveryURL(base, sh.WebhookToken)
	}
	match := want
	if match == "" {
		match = matchURL(sh)
	}
	cctx, cancel := context.WithTimeout(ctx, webhookTimeout)
	defer cancel()
	chk, err := b.CheckWebhooks(cctx, sh.ID, match)
	if err != nil {
		return err
	}
	st, err := b.Store.SyncState(sh.ID)
	if err != nil {
		return err
	}
	last, err := lastDeliveries(b, sh.ID)
	if err != nil {
		return err
	}
	w := env.Stdout
	fmt.Fprintf(w, "Shop:           %s (%s)\n", sh.Name, sh.URL)
	fmt.Fprintf(w, "Mode:           %s\n", modeSentence(sh, st))
	if st.LastDelivery.IsZero() {
		fmt.Fprintln(w, "Last delivery:  none yet")
	} else {
		fmt.Fprintf(w, "Last delivery:  %s\n", when(st.LastDelivery))
	}
	if len(chk.Ours) == 0 {
		fmt.Fprintln(w, "Webhooks:       none of ShopLedger's in the shop")
	} else {
		fmt.Fprintln(w, "Webhooks:")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  ID\tTOPIC\tSTATUS\tLAST DELIVERY\tDELIVERY URL")
		for _, h := range chk.Ours {
			ld := "none yet"
			if t, ok := last[h.ID]; ok {
				ld = when(t)
			}
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t%s\n", h.ID, h.Topic, h.Status, ld, h.DeliveryURL)
		}
		tw.Flush()
	}
	var problems []string
	for _, id := range chk.Reactivated {
		fmt.Fprintf(w, "Switched back on: webhook #%d (WooCommerce had disabled or paused it).\n", id)
	}
	if len(chk.Ours) > 0 && len(chk.Missing) > 0 {
		problems = append(problems, fmt.Sprintf("No ShopLedger webhook for %s: run %s.",
			strings.Join(chk.Missing, ", "), registerHint(sh, base)))
	}
	if len(chk.Ours) == 0 && sh.SyncMode == ledger.SyncWebhook {
		problems = append(problems, "The shop is in webhook mode, but its webhooks are gone: run "+registerHint(sh, base)+".")
	}
	for _, h := range chk.Inactive() {
		problems = append(problems, fmt.Sprintf("The %s webhook (#%d) is %s and could not be switched back on.", h.Topic, h.ID, h.Status))
	}
	if chk.Err != nil {
		problems = append(problems, books.UserMessage(chk.Err))
	}
	if want != "" {
		// Grouped by where they deliver: usually all to one old address.
		stale := map[string][]string{}
		var urls []string
		for _, h := range chk.Ours {
			if h.DeliveryURL != want {
				if stale[h.DeliveryURL] == nil {
					urls = append(urls, h.DeliveryURL)
				}
				stale[h.DeliveryURL] = append(stale[h.DeliveryURL], fmt.Sprintf("#%d", h.ID))
			}
		}
		for _, u := range urls {
			subject := "Webhook " + stale[u][0] + " delivers"
			if len(stale[u]) > 1 {
				subject = "Webhooks " + strings.Join(stale[u], ", ") + " deliver"
			}
			problems = append(problems, fmt.Sprintf("%s to %s, not to %s: run %s.", subject, u, want, registerHint(sh, base)))
		}
	}
	if st.Fallback != "" {
		problems = append(problems, "Polled hourly for now: "+st.Fallback)
	}
	for _, p := range problems {
		fmt.Fprintln(w, "Problem: "+p)
	}
	switch {
	case len(chk.Ours) == 0:
		fmt.Fprintf(w, "Health:         no webhooks; %s sets them up\n", registerHint(sh, base))
	case len(problems) == 0:
		fmt.Fprintln(w, "Health:         healthy")
	default:
		fmt.Fprintln(w, "Health:         needs attention")
	}
	return nil
}

// registerHint is the command that (re)registers the shop's webhooks.
func registerHint(sh ledger.Shop, base string) string {
	if base == "" {
		base = "URL"
	}
	return fmt.Sprintf("`shopledger webhooks register --shop %q --public-url %s`", sh.Name, base)
}

// modeSentence says how the shop is kept current.
func modeSentence(sh ledger.Shop, st ledger.SyncState) string {
	mode := autosync.ModeOf(sh, st)
	switch mode {
	case autosync.ModeWebhook:
		h, m, _ := autosync.CatchUpAt(sh)
		return fmt.Sprintf("%s (orders arrive by webhook; a catch-up sync every night at %02d:%02d)", mode, h, m)
	case autosync.ModeFallback:
		return fmt.Sprintf("%s (a webhook shop polled every %v until its webhooks deliver again)", mode, autosync.DefaultPollInterval)
	}
	d, _ := autosync.PollInterval(sh)
	return fmt.Sprintf("%s (polled every %v)", mode, d)
}

func when(t time.Time) string { return t.Local().Format("2006-01-02 15:04:05") }

// lastDeliveries returns when each webhook last delivered, from the
// deliveries kept in the store (newest first; the most recent few
// thousand are enough to find every webhook's last one).
func lastDeliveries(b *books.Books, id ledger.ShopID) (map[int64]time.Time, error) {
	const page, pages = 500, 8
	out := map[int64]time.Time{}
	var before uint64
	for range pages {
		ds, err := b.Store.Deliveries(id, "", page, before)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			if t, ok := out[d.WebhookID]; d.WebhookID != 0 && (!ok || d.Received.After(t)) {
				out[d.WebhookID] = d.Received
			}
		}
		if len(ds) < page {
			break
		}
		before = ds[len(ds)-1].Seq
	}
	return out, nil
}

// topicLabels are the topics as WooCommerce's "Topic" list names them.
var topicLabels = map[string]string{
	"order.created": "Order created",
	"order.updated": "Order updated",
	"order.deleted": "Order deleted",
}

func runWebhooksURL(ctx context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "webhooks url")
	shopRef := shopFlag(fs)
	public := publicURLFlag(fs)
	show := fs.Bool("show-secret", false, "print the webhook secret too (it is hidden otherwise)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: shopledger webhooks url --shop NAME [--public-url URL] [--show-secret]")
		fmt.Fprintln(fs.Output(), "Prints what to enter in WooCommerce to add ShopLedger's webhooks by hand.")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := requireShop(env, "webhooks url", *shopRef); err != nil {
		return err
	}
	base, err := requirePublicURL(env, *public)
	if err != nil {
		return err
	}
	b, sh, err := openShop(env, *dir, *shopRef)
	if err != nil {
		return err
	}
	defer b.Close()
	token, err := webhook.EnsureToken(b.Store, sh.ID)
	if err != nil {
		return err
	}
	setup, err := b.WebhookInstructions(sh.ID, deliveryURL(base, token))
	if err != nil {
		return err
	}
	w := env.Stdout
	fmt.Fprintf(w, "Delivery URL:  %s\n", setup.DeliveryURL)
	if *show {
		fmt.Fprintf(w, "Secret:        %s\n", setup.Secret)
	} else {
		fmt.Fprintln(w, "Secret:        (hidden; add --show-secret to print it)")
	}
	fmt.Fprintf(w, "API version:   %s\n", setup.APIVersion)
	fmt.Fprintf(w, "Status:        %s\n", setup.Status)
	fmt.Fprintln(w, "Topics:")
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, t := range setup.Topics {
		label := topicLabels[t]
		if label == "" {
			label = t
		}
		fmt.Fprintf(tw, "  %s\t(%s)\tname it %q\n", label, t, setup.Names[t])
	}
	tw.Flush()
	fmt.Fprintf(w, "\nIn WordPress open WooCommerce → Settings → Advanced → Webhooks → Add webhook, once per topic,\n"+
		"and enter the name, status, topic, delivery URL, secret and API version above.\n"+
		"Then `shopledger webhooks status --shop %q` shows whether they are in place.\n", sh.Name)
	return nil
}
