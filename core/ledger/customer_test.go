package ledger

import "testing"

func TestCustomerLabel(t *testing.T) {
	for _, tc := range []struct {
		bill Address
		want string
	}{
		{Address{FirstName: "Ivan", LastName: "Petrov", Company: "Acme Ltd"}, "Ivan Petrov (Acme Ltd)"},
		{Address{FirstName: "Ivan", LastName: "Petrov"}, "Ivan Petrov"},
		{Address{Company: "Acme Ltd", Email: "a@example.com"}, "Acme Ltd"},
		{Address{Email: "a@example.com"}, "a@example.com"},
	} {
		o := Order{Billing: tc.bill}
		if got := o.CustomerLabel(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.bill, got, tc.want)
		}
	}
}
