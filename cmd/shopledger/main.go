// Command shopledger is the ShopLedger app: with no arguments it opens the
// window; with a command (shop, sync, orders, …) it runs that for scripts.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
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
	gui, err := parseWindowArgs(os.Args[1:], os.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		os.Exit(2)
	}
	os.Exit(ui.Main(gui.dataDir, gui.minimized))
}

// windowArgs are the flags of the window, the app without a command.
type windowArgs struct {
	dataDir   string
	minimized bool // start in the tray without showing the window
}

// parseWindowArgs reads the window's flags. On a mistake it says what is
// wrong and the usage on stderr; -h prints the usage and returns
// flag.ErrHelp.
func parseWindowArgs(args []string, stderr io.Writer) (windowArgs, error) {
	var w windowArgs
	fs := flag.NewFlagSet("shopledger", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&w.dataDir, "data-dir", "", "directory of the ShopLedger database (default $SHOPLEDGER_DATA_DIR or the user config dir)")
	fs.BoolVar(&w.minimized, "minimized", false, "start in the tray without showing the window, as at login")
	fs.Usage = func() {
		cli.Run(context.Background(), &cli.Env{Stdout: stderr, Stderr: stderr}, []string{"help"})
	}
	if err := fs.Parse(args); err != nil {
		return w, err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "shopledger: unknown command %q\n", fs.Arg(0))
		fs.Usage()
		return w, fmt.Errorf("unknown command %q", fs.Arg(0))
	}
	return w, nil
}
