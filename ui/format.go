package ui

import (
	"strings"

	"fyne.io/fyne/v2/lang"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// dateLayout is how dates read in the window: local time, to the minute.
const dateLayout = "2006-01-02 15:04"

// money formats an amount with its currency, e.g. "75.60 USD".
func money(a ledger.Amount, currency string) string {
	if currency == "" {
		return a.String()
	}
	return a.String() + " " + currency
}

// statusName is an order status as the bookkeeper reads it. Statuses that
// plugins add are shown as the shop sent them.
func statusName(s ledger.Status) string {
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
		return lang.L("Refunded")
	case ledger.StatusFailed:
		return lang.L("Failed")
	case ledger.StatusTrash:
		return lang.L("Trash")
	case ledger.StatusCheckoutDraft:
		return lang.L("Draft")
	}
	t := strings.ReplaceAll(string(s), "-", " ")
	if t == "" {
		return ""
	}
	return strings.ToUpper(t[:1]) + t[1:]
}
