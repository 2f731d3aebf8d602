package webhook

import (
	"strings"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

func TestDecide(t *testing.T) {
	mod := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	notice := "\xef\xbb\xbfWarning: Array {0} to string conversion in /var/www/x.php on line 7\n"
	for _, c := range []struct {
		name, topic, body string
		order, delete     int64
		ignore, fail      string
	}{
		{"wc/v3 order", "order.created", string(orderBody(t, 10, "processing", mod)), 10, 0, "", ""},
		{"topic in capitals", " Order.Updated ", string(orderBody(t, 10, "processing", mod)), 10, 0, "", ""},
		{"legacy order", "order.updated", string(legacyBody(11, "completed", mod)), 11, 0, "", ""},
		{"legacy order behind a notice with a brace", "order.updated", notice + string(legacyBody(12, "completed", mod)), 12, 0, "", ""},
		{"legacy order with spaces", "order.updated", strings.Replace(string(legacyBody(13, "completed", mod)), `{"order":{`, "{ \"order\" :\n {", 1), 13, 0, "", ""},
		{"bare legacy order", "order.updated", strings.TrimSuffix(strings.TrimPrefix(string(legacyBody(14, "completed", mod)), `{"order":`), "}"), 0, 0, "", "no modification date"},
		{"deleted", "order.deleted", `{"id":15}`, 0, 15, "", ""},
		{"deleted as string behind a notice", "order.deleted", notice + `{"id":"16"}`, 0, 16, "", ""},
		{"deleted legacy-style", "order.deleted", `{"order":{"id":17}}`, 0, 17, "", ""},
		{"deleted negative", "order.deleted", `{"id":-1}`, 0, 0, "", "not a positive integer"},
		{"deleted junk", "order.deleted", `junk`, 0, 0, "", "no JSON object"},
		{"id only", "order.created", `{"id":18}`, 0, 0, "only the id of order 18", ""},
		{"not JSON", "order.created", `<html>`, 0, 0, "", "decode order"},
		{"no id", "order.created", `{"status":"processing","date_modified_gmt":"2026-11-27T12:00:00"}`, 0, 0, "", "no id"},
		{"coupon", "coupon.created", `{"id":1}`, 0, 0, "not about orders", ""},
		{"no topic", "", `{"id":1}`, 0, 0, "not about orders", ""},
		{"order without event", "order", `{"id":1}`, 0, 0, "not one ShopLedger acts on", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := ledger.Delivery{Shop: 1, Seq: 2, Topic: c.topic, Body: []byte(c.body)}
			a := decide(&d)
			if a.Shop != 1 || a.Seq != 2 {
				t.Errorf("identity %d/%d", a.Shop, a.Seq)
			}
			gotOrder := int64(0)
			if a.Order != nil {
				gotOrder = a.Order.ID
			}
			if gotOrder != c.order || a.Delete != c.delete || !contains(a.Ignore, c.ignore) || !contains(a.Fail, c.fail) {
				t.Errorf("decide = order %d delete %d ignore %q fail %q", gotOrder, a.Delete, a.Ignore, a.Fail)
			}
		})
	}
}

// contains is strings.Contains, except that an empty want wants empty.
func contains(got, want string) bool {
	if want == "" {
		return got == ""
	}
	return strings.Contains(got, want)
}
