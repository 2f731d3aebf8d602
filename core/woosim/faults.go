package woosim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// FaultConfig says how the shop misbehaves, as real shops do. Rates are
// fractions of the requests to the shop (everything but /__woosim/), from 0
// (never) to 1 (always). Which requests fail is decided by Seed and the
// request's number since the configuration was set, so a client that sends
// its requests one after the other sees the same failures on every run.
//
// When several faults hit one request the first of these wins: reset,
// rate limit, server error, HTML page; the body faults (BOM, PHP notice,
// truncation) then apply together to the real answer. Latency delays every
// request, whatever else happens to it.
type FaultConfig struct {
	Seed int64 `json:"seed"`
	// ServerErrorRate: answered 500 (WordPress's "critical error" page),
	// 502 (nginx's Bad Gateway page) or 503 (WordPress maintenance mode,
	// with Retry-After: 600), one of the three at random.
	ServerErrorRate float64 `json:"server_error_rate"`
	// RateLimitEvery answers every Kth request 429 Too Many Requests, and
	// RateLimitRate that fraction of the others, with Retry-After:
	// RetryAfter seconds (1 when 0).
	RateLimitEvery int     `json:"rate_limit_every"`
	RateLimitRate  float64 `json:"rate_limit_rate"`
	RetryAfter     int     `json:"retry_after"`
	// Latency is added before every answer, plus up to LatencyJitter more.
	Latency       time.Duration `json:"-"`
	LatencyJitter time.Duration `json:"-"`
	// ResetRate: the connection is closed (with a TCP reset) without an
	// answer.
	ResetRate float64 `json:"reset_rate"`
	// TruncateRate: the answer announces its full Content-Length but the
	// connection closes after half of the body.
	TruncateRate float64 `json:"truncate_rate"`
	// PHPNoticeRate: a PHP notice (as display_errors prints it, HTML) comes
	// before the JSON.
	PHPNoticeRate float64 `json:"php_notice_rate"`
	// HTMLPageRate: a maintenance-mode HTML page with status 200 instead of
	// the answer, as caching and maintenance plugins serve it.
	HTMLPageRate float64 `json:"html_page_rate"`
	// BOMRate: a UTF-8 byte order mark before the body, as a plugin file
	// saved with one prints it.
	BOMRate float64 `json:"bom_rate"`
	// StripAuthorization drops the Authorization header before the shop
	// sees it, as Apache with PHP as CGI/FastCGI does unless told
	// otherwise: Basic auth fails, query-string keys still work.
	StripAuthorization bool `json:"strip_authorization"`
}

// faultConfigJSON is FaultConfig on the wire, durations as "250ms".
type faultConfigJSON struct {
	fcAlias
	Latency       string `json:"latency,omitempty"`
	LatencyJitter string `json:"latency_jitter,omitempty"`
}

type fcAlias FaultConfig

