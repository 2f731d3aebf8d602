package woosim

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// Asking for fewer fields, as a verification pass does.
//
// WordPress answers every REST request that has _fields with only those
// fields (rest_filter_response_fields(), a rest_post_dispatch filter): a
// list of keys split at commas and spaces, "a.b" for a key inside an
// object, in the order the response has them. The legacy API has its own
// fields= parameter (WC_API_Resource::filter_response_fields()) and adds
// an order's public meta as order_meta when filter[meta]=true
// (maybe_add_meta()). Here both are applied to the rendered JSON, so
// the simulator spends the full rendering where WooCommerce may skip the
// fields not asked for; only what is sent shrinks.

// fieldTree is a _fields selection: a nil subtree keeps the whole value.
type fieldTree map[string]fieldTree

// parseFields builds the tree as rest_filter_response_fields() does: a
// field whose parent is already kept whole adds nothing, and a parent
// named after its sub-fields keeps the whole value.
func parseFields(items []phpKV) fieldTree {
	t := fieldTree{}
	for _, kv := range items {
		parts := strings.Split(strings.TrimSpace(kv.V), ".")
		ref := t
		skip := false
		for _, p := range parts[:len(parts)-1] {
			sub, ok := ref[p]
			if ok && sub == nil {
				skip = true // the parent is kept whole
				break
			}
			if !ok {
				sub = fieldTree{}
				ref[p] = sub
			}
			ref = sub
		}
		if !skip {
			ref[parts[len(parts)-1]] = nil
		}
	}
	return t
}

// filterFields keeps what t selects of the JSON value v: of each element
// for a list, of the members for an object (_rest_array_intersect_key_recursive).
func filterFields(v []byte, t fieldTree) []byte {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return v
	}
	switch v[0] {
	case '[':
		// At least room for "[]": an empty list is two bytes long.
		out := make([]byte, 1, max(len(v)/4, 2))
		out[0] = '['
		eachElement(v, func(it []byte) {
			if len(out) > 1 {
				out = append(out, ',')
			}
			out = append(out, filterObject(it, t)...)
		})
		return append(out, ']')
	case '{':
		return filterObject(v, t)
	}
	return v
}

// filterObject keeps the members of the object v that t names, in v's
// order; a list under a subtree keeps nothing (PHP intersects its numeric
// keys with the names).
func filterObject(v []byte, t fieldTree) []byte {
	out := []byte{'{'}
	n := 0
	eachMember(v, func(key string, rawKey, val []byte) {
		sub, ok := t[key]
		if !ok {
			return
		}
		if sub != nil {
			switch val = bytes.TrimSpace(val); {
			case len(val) > 0 && val[0] == '{':
				val = filterObject(val, sub)
			case len(val) > 0 && val[0] == '[':
				val = []byte("[]")
			}
		}
		if n > 0 {
			out = append(out, ',')
		}
		n++
		out = append(out, rawKey...)
		out = append(out, ':')
		out = append(out, val...)
	})
	if n == 0 {
		return []byte("[]") // PHP encodes the emptied array as a list
	}
	return append(out, '}')
}

// eachMember calls fn for each member of the JSON object v, in order,
// with the key decoded and as written. v is JSON the simulator rendered,
// so a plain byte scan reads it (encoding/json's decoder made the filter
// most of a summary page's cost).
func eachMember(v []byte, fn func(key string, rawKey, val []byte)) {
	i := skipSpace(v, 0)
	if i >= len(v) || v[i] != '{' {
		return
	}
	for i = skipSpace(v, i+1); i < len(v) && v[i] == '"'; {
		kend := skipValue(v, i)
		rawKey := v[i:kend]
		key := string(rawKey[1 : len(rawKey)-1])
		if bytes.IndexByte(rawKey, '\\') >= 0 {
			_ = json.Unmarshal(rawKey, &key)
		}
		i = skipSpace(v, kend)
		if i >= len(v) || v[i] != ':' {
			return
		}
		i = skipSpace(v, i+1)
		vend := skipValue(v, i)
		fn(key, rawKey, v[i:vend])
		if i = skipSpace(v, vend); i >= len(v) || v[i] != ',' {
			return
		}
		i = skipSpace(v, i+1)
	}
}

