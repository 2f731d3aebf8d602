package store

import (
	"net"
	"net/url"
	"strings"
)

// shopURLKey is what makes two shop addresses the same shop: scheme, host
// (in any case), port (a default one or none alike) and path (with or
// without a trailing slash). A query, fragment or user name does not count.
// An address that does not parse is its own trimmed text; an empty one
// matches nothing.
func shopURLKey(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw // as woo.ParseShopURL reads it
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return strings.TrimRight(raw, "/")
	}
	scheme := strings.ToLower(u.Scheme)
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" {
		host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6
	}
	return scheme + "://" + host + strings.TrimRight(u.EscapedPath(), "/")
}
