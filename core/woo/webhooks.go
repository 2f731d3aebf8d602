package woo

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Webhook statuses as WooCommerce names them.
const (
	WebhookActive   = "active"
	WebhookPaused   = "paused"
	WebhookDisabled = "disabled"
)

// Webhook is a webhook registered in a shop. Secret is only sent, never
// read back: WooCommerce does not return it.
type Webhook struct {
	ID          int64
	Name        string
	Status      string
	Topic       string // e.g. order.created
	DeliveryURL string
	Secret      string
	Created     time.Time
	Modified    time.Time
}

type webhookJSON struct {
	ID          flexInt    `json:"id"`
	Name        flexString `json:"name"`
	Status      flexString `json:"status"`
	Topic       flexString `json:"topic"`
	DeliveryURL flexString `json:"delivery_url"`
	CreatedGMT  flexTime   `json:"date_created_gmt"`
	ModifiedGMT flexTime   `json:"date_modified_gmt"`
	// The legacy API names its dates differently.
	CreatedAt flexTime `json:"created_at"`
	UpdatedAt flexTime `json:"updated_at"`
}

func (w webhookJSON) webhook() Webhook {
	h := Webhook{ID: int64(w.ID), Name: string(w.Name), Status: string(w.Status), Topic: string(w.Topic),
		DeliveryURL: string(w.DeliveryURL), Created: w.CreatedGMT.UTC(), Modified: w.ModifiedGMT.UTC()}
	if h.Created.IsZero() {
		h.Created, h.Modified = w.CreatedAt.UTC(), w.UpdatedAt.UTC()
	}
	return h
}

// Webhooks lists every webhook of the shop.
func (c *Client) Webhooks(ctx context.Context) ([]Webhook, error) {
	var out []Webhook
	for page := 1; ; page++ {
		q := url.Values{"page": {strconv.Itoa(page)}}
		if c.dialect == ledger.DialectLegacyV3 {
			q.Set("filter[limit]", "100")
		} else {
			q.Set("per_page", "100")
		}
		resp, err := c.do(ctx, call{op: "list webhooks", path: "webhooks", query: q})
		if err != nil {
			return nil, err
		}
		var list []webhookJSON
		if c.dialect == ledger.DialectLegacyV3 {
			var body struct {
				Webhooks []webhookJSON `json:"webhooks"`
			}
			err = decodeJSON("list webhooks", resp.body, &body)
			list = body.Webhooks
		} else {
			err = decodeJSON("list webhooks", resp.body, &list)
		}
		if err != nil {
			return nil, err
		}
		for _, w := range list {
			out = append(out, w.webhook())
		}
		pages, _ := strconv.Atoi(resp.header.Get("X-WP-TotalPages"))
		if c.dialect == ledger.DialectLegacyV3 {
			pages, _ = strconv.Atoi(resp.header.Get("X-WC-TotalPages"))
		}
		if page >= pages || len(list) == 0 {
			return out, nil
		}
	}
}

// CreateWebhook registers a webhook; WooCommerce pings its delivery URL
// at once. It needs a Read/Write key.
func (c *Client) CreateWebhook(ctx context.Context, w Webhook) (Webhook, error) {
	body := map[string]any{"name": w.Name, "topic": w.Topic, "delivery_url": w.DeliveryURL, "secret": w.Secret}
	if w.Status != "" {
		body["status"] = w.Status
	}
	return c.writeWebhook(ctx, "create webhook", http.MethodPost, "webhooks", body)
}

// SetWebhookStatus changes a webhook's status, e.g. to re-activate one
// WooCommerce disabled after failed deliveries.
func (c *Client) SetWebhookStatus(ctx context.Context, id int64, status string) (Webhook, error) {
	return c.writeWebhook(ctx, "update webhook "+strconv.FormatInt(id, 10), http.MethodPut,
		"webhooks/"+strconv.FormatInt(id, 10), map[string]any{"status": status})
}

// UpdateWebhook changes a webhook's non-empty fields among Name, Status,
// Topic, DeliveryURL and Secret. WooCommerce never shows a webhook's
// secret, so setting it is the only way to be sure it is the one expected.
func (c *Client) UpdateWebhook(ctx context.Context, id int64, w Webhook) (Webhook, error) {
	body := map[string]any{}
	for k, v := range map[string]string{"name": w.Name, "status": w.Status, "topic": w.Topic,
		"delivery_url": w.DeliveryURL, "secret": w.Secret} {
		if v != "" {
			body[k] = v
		}
	}
	return c.writeWebhook(ctx, "update webhook "+strconv.FormatInt(id, 10), http.MethodPut,
		"webhooks/"+strconv.FormatInt(id, 10), body)
}

// DeleteWebhook removes a webhook for good.
func (c *Client) DeleteWebhook(ctx context.Context, id int64) error {
	op := "delete webhook " + strconv.FormatInt(id, 10)
	_, err := c.do(ctx, call{op: op, method: http.MethodDelete, path: "webhooks/" + strconv.FormatInt(id, 10),
		query: url.Values{"force": {"true"}}})
	return err
}

func (c *Client) writeWebhook(ctx context.Context, op, method, path string, fields map[string]any) (Webhook, error) {
	var payload any = fields
	if c.dialect == ledger.DialectLegacyV3 {
		payload = map[string]any{"webhook": fields}
	}
	b, err := json.Marshal(payload)
	if err != nil {
		return Webhook{}, &Error{Op: op, Kind: KindOther, Err: err}
	}
	resp, err := c.do(ctx, call{op: op, method: method, path: path, body: b})
	if err != nil {
		return Webhook{}, err
	}
	var w webhookJSON
	if c.dialect == ledger.DialectLegacyV3 {
		var env struct {
			Webhook webhookJSON `json:"webhook"`
		}
		err = decodeJSON(op, resp.body, &env)
		w = env.Webhook
	} else {
		err = decodeJSON(op, resp.body, &w)
	}
	if err != nil {
		return Webhook{}, err
	}
	return w.webhook(), nil
}
