package woosim

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
)

// restParams are a WP_REST_Request's parameters: the JSON body, then the
// form body, then the query string, the first that has the name winning
// (WP_REST_Request::get_parameter_order()).
type restParams struct {
	json map[string]json.RawMessage
	form url.Values
	get  phpParams
}

// maxRESTBody caps a request body the simulator reads.
const maxRESTBody = 1 << 20

var errInvalidJSON = &wpError{status: 400, code: "rest_invalid_json", message: "Invalid JSON body passed.",
	extra: `,"json_error_code":4,"json_error_message":"Syntax error"`}

// readRESTParams reads r's body as WordPress does: JSON when the content
// type says so (an unparsable one is rest_invalid_json), form-encoded
// otherwise.
func readRESTParams(r *http.Request, get phpParams) (*restParams, *wpError) {
	p := &restParams{get: get}
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxRESTBody))
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch ct {
	case "application/json":
		if len(bytes.TrimSpace(body)) == 0 {
			break
		}
		if err := json.Unmarshal(body, &p.json); err != nil {
			// A valid JSON value that is not an object gives no parameters.
			var v any
			if json.Unmarshal(body, &v) != nil {
				return nil, errInvalidJSON
			}
		}
	case "application/x-www-form-urlencoded":
		p.form, _ = url.ParseQuery(string(body))
	}
	return p, nil
}

// restValue is one parameter's value and its JSON type ("string",
// "number", "boolean", "null", "array", "object").
type restValue struct {
	s    string
	kind string
}

func (p *restParams) value(name string) (restValue, bool) {
	if raw, ok := p.json[name]; ok {
		var v any
		json.Unmarshal(raw, &v)
		switch t := v.(type) {
		case string:
			return restValue{t, "string"}, true
		case float64:
			return restValue{strconv.FormatFloat(t, 'f', -1, 64), "number"}, true
		case bool:
			if t {
				return restValue{"1", "boolean"}, true
			}
			return restValue{"", "boolean"}, true
		case nil:
			return restValue{"", "null"}, true
		case []any:
			return restValue{"", "array"}, true
		default:
			return restValue{"", "object"}, true
		}
	}
	if vs, ok := p.form[name]; ok && len(vs) > 0 {
		return restValue{vs[len(vs)-1], "string"}, true
	}
	if g, ok := p.get.get(name); ok {
		if g.IsArr {
			return restValue{"", "array"}, true
		}
		return restValue{g.Value, "string"}, true
	}
	return restValue{}, false
}

// str returns a parameter as a string; ok is false when absent.
func (p *restParams) str(name string) (string, bool) {
	v, ok := p.value(name)
	return v.s, ok
}

// restArg is a registered argument of a write route.
type restArg struct {
	name     string
	required bool
	enum     []string // for a string with an enum
	boolean  bool
}

// validate is WP_REST_Request::has_valid_params() for args: missing
// required ones first, then types and enums.
func (p *restParams) validate(args []restArg) *wpError {
	var missing []string
	for _, a := range args {
		if _, ok := p.value(a.name); a.required && !ok {
			missing = append(missing, a.name)
		}
	}
	if missing != nil {
		var w jsonWriter
		w.raw(`,"params":[`)
		names := ""
		for i, m := range missing {
			if i > 0 {
				w.raw(",")
				names += ", "
			}
			w.str(m)
			names += m
		}
		w.raw("]")
		return &wpError{status: 400, code: "rest_missing_callback_param", message: "Missing parameter(s): " + names, extra: string(w.b)}
	}
	var bad []invalidParam
	for _, a := range args {
		v, ok := p.value(a.name)
		if !ok {
			continue
		}
		switch {
		case a.boolean:
			if !(v.kind == "boolean" || v.kind == "string" && phpIsBoolean(v.s) || v.kind == "number" && (v.s == "0" || v.s == "1")) {
				bad = append(bad, *notOfType(a.name, "boolean"))
			}
		case v.kind != "string":
			bad = append(bad, *notOfType(a.name, "string"))
		case a.enum != nil && !containsString(a.enum, v.s):
			bad = append(bad, *notInEnum(a.name, a.enum))
		}
	}
	if bad != nil {
		return invalidParams(bad)
	}
	return nil
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
