package cli

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
)

// orderJSON is the command line's stable view of an order, with the shop,
// warehouse and cost center by name rather than by internal id.
type orderJSON struct {
	Shop             string     `json:"shop"`
	ID               int64      `json:"id"`
	Number           string     `json:"number"`
	Status           string     `json:"status"`
	Currency         string     `json:"currency"`
	Total            string     `json:"total"`
	TotalTax         string     `json:"total_tax"`
	ShippingTotal    string     `json:"shipping_total"`
	DiscountTotal    string     `json:"discount_total"`
	DateCreatedGMT   string     `json:"date_created_gmt"`
	DateModifiedGMT  string     `json:"date_modified_gmt"`
	DatePaidGMT      string     `json:"date_paid_gmt,omitempty"`
	DateCompletedGMT string     `json:"date_completed_gmt,omitempty"`
	Customer         string     `json:"customer"`
	Email            string     `json:"email"`
	PaymentMethod    string     `json:"payment_method"`
	Warehouse        string     `json:"warehouse"`
	CostCenter       string     `json:"cost_center"`
	Deleted          bool       `json:"deleted,omitempty"`
	LineItems        []lineJSON `json:"line_items"`
}

type lineJSON struct {
	SKU      string `json:"sku"`
	Name     string `json:"name"`
	Quantity string `json:"quantity"`
	Price    string `json:"price"`
	Total    string `json:"total"`
	TotalTax string `json:"total_tax"`
}

func gmt(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05")
}

func (c catalog) view(o *ledger.Order) orderJSON {
	v := orderJSON{
		Shop: c.shops[o.Shop], ID: o.ID, Number: o.Number, Status: string(o.Status), Currency: o.Currency,
		Total: o.Total.String(), TotalTax: o.TotalTax.String(), ShippingTotal: o.ShippingTotal.String(), DiscountTotal: o.DiscountTotal.String(),
		DateCreatedGMT: gmt(o.Created), DateModifiedGMT: gmt(o.Modified), DatePaidGMT: gmt(o.Paid), DateCompletedGMT: gmt(o.Completed),
		Customer: o.CustomerName(), Email: o.Billing.Email, PaymentMethod: o.PaymentMethodTitle,
		Warehouse: c.warehouses[o.Warehouse], CostCenter: c.costCenters[o.CostCenter], Deleted: o.Deleted,
		LineItems: make([]lineJSON, 0, len(o.Lines)),
	}
	for _, l := range o.Lines {
		v.LineItems = append(v.LineItems, lineJSON{SKU: l.SKU, Name: l.Name, Quantity: quantity(l.Quantity), Price: l.Price.String(), Total: l.Total.String(), TotalTax: l.TotalTax.String()})
	}
	return v
}

// quantity prints whole quantities without decimals ("2", "1.5").
func quantity(a ledger.Amount) string {
	if a%10000 == 0 {
		return fmt.Sprint(int64(a) / 10000)
	}
	return a.String()
}

func runOrders(ctx context.Context, env *Env, args []string) error {
	fs, dir := newFlags(env, "orders")
	shopRef := fs.String("shop", "", "only this shop (name or id)")
	status := fs.String("status", "", "only this status, e.g. processing")
	format := fs.String("format", "json", "json (an array, one object per order) or csv (one row per order)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *format != "json" && *format != "csv" {
		fmt.Fprintf(env.Stderr, "shopledger orders: unknown --format %q (json or csv)\n", *format)
		return errUsage
	}
	b, err := open(env, *dir)
	if err != nil {
		return err
	}
	defer b.Close()
	f := store.OrderFilter{Status: ledger.NormalizeStatus(*status)}
	if *shopRef != "" {
		sh, err := findShop(b, *shopRef)
		if err != nil {
			return err
		}
		f.Shop = sh.ID
	}
	names := catalogNames(b)
	if *format == "csv" {
		return writeOrdersCSV(env.Stdout, b, f, names)
	}
	return writeOrdersJSON(env.Stdout, b, f, names)
}

// writeOrdersJSON streams a JSON array so 100,000 orders never sit in memory.
func writeOrdersJSON(w io.Writer, b *books.Books, f store.OrderFilter, names catalog) error {
	if _, err := io.WriteString(w, "["); err != nil {
		return err
	}
	first := true
	err := b.Store.EachOrder(f, func(o *ledger.Order) error {
		sep := ",\n"
		if first {
			sep, first = "\n", false
		}
		if _, err := io.WriteString(w, sep); err != nil {
			return err
		}
		line, err := json.Marshal(names.view(o))
		if err != nil {
			return err
		}
		_, err = w.Write(line)
		return err
	})
	if err != nil {
		return fmt.Errorf("write orders: %w", err)
	}
	_, err = io.WriteString(w, "\n]\n")
	return err
}

var csvHeader = []string{"shop", "id", "number", "status", "currency", "total", "total_tax", "shipping_total", "discount_total",
	"date_created_gmt", "date_modified_gmt", "date_paid_gmt", "customer", "email", "payment_method", "warehouse", "cost_center", "deleted", "skus"}

func writeOrdersCSV(w io.Writer, b *books.Books, f store.OrderFilter, names catalog) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	err := b.Store.EachOrder(f, func(o *ledger.Order) error {
		v := names.view(o)
		skus := ""
		for i, l := range v.LineItems {
			if i > 0 {
				skus += " "
			}
			skus += l.SKU + "×" + l.Quantity
		}
		return cw.Write([]string{v.Shop, fmt.Sprint(v.ID), v.Number, v.Status, v.Currency, v.Total, v.TotalTax, v.ShippingTotal, v.DiscountTotal,
			v.DateCreatedGMT, v.DateModifiedGMT, v.DatePaidGMT, v.Customer, v.Email, v.PaymentMethod, v.Warehouse, v.CostCenter, fmt.Sprint(v.Deleted), skus})
	})
	if err != nil {
		return fmt.Errorf("write orders: %w", err)
	}
	cw.Flush()
	return cw.Error()
}
