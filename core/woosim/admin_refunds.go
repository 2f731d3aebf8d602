package woosim

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// adminRefundBody is POST /__woosim/orders/{id}/refunds' body: a
// RefundRequest with the date as RFC 3339 ("" for now).
type adminRefundBody struct {
	At     string       `json:"at"`
	Reason string       `json:"reason"`
	Items  []RefundItem `json:"items"`
	All    bool         `json:"all"`
	Amount string       `json:"amount"`
}

// serveAdminRefunds serves
//
//	GET  /__woosim/orders/{id}/refunds   the order's refunds (Refunds), newest first
//	POST /__woosim/orders/{id}/refunds   body adminRefundBody, answers {"id":N} (AddRefund)
//
// and reports whether path was one of them.
func (s *Sim) serveAdminRefunds(w http.ResponseWriter, r *http.Request, path string) bool {
	rest, ok := strings.CutPrefix(path, "orders/")
	if !ok {
		return false
	}
	idStr, ok := strings.CutSuffix(rest, "/refunds")
	if !ok {
		return false
	}
	id, err := strconv.ParseInt(idStr, 10, 64)
	if err != nil {
		writeJSON(w, http.StatusNotFound, adminError{"no such order"})
		return true
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		rs, err := s.Refunds(id)
		if err != nil {
			writeJSON(w, http.StatusNotFound, adminError{err.Error()})
			return true
		}
		writeJSON(w, http.StatusOK, rs)
	case http.MethodPost:
		var body adminRefundBody
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&body); err != nil {
			writeJSON(w, http.StatusBadRequest, adminError{`body must be {"at":"RFC 3339","reason":"…","items":[{"id":N,"quantity":N}],"all":false,"amount":"5.00"}: ` + err.Error()})
			return true
		}
		req := RefundRequest{Reason: body.Reason, Items: body.Items, All: body.All, Amount: body.Amount}
		if body.At != "" {
			at, err := time.Parse(time.RFC3339, body.At)
			if err != nil {
				writeJSON(w, http.StatusBadRequest, adminError{"at must be an RFC 3339 time: " + err.Error()})
				return true
			}
			req.At = at
		}
		rid, err := s.AddRefund(id, req)
		if err != nil {
			code := http.StatusBadRequest
			if errors.Is(err, ErrNoOrder) {
				code = http.StatusNotFound
			}
			writeJSON(w, code, adminError{err.Error()})
			return true
		}
		writeJSON(w, http.StatusOK, struct {
			ID int64 `json:"id"`
		}{rid})
	default:
		writeJSON(w, http.StatusMethodNotAllowed, adminError{"use GET or POST"})
	}
	return true
}
