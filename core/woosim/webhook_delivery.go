package woosim

// Webhook deliveries, as WC_Webhook delivers them through Action Scheduler:
// queued when the hook fires, one queued delivery per webhook and order
// (a second event while the first waits is dropped, and the payload is
// built when it is sent, so intermediate states are skipped), sent one at
// a time, never retried.
//
// Stock WordPress refuses (wp_safe_remote_request()) delivery URLs on
// loopback or private addresses except on ports 80, 443 and 8080. The
// simulator does not: tests receive deliveries on 127.0.0.1:<any port>.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

const (
	deliveryTimeout = 60 * time.Second // WC_Webhook::deliver(): MINUTE_IN_SECONDS
	pingTimeout     = 5 * time.Second  // wp_safe_remote_post()'s default
	// maxFailures is woocommerce_max_webhook_delivery_failures: a failure
	// when the count is already above it disables the webhook instead of
	// counting. From a count of 0 the 1st…6th consecutive failures count
	// (1…6) and the 7th disables it, leaving the count at 6.
	maxFailures = 5
)

type deliveryJob struct {
	webhookID, orderID int64
	due                time.Time
}

// deliveryQueue is the Action Scheduler queue of webhook deliveries.
type deliveryQueue struct {
	s       *Sim
	delay   time.Duration
	deliver *http.Client // no redirects: 301 and 302 are answers
	ping    *http.Client

	mu      sync.Mutex
	jobs    []deliveryJob
	pending map[[2]int64]bool
	running bool
	idle    chan struct{} // closed while no delivery is queued or under way
}

func (q *deliveryQueue) init(s *Sim, delay time.Duration, rt http.RoundTripper) {
	q.s, q.delay = s, delay
	if rt == nil {
		rt = http.DefaultTransport.(*http.Transport).Clone()
	}
	q.deliver = &http.Client{Transport: rt, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse // 'redirection' => 0
	}}
	q.ping = &http.Client{Transport: rt}
	q.pending = map[[2]int64]bool{}
	q.idle = make(chan struct{})
	close(q.idle)
}

// emit is a hook firing for orders: every active webhook on topic gets a
// delivery queued per order (wc_webhook_process_delivery()).
func (s *Sim) emit(topic string, orderIDs ...int64) {
	if topic == "" || len(orderIDs) == 0 {
		return
	}
	hooks := s.hooks.activeFor(topic)
	if len(hooks) == 0 {
		return
	}
	q := &s.queue
	due := time.Now().Add(q.delay)
	q.mu.Lock()
	defer q.mu.Unlock()
	for _, h := range hooks {
		for _, id := range orderIDs {
			k := [2]int64{h, id}
			if q.pending[k] {
				continue // already queued: as_next_scheduled_action()
			}
			q.pending[k] = true
			q.jobs = append(q.jobs, deliveryJob{webhookID: h, orderID: id, due: due})
		}
	}
	if !q.running && len(q.jobs) > 0 {
		q.running = true
		q.idle = make(chan struct{})
		go q.run()
	}
}

// run sends the queued deliveries in order, then stops.
func (q *deliveryQueue) run() {
	for {
		q.mu.Lock()
		if len(q.jobs) == 0 {
			q.running = false
			close(q.idle)
			q.mu.Unlock()
			return
		}
		j := q.jobs[0]
		if wait := time.Until(j.due); wait > 0 {
			q.mu.Unlock()
			time.Sleep(wait)
			continue
		}
		q.jobs = q.jobs[1:]
		delete(q.pending, [2]int64{j.webhookID, j.orderID})
		q.mu.Unlock()
		q.s.sendDelivery(j)
	}
}

