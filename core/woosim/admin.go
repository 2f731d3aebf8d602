package woosim

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// maxAddOrders caps one POST /__woosim/orders.
const maxAddOrders = 100_000

// serveAdmin serves the simulator's own endpoints, for scripts and other
// processes driving cmd/woosim (no authentication; loopback only):
//
//	GET    /__woosim/orders                 every order's summary (Snapshot)
//	POST   /__woosim/orders?n=5             add n orders, answers {"ids":[…]}
//	POST   /__woosim/orders/{id}/status     body {"status":"completed"}, answers the order's summary
//	DELETE /__woosim/orders/{id}            move the order to the trash (DeleteOrder)
//	GET    /__woosim/orders/{id}/refunds    the order's refunds (Refunds)
//	POST   /__woosim/orders/{id}/refunds    add a refund (AddRefund), see serveAdminRefunds
//	GET    /__woosim/faults                 the current faults (FaultConfig as JSON)
//	POST   /__woosim/faults                 body: a FaultConfig ({} for none), replaces them
//	GET    /__woosim/webhooks               every webhook's summary
//	POST   /__woosim/webhooks/{id}/status   body {"status":"paused"}, answers the webhook's summary
//	POST   /__woosim/webhooks/wait          waits until no delivery is queued (WaitIdle), up to 30 s
func (s *Sim) serveAdmin(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/__woosim/"), "/")
	if s.serveAdminMore(w, r, path) || s.serveAdminRefunds(w, r, path) {
		return
	}
	switch {
	case path == "orders" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
		writeJSON(w, http.StatusOK, s.Snapshot())
	case path == "orders" && r.Method == http.MethodPost:
		n := 1
		if v := r.URL.Query().Get("n"); v != "" {
			var err error
			n, err = strconv.Atoi(v)
			if err != nil || n < 1 || n > maxAddOrders {
				writeJSON(w, http.StatusBadRequest, adminError{"n must be a whole number from 1 to " + strconv.Itoa(maxAddOrders)})
				return
			}
		}
		writeJSON(w, http.StatusOK, struct {
			IDs []int64 `json:"ids"`
		}{s.AddOrders(n)})
	case strings.HasPrefix(path, "orders/") && strings.HasSuffix(path, "/status") && r.Method == http.MethodPost:
		id, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimPrefix(path, "orders/"), "/status"), 10, 64)
		if err != nil {
			writeJSON(w, http.StatusNotFound, adminError{"no such order"})
			return
		}
		var body struct {
			Status string `json:"status"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&body); err != nil || body.Status == "" {
			writeJSON(w, http.StatusBadRequest, adminError{`body must be {"status":"…"}`})
			return
		}
		if err := s.SetStatus(id, body.Status); err != nil {
			code := http.StatusBadRequest
			if errors.Is(err, ErrNoOrder) {
				code = http.StatusNotFound
			}
			writeJSON(w, code, adminError{err.Error()})
			return
		}
		s.mu.RLock()
		sum := s.orderLocked(id).summary()
		s.mu.RUnlock()
		writeJSON(w, http.StatusOK, sum)
	default:
		writeJSON(w, http.StatusNotFound, adminError{"unknown admin endpoint " + r.Method + " " + r.URL.Path})
	}
}

type adminError struct {
	Error string `json:"error"`
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	w.Write(append(b, '\n'))
}
