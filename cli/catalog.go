package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

func runWarehouse(ctx context.Context, env *Env, args []string) error {
	return subcommand(ctx, env, "warehouse", args, map[string]func(context.Context, *Env, []string) error{
		"add":  func(ctx context.Context, env *Env, args []string) error { return runCodedAdd(env, args, "warehouse") },
		"list": func(ctx context.Context, env *Env, args []string) error { return runCodedList(env, args, "warehouse") },
	})
}

func runCostCenter(ctx context.Context, env *Env, args []string) error {
	return subcommand(ctx, env, "cost-center", args, map[string]func(context.Context, *Env, []string) error{
		"add": func(ctx context.Context, env *Env, args []string) error { return runCodedAdd(env, args, "cost-center") },
		"list": func(ctx context.Context, env *Env, args []string) error {
			return runCodedList(env, args, "cost-center")
		},
	})
}

func runCodedAdd(env *Env, args []string, kind string) error {
	fs, dir := newFlags(env, kind+" add")
	code := fs.String("code", "", "short code, e.g. MAIN (required)")
	name := fs.String("name", "", "name (defaults to the code)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *name == "" {
		*name = *code
	}
	b, err := open(env, *dir)
	if err != nil {
		return err
	}
	defer b.Close()
	if kind == "warehouse" {
		w, err := b.Store.CreateWarehouse(ledger.Warehouse{Code: *code, Name: *name})
		if err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "created warehouse %s (%s)\n", w.Code, w.Name)
		return nil
	}
	c, err := b.Store.CreateCostCenter(ledger.CostCenter{Code: *code, Name: *name})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "created cost center %s (%s)\n", c.Code, c.Name)
	return nil
}

func runCodedList(env *Env, args []string, kind string) error {
	fs, dir := newFlags(env, kind+" list")
	if err := parse(fs, args); err != nil {
		return err
	}
	b, err := open(env, *dir)
	if err != nil {
		return err
	}
	defer b.Close()
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tNAME")
	if kind == "warehouse" {
		ws, err := b.Store.Warehouses()
		if err != nil {
			return err
		}
		for _, w := range ws {
			fmt.Fprintf(tw, "%s\t%s\n", w.Code, w.Name)
		}
	} else {
		cs, err := b.Store.CostCenters()
		if err != nil {
			return err
		}
		for _, c := range cs {
			fmt.Fprintf(tw, "%s\t%s\n", c.Code, c.Name)
		}
	}
	return tw.Flush()
}
