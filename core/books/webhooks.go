package books

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// WebhookTopics are the topics ShopLedger registers: new orders, changes
// (status, refunds, edits) and orders moved to the trash.
var WebhookTopics = []string{"order.created", "order.updated", "order.deleted"}

// WebhookName is the name of ShopLedger's webhook for topic, as the shop
// admin sees it in WooCommerce → Settings → Advanced → Webhooks.
func WebhookName(topic string) string { return "ShopLedger " + topic }

// ReadOnlyKeyError means the shop refused to create or change a webhook
// because the shop's API key may only read.
type ReadOnlyKeyError struct {
	Shop string
	Err  error
}

func (e *ReadOnlyKeyError) Error() string {
	return "change webhooks of " + e.Shop + ": the API key needs Read/Write permission: " + e.Err.Error()
}

func (e *ReadOnlyKeyError) Unwrap() error { return e.Err }

// readOnlyMessage is the plain sentence for a *ReadOnlyKeyError.
const readOnlyMessage = "The shop's API key can only read, so ShopLedger cannot register webhooks or switch them back on. In WooCommerce → Settings → Advanced → REST API, give the key Read/Write permission (or create a Read/Write key and enter it here)."

// writeError classes an error of a webhook write: WooCommerce answers a
// read-only key's write with a 401 that reads "does not have write
// permissions", which is worth its own sentence.
func writeError(sh ledger.Shop, op string, err error) error {
	var we *woo.Error
	if errors.As(err, &we) && we.Kind == woo.KindAuth && strings.Contains(strings.ToLower(we.Message), "write permission") {
		return &ReadOnlyKeyError{Shop: sh.Name, Err: err}
	}
	return fmt.Errorf("%s in %s: %w", op, sh.Name, err)
}

// webhookSecret returns the shop's webhook secret, making and keeping one
// if it has none yet.
func (b *Books) webhookSecret(id ledger.ShopID) (string, error) {
	s, err := secrets.LoadWebhookSecret(b.Secrets, id)
	if errors.Is(err, secrets.ErrNotFound) {
		s = secrets.NewWebhookSecret()
		err = secrets.SaveWebhookSecret(b.Secrets, id, s)
	}
	return s, err
}

// WebhookSecret returns the shop's webhook secret, making and keeping one
// if it has none yet. It is for showing to the user who asks to see it
// (to enter it in WooCommerce by hand) and nothing else: never log it,
// store it elsewhere or put it in an error.
func (b *Books) WebhookSecret(id ledger.ShopID) (string, error) {
	s, err := b.webhookSecret(id)
	if err != nil {
		return "", fmt.Errorf("read the webhook secret of shop %d: %w", id, err)
	}
	return s, nil
}

// checkDeliveryURL refuses what WooCommerce would refuse (wc_is_valid_url)
// before anything is written to the shop.
func checkDeliveryURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("webhook delivery URL %q is not an absolute http(s) URL", s)
	}
	return nil
}

