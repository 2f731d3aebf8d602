package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// orderGen makes realistic orders: ledger fields as the woo package would
// parse them, and Raw as a wc/v3 payload like
// shared/woocommerce/samples/wc-v3-order-single-25.json (about 3.5 KB).
type orderGen struct {
	r *rand.Rand
}

func newOrderGen(seed uint64) *orderGen {
	return &orderGen{r: rand.New(rand.NewPCG(seed, 42))}
}

var (
	genFirst   = []string{"Grace", "Ivan", "Maria", "Georgi", "Elena", "Peter", "Anna", "Dimitar", "Sofia", "Nikolai", "Claire", "Tom"}
	genLast    = []string{"O'Brien", "Petrov", "Ivanova", "Smith", "Dimitrova", "Müller", "Kowalski", "Georgiev", "Rossi", "Martin"}
	genStreets = []string{"Main Street", "Vitosha Blvd", "Rue de Rivoli", "Hauptstraße", "Oborishte St", "King's Road"}
	genCities  = []struct{ city, postcode, country string }{
		{"Paris", "75001", "FR"}, {"Sofia", "1000", "BG"}, {"Plovdiv", "4000", "BG"},
		{"Berlin", "10115", "DE"}, {"London", "SW1A 1AA", "GB"}, {"Varna", "9000", "BG"},
	}
	genProducts = []struct {
		name, sku string
		id, varID int64
		price     string
		size      string
	}{
		{"Notebook A5", "NB-A5", 17, 0, "7.30", ""},
		{"T-Shirt - L", "TSHIRT-L", 21, 24, "21.00", "L"},
		{"T-Shirt - M", "TSHIRT-M", 21, 23, "21.00", "M"},
		{"Blue Mug", "MUG-BLUE", 11, 0, "9.50", ""},
		{"Fountain Pen", "PEN-FTN", 31, 0, "34.90", ""},
		{"Canvas Tote Bag", "TOTE-CNV", 40, 0, "12.00", ""},
		{"Desk Lamp", "LAMP-DSK", 52, 0, "45.00", ""},
	}
	genPayments = []struct{ id, title string }{
		{"cod", "Cash on delivery"}, {"bacs", "Direct bank transfer"}, {"stripe", "Credit Card (Stripe)"},
	}
	genStatuses = []ledger.Status{
		ledger.StatusProcessing, ledger.StatusCompleted, ledger.StatusCompleted, ledger.StatusOnHold,
		ledger.StatusPending, ledger.StatusCancelled, ledger.StatusRefunded,
	}
)

func pick[T any](r *rand.Rand, s []T) T { return s[r.IntN(len(s))] }

// wcTime formats t the way wc/v3 does: no zone, seconds.
func wcTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format("2006-01-02T15:04:05")
}

// order makes order id of shop, created at created, with a random status.
func (g *orderGen) order(shop ledger.ShopID, id int64, created time.Time) ledger.Order {
	r := g.r
	created = created.UTC().Truncate(time.Second)
	first, last := pick(r, genFirst), pick(r, genLast)
	place := pick(r, genCities)
	addr := ledger.Address{
		FirstName: first, LastName: last,
		Address1: fmt.Sprintf("%d %s", 1+r.IntN(200), pick(r, genStreets)),
		City:     place.city, Postcode: place.postcode, Country: place.country,
		Email: strings.ToLower(strings.ReplaceAll(first+last, "'", "")) + strconv.Itoa(r.IntN(100)) + "@example.test",
		Phone: fmt.Sprintf("+359%09d", r.IntN(1e9)),
	}
	ship := addr
	ship.Email, ship.Phone = "", ""
	pay := pick(r, genPayments)
	o := ledger.Order{
		Shop: shop, ID: id, Number: strconv.FormatInt(id, 10),
		Status: pick(r, genStatuses), Currency: "EUR",
		Created: created, Modified: created.Add(time.Duration(r.IntN(3600)) * time.Second),
		Billing: addr, Shipping: ship,
		PaymentMethod: pay.id, PaymentMethodTitle: pay.title,
		TransactionID: fmt.Sprintf("TX%06d", r.IntN(1e6)),
	}
	if o.Status != ledger.StatusPending {
		o.Paid = o.Modified
	}
	if o.Status == ledger.StatusCompleted {
		o.Completed = o.Modified
	}
	var sum ledger.Amount
	for i := range 2 + r.IntN(4) {
		p := pick(r, genProducts)
		qty := ledger.Amount(1+r.IntN(3)) * 10000
		price := ledger.MustAmount(p.price)
		total := price * qty / 10000
		li := ledger.LineItem{
			ID: int64(i + 1), Name: p.name, ProductID: p.id, ParentID: p.varID, SKU: p.sku,
			Quantity: qty, Price: price, Subtotal: total, Total: total,
		}
		if p.size != "" {
			li.Meta = []ledger.MetaItem{{Key: "Size", Value: p.size}}
		}
		o.Lines = append(o.Lines, li)
		sum += total
	}
	o.ShippingTotal = ledger.MustAmount("5.00")
	o.ShippingLines = []ledger.ShippingLine{{ID: int64(len(o.Lines) + 1), MethodTitle: "Flat rate", MethodID: "flat_rate", Total: o.ShippingTotal}}
	o.Total = sum + o.ShippingTotal
	o.Raw = g.raw(&o)
	return o
}

// obj is a JSON object that keeps its keys in order, as PHP writes them.
type obj []field

type field struct {
	k string
	v any
}

func (o obj) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.k)
		v, err := json.Marshal(f.v)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// raw renders o as a wc/v3 payload, in WooCommerce's field order and with
