package orderindex

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Test orders: a few realistic fields, from a fixed seed.

var (
	firstNames = []string{"Ivan", "Maria", "Georgi", "Elena", "Petar", "Margaret", "John", "Анна", "Димитър", "Цветелина", "Stoyan", "Nikolay"}
	lastNames  = []string{"Petrov", "Ivanova", "Dimitrov", "Hamilton", "Smith", "Георгиева", "Тодоров", "Kostov", "Nikolova", "Angelov"}
	companies  = []string{"", "", "", "Acme Ltd", "Стройком ЕООД", "Bright Dental"}
	domains    = []string{"example.com", "abv.bg", "mail.bg", "gmail.com"}
	skuStems   = []string{"TSHIRT", "MUG", "CAP", "BAG", "HOODIE", "SOCKS", "POSTER", "BOOK"}
	statuses   = []ledger.Status{
		ledger.StatusCompleted, ledger.StatusCompleted, ledger.StatusCompleted, ledger.StatusProcessing,
		ledger.StatusOnHold, ledger.StatusPending, ledger.StatusCancelled, ledger.StatusRefunded, ledger.StatusFailed,
	}
)

var genStart = time.Date(2024, 1, 1, 8, 0, 0, 0, time.UTC)

// genOrder is order id of shop, created id minutes after genStart (so ids
// and times rise together), with one to four lines.
func genOrder(r *rand.Rand, shop ledger.ShopID, id int64) ledger.Order {
	first, last := firstNames[r.IntN(len(firstNames))], lastNames[r.IntN(len(lastNames))]
	o := ledger.Order{
		Shop: shop, ID: id, Number: fmt.Sprint(1000 + id),
		Status:   statuses[r.IntN(len(statuses))],
		Currency: "EUR", Total: ledger.Amount(r.IntN(5_000_000)),
		Created: genStart.Add(time.Duration(id) * time.Minute),
		Billing: ledger.Address{
			FirstName: first, LastName: last, Company: companies[r.IntN(len(companies))],
			Email: strings.ToLower(fmt.Sprintf("%s.%s%d@%s", ascii(first), ascii(last), r.IntN(100), domains[r.IntN(len(domains))])),
		},
		Warehouse: 1, CostCenter: ledger.CostCenterID(1 + r.IntN(2)),
	}
	o.Modified = o.Created.Add(time.Hour)
	for n := 1 + r.IntN(4); n > 0; n-- {
		stem := skuStems[r.IntN(len(skuStems))]
		o.Lines = append(o.Lines, ledger.LineItem{
			ID: id*10 + int64(n), Name: strings.ToLower(stem), SKU: fmt.Sprintf("%s-%03d", stem, r.IntN(400)),
			Quantity: ledger.Amount(10000 * (1 + r.IntN(3))), Price: ledger.Amount(r.IntN(1_000_000)),
		})
	}
	return o
}

// ascii keeps an email's local part plain for Cyrillic names.
func ascii(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if c < 128 {
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 {
		return "client"
	}
	return b.String()
}

// genOrders makes n orders spread over shops round-robin.
func genOrders(seed uint64, shops, n int) []ledger.Order {
	r := rand.New(rand.NewPCG(seed, 7))
	out := make([]ledger.Order, n)
	for i := range out {
		out[i] = genOrder(r, ledger.ShopID(1+i%shops), int64(i+1))
	}
	return out
}
