package woo

import "codeberg.org/shopledger/shopledger/core/ledger"

// The legacy API gives an order one tax total per rate (cart, fee and
// shipping tax together) and its lines only their tax class, never their
// rate. With one rate, everything is that rate's. With several, each tax
// class is taxed at one of them (one rate per class in a country, as VAT
// works), and which is found by arithmetic: the classes' line and fee tax,
// plus the shipping tax on one rate, must add up to the rates' totals, to
// a cent per line. When exactly one assignment does, it is the order's;
// otherwise the split stays unknown.

// classRates returns the rate id each tax class of a legacy order was
// taxed at and the rate its shipping tax went to (0: none), or ok false
// when the order does not tell one assignment.
func classRates(o *ledger.Order) (rates map[string]int64, shipping int64, ok bool) {
	var classes []string
	classTax := map[string]ledger.Amount{}
	taxed := 0
	add := func(class string, tax ledger.Amount) {
		if tax == 0 {
			return
		}
		if _, seen := classTax[class]; !seen {
			classes = append(classes, class)
		}
		classTax[class] += tax
		taxed++
	}
	for _, l := range o.Lines {
		add(l.TaxClass, l.TotalTax)
	}
	for _, f := range o.FeeLines {
		add(f.TaxClass, f.TotalTax)
	}
	n := len(o.TaxLines)
	if n == 0 || n != len(classes) || n > 4 {
		return nil, 0, false
	}
	for _, t := range o.TaxLines {
		if t.Compound {
			return nil, 0, false
		}
	}
	tolerance := ledger.Amount(100 * (taxed + 1)) // a cent per line: lines are rounded one by one
	ships := []int{-1}
	if o.ShippingTax != 0 {
		ships = make([]int, n)
		for i := range ships {
			ships[i] = i
		}
	}
	found := 0
	var best []int
	bestShip := -1
	permute(n, func(perm []int) {
		for _, ship := range ships {
			fits := true
			for i, c := range classes {
				r := perm[i]
				want := o.TaxLines[r].TaxTotal + o.TaxLines[r].ShippingTaxTotal
				if r == ship {
					want -= o.ShippingTax
				}
				if d := want - classTax[c]; d > tolerance || d < -tolerance {
					fits = false
					break
				}
			}
			if fits {
				found++
				best, bestShip = append([]int(nil), perm...), ship
			}
		}
	})
	if found != 1 {
		return nil, 0, false
	}
	rates = make(map[string]int64, n)
	for i, c := range classes {
		rates[c] = o.TaxLines[best[i]].RateID
	}
	if bestShip >= 0 {
		shipping = o.TaxLines[bestShip].RateID
	}
	return rates, shipping, true
}

// permute calls f with every permutation of 0..n-1 (n ≤ 4).
func permute(n int, f func([]int)) {
	perm := make([]int, n)
	used := make([]bool, n)
	var rec func(int)
	rec = func(i int) {
		if i == n {
			f(perm)
			return
		}
		for v := range n {
			if !used[v] {
				used[v], perm[i] = true, v
				rec(i + 1)
				used[v] = false
			}
		}
	}
	rec(0)
}
