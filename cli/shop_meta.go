package cli

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strings"
)

// runShopMetaKeys is `shopledger shop meta-keys --shop NAME [--set K1,K2]`:
// the order meta keys the books read (a document or receipt number), which
// the verification pass compares with the shop. Without --set it prints
// them; --set "" clears them.
func runShopMetaKeys(ctx context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "shop meta-keys")
	ref := fs.String("shop", "", "the shop (name or id; required)")
	set := fs.String("set", "", "comma-separated meta keys to read from now on (\"\" clears them)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *ref == "" {
		fmt.Fprintln(env.Stderr, "shopledger shop meta-keys: missing --shop")
		return errUsage
	}
	b, sh, err := openShop(env, *dir, *ref)
	if err != nil {
		return err
	}
	defer b.Close()
	setting := false
	fs.Visit(func(f *flag.Flag) { setting = setting || f.Name == "set" })
	if setting {
		var keys []string
		for _, k := range strings.Split(*set, ",") {
			if k = strings.TrimSpace(k); k != "" && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
		sh.MetaKeys = keys
		if err := b.UpdateShop(sh); err != nil {
			return err
		}
	}
	if len(sh.MetaKeys) == 0 {
		fmt.Fprintf(env.Stdout, "%s: no meta keys; the verification compares the order fields only\n", sh.Name)
		return nil
	}
	fmt.Fprintf(env.Stdout, "%s: %s\n", sh.Name, strings.Join(sh.MetaKeys, ", "))
	return nil
}
