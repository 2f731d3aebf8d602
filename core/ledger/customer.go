package ledger

// CustomerLabel names the customer as the order list shows them: the
// person with their company in brackets, "Ivan Petrov (Acme Ltd)", when the
// billing address has both; else CustomerName.
func (o *Order) CustomerLabel() string {
	name := o.CustomerName()
	if c := o.Billing.Company; c != "" && name != c {
		return name + " (" + c + ")"
	}
	return name
}
