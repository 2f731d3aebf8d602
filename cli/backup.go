package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
)

func runBackup(ctx context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "backup")
	out := fs.String("o", "", "the file to write (required); - writes to standard output")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: shopledger backup -o FILE")
		fmt.Fprintln(fs.Output(), "Copies the books to FILE and checks the copy. API keys stay in the keyring and are not copied.")
		fs.PrintDefaults()
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if strings.TrimSpace(*out) == "" {
		fmt.Fprintln(env.Stderr, "shopledger backup: missing -o FILE")
		fs.Usage()
		return errUsage
	}
	d, err := dataDir(*dir)
	if err != nil {
		return err
	}
	if *out == "-" {
		_, err := books.Backup(d, env.Stdout)
		return err
	}
	sum, err := books.BackupFile(d, *out)
	if err != nil {
		return err
	}
	size := ""
	if fi, err := os.Stat(*out); err == nil {
		size = fmt.Sprintf(" (%.1f MB)", float64(fi.Size())/(1<<20))
	}
	fmt.Fprintf(env.Stdout, "backed up %s and %s to %s%s\n", plural(sum.Shops, "shop"), plural(sum.Orders, "order"), *out, size)
	return nil
}

func runRestore(ctx context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "restore")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: shopledger restore FILE")
		fmt.Fprintln(fs.Output(), "Replaces the books with the backup in FILE once it is checked; the books it replaces are kept beside them.")
		fmt.Fprintln(fs.Output(), "Close the window and stop `shopledger serve` first.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.Stderr, "shopledger restore: give the backup file")
		fs.Usage()
		return errUsage
	}
	from := fs.Arg(0)
	d, err := dataDir(*dir)
	if err != nil {
		return err
	}
	sum, err := books.Restore(d, from)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "restored %s and %s from %s; the books they replaced are in %s\n",
		plural(sum.Shops, "shop"), plural(sum.Orders, "order"), from, books.DBFile+store.BeforeRestoreSuffix)
	return checkKeys(env, *dir)
}

// checkKeys tells which restored shops have no API keys in this computer's
// keyring (a backup holds none), and how to enter them.
func checkKeys(env *Env, dir string) error {
	b, err := open(env, dir)
	if err != nil {
		return err
	}
	defer b.Close()
	shops, err := b.Shops()
	if err != nil {
		return err
	}
	for _, sh := range shops {
		_, err := secrets.LoadShop(b.Secrets, sh.ID)
		switch {
		case errors.Is(err, secrets.ErrNotFound):
			fmt.Fprintf(env.Stdout, "shop %q has no API keys in this keyring: enter them with `shopledger shop keys --shop %q`\n", sh.Name, sh.Name)
		case err != nil:
			fmt.Fprintf(env.Stderr, "shopledger: the API keys of the shops could not be checked: %s\n", books.UserMessage(err))
			return nil
		}
	}
	return nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
