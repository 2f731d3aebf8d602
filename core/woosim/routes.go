package woosim

import (
	"fmt"
	"net/http"
	"strings"
)

// Handler serves the shop:
//   - the wc/v3 REST API under /wp-json/wc/v3/ (and its ?rest_route= form),
//   - the legacy REST API under /wc-api/v3/ (and its
//     ?wc-api-version=3&wc-api-route= form),
//   - a WordPress 404 page for everything else,
//
// all behind the configured faults, and the simulator's admin endpoints
// under /__woosim/, which faults never touch.
func (s *Sim) Handler() http.Handler {
	site := http.HandlerFunc(s.serveSite)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/__woosim/") {
			s.serveAdmin(w, r)
			return
		}
		s.faults.serve(w, r, site)
	})
}

// serveSite routes a request as WordPress's rewrite rules do.
func (s *Sim) serveSite(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	front := p == "/" || p == "/index.php"
	switch {
	case p == "/wp-json" || strings.HasPrefix(p, "/wp-json/"):
		if !s.pretty {
			// Plain permalinks: no rewrite rule sends /wp-json/ to the REST API.
			serveNotFoundPage(w)
			return
		}
		s.serveREST(w, r, strings.TrimPrefix(p, "/wp-json"), true)
	case p == "/wc-api/v3" || strings.HasPrefix(p, "/wc-api/v3/"):
		if !s.pretty || !s.legacyInstalled() {
			serveNotFoundPage(w)
			return
		}
		// WP::parse_request() trims the slashes around the path.
		s.serveLegacy(w, r, "/"+strings.Trim(strings.TrimPrefix(p, "/wc-api/v3"), "/"))
	case front && r.URL.Query().Has("rest_route"):
		// Plain-permalink form: WooCommerce 7.9 only authenticates
		// URIs containing "wp-json/wc/", so keys are ignored here.
		s.serveREST(w, r, r.URL.Query().Get("rest_route"), false)
	case front && s.legacyInstalled() && r.URL.Query().Get("wc-api-version") == "3" && r.URL.Query().Get("wc-api-route") != "":
		// WC_Legacy_API::handle_rest_api_requests() reads both from $_GET,
		// whatever the permalinks.
		s.serveLegacy(w, r, r.URL.Query().Get("wc-api-route"))
	default:
		serveNotFoundPage(w)
	}
}

func serveNotFoundPage(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/html; charset=UTF-8")
	w.WriteHeader(http.StatusNotFound)
	fmt.Fprint(w, "<!DOCTYPE html>\n<html><head><title>Page not found &#8211; woosim</title></head>"+
		"<body><h1>Oops! That page can&rsquo;t be found.</h1></body></html>\n")
}
