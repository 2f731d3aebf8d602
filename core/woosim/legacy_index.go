package woosim

import (
	"regexp"
	"strings"
)

// legacyAPIVersion is WC_API::VERSION, the legacy index's "version".
const legacyAPIVersion = "3.1.0"

// currencyEntities are get_woocommerce_currency_symbol()'s symbols, HTML
// entities as the legacy index's currency_format shows them.
var currencyEntities = map[string]string{
	"USD": "&#36;",
	"EUR": "&euro;",
	"GBP": "&pound;",
	"BGN": "&#1083;&#1074;.",
}

var routeVarRE = regexp.MustCompile(`\(\?P(<\w+?>).*?\)`)

// legacyIndex is WC_API_Server::get_index(), which needs no
// authentication: the store, its settings and every route with the
// methods it supports.
func (s *Sim) legacyIndex(q *legacyRequest) []byte {
	site := q.site
	api := site + "/wc-api/v3"
	var w jsonWriter
	w.raw(`{"store":{"name":`)
	w.str(s.storeName)
	w.raw(`,"description":"","URL":`)
	w.str(site)
	w.raw(`,"wc_version":`)
	w.str(s.wcVersion)
	w.raw(`,"version":`)
	w.str(legacyAPIVersion)
	w.raw(`,"routes":{`)
	methods := []struct {
		name string
		bit  int
	}{{"HEAD", lgGet}, {"GET", lgGet}, {"POST", lgPost}, {"PUT", lgPut}, {"PATCH", lgPatch}, {"DELETE", lgDelete}}
	for i, rt := range legacyRoutes {
		if i > 0 {
			w.raw(",")
		}
		route := routeVarRE.ReplaceAllString(rt.pattern, "$1")
		w.str(route)
		// Keys in the order get_index() first sets them while it walks
		// methods × callbacks: supports, then meta (set by the first
		// callback of a route without variables) and accepts_data (by the
		// first callback taking data).
		type key struct{ name, val string }
		var keys []key
		has := map[string]bool{}
		set := func(k, v string) {
			if !has[k] {
				has[k] = true
				keys = append(keys, key{k, v})
			}
		}
		var supports []string
		for _, m := range methods {
			for _, c := range rt.cbs {
				if c.flags&m.bit != 0 {
					supports = append(supports, m.name)
					set("supports", "")
				}
				if c.flags&lgData != 0 {
					set("accepts_data", "true")
				}
				if !strings.Contains(route, "<") {
					set("meta", api+route)
				}
			}
		}
		w.raw(":{")
		for j, k := range keys {
			if j > 0 {
				w.raw(",")
			}
			w.str(k.name)
			w.raw(":")
			switch k.name {
			case "supports":
				w.raw("[")
				for n, name := range supports {
					if n > 0 {
						w.raw(",")
					}
					w.str(name)
				}
				w.raw("]")
			case "accepts_data":
				w.raw("true")
			case "meta":
				w.raw(`{"self":`)
				w.str(k.val)
				w.raw("}")
			}
		}
		w.raw("}")
	}
	w.raw(`},"meta":{"timezone":`)
	w.str(s.loc.String())
	w.raw(`,"currency":`)
	w.str(s.currency)
	w.raw(`,"currency_format":`)
	sym, ok := currencyEntities[s.currency]
	if !ok {
		sym = s.currency
	}
	w.str(sym)
	w.raw(`,"currency_position":"left","thousand_separator":",","decimal_separator":".","price_num_decimals":2,` +
		`"tax_included":`)
	w.bool(s.vatShop && s.inclTax)
	w.raw(`,"weight_unit":"kg","dimension_unit":"cm","ssl_enabled":`)
	w.bool(strings.HasPrefix(site, "https:"))
	w.raw(`,"permalinks_enabled":`)
	w.bool(s.pretty)
	w.raw(`,"generate_password":false,"links":{"help":"https:\/\/woocommerce.github.io\/woocommerce-rest-api-docs\/"}}}}`)
	return w.b
}
