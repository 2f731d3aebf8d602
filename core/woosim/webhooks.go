package woosim

import (
	"crypto/rand"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// A webhook as WC_Webhook keeps it (wc_webhooks row). Times are Unix
// seconds; modified is 0 until the first save after creation.
type webhook struct {
	id          int64
	name        string
	status      string // active, paused, disabled
	topic       string // "" when the topic given was not valid
	deliveryURL string
	secret      string
	apiVersion  int // 3: wp_api_v3; -1: legacy_v3
	created     int64
	modified    int64
	failures    int
	pending     bool // pending_delivery: the ping has not been answered 200 yet
}

func (w *webhook) resource() string {
	r, _, _ := strings.Cut(w.topic, ".")
	return r
}

func (w *webhook) event() string {
	_, e, _ := strings.Cut(w.topic, ".")
	return e
}

// hooks is WC_Webhook::get_hooks() in WooCommerce 7.9 with posts storage.
func (w *webhook) hooks() []string {
	if w.resource() == "action" {
		return []string{w.event()}
	}
	return topicHooks[w.topic]
}

var topicHooks = map[string][]string{
	"coupon.created":   {"woocommerce_process_shop_coupon_meta", "woocommerce_new_coupon"},
	"coupon.updated":   {"woocommerce_process_shop_coupon_meta", "woocommerce_update_coupon"},
	"coupon.deleted":   {"wp_trash_post"},
	"coupon.restored":  {"untrashed_post"},
	"customer.created": {"user_register", "woocommerce_created_customer", "woocommerce_new_customer"},
	"customer.updated": {"profile_update", "woocommerce_update_customer"},
	"customer.deleted": {"delete_user"},
	"order.created":    {"woocommerce_new_order"},
	"order.updated":    {"woocommerce_update_order", "woocommerce_order_refunded"},
	"order.deleted":    {"wp_trash_post"},
	"order.restored":   {"untrashed_post"},
	"product.created":  {"woocommerce_process_product_meta", "woocommerce_new_product", "woocommerce_new_product_variation"},
	"product.updated":  {"woocommerce_process_product_meta", "woocommerce_update_product", "woocommerce_update_product_variation"},
	"product.deleted":  {"wp_trash_post"},
	"product.restored": {"untrashed_post"},
}

// webhookTopicValid is wc_is_webhook_valid_topic().
func webhookTopicValid(topic string) bool {
	switch topic {
	case "action.woocommerce_login_credentials", "action.woocommerce_product_csv_importer_check_import_file_path",
		"action.woocommerce_webhook_should_deliver":
		return false
	}
	if strings.HasPrefix(topic, "action.woocommerce_") || strings.HasPrefix(topic, "action.wc_") {
		return true
	}
	_, ok := topicHooks[topic]
	return ok
}

var webhookStatuses = []string{"active", "paused", "disabled"}

// validDeliveryURL is wc_is_valid_url().
func validDeliveryURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// WebhookSummary is a webhook as tests see it.
type WebhookSummary struct {
	ID              int64     `json:"id"`
	Name            string    `json:"name"`
	Status          string    `json:"status"`
	Topic           string    `json:"topic"`
	DeliveryURL     string    `json:"delivery_url"`
	Secret          string    `json:"secret"`
	APIVersion      string    `json:"api_version"` // wp_api_v3 or legacy_v3
	FailureCount    int       `json:"failure_count"`
	PendingDelivery bool      `json:"pending_delivery"`
	Created         time.Time `json:"date_created_gmt"`
	Modified        time.Time `json:"date_modified_gmt"` // zero until first saved after creation
}

func (w *webhook) summary() WebhookSummary {
	sum := WebhookSummary{
		ID: w.id, Name: w.name, Status: w.status, Topic: w.topic, DeliveryURL: w.deliveryURL, Secret: w.secret,
		APIVersion: "wp_api_v3", FailureCount: w.failures, PendingDelivery: w.pending,
		Created: time.Unix(w.created, 0).UTC(),
	}
	if w.apiVersion < 0 {
		sum.APIVersion = "legacy_v3"
	}
	if w.modified != 0 {
		sum.Modified = time.Unix(w.modified, 0).UTC()
	}
	return sum
}

// webhookStore holds a shop's webhooks (the wc_webhooks table).
type webhookStore struct {
	mu   sync.Mutex
	list []*webhook // ascending id
	next int64
	salt []byte // wp_salt(), for delivery ids
}

func (hs *webhookStore) init(seed int64) {
	hs.next = 1
	hs.salt = []byte(fmt.Sprintf("woosim-salt-%d", seed))
}

func (hs *webhookStore) findLocked(id int64) *webhook {
	i, ok := slices.BinarySearchFunc(hs.list, id, func(w *webhook, id int64) int { return int(w.id - id) })
	if !ok {
		return nil
	}
	return hs.list[i]
}

// get returns a copy of webhook id.
func (hs *webhookStore) get(id int64) (webhook, bool) {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	if w := hs.findLocked(id); w != nil {
		return *w, true
	}
	return webhook{}, false
}

// all returns copies of every webhook, by id.
func (hs *webhookStore) all() []webhook {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	out := make([]webhook, len(hs.list))
	for i, w := range hs.list {
		out[i] = *w
	}
	return out
}

// activeFor returns the ids of the active webhooks on topic
// (WC_Webhook::should_deliver() at the time the hook fires).
func (hs *webhookStore) activeFor(topic string) []int64 {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	var ids []int64
	for _, w := range hs.list {
		if w.status == "active" && w.topic == topic {
			ids = append(ids, w.id)
		}
	}
	return ids
}

// ErrNoWebhook is returned for a webhook id the shop does not have.
var ErrNoWebhook = errors.New("woosim: no such webhook")

// WebhookSpec describes a webhook to create.
type WebhookSpec struct {
	Name        string // "Webhook created on …" when empty
	Topic       string // order.created, order.updated, order.deleted, order.restored, …
	DeliveryURL string
	Secret      string // a random 50-character one when empty
	Legacy      bool   // api_version legacy_v3: deliveries carry {"order":…} as the legacy API renders it
}

// Webhooks returns the shop's webhooks, by id.
func (s *Sim) Webhooks() []WebhookSummary {
	all := s.hooks.all()
	out := make([]WebhookSummary, len(all))
	for i := range all {
		out[i] = all[i].summary()
	}
	return out
}

// CreateWebhook creates a webhook as POST /wc/v3/webhooks does (or the
// legacy API's, for spec.Legacy): active, pending delivery, and pinged at
// once; it returns the webhook after the ping.
func (s *Sim) CreateWebhook(spec WebhookSpec) (WebhookSummary, error) {
	if spec.Topic == "" || !webhookTopicValid(strings.ToLower(spec.Topic)) {
		return WebhookSummary{}, errors.New("woosim: webhook topic is required and must be valid")
	}
	if !validDeliveryURL(spec.DeliveryURL) {
		return WebhookSummary{}, errors.New("woosim: webhook delivery URL must be a valid URL starting with http:// or https://")
	}
	api := 3
	if spec.Legacy {
		api = -1
	}
	w := s.createWebhook(spec.Name, spec.Topic, spec.DeliveryURL, spec.Secret, api)
	s.pingWebhook(w.id)
	after, _ := s.hooks.get(w.id)
	return after.summary(), nil
}

// SetWebhookStatus sets a webhook's status (active, paused or disabled)
// as the shop admin would, and saves it: an active webhook whose ping
// was never answered 200 is pinged again. The failure count is kept, as
// WooCommerce keeps it.
func (s *Sim) SetWebhookStatus(id int64, status string) error {
	if !slices.Contains(webhookStatuses, status) {
		return fmt.Errorf("woosim: invalid webhook status %q", status)
	}
	_, err := s.saveWebhook(id, func(w *webhook) { w.status = status })
	return err
}

// DeleteWebhook deletes a webhook permanently. Deliveries already queued
// for it are dropped.
func (s *Sim) DeleteWebhook(id int64) error {
	hs := &s.hooks
	hs.mu.Lock()
	defer hs.mu.Unlock()
	i := slices.IndexFunc(hs.list, func(w *webhook) bool { return w.id == id })
	if i < 0 {
		return fmt.Errorf("%w: %d", ErrNoWebhook, id)
	}
	hs.list = slices.Delete(hs.list, i, i+1)
	return nil
}

// createWebhook adds a webhook as WC_Webhook_Data_Store::create() does:
// pending delivery, no date_modified. It does not ping.
func (s *Sim) createWebhook(name, topic, deliveryURL, secret string, api int) webhook {
	now := s.clock()
	if name == "" {
		name = "Webhook created on " + time.Unix(now, 0).UTC().Format("Jan 02, 2006 @ 03:04 PM")
	}
	if secret == "" {
		secret = wpGeneratePassword(50)
	}
	if !webhookTopicValid(topic) {
		topic = "" // WC_Webhook::set_topic() of an invalid topic
	}
	hs := &s.hooks
	hs.mu.Lock()
	defer hs.mu.Unlock()
	w := &webhook{id: hs.next, name: name, status: "active", topic: topic, deliveryURL: deliveryURL, secret: secret,
		apiVersion: api, created: now, pending: true}
	hs.next++
	hs.list = append(hs.list, w)
	return *w
}

// saveWebhook changes a webhook and saves it as
// WC_Webhook_Data_Store::update() does: date_modified becomes now, and an
// active webhook is pinged when its delivery URL changed or its ping is
// still pending. It returns the webhook after the save (and ping).
func (s *Sim) saveWebhook(id int64, change func(*webhook)) (webhook, error) {
	hs := &s.hooks
	hs.mu.Lock()
	w := hs.findLocked(id)
	if w == nil {
		hs.mu.Unlock()
		return webhook{}, fmt.Errorf("%w: %d", ErrNoWebhook, id)
	}
	oldURL := w.deliveryURL
	if change != nil {
		change(w)
	}
	w.modified = s.clock()
	ping := w.status == "active" && (w.deliveryURL != oldURL || w.pending)
	hs.mu.Unlock()
	if ping {
		s.pingWebhook(id)
	}
	after, ok := hs.get(id)
	if !ok {
		return webhook{}, fmt.Errorf("%w: %d", ErrNoWebhook, id)
	}
	return after, nil
}

// wpGeneratePassword is wp_generate_password($n, true, true).
func wpGeneratePassword(n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-_ []{}<>~`+=,.;:/?|"
	b := make([]byte, n)
	rand.Read(b)
	for i := range b {
		b[i] = chars[int(b[i])%len(chars)]
	}
	return string(b)
}
