package ledger

import "time"

// DeliveryStatus is where a webhook delivery stands.
type DeliveryStatus string

const (
	DeliveryReceived DeliveryStatus = "received" // stored, not applied yet
	DeliveryApplied  DeliveryStatus = "applied"  // its order was upserted (or found older)
	DeliveryIgnored  DeliveryStatus = "ignored"  // a topic ShopLedger does not act on
	DeliveryFailed   DeliveryStatus = "failed"   // applying failed; Error says why; can be retried
)

// Delivery is one webhook request a shop sent, kept as it arrived so it can
// be inspected and applied again.
type Delivery struct {
	Shop ShopID `json:"shop"`
	// Seq is ShopLedger's own sequence number for the delivery.
	Seq uint64 `json:"seq"`
	// DeliveryID is X-WC-Webhook-Delivery-ID. WooCommerce derives it from
	// the webhook and the second, so it is not unique across orders.
	DeliveryID string            `json:"delivery_id"`
	WebhookID  int64             `json:"webhook_id,omitempty"`
	Topic      string            `json:"topic"`
	Headers    map[string]string `json:"headers,omitempty"` // the X-WC-Webhook-* headers
	Body       []byte            `json:"body"`
	Received   time.Time         `json:"received"`
	Status     DeliveryStatus    `json:"status"`
	Error      string            `json:"error,omitempty"`
	Applied    time.Time         `json:"applied,omitzero"`
	OrderID    int64             `json:"order_id,omitempty"`
}