// WaitIdle waits until no webhook delivery is queued or under way (pings
// that deliveries trigger included), or ctx is done.
func (s *Sim) WaitIdle(ctx context.Context) error {
	s.queue.mu.Lock()
	idle := s.queue.idle
	s.queue.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// homeURL is the shop's home URL for requests it makes itself: the
// Server's scheme and address, or SiteHost.
func (s *Sim) homeURL() string {
	scheme, host := "http", "localhost"
	if b := s.baseURL.Load(); b != nil {
		scheme, host, _ = strings.Cut(*b, "://")
	}
	if s.siteHost != "" {
		host = s.siteHost
	}
	return scheme + "://" + host
}

func (s *Sim) userAgent() string {
	return "WooCommerce/" + s.wcVersion + " Hookshot (WordPress/" + s.wpVersion + ")"
}

// sendDelivery is WC_Webhook::deliver() and log_delivery().
func (s *Sim) sendDelivery(j deliveryJob) {
	wh, ok := s.hooks.get(j.webhookID)
	if !ok {
		return // deleted since: WC_Webhook reads nothing and delivers nowhere
	}
	home := s.homeURL()
	body := s.webhookPayload(&wh, j.orderID, home)
	ctx, cancel := context.WithTimeout(context.Background(), deliveryTimeout)
	defer cancel()
	code := 0
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, wh.deliveryURL, bytes.NewReader(body))
	if err == nil {
		h := req.Header
		h.Set("User-Agent", s.userAgent())
		h.Set("Accept", "*/*")
		h.Set("Accept-Encoding", "deflate, gzip, br, zstd")
		h.Set("Content-Type", "application/json")
		// Spelled as WooCommerce spells them.
		h["X-WC-Webhook-Source"] = []string{home + "/"}
		h["X-WC-Webhook-Topic"] = []string{wh.topic}
		h["X-WC-Webhook-Resource"] = []string{wh.resource()}
		h["X-WC-Webhook-Event"] = []string{wh.event()}
		h["X-WC-Webhook-Signature"] = []string{webhookSignature(wh.secret, body)}
		h["X-WC-Webhook-ID"] = []string{strconv.FormatInt(wh.id, 10)}
		h["X-WC-Webhook-Delivery-ID"] = []string{s.deliveryID(wh.id)}
		req.Close = true
		var resp *http.Response
		if resp, err = s.queue.deliver.Do(req); err == nil {
			code = resp.StatusCode
			io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
		}
	}
	s.logDelivery(wh.id, code)
}

// webhookPayload is WC_Webhook::build_payload() as it runs at send time:
// {"id":N} for *.deleted topics, else the order as the webhook's API
// version renders it (wc/v3: the bare order of GET /orders/{id}; legacy:
// {"order":…}).
func (s *Sim) webhookPayload(wh *webhook, orderID int64, home string) []byte {
	idOnly := []byte(`{"id":` + strconv.FormatInt(orderID, 10) + `}`)
	if wh.event() == "deleted" || wh.resource() != "order" {
		return idOnly
	}
	siteEsc := appendPHPStringBody(nil, home)
	s.mu.RLock()
	defer s.mu.RUnlock()
	o := s.orderLocked(orderID)
	if o == nil {
		return idOnly
	}
	if wh.apiVersion < 0 {
		b := append([]byte(nil), `{"order":`...)
		b = s.appendLegacyOrder(b, o, 2, siteEsc, strings.HasPrefix(home, "https:"))
		return append(b, '}')
	}
	return s.renderedWCV3(o).appendTo(nil, siteEsc)
}

// webhookSignature is WC_Webhook::generate_signature():
// base64(HMAC-SHA256(wp_specialchars_decode(secret, ENT_QUOTES), body)).
func webhookSignature(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(wpSpecialcharsDecode(secret)))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

var specialcharsDecoder = strings.NewReplacer("&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#039;", "'", "&#39;", "'", "&amp;", "&")

func wpSpecialcharsDecode(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return specialcharsDecoder.Replace(s)
}

// deliveryID is WC_Webhook::get_new_delivery_id(): wp_hash(id . time()),
// 32 hex digits. Two deliveries of one webhook within the same second
// share it.
func (s *Sim) deliveryID(webhookID int64) string {
	mac := hmac.New(md5.New, s.hooks.salt)
	mac.Write([]byte(strconv.FormatInt(webhookID, 10) + strconv.FormatInt(s.clock(), 10)))
	return hex.EncodeToString(mac.Sum(nil))
}

// logDelivery counts a delivery's outcome as WC_Webhook::log_delivery()
// and failed_delivery() do, then saves the webhook (which pings it when
// its ping is still pending).
func (s *Sim) logDelivery(id int64, code int) {
	s.saveWebhook(id, func(w *webhook) {
		switch {
		case code >= 200 && code < 303: // 2xx, 301 and 302 (and 300)
			w.failures = 0
		case w.failures > maxFailures:
			w.status = "disabled"
		default:
			w.failures++
		}
	})
}

// pingWebhook is WC_Webhook::deliver_ping(): webhook_id=N form-encoded, no
// signature; only a 200 clears pending_delivery (and saves the webhook).
func (s *Sim) pingWebhook(id int64) {
	wh, ok := s.hooks.get(id)
	if !ok {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), pingTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, wh.deliveryURL,
		strings.NewReader("webhook_id="+strconv.FormatInt(id, 10)))
	if err != nil {
		return
	}
	req.Header.Set("User-Agent", s.userAgent())
	req.Header.Set("Accept", "*/*")
	req.Header.Set("Accept-Encoding", "deflate, gzip, br, zstd")
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Close = true
	resp, err := s.queue.ping.Do(req)
	if err != nil {
		return
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return
	}
	hs := &s.hooks
	hs.mu.Lock()
	if w := hs.findLocked(id); w != nil {
		w.pending = false
		w.modified = s.clock()
	}
	hs.mu.Unlock()
}
