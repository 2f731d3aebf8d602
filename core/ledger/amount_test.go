package ledger

import (
	"encoding/json"
	"testing"
)

func TestParseAmount(t *testing.T) {
	for _, c := range []struct {
		in   string
		want Amount
		str  string
	}{
		{"43.00", 430000, "43.00"},
		{"7.3", 73000, "7.30"},
		{"-5.00", -50000, "-5.00"},
		{"", 0, "0.00"},
		{"0.1234", 1234, "0.1234"},
		{"0.12345", 1235, "0.1235"}, // half away from zero
		{"-0.12345", -1235, "-0.1235"},
		{"1000000", 10000000000, "1000000.00"},
		{".5", 5000, "0.50"},
	} {
		got, err := ParseAmount(c.in)
		if err != nil || got != c.want || got.String() != c.str {
			t.Errorf("ParseAmount(%q) = %d (%s), %v; want %d (%s)", c.in, got, got, err, c.want, c.str)
		}
	}
	for _, bad := range []string{"abc", "1,5", "1.2.3", "-", "1e999999999999999"} {
		if _, err := ParseAmount(bad); err == nil {
			t.Errorf("ParseAmount(%q) succeeded", bad)
		}
	}
}

func TestAmountJSON(t *testing.T) {
	for in, want := range map[string]string{
		`"43.00"`: "43.00", `7.3`: "7.30", `21`: "21.00", `null`: "0.00", `"1.5e1"`: "15.00", `1e2`: "100.00",
		`"\u0034\u0032.5"`: "42.50", `false`: "0.00",
	} {
		var a Amount
		if err := json.Unmarshal([]byte(in), &a); err != nil || a.String() != want {
			t.Errorf("unmarshal %s = %s, %v; want %s", in, a, err, want)
		}
	}
	b, _ := json.Marshal(struct{ A Amount }{MustAmount("75.6")})
	if string(b) != `{"A":"75.60"}` {
		t.Errorf("marshal = %s", b)
	}
	var a Amount
	if err := json.Unmarshal([]byte(`"12abc"`), &a); err == nil {
		t.Error("garbage amount accepted")
	}
}

func TestOrderHelpers(t *testing.T) {
	o := Order{Billing: Address{FirstName: "Иван", LastName: "Петров"}, Refunds: []Refund{{Amount: MustAmount("5")}, {Amount: MustAmount("2.5")}}}
	if o.CustomerName() != "Иван Петров" || o.RefundedTotal().String() != "7.50" {
		t.Errorf("CustomerName %q, RefundedTotal %s", o.CustomerName(), o.RefundedTotal())
	}
	o.Billing = Address{Company: "ACME"}
	if o.CustomerName() != "ACME" {
		t.Errorf("company fallback: %q", o.CustomerName())
	}
	if NormalizeStatus(" wc-on-hold ") != StatusOnHold {
		t.Error("NormalizeStatus does not strip wc-")
	}
}

func BenchmarkAmountUnmarshal(b *testing.B) {
	in := []byte(`"1234.56"`)
	var a Amount
	for b.Loop() {
		if err := a.UnmarshalJSON(in); err != nil {
			b.Fatal(err)
		}
	}
}
