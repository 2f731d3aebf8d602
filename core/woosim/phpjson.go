package woosim

import (
	"strconv"
	"unicode/utf8"
)

// jsonWriter builds JSON the way PHP's json_encode() does with the flags
// WordPress's REST server uses (none): "/" is escaped as "\/", every
// non-ASCII character becomes a \uXXXX escape (UTF-16, lowercase hex), and
// "<", ">", "&" and "'" are left alone.
//
// cuts records offsets where the site URL belongs; see rendered.
type jsonWriter struct {
	b    []byte
	cuts []int32
	dp   int // decimals of money(), as wc_format_decimal($x, $dp)
}

func (w *jsonWriter) raw(s string) { w.b = append(w.b, s...) }

func (w *jsonWriter) str(s string) { w.b = appendPHPString(w.b, s) }

func (w *jsonWriter) int(n int64) { w.b = strconv.AppendInt(w.b, n, 10) }

func (w *jsonWriter) bool(v bool) { w.b = strconv.AppendBool(w.b, v) }

func (w *jsonWriter) null() { w.b = append(w.b, "null"...) }

// money writes a wc_format_decimal($x, $dp) string: "43.00".
func (w *jsonWriter) money(m money) {
	w.b = append(w.b, '"')
	w.b = appendMoneyDP(w.b, m, w.dp)
	w.b = append(w.b, '"')
}

// phpFloatMoney writes a money amount stored by WooCommerce as a PHP float
// string: "10", "4.5".
func (w *jsonWriter) phpFloatMoney(m money) {
	w.b = append(w.b, '"')
	w.b = appendPHPFloatMoney(w.b, m)
	w.b = append(w.b, '"')
}

// float writes a PHP float as json_encode() does with serialize_precision
// -1: the shortest representation that round-trips, without ".0".
func (w *jsonWriter) float(f float64) {
	w.b = strconv.AppendFloat(w.b, f, 'f', -1, 64)
}

// site marks where the site URL goes; the caller writes the rest of the URL
// (already escaped, so "\/wp-json\/...") right after.
func (w *jsonWriter) site() { w.cuts = append(w.cuts, int32(len(w.b))) }

// urlStr writes a JSON string made of the site URL followed by path.
func (w *jsonWriter) urlStr(path string) {
	w.b = append(w.b, '"')
	w.site()
	w.b = appendPHPStringBody(w.b, path)
	w.b = append(w.b, '"')
}

const hexDigits = "0123456789abcdef"

// appendPHPString appends s as a JSON string, escaped as PHP does.
func appendPHPString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendPHPStringBody(b, s)
	return append(b, '"')
}

func appendPHPStringBody(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		// Copy the run of characters that need no escaping in one go.
		j := i
		for j < len(s) && s[j] >= 0x20 && s[j] < utf8.RuneSelf && s[j] != '"' && s[j] != '\\' && s[j] != '/' {
			j++
		}
		b = append(b, s[i:j]...)
		if i = j; i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			switch c {
			case '"':
				b = append(b, '\\', '"')
			case '\\':
				b = append(b, '\\', '\\')
			case '/':
				b = append(b, '\\', '/')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				if c < 0x20 {
					b = appendU(b, rune(c))
				} else {
					b = append(b, c)
				}
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if r >= 0x10000 {
			r -= 0x10000
			b = appendU(b, 0xD800+(r>>10))
			b = appendU(b, 0xDC00+(r&0x3FF))
			continue
		}
		b = appendU(b, r) // invalid UTF-8 decodes to U+FFFD
	}
	return b
}

func appendU(b []byte, r rune) []byte {
	return append(b, '\\', 'u',
		hexDigits[(r>>12)&0xF], hexDigits[(r>>8)&0xF], hexDigits[(r>>4)&0xF], hexDigits[r&0xF])
}
