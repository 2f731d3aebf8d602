package webhook

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
)

// The headers WooCommerce sends with a delivery, spelled as it spells them.
const (
	HeaderSource     = "X-WC-Webhook-Source"
	HeaderTopic      = "X-WC-Webhook-Topic"
	HeaderResource   = "X-WC-Webhook-Resource"
	HeaderEvent      = "X-WC-Webhook-Event"
	HeaderSignature  = "X-WC-Webhook-Signature"
	HeaderID         = "X-WC-Webhook-ID"
	HeaderDeliveryID = "X-WC-Webhook-Delivery-ID"
)

// headerSpelling is WooCommerce's spelling of what follows X-WC-Webhook-.
var headerSpelling = map[string]string{
	"source": "Source", "topic": "Topic", "resource": "Resource", "event": "Event",
	"signature": "Signature", "id": "ID", "delivery-id": "Delivery-ID",
}

// headerPrefix is how net/http canonicalizes the X-WC-Webhook- prefix.
const headerPrefix = "X-Wc-Webhook-"

// Limits on what is kept of the headers.
const (
	maxKeptHeaders     = 16
	maxHeaderValue     = 256
	maxPingBody        = 1 << 10
	secretRecheckAfter = 5 * time.Second
)

// ServeHTTP answers one request to /webhooks/<token>; see the package
// documentation for what each request gets.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	received := time.Now()
	token, ok := strings.CutPrefix(req.URL.Path, PathPrefix)
	if !ok {
		http.NotFound(w, req)
		return
	}
	reject := func(shop ledger.ShopID, code int, reason string) {
		r.publish(events.WebhookRejected{Base: r.stamp(shop), Status: code, Reason: reason})
		http.Error(w, reason, code)
	}
	if req.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		reject(0, http.StatusMethodNotAllowed, "only POST is accepted")
		return
	}
	if token == "" || strings.Contains(token, "/") {
		reject(0, http.StatusNotFound, "unknown webhook URL")
		return
	}
	sh, err := r.st.ShopByWebhookToken(token)
	if errors.Is(err, store.ErrNotFound) {
		reject(0, http.StatusNotFound, "unknown webhook URL")
		return
	}
	if err != nil {
		reject(0, http.StatusInternalServerError, "database error")
		return
	}

	if !hasWebhookHeaders(req.Header) {
		// WooCommerce's ping carries none of them.
		body, err := readBody(w, req, min(maxPingBody, r.cfg.MaxBodyBytes))
		if err == nil && isPing(req.Header, body) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			io.WriteString(w, "pong\n")
			return
		}
		reject(sh.ID, http.StatusUnauthorized, "missing X-WC-Webhook headers")
		return
	}
	topic, sig, deliveryID := header(req.Header, HeaderTopic), header(req.Header, HeaderSignature),
		header(req.Header, HeaderDeliveryID)
	if topic == "" || sig == "" || deliveryID == "" {
		reject(sh.ID, http.StatusUnauthorized, "missing X-WC-Webhook headers")
		return
	}
	if req.ContentLength > r.cfg.MaxBodyBytes {
		reject(sh.ID, http.StatusRequestEntityTooLarge, "body too large")
		return
	}
	key, err := r.secrets.get(r.keys, sh.ID)
	if err != nil {
		if errors.Is(err, secrets.ErrNotFound) {
			reject(sh.ID, http.StatusUnauthorized, "the shop has no webhook secret")
			return
		}
		w.Header().Set("Retry-After", "60")
		reject(sh.ID, http.StatusServiceUnavailable, "keyring unavailable")
		return
	}
	body, err := readBody(w, req, r.cfg.MaxBodyBytes)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			reject(sh.ID, http.StatusRequestEntityTooLarge, "body too large")
			return
		}
		reject(sh.ID, http.StatusBadRequest, "body could not be read")
		return
	}
	if !r.verify(sh.ID, key, body, sig) {
		reject(sh.ID, http.StatusUnauthorized, "bad signature")
		return
	}

	d := ledger.Delivery{
		Shop: sh.ID, DeliveryID: clip(deliveryID), Topic: clip(topic), Headers: keptHeaders(req.Header),
		Body: body, Received: received.UTC(), Status: ledger.DeliveryReceived,
	}
	d.WebhookID, _ = strconv.ParseInt(header(req.Header, HeaderID), 10, 64)
	// The writer announces the stored delivery (WebhookReceived), before
	// what applying it did.
	_, err = r.submit(d, received)
	switch {
	case errors.Is(err, store.ErrNotFound): // the shop went while we checked
		reject(sh.ID, http.StatusNotFound, "unknown webhook URL")
		return
	case errors.Is(err, errClosed):
		w.Header().Set("Retry-After", "60")
		reject(sh.ID, http.StatusServiceUnavailable, "shutting down")
		return
	case err != nil:
		// The event says why; the shop, which logs our answer, needs not.
		r.publish(events.WebhookRejected{Base: r.stamp(sh.ID), Status: http.StatusInternalServerError,
			Reason: "the delivery could not be stored: " + err.Error()})
		http.Error(w, "the delivery could not be stored", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(w, "ok\n")
}

// readBody reads the whole body, up to limit bytes (an
// *http.MaxBytesError beyond).
func readBody(w http.ResponseWriter, req *http.Request, limit int64) ([]byte, error) {
	if req.Body == nil {
		return nil, nil
	}
	var buf bytes.Buffer
	if req.ContentLength > 0 && req.ContentLength <= limit {
		buf.Grow(int(req.ContentLength))
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, req.Body, limit))
	return buf.Bytes(), err
}

