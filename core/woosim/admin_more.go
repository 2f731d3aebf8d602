package woosim

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// serveAdminMore serves the admin endpoints for faults, webhooks and
// trashing orders; it reports whether path was one of them.
func (s *Sim) serveAdminMore(w http.ResponseWriter, r *http.Request, path string) bool {
	switch {
	case path == "faults" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, s.faults.Config())
	case path == "faults" && r.Method == http.MethodPost:
		var c FaultConfig
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&c); err != nil {
			writeJSON(w, http.StatusBadRequest, adminError{"body must be a fault configuration: " + err.Error()})
			return true
		}
		if err := s.faults.Set(c); err != nil {
			writeJSON(w, http.StatusBadRequest, adminError{err.Error()})
			return true
		}
		writeJSON(w, http.StatusOK, s.faults.Config())
	case path == "webhooks" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		writeJSON(w, http.StatusOK, s.Webhooks())
	case path == "webhooks/wait" && r.Method == http.MethodPost:
		ctx, cancel := context.WithTimeout(r.Context(), 30*time.Second)
		defer cancel()
		if err := s.WaitIdle(ctx); err != nil {
			writeJSON(w, http.StatusGatewayTimeout, adminError{"deliveries still queued: " + err.Error()})
			return true
		}
		writeJSON(w, http.StatusOK, s.Webhooks())
	case strings.HasPrefix(path, "webhooks/") && strings.HasSuffix(path, "/status") && r.Method == http.MethodPost:
		id, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(path, "webhooks/"), "/status"), 10, 64)
		if err != nil {
			writeJSON(w, http.StatusNotFound, adminError{"no such webhook"})
			return true
		}
		var body struct {
			Status string `json:"status"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&body); err != nil || body.Status == "" {
			writeJSON(w, http.StatusBadRequest, adminError{`body must be {"status":"active|paused|disabled"}`})
			return true
		}
		if err := s.SetWebhookStatus(id, body.Status); err != nil {
			code := http.StatusBadRequest
			if errors.Is(err, ErrNoWebhook) {
				code = http.StatusNotFound
			}
			writeJSON(w, code, adminError{err.Error()})
			return true
		}
		wh, _ := s.hooks.get(id)
		writeJSON(w, http.StatusOK, wh.summary())
	case strings.HasPrefix(path, "orders/") && r.Method == http.MethodDelete:
		id, err := strconv.ParseInt(strings.TrimPrefix(path, "orders/"), 10, 64)
		if err == nil {
			err = s.DeleteOrder(id)
		}
		if err != nil {
			writeJSON(w, http.StatusNotFound, adminError{"no such order"})
			return true
		}
		s.mu.RLock()
		sum := s.orderLocked(id).summary()
		s.mu.RUnlock()
		writeJSON(w, http.StatusOK, sum)
	default:
		return false
	}
	return true
}
