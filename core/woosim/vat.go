package woosim

import (
	"fmt"
	"strconv"
)

// vatConfig is the VAT shop's tax setup, shared by every order's
// generation (read-only once built).
type vatConfig struct {
	rates     []*taxRate             // in TaxRates' order
	country   map[string][2]*taxRate // per billing country: standard, reduced-rate
	inclusive bool                   // prices entered with tax
}

// taxRateRow is a rate as GET /wc/v3/taxes lists it.
type taxRateRow struct {
	rate           *taxRate
	country, state string
	class          string
}

func newVATConfig(rates []TaxRate, inclusive bool) (*vatConfig, []taxRateRow) {
	if rates == nil {
		rates = DefaultTaxRates
	}
	c := &vatConfig{country: map[string][2]*taxRate{}, inclusive: inclusive}
	var rows []taxRateRow
	for _, tr := range rates {
		bp, err := parseMoney(tr.Percent)
		if err != nil || tr.ID <= 0 || len(tr.Country) != 2 {
			panic(fmt.Sprintf("woosim: tax rate %+v: want an id, a two-letter country and a percent like \"20\" or \"5.5\"", tr))
		}
		rt := &taxRate{
			ID: tr.ID, Code: tr.Country + "-" + asciiUpper(tr.Name) + "-1", Label: tr.Name, BP: int64(bp),
			RatePercent: string(appendPHPFloatMoney(nil, bp)),
		}
		c.rates = append(c.rates, rt)
		pair := c.country[tr.Country]
		switch tr.Class {
		case "reduced-rate":
			pair[1] = rt
		default:
			pair[0] = rt
		}
		c.country[tr.Country] = pair
		rows = append(rows, taxRateRow{rt, tr.Country, "", tr.Class})
	}
	return c, rows
}

// rateFor is the rate of a tax class in a country: the reduced rate for
// "reduced-rate" where there is one, else the standard rate; nil where the
// shop charges no tax.
func (c *vatConfig) rateFor(country, class string) *taxRate {
	pair := c.country[country]
	if class == "reduced-rate" && pair[1] != nil {
		return pair[1]
	}
	return pair[0]
}

// asciiUpper is PHP's strtoupper(), which leaves non-ASCII letters alone
// (WC_Tax::get_rate_code()).
func asciiUpper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// inclusiveTax is the tax in a gross amount at rate (hundredths of a
// percent), as WC_Tax::calc_inclusive_tax() computes it, rounded half away
// from zero to a cent as each line's tax is rounded.
func inclusiveTax(gross money, rateBP int64) money {
	v := int64(gross) * rateBP
	den := 10000 + rateBP
	if v < 0 {
		return -money((-v + den/2) / den)
	}
	return money((v + den/2) / den)
}

// builtinTaxRows are the older generator's rates, as /wc/v3/taxes lists
// them for a shop without VAT.
var builtinTaxRows = []taxRateRow{
	{rateDE, "DE", "", "standard"}, {rateFR, "FR", "", "standard"}, {rateBG, "BG", "", "standard"},
	{rateGB, "GB", "", "standard"}, {rateUSTX, "US", "TX", "standard"}, {rateDEReduced, "DE", "", "reduced-rate"},
	{rateFRReduced, "FR", "", "reduced-rate"},
}

// formatRate is a rate as the tax table stores it: "20.0000".
func formatRate(bp int64) string {
	return strconv.FormatInt(bp/100, 10) + "." + fmt.Sprintf("%02d00", bp%100)
}

// vatCountryPicks picks a VAT shop's billing country: a Bulgarian shop
// selling mostly at home, some to Germany, a little further away (where it
// charges no tax unless TaxRates say otherwise).
var vatCountryPicks []weighted[*country]

func init() {
	weights := map[string]int{"BG": 65, "DE": 20, "FR": 5, "GB": 5, "US": 5}
	for i := range countries {
		vatCountryPicks = append(vatCountryPicks, weighted[*country]{&countries[i], weights[countries[i].Code]})
	}
}