// MarshalJSON writes durations as Go duration strings ("250ms").
func (c FaultConfig) MarshalJSON() ([]byte, error) {
	j := faultConfigJSON{fcAlias: fcAlias(c)}
	if c.Latency != 0 {
		j.Latency = c.Latency.String()
	}
	if c.LatencyJitter != 0 {
		j.LatencyJitter = c.LatencyJitter.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes; unknown fields are errors.
func (c *FaultConfig) UnmarshalJSON(b []byte) error {
	var j faultConfigJSON
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	if err := d.Decode(&j); err != nil {
		return err
	}
	*c = FaultConfig(j.fcAlias)
	for _, f := range []struct {
		s   string
		dst *time.Duration
	}{{j.Latency, &c.Latency}, {j.LatencyJitter, &c.LatencyJitter}} {
		if f.s == "" {
			continue
		}
		v, err := time.ParseDuration(f.s)
		if err != nil {
			return err
		}
		*f.dst = v
	}
	return c.Validate()
}

// Validate reports rates outside 0…1 and negative settings.
func (c FaultConfig) Validate() error {
	for _, r := range []float64{c.ServerErrorRate, c.RateLimitRate, c.ResetRate, c.TruncateRate, c.PHPNoticeRate, c.HTMLPageRate, c.BOMRate} {
		if r < 0 || r > 1 {
			return fmt.Errorf("woosim: fault rate %v is not between 0 and 1", r)
		}
	}
	if c.RateLimitEvery < 0 || c.RetryAfter < 0 || c.Latency < 0 || c.LatencyJitter < 0 {
		return fmt.Errorf("woosim: negative fault setting")
	}
	return nil
}

func (c FaultConfig) active() bool { return c != FaultConfig{} }

// Faults are a shop's current faults; change them at any time.
type Faults struct {
	mu  sync.Mutex
	cfg FaultConfig
	n   uint64 // requests seen since cfg was set
}

func newFaults(c FaultConfig) *Faults { return &Faults{cfg: c} }

// Faults returns the shop's faults, to read or change while it runs.
func (s *Sim) Faults() *Faults { return s.faults }

// Set replaces the faults and restarts the request count the random
// decisions are drawn for.
func (f *Faults) Set(c FaultConfig) error {
	if err := c.Validate(); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.cfg, f.n = c, 0
	return nil
}

// Config returns the current faults.
func (f *Faults) Config() FaultConfig {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.cfg
}

// faultPlan is what happens to one request.
type faultPlan struct {
	delay                  time.Duration
	reset, rateLimit, html bool
	serverError            int // status, 0 for none
	truncate, notice, bom  bool
	stripAuth              bool
	retryAfter             int
}

func (p faultPlan) rewritesBody() bool { return p.truncate || p.notice || p.bom }

// plan decides the next request's faults. Every request draws the same
// numbers in the same order, whichever faults are on.
func (f *Faults) plan() (faultPlan, bool) {
	f.mu.Lock()
	c := f.cfg
	if !c.active() {
		f.mu.Unlock()
		return faultPlan{}, false
	}
	f.n++
	n := f.n
	f.mu.Unlock()

	r := rand.New(rand.NewPCG(uint64(c.Seed), n))
	hit := func(rate float64) bool { return r.Float64() < rate }
	p := faultPlan{stripAuth: c.StripAuthorization, retryAfter: max(c.RetryAfter, 1)}
	p.delay = c.Latency + time.Duration(r.Float64()*float64(c.LatencyJitter))
	p.reset = hit(c.ResetRate)
	p.rateLimit = hit(c.RateLimitRate) || c.RateLimitEvery > 0 && n%uint64(c.RateLimitEvery) == 0
	status := [...]int{500, 502, 503}[r.IntN(3)]
	if hit(c.ServerErrorRate) {
		p.serverError = status
	}
	p.html = hit(c.HTMLPageRate)
	p.truncate = hit(c.TruncateRate)
	p.notice = hit(c.PHPNoticeRate)
	p.bom = hit(c.BOMRate)
	return p, true
}

// serve runs next behind the faults.
func (f *Faults) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	p, on := f.plan()
	if !on {
		next.ServeHTTP(w, r)
		return
	}
	if p.delay > 0 {
		t := time.NewTimer(p.delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	if p.stripAuth && r.Header.Get("Authorization") != "" {
		r = r.Clone(r.Context())
		r.Header.Del("Authorization")
	}
	switch {
	case p.reset:
		resetConnection(w)
	case p.rateLimit:
		w.Header().Set("Retry-After", strconv.Itoa(p.retryAfter))
		writePage(w, http.StatusTooManyRequests, page429)
	case p.serverError != 0:
		switch p.serverError {
		case 500:
			writePage(w, 500, pageCriticalError)
		case 502:
			writePage(w, 502, page502)
		default:
			w.Header().Set("Retry-After", "600") // wp_maintenance()
			writePage(w, 503, pageMaintenance503)
		}
	case p.html:
		writePage(w, http.StatusOK, pageMaintenance200)
	case p.rewritesBody():
		rec := &recorder{h: http.Header{}, code: http.StatusOK}
		next.ServeHTTP(rec, r)
		var body []byte
		if p.bom {
			body = append(body, 0xEF, 0xBB, 0xBF)
		}
		if p.notice {
			body = append(body, phpNotice...)
		}
		body = append(body, rec.body.Bytes()...)
		for k, v := range rec.h {
			w.Header()[k] = v
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		if p.truncate {
			truncateAnswer(w, rec.code, body)
			return
		}
		w.WriteHeader(rec.code)
		w.Write(body)
	default:
		next.ServeHTTP(w, r)
	}
}

func writePage(w http.ResponseWriter, status int, page string) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(page)))
	w.WriteHeader(status)
	w.Write([]byte(page))
}

// resetConnection closes the client's connection at once, with a TCP RST
// where it can (SO_LINGER 0), without an answer.
func resetConnection(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	raw := conn
	if nc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		raw = nc.NetConn() // under TLS: reset the TCP connection, no close_notify
	}
	if tc, ok := raw.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	raw.Close()
}

// truncateAnswer sends the status, the headers (with the full
// Content-Length) and half of body, then closes the connection.
func truncateAnswer(w http.ResponseWriter, status int, body []byte) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\n", status, http.StatusText(status))
	w.Header().Write(buf)
	buf.WriteString("\r\n")
	buf.Write(body[:len(body)/2])
	buf.Flush()
}

// recorder keeps a handler's answer to rewrite it.
type recorder struct {
	h     http.Header
	code  int
	body  bytes.Buffer
	wrote bool
}

func (r *recorder) Header() http.Header { return r.h }

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.code, r.wrote = code, true
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.wrote = true
	return r.body.Write(p)
}
