package cli

import (
	"context"
	"fmt"
	"time"
)

// runShopKeys replaces a shop's REST API keys, once the shop has accepted
// them: for keys revoked in WooCommerce or lost from the keyring.
func runShopKeys(ctx context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "shop keys")
	shopRef := shopFlag(fs)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: shopledger shop keys --shop NAME")
		fmt.Fprintln(fs.Output(), "Replaces the shop's consumer key and secret, read from $"+keyEnv+" and $"+secretEnv+" or standard input, after testing them against the shop.")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := requireShop(env, "shop keys", *shopRef); err != nil {
		return err
	}
	key, secret, err := readCredentials(env)
	if err != nil {
		return err
	}
	b, sh, err := openShop(env, *dir, *shopRef)
	if err != nil {
		return err
	}
	defer b.Close()
	cctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	d, err := b.ReplaceKeys(cctx, sh.ID, key, secret)
	if d != nil && (err != nil || len(d.Problems) > 0) {
		w := env.Stdout
		if err != nil {
			w = env.Stderr
		}
		printDiagnosis(w, d)
	}
	if err != nil {
		return fmt.Errorf("replace the keys of %s: %w", sh.Name, err)
	}
	fmt.Fprintf(env.Stdout, "replaced the API keys of shop %q\n", sh.Name)
	return nil
}
