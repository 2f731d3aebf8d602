package nra

import (
	"strings"
	"text/template"
)

// Problem is a reason the file cannot be made, kept as an English sentence
// template and its values so that each front end can say it in its own
// language (books.Explain turns it into a Message; the key is the English
// sentence, as in ui/translations).
type Problem struct {
	Key  string
	Args map[string]any
}

// String says the problem in English.
func (p Problem) String() string {
	if p.Args == nil {
		return p.Key
	}
	t, err := template.New("").Option("missingkey=zero").Parse(p.Key)
	if err != nil {
		return p.Key
	}
	var b strings.Builder
	if err := t.Execute(&b, p.Args); err != nil {
		return p.Key
	}
	return b.String()
}

func problemsText(ps []Problem) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, " ")
}

// The problems' sentences (the keys of their translations).
const (
	ProblemNoEIK         = "The trader's EIK (ЕИК) is missing."
	ProblemEIKDigits     = "The EIK {{.EIK}} has {{.Digits}} digits; an EIK has 9 or 13 (10 for a personal number)."
	ProblemEIKNotDigits  = "The EIK {{.EIK}} has a character that is not a digit."
	ProblemEIKCheck      = "The EIK {{.EIK}} has a wrong check digit: check it against the trade register."
	ProblemEGNCheck      = "The personal number {{.EIK}} has a wrong check digit."
	ProblemNoEShop       = "The e-shop's unique number from NRA is missing."
	ProblemEShopLong     = "The e-shop number {{.Number}} is longer than 10 characters."
	ProblemDomainLong    = "The domain is longer than 200 characters."
	ProblemPaymCode      = "Payment method {{.Method}} has code {{.Code}}; the codes are 1 to 6."
	ProblemRefundCode    = "Refunds of payment method {{.Method}} have code {{.Code}}; the codes are 1 to 4."
	ProblemDeliveredOn   = "Orders count as delivered on their completed or paid date, not {{.Basis}}."
	ProblemUnmappedPaym  = "Payment method {{.Method}} (order {{.Order}}) has no NRA payment code: set one in the NRA settings."
	ProblemUnmappedRefnd = "Refunds of payment method {{.Method}} (order {{.Order}}) have no NRA refund code: set one in the NRA settings."
	ProblemRefundNoDate  = "Refund {{.Refund}} of order {{.Order}} has no date yet: sync the shop to fetch its detail."

	// What NRA's schema (dec_audit.xsd) cannot carry.
	ProblemNoOrders     = "No order was delivered in the month, and NRA's schema needs at least one order in a file: there is no file to make."
	ProblemDocNotInt    = "The document number {{.DocN}} of order {{.Order}} is not a whole number, as NRA's schema requires: set the meta key of the receipt's number in the NRA settings."
	ProblemRateNotInt   = "Order {{.Order}} has VAT at {{.Rate}} %; NRA's schema takes whole percentages only: enter the order by hand."
	ProblemQuantFrac    = "Order {{.Order}} has a quantity of {{.Quant}}; NRA's schema takes at most 2 decimals: enter the order by hand."
	ProblemYear         = "NRA's schema takes the years from 2020 on, not {{.Year}}."
	ProblemFieldTooLong = "The field {{.Field}} of order {{.Order}} is longer than the {{.Max}} characters NRA's schema allows."
)
