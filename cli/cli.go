// Package cli is ShopLedger's command line: a thin front end over
// core/books for scripts, servers and tests. It parses flags, calls books
// and prints; nothing here decides how the books behave.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
)

// Env is what a command runs against; tests replace its parts.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Secrets is the keyring; nil means the OS keyring.
	Secrets secrets.Store

	// serving, when set, is told where `serve` listens and given its open
	// books once everything runs (tests wait on it).
	serving func(addr string, b *books.Books)
}

type command struct {
	name, usage string
	run         func(ctx context.Context, env *Env, args []string) error
}

func commands() []command {
	return []command{
		{"shop", "shop add|list|test|keys|remove|meta-keys …   connect, list, test, re-key and remove shops; the meta keys the books read", runShop},
		{"sync", "sync [--shop NAME] [--verify]   fetch new and changed orders now; --verify compares every order with the shop", runSync},
		{"orders", "orders [--shop NAME] [--status S] [--format json|csv]   print orders", runOrders},
		{"export", "export --format csv|xlsx [--shop] [--status] [--from] [--to] -o FILE   export for accounting", runExport},
		{"warehouse", "warehouse add|list …   manage warehouses", runWarehouse},
		{"cost-center", "cost-center add|list …   manage cost centers", runCostCenter},
		{"webhooks", "webhooks register|status|url --shop NAME   instant order delivery: set up, check, or set up by hand", runWebhooks},
		{"backup", "backup -o FILE   copy the books (shops, warehouses, cost centers, orders, history) to FILE; - for stdout", runBackup},
		{"restore", "restore FILE   replace the books with a backup, once it is checked (the window and serve must be closed)", runRestore},
		{"serve", "serve [--listen ADDR] [--public-url URL]   keep the books current without a window (home server, NAS)", runServe},
		{"books", "books summary|journal|close|reopen|changes|basis|nra|nra-settings …   period totals, the journal, closing periods, the NRA audit file", runBooks},
		{"accounts", "accounts show|set --shop NAME …   the accounts the journal books to", runAccounts},
	}
}

// IsCommand reports whether arg names a subcommand, so main can tell the
// command line from a plain start of the window.
func IsCommand(arg string) bool {
	if arg == "help" || arg == "-h" || arg == "--help" {
		return true
	}
	for _, c := range commands() {
		if c.name == arg {
			return true
		}
	}
	return false
}

// errUsage marks a mistake in the command line (exit status 2).
var errUsage = errors.New("usage")

// Run executes one command and returns the process exit status.
func Run(ctx context.Context, env *Env, args []string) int {
	if env.Getenv == nil {
		env.Getenv = os.Getenv
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(env.Stdout)
		return 0
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(ctx, env, args[1:])
		switch {
		case err == nil:
			return 0
		case errors.Is(err, errUsage), errors.Is(err, flag.ErrHelp):
			return 2
		}
		fmt.Fprintln(env.Stderr, "shopledger: "+books.UserMessage(err))
		if detail := err.Error(); detail != books.UserMessage(err) {
			fmt.Fprintln(env.Stderr, "  detail: "+detail)
		}
		if errors.Is(err, store.ErrAlreadyRunning) {
			fmt.Fprintln(env.Stderr, "  Only one ShopLedger can use a data directory at a time: close the window or stop `shopledger serve`, then run this again.")
		}
		return 1
	}
	fmt.Fprintf(env.Stderr, "shopledger: unknown command %q\n", args[0])
	printUsage(env.Stderr)
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: shopledger [--data-dir DIR] [--minimized]  open the window (--minimized: in the tray)")
	fmt.Fprintln(w, "       shopledger COMMAND [flags]")
	fmt.Fprintln(w, "\nCommands:")
	for _, c := range commands() {
		fmt.Fprintln(w, "  "+c.usage)
	}
	fmt.Fprintln(w, "\nEvery command takes --data-dir DIR (or $"+books.DataDirEnv+"); run a command with -h for its flags.")
}

// newFlags makes a flag set with the shared --data-dir flag.
func newFlags(env *Env, name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("shopledger "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	dir := fs.String("data-dir", "", "directory of the ShopLedger database (default $"+books.DataDirEnv+" or the user config dir)")
	return fs, dir
}

// parse parses flags and rejects stray arguments.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}

// dataDir is the chosen data directory, or the default one.
func dataDir(dir string) (string, error) {
	if dir != "" {
		return dir, nil
	}
	return books.DefaultDataDir()
}

// open opens the books in the chosen data directory.
func open(env *Env, dir string) (*books.Books, error) {
	dir, err := dataDir(dir)
	if err != nil {
		return nil, err
	}
	sec := env.Secrets
	if sec == nil {
		sec = secrets.NewKeyring()
	}
	return books.Open(dir, sec)
}

// subcommand dispatches "shop add" style commands.
func subcommand(ctx context.Context, env *Env, group string, args []string, subs map[string]func(context.Context, *Env, []string) error) error {
	if len(args) == 0 || subs[args[0]] == nil {
		names := make([]string, 0, len(subs))
		for n := range subs {
			names = append(names, n)
		}
		fmt.Fprintf(env.Stderr, "usage: shopledger %s %s [flags]\n", group, strings.Join(sortStrings(names), "|"))
		return errUsage
	}
	return subs[args[0]](ctx, env, args[1:])
}

func sortStrings(s []string) []string { slices.Sort(s); return s }
