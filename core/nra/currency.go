package nra

import (
	"math/big"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Bulgaria adopted the euro on 2026-01-01 at the fixed rate 1 EUR =
// 1.95583 BGN (Council Regulation (EU) 2025/1407). The file of a month
// through December 2025 is in BGN, from January 2026 in EUR.
var euroDay = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// RateBGNPerEUR is the fixed conversion rate as written in the preview.
const RateBGNPerEUR = "1.95583"

// FileCurrency is the currency of the file for a month.
func FileCurrency(year int, month time.Month) string {
	if !time.Date(year, month, 1, 0, 0, 0, 0, time.UTC).Before(euroDay) {
		return "EUR"
	}
	return "BGN"
}

// cents rounds a to the cent, half away from zero, as the file writes it.
func cents(a ledger.Amount) ledger.Amount {
	const unit = 100 // an Amount keeps four decimals
	q, r := a/unit, a%unit
	switch {
	case r >= unit/2:
		q++
	case r <= -unit/2:
		q--
	}
	return q * unit
}

// convert turns a from currency `from` into `to` at the fixed rate,
// rounded to the cent; ok is false for a pair the rate does not cover.
func convert(a ledger.Amount, from, to string) (ledger.Amount, bool) {
	switch {
	case from == to:
		return cents(a), true
	case from == "EUR" && to == "BGN":
		return scale(a, 195583, 100000), true
	case from == "BGN" && to == "EUR":
		return scale(a, 100000, 195583), true
	}
	return 0, false
}

// scale is a·num/den rounded to the cent, half away from zero; big
// integers so that no amount can overflow.
func scale(a ledger.Amount, num, den int64) ledger.Amount {
	v := new(big.Int).Mul(big.NewInt(int64(a)), big.NewInt(num))
	d := big.NewInt(den * 100) // to whole cents
	q, r := new(big.Int).QuoRem(v, d, new(big.Int))
	r2 := new(big.Int).Abs(r)
	r2.Mul(r2, big.NewInt(2))
	if r2.Cmp(d) >= 0 {
		if v.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return ledger.Amount(q.Int64() * 100)
}