// PHP's escaped slashes.
func (g *orderGen) raw(o *ledger.Order) json.RawMessage {
	addr := func(a ledger.Address, withEmail bool) obj {
		m := obj{{"first_name", a.FirstName}, {"last_name", a.LastName}, {"company", ""}, {"address_1", a.Address1},
			{"address_2", ""}, {"city", a.City}, {"state", ""}, {"postcode", a.Postcode}, {"country", a.Country}}
		if withEmail {
			m = append(m, field{"email", a.Email})
		}
		return append(m, field{"phone", a.Phone})
	}
	var lines []obj
	for _, li := range o.Lines {
		qty := int64(li.Quantity / 10000)
		var meta []obj
		for _, m := range li.Meta {
			meta = append(meta, obj{{"id", 19}, {"key", strings.ToLower(m.Key)}, {"value", m.Value},
				{"display_key", m.Key}, {"display_value", m.Value}})
		}
		meta = append(meta, obj{{"id", 20 + g.r.IntN(900)}, {"key", "_reduced_stock"}, {"value", strconv.FormatInt(qty, 10)},
			{"display_key", "_reduced_stock"}, {"display_value", strconv.FormatInt(qty, 10)}})
		var parent any
		if li.ParentID != 0 {
			parent = strings.Split(li.Name, " - ")[0]
		}
		lines = append(lines, obj{
			{"id", li.ID}, {"name", li.Name}, {"product_id", li.ProductID}, {"variation_id", li.ParentID},
			{"quantity", qty}, {"tax_class", ""}, {"subtotal", li.Subtotal.String()}, {"subtotal_tax", "0.00"},
			{"total", li.Total.String()}, {"total_tax", "0.00"}, {"taxes", []any{}}, {"meta_data", meta}, {"sku", li.SKU},
			{"price", json.Number(strconv.FormatFloat(li.Price.Float(), 'f', -1, 64))},
			{"image", obj{{"id", ""}, {"src", ""}}}, {"parent_name", parent},
		})
	}
	var shipping []obj
	for _, s := range o.ShippingLines {
		items := fmt.Sprintf("%s &times; %d", o.Lines[0].Name, o.Lines[0].Quantity/10000)
		shipping = append(shipping, obj{{"id", s.ID}, {"method_title", s.MethodTitle}, {"method_id", s.MethodID},
			{"instance_id", "1"}, {"total", s.Total.String()}, {"total_tax", "0.00"}, {"taxes", []any{}},
			{"meta_data", []obj{{{"id", 40 + g.r.IntN(900)}, {"key", "Items"}, {"value", items},
				{"display_key", "Items"}, {"display_value", items}}}}})
	}
	base := "https://shop.example.test"
	orderKey := fmt.Sprintf("wc_order_%x", g.r.Uint64())
	m := obj{
		{"id", o.ID}, {"parent_id", 0}, {"status", o.Status}, {"currency", o.Currency}, {"version", "8.2.1"},
		{"prices_include_tax", false}, {"date_created", wcTime(o.Created)}, {"date_modified", wcTime(o.Modified)},
		{"discount_total", "0.00"}, {"discount_tax", "0.00"}, {"shipping_total", o.ShippingTotal.String()},
		{"shipping_tax", "0.00"}, {"cart_tax", "0.00"}, {"total", o.Total.String()}, {"total_tax", "0.00"},
		{"customer_id", 0}, {"order_key", orderKey}, {"billing", addr(o.Billing, true)}, {"shipping", addr(o.Shipping, false)},
		{"payment_method", o.PaymentMethod}, {"payment_method_title", o.PaymentMethodTitle},
		{"transaction_id", o.TransactionID}, {"customer_ip_address", fmt.Sprintf("203.0.113.%d", g.r.IntN(255))},
		{"customer_user_agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"},
		{"created_via", "checkout"}, {"customer_note", ""}, {"date_completed", wcTime(o.Completed)},
		{"date_paid", wcTime(o.Paid)}, {"cart_hash", fmt.Sprintf("%016x%016x", g.r.Uint64(), g.r.Uint64())}, {"number", o.Number},
		{"meta_data", []obj{{{"id", 100 + g.r.IntN(900)}, {"key", "is_vat_exempt"}, {"value", "no"}}}},
		{"line_items", lines}, {"tax_lines", []any{}}, {"shipping_lines", shipping}, {"fee_lines", []any{}},
		{"coupon_lines", []any{}}, {"refunds", []any{}},
		{"payment_url", fmt.Sprintf("%s/checkout/order-pay/%d/?pay_for_order=true&key=%s", base, o.ID, orderKey)},
		{"is_editable", false}, {"needs_payment", false}, {"needs_processing", true},
		{"date_created_gmt", wcTime(o.Created)}, {"date_modified_gmt", wcTime(o.Modified)},
		{"date_completed_gmt", wcTime(o.Completed)}, {"date_paid_gmt", wcTime(o.Paid)}, {"currency_symbol", "&euro;"},
		{"_links", obj{
			{"self", []obj{{{"href", fmt.Sprintf("%s/wp-json/wc/v3/orders/%d", base, o.ID)}}}},
			{"collection", []obj{{{"href", base + "/wp-json/wc/v3/orders"}}}},
		}},
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		panic(err)
	}
	// PHP's json_encode escapes slashes; "/" only occurs inside strings.
	return bytes.ReplaceAll(bytes.TrimSpace(buf.Bytes()), []byte("/"), []byte(`\/`))
}

// orders makes n orders of shop with ids first.., created one every step
// from start.
func (g *orderGen) orders(shop ledger.ShopID, first int64, n int, start time.Time, step time.Duration) []ledger.Order {
	out := make([]ledger.Order, n)
	for i := range out {
		out[i] = g.order(shop, first+int64(i), start.Add(time.Duration(i)*step))
	}
	return out
}