// eachElement calls fn for each element of the JSON array v.
func eachElement(v []byte, fn func(val []byte)) {
	i := skipSpace(v, 0)
	if i >= len(v) || v[i] != '[' {
		return
	}
	for i = skipSpace(v, i+1); i < len(v) && v[i] != ']'; {
		end := skipValue(v, i)
		fn(v[i:end])
		if i = skipSpace(v, end); i >= len(v) || v[i] != ',' {
			return
		}
		i = skipSpace(v, i+1)
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the end of the JSON value that starts at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return i
	}
	switch b[i] {
	case '"':
		for i++; i < len(b); i++ {
			switch b[i] {
			case '\\':
				i++
			case '"':
				return i + 1
			}
		}
		return len(b)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipValue(b, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(b)
	}
	for i < len(b) && b[i] != ',' && b[i] != '}' && b[i] != ']' && b[i] != ' ' && b[i] != '\n' && b[i] != '\t' && b[i] != '\r' {
		i++
	}
	return i
}

// fieldsWriter holds back a REST response to filter it by _fields.
type fieldsWriter struct {
	http.ResponseWriter
	fields fieldTree
	status int
	body   bytes.Buffer
}

// withFields returns w itself when the request has no _fields, else a
// writer whose finish sends the filtered response.
func withFields(w http.ResponseWriter, get phpParams) (http.ResponseWriter, func()) {
	p, ok := get.get("_fields")
	if !ok {
		return w, func() {}
	}
	t := parseFields(listItems(p))
	if len(t) == 0 {
		return w, func() {}
	}
	fw := &fieldsWriter{ResponseWriter: w, fields: t, status: http.StatusOK}
	return fw, fw.finish
}

func (f *fieldsWriter) WriteHeader(status int) { f.status = status }

func (f *fieldsWriter) Write(b []byte) (int, error) { return f.body.Write(b) }

func (f *fieldsWriter) finish() {
	body := f.body.Bytes()
	if f.status >= 200 && f.status < 300 {
		// Errors are sent as they are (the filter skips is_error()).
		body = filterFields(body, f.fields)
	}
	f.ResponseWriter.Header().Del("Content-Length")
	f.ResponseWriter.WriteHeader(f.status)
	f.ResponseWriter.Write(body)
}

// legacyView is what the legacy fields= and filter[meta] ask of an order.
type legacyView struct {
	fields string // fields= as sent; empty: every field
	meta   bool   // filter[meta]=true
}

func legacyViewOf(get phpParams, f legacyFilter) legacyView {
	v := legacyView{meta: f["meta"] == "true"}
	v.fields, _ = legacyGetParam(get, "fields")
	return v
}

// appendLegacyOrderView appends o as appendLegacyOrder does, then adds its
// order_meta and keeps only the fields asked for. s.mu must be held (for
// reading at least).
func (s *Sim) appendLegacyOrderView(b []byte, o *order, dp int, siteEsc []byte, https bool, v legacyView) []byte {
	if v == (legacyView{}) {
		return s.appendLegacyOrder(b, o, dp, siteEsc, https)
	}
	one := s.appendLegacyOrder(nil, o, dp, siteEsc, https)
	if v.meta {
		one = s.appendLegacyOrderMeta(one, o)
	}
	if v.fields != "" {
		one = legacyFilterFields(one, v.fields)
	}
	return append(b, one...)
}

// appendLegacyOrderMeta adds "order_meta":{key:value} for the order's meta
// that is not protected (no leading underscore), as maybe_add_meta() does;
// an order without any gets no key. one is a rendered order object.
func (s *Sim) appendLegacyOrderMeta(one []byte, o *order) []byte {
	d := s.doc(o)
	w := &jsonWriter{}
	for _, m := range d.Meta {
		if strings.HasPrefix(m.Key, "_") {
			continue
		}
		if len(w.b) == 0 {
			w.raw(`,"order_meta":{`)
		} else {
			w.raw(",")
		}
		w.str(m.Key)
		w.raw(":")
		w.str(m.Value)
	}
	if len(w.b) == 0 {
		return one
	}
	w.raw("}")
	one = bytes.TrimRight(one, " \n")
	return append(append(one[:len(one)-1:len(one)-1], w.b...), '}')
}

// legacyFilterFields is WC_API_Resource::filter_response_fields(): the
// top-level keys named in fields, and for "a.b" only the sub-keys of a
// that some "x.y" names (the last "a.…" wins for each a, and the sub-key
// names are shared between parents, as in PHP).
func legacyFilterFields(one []byte, fields string) []byte {
	names := strings.Split(fields, ",")
	sub := map[string]string{}
	for _, f := range names {
		if name, value, ok := strings.Cut(f, "."); ok {
			sub[name] = value
		}
	}
	inSub := func(k string) bool {
		for _, v := range sub {
			if v == k {
				return true
			}
		}
		return false
	}
	out := []byte{'{'}
	n := 0
	add := func(rawKey, val []byte) {
		if n > 0 {
			out = append(out, ',')
		}
		n++
		out = append(append(append(out, rawKey...), ':'), val...)
	}
	eachMember(one, func(key string, rawKey, val []byte) {
		val = bytes.TrimSpace(val)
		if _, ok := sub[key]; ok && len(val) > 0 && (val[0] == '{' || val[0] == '[') {
			if val[0] == '[' {
				add(rawKey, []byte("[]"))
				return
			}
			kept := []byte{'{'}
			m := 0
			eachMember(val, func(k string, rk, v []byte) {
				if !inSub(k) {
					return
				}
				if m > 0 {
					kept = append(kept, ',')
				}
				m++
				kept = append(append(append(kept, rk...), ':'), v...)
			})
			if m == 0 {
				kept = []byte("[]") // an emptied PHP array
			} else {
				kept = append(kept, '}')
			}
			add(rawKey, kept)
			return
		}
		for _, f := range names {
			if f == key {
				add(rawKey, val)
				return
			}
		}
	})
	if n == 0 {
		return []byte("[]")
	}
	return append(out, '}')
}
