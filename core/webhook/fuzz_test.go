package webhook

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Signature modes of FuzzHandler.
const (
	sigValid   = iota // signed with the shop's secret
	sigOther          // signed with another secret
	sigRaw            // the fuzzer's own header value
	sigNone           // no signature header
	sigNoWCHdr        // no X-WC-Webhook-* header at all (a ping, or junk)
	sigModes
)

// newestSeq is the shop's newest delivery's seq, 0 if none.
func (f *fixture) newestSeq() uint64 {
	ds, err := f.st.Deliveries(f.shop.ID, "", 1, 0)
	if err != nil {
		f.t.Fatal(err)
	}
	if len(ds) == 0 {
		return 0
	}
	return ds[0].Seq
}

// FuzzHandler sends random bodies and headers through the handler: it
// never panics (nor does the pipeline behind it), never stores a request
// that is not signed with the shop's secret, always stores one that is,
// and every stored delivery ends applied, ignored or failed.
func FuzzHandler(f *testing.F) {
	order, _ := os.ReadFile(samples + "webhook-order.created.body")
	ping, _ := os.ReadFile(samples + "webhook-ping.body")
	f.Add(order, "order.created", "06bd67eba02abb9662f73ec3002a09ee", uint8(sigValid), "", "application/json", true, "POST")
	f.Add(order, "order.created", "06bd67eba02abb9662f73ec3002a09ee", uint8(sigOther), "", "application/json", true, "POST")
	f.Add(order, "order.updated", "x", uint8(sigRaw), "IeglT0phC6ZtcBdXnh1C8hojlGI9DCJ7BSSuUvvgrEM=", "application/json", true, "POST")
	f.Add(ping, "", "", uint8(sigNoWCHdr), "", "application/x-www-form-urlencoded", true, "POST")
	f.Add(ping, "", "", uint8(sigNoWCHdr), "", "application/x-www-form-urlencoded", false, "POST")
	f.Add([]byte(`{"id":395}`), "order.deleted", "d", uint8(sigValid), "", "application/json", true, "POST")
	f.Add([]byte(`{"order":{"id":7,"updated_at":"2026-11-27T11:26:26Z","total":"1.00"}}`), "order.updated", "d",
		uint8(sigValid), "", "application/json", true, "POST")
	f.Add([]byte(`{"id":1,"status":`), "order.created", "d", uint8(sigValid), "", "", true, "POST")
	f.Add([]byte(`{}`), "product.created", "d", uint8(sigNone), "", "", true, "GET")
	f.Add([]byte(`{"action":"woocommerce_x","arg":1}`), "action.woocommerce_x", "d", uint8(sigValid), "", "", true, "POST")

	shared := newFixture(f, Config{MaxBodyBytes: 64 << 10})
	f.Fuzz(func(t *testing.T, body []byte, topic, deliveryID string, mode uint8, rawSig, contentType string,
		goodToken bool, method string) {
		fx := *shared
		fx.t = t // helpers must not fail through the *testing.F
		mode %= sigModes
		path := fx.path()
		if !goodToken {
			path = PathPrefix + "0123456789abcdef0123456789abcdef"
		}
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Method, req.URL.Path = method, path
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		if mode != sigNoWCHdr {
			req.Header.Set(HeaderTopic, topic)
			req.Header.Set(HeaderDeliveryID, deliveryID)
			req.Header.Set(HeaderID, "3")
		}
		switch mode {
		case sigValid:
			req.Header.Set(HeaderSignature, sign(realSecret, body))
		case sigOther:
			req.Header.Set(HeaderSignature, sign("not-"+realSecret, body))
		case sigRaw:
			req.Header.Set(HeaderSignature, rawSig)
		}
		before := fx.newestSeq()
		rec := httptest.NewRecorder()
		fx.r.ServeHTTP(rec, req)
		io.Copy(io.Discard, rec.Result().Body)
		fx.wait()
		after := fx.newestSeq()
		code := rec.Code

		signed := mode == sigValid && method == http.MethodPost && goodToken && topic != "" && deliveryID != "" &&
			int64(len(body)) <= fx.r.cfg.MaxBodyBytes
		if rawSig != "" && mode == sigRaw && rawSig == sign(realSecret, body) {
			return // the fuzzer found HMAC-SHA256's key: we have other problems
		}
		if !signed {
			if after != before {
				t.Fatalf("mode %d %s, status %d: a request without a valid signature was stored", mode, method, code)
			}
			if code == http.StatusOK && !(mode == sigNoWCHdr && method == http.MethodPost && goodToken) {
				t.Fatalf("mode %d %s: status 200 for an unsigned request that is not a ping", mode, method)
			}
			return
		}
		if code != http.StatusOK {
			t.Fatalf("signed delivery got %d: %s", code, rec.Body)
		}
		if after == before {
			// Only a repeat stores nothing.
			return
		}
		d, err := fx.st.Delivery(fx.shop.ID, after)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(d.Body, body) {
			t.Fatal("stored body differs from the one sent")
		}
		switch d.Status {
		case ledger.DeliveryApplied, ledger.DeliveryIgnored, ledger.DeliveryFailed:
		default:
			t.Fatalf("delivery left %s", d.Status)
		}
	})
}