// ours picks ShopLedger's webhooks for sh out of a shop's list: those it
// registered (WebhookIDs) and any whose delivery URL has this shop's path.
// The path carries the shop's unguessable token, so a webhook an admin
// added by hand is found, and the public host may change; matching by name
// instead would take over the webhooks of another ShopLedger installation
// that syncs the same shop.
func ours(sh ledger.Shop, list []woo.Webhook, deliveryURL string) []woo.Webhook {
	path := ""
	if u, err := url.Parse(deliveryURL); err == nil && strings.Trim(u.Path, "/") != "" {
		path = u.Path
	}
	var out []woo.Webhook
	for _, w := range list {
		if slices.Contains(sh.WebhookIDs, w.ID) {
			out = append(out, w)
			continue
		}
		if u, err := url.Parse(w.DeliveryURL); err == nil && path != "" && u.Path == path {
			out = append(out, w)
		}
	}
	// WooCommerce lists the newest first; by id reads better in messages.
	slices.SortFunc(out, func(a, b woo.Webhook) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// RegisterWebhooks makes sure the shop has exactly one of ShopLedger's
// webhooks per topic in WebhookTopics, active, delivering to deliveryURL
// and signed with the shop's webhook secret (made and kept in the keyring
// if missing). Existing ones are reused and corrected rather than
// duplicated, since WooCommerce cannot show their secret; extra ones on
// the same topic are deleted. Their ids are stored in the shop, which is
// switched to webhook mode. It needs a Read/Write key: a read-only one
// gives a *ReadOnlyKeyError.
func (b *Books) RegisterWebhooks(ctx context.Context, id ledger.ShopID, deliveryURL string) ([]woo.Webhook, error) {
	if err := checkDeliveryURL(deliveryURL); err != nil {
		return nil, err
	}
	sh, c, err := b.connect(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("register webhooks: %w", err)
	}
	secret, err := b.webhookSecret(id)
	if err != nil {
		return nil, fmt.Errorf("register webhooks in %s: %w", sh.Name, err)
	}
	list, err := c.Webhooks(ctx)
	if err != nil {
		return nil, fmt.Errorf("register webhooks in %s: %w", sh.Name, err)
	}
	mine := ours(sh, list, deliveryURL)
	var kept []woo.Webhook
	for _, topic := range WebhookTopics {
		want := woo.Webhook{Name: WebhookName(topic), Status: woo.WebhookActive, DeliveryURL: deliveryURL, Secret: secret}
		var same []woo.Webhook
		for _, w := range mine {
			if w.Topic == topic {
				same = append(same, w)
			}
		}
		var w woo.Webhook
		if len(same) == 0 {
			want.Topic = topic
			w, err = c.CreateWebhook(ctx, want)
		} else {
			w, err = c.UpdateWebhook(ctx, same[0].ID, want)
			for _, dup := range same[1:] {
				if err == nil {
					err = c.DeleteWebhook(ctx, dup.ID)
				}
			}
		}
		if err != nil {
			// Keep track of what exists so far: a retry then finds it.
			ids := sh.WebhookIDs
			for _, k := range kept {
				ids = append(ids, k.ID)
			}
			_ = b.setWebhooks(sh.ID, ids, sh.SyncMode)
			return kept, writeError(sh, "register the "+topic+" webhook", err)
		}
		kept = append(kept, w)
	}
	ids := make([]int64, len(kept))
	for i, w := range kept {
		ids[i] = w.ID
	}
	if err := b.setWebhooks(sh.ID, ids, ledger.SyncWebhook); err != nil {
		return kept, fmt.Errorf("register webhooks in %s: %w", sh.Name, err)
	}
	return kept, nil
}

// UnregisterWebhooks deletes ShopLedger's webhooks from the shop (those
// RegisterWebhooks made and any delivering to deliveryURL's path, which
// may be empty) and puts the shop back to polling. Call it before
// RemoveShop: afterwards the keys to do it are gone.
func (b *Books) UnregisterWebhooks(ctx context.Context, id ledger.ShopID, deliveryURL string) error {
	sh, c, err := b.connect(ctx, id)
	if err != nil {
		return fmt.Errorf("unregister webhooks: %w", err)
	}
	list, err := c.Webhooks(ctx)
	if err != nil {
		return fmt.Errorf("unregister webhooks in %s: %w", sh.Name, err)
	}
	for _, w := range ours(sh, list, deliveryURL) {
		if err := c.DeleteWebhook(ctx, w.ID); err != nil && woo.KindOf(err) != woo.KindNotFound {
			return writeError(sh, "delete webhook "+fmt.Sprint(w.ID), err)
		}
	}
	return b.setWebhooks(sh.ID, nil, ledger.SyncPoll)
}

// setWebhooks stores the shop's webhook ids and sync mode; a fresh
// registration or its removal also ends any fallback to polling.
func (b *Books) setWebhooks(id ledger.ShopID, ids []int64, mode ledger.SyncMode) error {
	sh, err := b.Store.Shop(id)
	if err != nil {
		return err
	}
	slices.Sort(ids)
	sh.WebhookIDs, sh.SyncMode = slices.Compact(ids), mode
	if err := b.Store.UpdateShop(sh); err != nil {
		return err
	}
	return b.Store.UpdateSyncState(id, func(s *ledger.SyncState) { s.Fallback = "" })
}

// WebhookCheck is one look at a shop's webhooks.
type WebhookCheck struct {
	// Ours are ShopLedger's webhooks in the shop, as they stand after any
	// re-activation.
	Ours []woo.Webhook
	// Missing are the WebhookTopics none of Ours covers.
	Missing []string
	// Reactivated are webhooks that were disabled or paused and were
	// switched back on.
	Reactivated []int64
	// Since is when the newest of Ours was created, by the shop's clock:
	// no delivery can be expected from before.
	Since time.Time
	// Err says why some of Ours could not be switched back on (a
	// *ReadOnlyKeyError for a read-only key); they stay in Inactive.
	Err error
}

// Inactive returns those of Ours that are not active.
func (c WebhookCheck) Inactive() []woo.Webhook {
	var out []woo.Webhook
	for _, w := range c.Ours {
		if w.Status != woo.WebhookActive {
			out = append(out, w)
		}
	}
	// WooCommerce lists the newest first; by id reads better in messages.
	slices.SortFunc(out, func(a, b woo.Webhook) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// CheckWebhooks lists the shop's webhooks (one request) and switches
// ShopLedger's own back on where WooCommerce disabled them after failed
// deliveries or someone paused them; a failed re-activation is in the
// check's Err. The error is for a shop that could not be asked at all.
// deliveryURL, which may be empty, finds webhooks an admin added by hand.
func (b *Books) CheckWebhooks(ctx context.Context, id ledger.ShopID, deliveryURL string) (WebhookCheck, error) {
	sh, c, err := b.connect(ctx, id)
	if err != nil {
		return WebhookCheck{}, fmt.Errorf("check webhooks: %w", err)
	}
	list, err := c.Webhooks(ctx)
	if err != nil {
		return WebhookCheck{}, fmt.Errorf("check webhooks of %s: %w", sh.Name, err)
	}
	chk := WebhookCheck{Ours: ours(sh, list, deliveryURL)}
	var errs []error
	for i, w := range chk.Ours {
		if w.Created.After(chk.Since) {
			chk.Since = w.Created
		}
		if w.Status == woo.WebhookActive {
			continue
		}
		got, err := c.SetWebhookStatus(ctx, w.ID, woo.WebhookActive)
		if err != nil {
			errs = append(errs, writeError(sh, "switch webhook "+fmt.Sprint(w.ID)+" back on", err))
			continue
		}
		chk.Ours[i].Status = got.Status
		chk.Reactivated = append(chk.Reactivated, w.ID)
	}
	for _, topic := range WebhookTopics {
		if !slices.ContainsFunc(chk.Ours, func(w woo.Webhook) bool { return w.Topic == topic }) {
			chk.Missing = append(chk.Missing, topic)
		}
	}
	chk.Err = errors.Join(errs...)
	return chk, nil
}

// WebhookSetup is what a shop admin enters in WooCommerce → Settings →
// Advanced → Webhooks → Add webhook to set ShopLedger's webhooks up by
// hand, one per topic.
type WebhookSetup struct {
	DeliveryURL string
	// Secret is meant to be shown to the admin and nowhere else.
	Secret string
	Topics []string
	// Names are the names to give them, by topic.
	Names map[string]string
	// Status is "Active".
	Status string
	// APIVersion is the choice in WooCommerce's "API Version" list.
	APIVersion string
}

// String leaves the secret out, so a setup printed by mistake leaks nothing.
func (s WebhookSetup) String() string {
	return fmt.Sprintf("webhooks %s to %s (%s, secret hidden)", strings.Join(s.Topics, ", "), s.DeliveryURL, s.APIVersion)
}

// GoString keeps %#v from printing the secret too.
func (s WebhookSetup) GoString() string { return s.String() }

// WebhookInstructions returns the manual setup of the shop's webhooks,
// making and keeping the shop's webhook secret if it has none yet.
func (b *Books) WebhookInstructions(id ledger.ShopID, deliveryURL string) (WebhookSetup, error) {
	if err := checkDeliveryURL(deliveryURL); err != nil {
		return WebhookSetup{}, err
	}
	sh, err := b.Store.Shop(id)
	if err != nil {
		return WebhookSetup{}, err
	}
	secret, err := b.webhookSecret(id)
	if err != nil {
		return WebhookSetup{}, fmt.Errorf("webhook setup of %s: %w", sh.Name, err)
	}
	s := WebhookSetup{DeliveryURL: deliveryURL, Secret: secret, Topics: slices.Clone(WebhookTopics),
		Names: map[string]string{}, Status: "Active", APIVersion: "WP REST API Integration v3"}
	if sh.Dialect == ledger.DialectLegacyV3 {
		// A shop that only speaks the legacy API may have no wc/v3 to
		// render deliveries with; the receiver reads both.
		s.APIVersion = "Legacy API v3"
	}
	for _, t := range s.Topics {
		s.Names[t] = WebhookName(t)
	}
	return s, nil
}