// cutWebhookPrefix returns what follows X-WC-Webhook- in a header name, in
// any case: net/http canonicalizes the names it reads from the wire, but
// a handler may be given a request built in memory.
func cutWebhookPrefix(name string) (string, bool) {
	if len(name) < len(headerPrefix) || !strings.EqualFold(name[:len(headerPrefix)], headerPrefix) {
		return "", false
	}
	return name[len(headerPrefix):], true
}

func hasWebhookHeaders(h http.Header) bool {
	for k := range h {
		if _, ok := cutWebhookPrefix(k); ok {
			return true
		}
	}
	return false
}

// header is h.Get(name), with name matched in any case.
func header(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	for k, v := range h {
		if len(v) > 0 && strings.EqualFold(k, name) {
			return v[0]
		}
	}
	return ""
}

// isPing reports whether body is WooCommerce's ping: webhook_id=N,
// form-encoded, and nothing else.
func isPing(h http.Header, body []byte) bool {
	if ct := h.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		return false
	}
	q, err := url.ParseQuery(string(bytes.TrimSpace(body)))
	if err != nil || len(q) != 1 || len(q["webhook_id"]) != 1 {
		return false
	}
	id, err := strconv.ParseInt(q.Get("webhook_id"), 10, 64)
	return err == nil && id > 0
}

// keptHeaders returns the X-WC-Webhook-* headers, spelled as WooCommerce
// spells them, each value cut to a reasonable length.
func keptHeaders(h http.Header) map[string]string {
	out := map[string]string{}
	for k, v := range h {
		rest, ok := cutWebhookPrefix(k)
		if !ok || len(v) == 0 || len(out) == maxKeptHeaders {
			continue
		}
		if known, ok := headerSpelling[strings.ToLower(rest)]; ok {
			rest = known
		}
		out["X-WC-Webhook-"+rest] = clip(v[0])
	}
	return out
}

func clip(s string) string {
	if len(s) > maxHeaderValue {
		return s[:maxHeaderValue]
	}
	return s
}

// verify checks sig against the body under key, and once more under a
// freshly read key if the cached one is a few seconds old (the secret may
// have been changed since).
func (r *Receiver) verify(shop ledger.ShopID, key cachedSecret, body []byte, sig string) bool {
	want, err := base64.StdEncoding.DecodeString(strings.TrimSpace(sig))
	if err != nil || len(want) != sha256.Size {
		return false
	}
	if key.matches(body, want) {
		return true
	}
	if time.Since(key.loaded) < secretRecheckAfter {
		return false
	}
	fresh, err := r.secrets.reload(r.keys, shop, key.loaded)
	return err == nil && fresh.matches(body, want)
}

// cachedSecret is a shop's webhook secret as HMAC keys: the secret, and
// the form WooCommerce signs with when it holds HTML entities
// (wp_specialchars_decode).
type cachedSecret struct {
	keys   [][]byte
	loaded time.Time
}

func newCachedSecret(secret string) cachedSecret {
	c := cachedSecret{keys: [][]byte{[]byte(secret)}, loaded: time.Now()}
	if decoded := specialcharsDecoder.Replace(secret); decoded != secret {
		c.keys = append(c.keys, []byte(decoded))
	}
	return c
}

var specialcharsDecoder = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#039;", "'", "&#39;", "'", "&amp;", "&")

func (c cachedSecret) matches(body, want []byte) bool {
	ok := false
	for _, k := range c.keys {
		mac := hmac.New(sha256.New, k)
		mac.Write(body)
		ok = hmac.Equal(mac.Sum(nil), want) || ok
	}
	return ok
}

// secretCache keeps shops' webhook secrets in memory once read, so that
// deliveries neither wait for the keyring nor fail while it is locked.
type secretCache struct {
	mu     sync.RWMutex
	m      map[ledger.ShopID]cachedSecret
	loadMu sync.Mutex // one keyring read at a time
}

func (c *secretCache) init() { c.m = map[ledger.ShopID]cachedSecret{} }

func (c *secretCache) get(keys secrets.Store, shop ledger.ShopID) (cachedSecret, error) {
	c.mu.RLock()
	s, ok := c.m[shop]
	c.mu.RUnlock()
	if ok {
		return s, nil
	}
	return c.reload(keys, shop, time.Time{})
}

// reload reads the secret from the keyring unless someone did since
// seenLoaded; a failed read keeps what is cached.
func (c *secretCache) reload(keys secrets.Store, shop ledger.ShopID, seenLoaded time.Time) (cachedSecret, error) {
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	c.mu.RLock()
	s, ok := c.m[shop]
	c.mu.RUnlock()
	if ok && s.loaded.After(seenLoaded) {
		return s, nil
	}
	secret, err := secrets.LoadWebhookSecret(keys, shop)
	if err != nil {
		return cachedSecret{}, err
	}
	s = newCachedSecret(secret)
	c.mu.Lock()
	c.m[shop] = s
	c.mu.Unlock()
	return s, nil
}

func (c *secretCache) forget(shop ledger.ShopID) {
	c.mu.Lock()
	delete(c.m, shop)
	c.mu.Unlock()
}
