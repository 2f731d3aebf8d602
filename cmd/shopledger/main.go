// Command shopledger is the ShopLedger app: with no arguments it opens the
// window; with a command (shop, sync, orders, …) it runs that for scripts.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"codeberg.org/shopledger/shopledger/cli"
	"codeberg.org/shopledger/shopledger/ui"
)

func main() {
	if len(os.Args) > 1 && cli.IsCommand(os.Args[1]) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Run(ctx, &cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}, os.Args[1:])
		stop()
		os.Exit(code)
	}
	fs := flag.NewFlagSet("shopledger", flag.ExitOnError)
	dataDir := fs.String("data-dir", "", "directory of the ShopLedger database (default $SHOPLEDGER_DATA_DIR or the user config dir)")
	fs.Usage = func() {
		cli.Run(context.Background(), &cli.Env{Stdout: os.Stderr, Stderr: os.Stderr}, []string{"help"})
	}
	if err := fs.Parse(os.Args[1:]); err != nil || fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "shopledger: unknown command %q\n", fs.Arg(0))
		fs.Usage()
		os.Exit(2)
	}
	os.Exit(ui.Main(*dataDir))
}
