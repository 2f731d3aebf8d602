package woosim

import (
	"strconv"
	"strings"
)

// phpParam is one entry of PHP's $_GET: a string, or an array written as
// name[]=… or name[key]=… (one level; deeper brackets keep their first key).
type phpParam struct {
	Key   string
	Value string
	IsArr bool
	Arr   []phpKV
}

type phpKV struct{ K, V string }

// phpParams is an ordered PHP array of parameters: a key keeps the position
// where it first appeared, as in PHP.
type phpParams []phpParam

func (ps phpParams) find(key string) int {
	for i := range ps {
		if ps[i].Key == key {
			return i
		}
	}
	return -1
}

func (ps phpParams) get(key string) (phpParam, bool) {
	if i := ps.find(key); i >= 0 {
		return ps[i], true
	}
	return phpParam{}, false
}

// set replaces key in place, or appends it: $a[$key] = $v.
func (ps *phpParams) set(p phpParam) {
	if i := ps.find(p.Key); i >= 0 {
		(*ps)[i] = p
		return
	}
	*ps = append(*ps, p)
}

// del removes key: unset($a[$key]).
func (ps *phpParams) del(key string) {
	if i := ps.find(key); i >= 0 {
		*ps = append((*ps)[:i:i], (*ps)[i+1:]...)
	}
}

// merge is array_merge($ps, $other) for string keys: other's values win,
// positions of existing keys are kept, new keys are appended.
func (ps phpParams) merge(other phpParams) phpParams {
	out := append(phpParams(nil), ps...)
	for _, p := range other {
		out.set(p)
	}
	return out
}

// parsePHPQuery parses a query string the way PHP fills $_GET: "+" is a
// space, "." and " " in names become "_", name[] appends to an array,
// name[k] sets key k, a later scalar or array replaces an earlier one.
func parsePHPQuery(raw string) phpParams {
	var ps phpParams
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		name := strings.TrimLeft(phpURLDecode(k), " ")
		val := phpURLDecode(v)
		ps.add(name, val)
	}
	return ps
}

func (ps *phpParams) add(name, val string) {
	base, sub, isArr := name, "", false
	if i := strings.IndexByte(name, '['); i == 0 {
		return
	} else if i > 0 {
		if j := strings.IndexByte(name[i+1:], ']'); j >= 0 {
			base, sub, isArr = name[:i], name[i+1:i+1+j], true
		}
	}
	if base == "" {
		return
	}
	// PHP variable names cannot hold " ", "." or (outside an index) "[".
	base = strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '[' {
			return '_'
		}
		return r
	}, base)
	if !isArr {
		ps.set(phpParam{Key: base, Value: val})
		return
	}
	i := ps.find(base)
	if i < 0 || !(*ps)[i].IsArr {
		ps.set(phpParam{Key: base, IsArr: true})
		i = ps.find(base)
	}
	p := &(*ps)[i]
	if sub == "" {
		next := 0
		for _, kv := range p.Arr {
			if n, err := strconv.Atoi(kv.K); err == nil && n >= next {
				next = n + 1
			}
		}
		sub = strconv.Itoa(next)
	}
	for j := range p.Arr {
		if p.Arr[j].K == sub {
			p.Arr[j].V = val
			return
		}
	}
	p.Arr = append(p.Arr, phpKV{sub, val})
}

// phpURLDecode is PHP's urldecode(): "+" is a space, %XX a byte, a stray
// "%" stays.
func phpURLDecode(s string) string {
	if !strings.ContainsAny(s, "+%") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '+':
			b.WriteByte(' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// phpRawURLDecode is PHP's rawurldecode(): like urldecode but "+" stays.
func phpRawURLDecode(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c >= 'a':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

const upperHex = "0123456789ABCDEF"

// rawURLEncode is PHP's rawurlencode() (RFC 3986: A-Z a-z 0-9 - _ . ~ stay).
func rawURLEncode(s string) string { return phpEncode(s, false) }

// urlEncode is PHP's urlencode(): a space is "+", "~" is encoded.
func urlEncode(s string) string { return phpEncode(s, true) }

func phpEncode(s string, form bool) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.':
			b.WriteByte(c)
		case c == '~' && !form:
			b.WriteByte(c)
		case c == ' ' && form:
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		}
	}
	return b.String()
}

// buildQuery is WordPress's build_query(): key=value pairs joined by "&",
// array entries as key%5Bsub%5D=value, nothing encoded.
func buildQuery(ps phpParams) string {
	var b strings.Builder
	for _, p := range ps {
		if p.IsArr {
			for _, kv := range p.Arr {
				if b.Len() > 0 {
					b.WriteByte('&')
				}
				b.WriteString(p.Key + "%5B" + kv.K + "%5D=" + kv.V)
			}
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.Key + "=" + p.Value)
	}
	return b.String()
}

// addQueryArgs is WordPress's add_query_arg( $args, $url ) for a URL with a
// scheme: the URL's own query is decoded and re-encoded with urlencode(),
// args are set as they are (not encoded), and "k=&" loses its "=".
func addQueryArgs(url string, args phpParams) string {
	frag := ""
	if i := strings.IndexByte(url, '#'); i >= 0 {
		url, frag = url[:i], url[i:]
	}
	base, query, _ := strings.Cut(url, "?")
	qs := parsePHPQuery(query)
	for i := range qs {
		if qs[i].IsArr {
			for j := range qs[i].Arr {
				qs[i].Arr[j].V = urlEncode(qs[i].Arr[j].V)
			}
		} else {
			qs[i].Value = urlEncode(qs[i].Value)
		}
	}
	for _, a := range args {
		qs.set(a)
	}
	ret := strings.Trim(buildQuery(qs), "?")
	ret = dropEmptyEquals(ret)
	if ret == "" {
		return base + frag
	}
	return base + "?" + ret + frag
}

// dropEmptyEquals is preg_replace( '#=(&|$)#', '$1', $s ).
func dropEmptyEquals(s string) string {
	if !strings.Contains(s, "=") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '=' && (i+1 == len(s) || s[i+1] == '&') {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// phpEmpty is PHP's empty() for a request value.
func phpEmpty(p phpParam, ok bool) bool {
	if !ok {
		return true
	}
	if p.IsArr {
		return len(p.Arr) == 0
	}
	return p.Value == "" || p.Value == "0"
}
