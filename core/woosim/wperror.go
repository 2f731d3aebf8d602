package woosim

import (
	"net/http"
	"strconv"
)

// wpError is a WP_Error as the REST server answers it:
// {"code":…,"message":…,"data":{"status":N}}; rest_invalid_param adds the
// invalid parameters to data.
type wpError struct {
	status        int
	code, message string
	invalid       []invalidParam
	extra         string // raw JSON members added to data after "status"
}

// invalidParam is one entry of rest_invalid_param's data.params and
// data.details.
type invalidParam struct {
	name          string
	code, message string
	dataParam     string // details data {"param": dataParam}; "" is null
}

func (e *wpError) json() []byte {
	var w jsonWriter
	w.raw(`{"code":`)
	w.str(e.code)
	w.raw(`,"message":`)
	w.str(e.message)
	w.raw(`,"data":{"status":`)
	w.int(int64(e.status))
	w.raw(e.extra)
	if len(e.invalid) > 0 {
		w.raw(`,"params":{`)
		for i, p := range e.invalid {
			if i > 0 {
				w.raw(",")
			}
			w.str(p.name)
			w.raw(":")
			w.str(p.message)
		}
		w.raw(`},"details":{`)
		for i, p := range e.invalid {
			if i > 0 {
				w.raw(",")
			}
			w.str(p.name)
			w.raw(`:{"code":`)
			w.str(p.code)
			w.raw(`,"message":`)
			w.str(p.message)
			w.raw(`,"data":`)
			if p.dataParam == "" {
				w.null()
			} else {
				w.raw(`{"param":`)
				w.str(p.dataParam)
				w.raw("}")
			}
			w.raw("}")
		}
		w.raw("}")
	}
	w.raw("}}")
	return w.b
}

func (e *wpError) write(w http.ResponseWriter) {
	body := e.json()
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.status)
	w.Write(body)
}

// invalidParams is has_valid_params()'s error for the collected problems.
func invalidParams(ps []invalidParam) *wpError {
	names := ""
	for i, p := range ps {
		if i > 0 {
			names += ", "
		}
		names += p.name
	}
	return &wpError{status: 400, code: "rest_invalid_param", message: "Invalid parameter(s): " + names, invalid: ps}
}

var errNoRoute = &wpError{status: 404, code: "rest_no_route", message: "No route was found matching the URL and request method."}
