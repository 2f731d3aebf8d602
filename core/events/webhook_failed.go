package events

// WebhookFailed: a stored delivery could not be applied (a body that is
// not an order, a database error); it stays stored with Err and can be
// retried.
type WebhookFailed struct {
	Base
	DeliveryID string
	Topic      string
	Seq        uint64 // the delivery in the store
	Err        string
}

func (WebhookFailed) event() {}
