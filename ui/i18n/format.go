package i18n

import (
	"strings"
	"time"

	"fyne.io/fyne/v2/lang"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// How dates and amounts read, per language. English uses ISO dates and a
// decimal point ("2026-11-27 14:02", "1,234.56 USD"); Bulgarian its own
// dates and a decimal comma with spaces between thousands ("27.11.2026
// 14:02", "1 234,56 лв."). Times are local.
type numberFormat struct {
	dateTime, date string
	// dateInput are the layouts ParseDate accepts, the first DateOnly's.
	dateInput []string
	decimal   string
	thousands string
	// currency names a currency as it follows the amount; the ISO code
	// when it has no entry.
	currency map[string]string
}

var numberFormats = map[string]numberFormat{
	"en": {dateTime: "2006-01-02 15:04", date: "2006-01-02", decimal: ".", thousands: ",",
		dateInput: []string{"2006-01-02", "2.1.2006"}},
	"bg": {dateTime: "02.01.2006 15:04", date: "02.01.2006", decimal: ",", thousands: " ",
		dateInput: []string{"2.1.2006", "2/1/2006", "2006-01-02"},
		currency:  map[string]string{"BGN": "лв."}},
}

func currentFormat() numberFormat {
	if f, ok := numberFormats[activeLanguage]; ok {
		return f
	}
	return numberFormats["en"]
}

// DateTime formats a moment in local time, to the minute; "" for none.
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format(currentFormat().dateTime)
}

// DateOnly formats a day.
func DateOnly(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format(currentFormat().date)
}

// ParseDate reads a day typed the language's way, in local time: as
// DateOnly writes it, and also as people write it by hand there. Every
// language takes ISO's 2026-11-27 and the dotted 27.11.2026 (with the day
// and month in one digit or two); Bulgarian also takes 27/11/2026 and a
// trailing "г.". The year always has four digits and comes first or last,
// so a date being typed is not taken for another one on its way ("1.1.202"
// is nothing yet), except ISO's, whose day and month need two digits for
// that reason.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if activeLanguage == "bg" {
		s = strings.TrimSpace(strings.TrimSuffix(s, "г."))
	}
	var first error
	for _, layout := range currentFormat().dateInput {
		t, err := time.ParseInLocation(layout, s, time.Local)
		if err == nil {
			return t, nil
		}
		if first == nil {
			first = err
		}
	}
	return time.Time{}, first
}

// DateHint shows how to type a date, e.g. "YYYY-MM-DD".
func DateHint() string {
	if activeLanguage == "bg" {
		return "ДД.ММ.ГГГГ"
	}
	return "YYYY-MM-DD"
}

// Money formats an amount with its currency: "1,234.56 USD", "1 234,56 лв.".
// Amounts keep the decimals they have beyond the cents ("7.305"): the books
// must show what the shop charged.
func Money(a ledger.Amount, currency string) string {
	n := Number(a)
	if currency == "" {
		return n
	}
	f := currentFormat()
	if sym, ok := f.currency[currency]; ok {
		currency = sym
	}
	return n + " " + currency
}

// Number formats an amount without a currency, at least two decimals.
func Number(a ledger.Amount) string {
	s := a.String() // "-1234.56"
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, _ := strings.Cut(s, ".")
	f := currentFormat()
	out := sign + group(whole, f.thousands)
	if frac != "" {
		out += f.decimal + frac
	}
	return out
}

// Quantity formats a count of items: "2", "1.5" ("1,5").
func Quantity(a ledger.Amount) string {
	s := Number(a)
	f := currentFormat()
	if whole, frac, ok := strings.Cut(s, f.decimal); ok {
		if frac = strings.TrimRight(frac, "0"); frac == "" {
			return whole
		}
		return whole + f.decimal + frac
	}
	return s
}

// group puts sep between groups of three digits.
func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	first := len(digits) % 3
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// StatusName is an order status as the bookkeeper reads it. Statuses that
// plugins add are shown as the shop sent them.
func StatusName(s ledger.Status) string {
	switch s {
	case ledger.StatusPending:
		return lang.L("Pending payment")
	case ledger.StatusProcessing:
		return lang.L("Processing")
	case ledger.StatusOnHold:
		return lang.L("On hold")
	case ledger.StatusCompleted:
		return lang.L("Completed")
	case ledger.StatusCancelled:
		return lang.L("Cancelled")
	case ledger.StatusRefunded:
		return lang.X("status.refunded", "Refunded") // an order: Bulgarian says it apart from a refunded amount
	case ledger.StatusFailed:
		return lang.L("Failed")
	case ledger.StatusTrash:
		return lang.L("Trash")
	case ledger.StatusCheckoutDraft:
		return lang.L("Draft")
	case "deleted":
		return lang.L("Deleted in shop")
	}
	t := strings.ReplaceAll(string(s), "-", " ")
	if t == "" {
		return ""
	}
	return strings.ToUpper(t[:1]) + t[1:]
}

// OrderStatusName is what the list shows for an order: its status, or
// that the shop deleted it.
func OrderStatusName(o *ledger.Order) string {
	if o.Deleted {
		return lang.L("Deleted in shop")
	}
	return StatusName(o.Status)
}

// SourceName says where a status change came from.
func SourceName(s ledger.Source) string {
	switch s {
	case ledger.SourcePoll:
		return lang.L("sync")
	case ledger.SourceWebhook:
		return lang.L("webhook")
	case ledger.SourceManual:
		return lang.L("manual")
	}
	return string(s)
}

// SyncModeName names a shop's sync mode.
func SyncModeName(m ledger.SyncMode) string {
	if m == ledger.SyncWebhook {
		return lang.L("Webhooks, with a nightly catch-up")
	}
	return lang.L("Every hour")
}
