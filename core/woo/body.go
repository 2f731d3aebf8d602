package woo

import (
	"bytes"
	"encoding/json"
	"html"
	"net/http"
	"regexp"
	"strings"
	"time"
)

// wpError is the body WordPress sends with an error status.
type wpError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	// The legacy API wraps its errors in a list, or for "API disabled"
	// in a bare object.
	Errors json.RawMessage `json:"errors"`
}

type legacyErr struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// statusError turns a non-2xx answer into an *Error, keeping WooCommerce's
// code and message.
func statusError(op string, resp *http.Response, body []byte) error {
	e := &Error{Op: op, Status: resp.StatusCode}
	var we wpError
	if json.Unmarshal(trimToJSON(body), &we) == nil {
		e.Code, e.Message = we.Code, we.Message
		var list []legacyErr
		var one legacyErr
		switch {
		case e.Code != "":
		case json.Unmarshal(we.Errors, &list) == nil && len(list) > 0:
			e.Code, e.Message = list[0].Code, list[0].Message
		case json.Unmarshal(we.Errors, &one) == nil:
			e.Code, e.Message = one.Code, one.Message
		}
	}
	switch s := resp.StatusCode; {
	case s == http.StatusUnauthorized, s == http.StatusForbidden:
		e.Kind = KindAuth
	case s == http.StatusNotFound:
		e.Kind = KindNotFound
	case s == http.StatusTooManyRequests:
		e.Kind = KindRateLimited
		e.RetryAfter = retryAfter(resp.Header, time.Now())
	case s >= 500:
		e.Kind = KindServer
	case s >= 300 && s < 400:
		e.Kind = KindBadConfig
		e.Message = "the shop redirects to " + resp.Header.Get("Location") + "; use that address"
	}
	return e
}

// decodeJSON unmarshals a body that should be JSON, explaining plainly when
// the shop sent a web page instead.
func decodeJSON(op string, body []byte, v any) error {
	trimmed := trimToJSON(body)
	if len(trimmed) == 0 {
		first := firstLine(body)
		if first == "" {
			return &Error{Op: op, Kind: KindBadPayload, Message: "the shop sent an empty answer"}
		}
		return &Error{Op: op, Kind: KindBadPayload, Message: "the shop answered with a web page instead of data: " + first}
	}
	if err := json.Unmarshal(trimmed, v); err != nil {
		return &Error{Op: op, Kind: KindBadPayload, Message: "the shop's answer is not valid order data", Err: err}
	}
	return nil
}

// trimToJSON skips a UTF-8 byte order mark and any lines a PHP notice
// printed before the JSON value. It returns nil when the body holds no JSON.
func trimToJSON(body []byte) []byte {
	b := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
	if looksLikeHTML(b) {
		return nil
	}
	for start := 0; start < len(b); {
		line := bytes.TrimLeft(b[start:], " \t\r\n")
		if len(line) > 0 && (line[0] == '[' || line[0] == '{') {
			return line
		}
		next := bytes.IndexByte(b[start:], '\n')
		if next < 0 {
			break
		}
		start += next + 1
	}
	return nil
}

func looksLikeHTML(b []byte) bool {
	head := strings.ToLower(string(b[:min(len(b), 256)]))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") || strings.Contains(head, "<head")
}

// firstLine returns the title or first line of text of a non-JSON answer,
// for error messages.
func firstLine(body []byte) string {
	s := string(body[:min(len(body), 8192)])
	if m := titlePattern.FindStringSubmatch(s); m != nil {
		s = m[1]
	}
	s = tagPattern.ReplaceAllString(s, " ")
	for _, line := range strings.Split(s, "\n") {
		if line = strings.Join(strings.Fields(html.UnescapeString(line)), " "); line != "" {
			if r := []rune(line); len(r) > 120 {
				line = string(r[:120]) + "…"
			}
			return line
		}
	}
	return ""
}

var (
	tagPattern   = regexp.MustCompile(`<[^>]*>`)
	titlePattern = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
)
