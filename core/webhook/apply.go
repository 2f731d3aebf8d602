package webhook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// Retry applies a stored delivery again, whatever its status (the UI's
// retry button), and returns it as it is afterwards, without its body.
func (r *Receiver) Retry(shop ledger.ShopID, seq uint64) (ledger.Delivery, error) {
	d, err := r.st.Delivery(shop, seq)
	if err != nil {
		return ledger.Delivery{}, fmt.Errorf("retry webhook delivery: %w", err)
	}
	a := decide(&d)
	a.Again = true
	out, err := r.st.ApplyDeliveries([]store.DeliveryApply{a})
	if err != nil {
		return ledger.Delivery{}, fmt.Errorf("retry webhook delivery: %w", err)
	}
	if out[0].Err != nil {
		return ledger.Delivery{}, fmt.Errorf("retry webhook delivery: %w", out[0].Err)
	}
	r.announce(&job{d: d, seq: d.Seq, received: time.Now()}, out[0])
	return out[0].Delivery, nil
}

// decide reads a delivery's topic and body and says what it asks of the
// books. It never fails: a body that cannot be used makes the delivery
// fail, with the reason.
func decide(d *ledger.Delivery) store.DeliveryApply {
	a := store.DeliveryApply{Shop: d.Shop, Seq: d.Seq}
	topic := strings.ToLower(strings.TrimSpace(d.Topic))
	resource, event, _ := strings.Cut(topic, ".")
	if resource != "order" {
		a.Ignore = fmt.Sprintf("topic %q is not about orders", d.Topic)
		return a
	}
	switch event {
	case "created", "updated", "restored":
		if id, ok := idOnly(d.Body); ok {
			// WooCommerce sends just the id when the order was gone by the
			// time the delivery was built.
			a.Ignore = fmt.Sprintf("the shop sent only the id of order %d: it no longer exists there", id)
			return a
		}
		o, err := DecodeOrder(d.Body)
		if err != nil {
			a.Fail = err.Error()
			return a
		}
		a.Order = &o
	case "deleted":
		id, err := deletedID(d.Body)
		if err != nil {
			a.Fail = err.Error()
			return a
		}
		a.Delete = id
	default:
		a.Ignore = fmt.Sprintf("topic %q is not one ShopLedger acts on", d.Topic)
	}
	return a
}

// DecodeOrder decodes the order in a webhook body: a legacy webhook's
// {"order":{…}} or a wc/v3 webhook's bare order.
func DecodeOrder(body []byte) (ledger.Order, error) {
	var o ledger.Order
	var err error
	if isLegacyEnvelope(body) {
		o, err = woo.DecodeLegacyOrder(body)
	} else {
		o, err = woo.DecodeOrder(body)
	}
	if err != nil {
		return ledger.Order{}, err
	}
	if o.Modified.IsZero() {
		// Without it newer-wins cannot work; a legacy order without its
		// envelope lands here too.
		return ledger.Order{}, errors.New("decode order: the payload has no modification date")
	}
	return o, nil
}

// isLegacyEnvelope reports whether body is {"order":{…}}, possibly behind
// a byte order mark or PHP notices. It reads only the first tokens: the
// legacy API writes "order" first and alone.
func isLegacyEnvelope(body []byte) bool {
	body = jsonStart(body)
	if body == nil {
		return false
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	for _, want := range []any{json.Delim('{'), "order", json.Delim('{')} {
		tok, err := dec.Token()
		if err != nil || tok != want {
			return false
		}
	}
	return true
}

// jsonStart skips a byte order mark and any lines before the first one
// that starts with '{' (PHP notices), as the woo decoders do.
func jsonStart(body []byte) []byte {
	b := bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	for len(b) > 0 {
		line := bytes.TrimLeft(b, " \t\r\n")
		if len(line) > 0 && line[0] == '{' {
			return line
		}
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return nil
		}
		b = b[i+1:]
	}
	return nil
}

// idOnly reports whether body is just {"id":N}.
func idOnly(body []byte) (int64, bool) {
	if len(body) > 64 {
		return 0, false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(body, &m) != nil || len(m) != 1 || m["id"] == nil {
		return 0, false
	}
	id, err := parseID(m["id"])
	return id, err == nil
}

// deletedID reads the order id of an order.deleted body: {"id":N}, or
// {"order":{"id":N}} to be lenient.
func deletedID(body []byte) (int64, error) {
	var v struct {
		ID    json.RawMessage `json:"id"`
		Order struct {
			ID json.RawMessage `json:"id"`
		} `json:"order"`
	}
	start := jsonStart(body)
	if start == nil {
		return 0, errors.New("decode deleted order: no JSON object in the body")
	}
	if err := json.Unmarshal(start, &v); err != nil {
		return 0, fmt.Errorf("decode deleted order: %w", err)
	}
	raw := v.ID
	if raw == nil {
		raw = v.Order.ID
	}
	if raw == nil {
		return 0, errors.New("decode deleted order: no id")
	}
	return parseID(raw)
}

// parseID reads a positive id sent as a number or a numeric string.
func parseID(raw json.RawMessage) (int64, error) {
	s := strings.Trim(string(raw), `"`)
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("decode order id %.20q: not a positive integer", s)
	}
	return id, nil
}
