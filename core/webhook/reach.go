package webhook

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// CheckPublicBaseURL reads the address WooCommerce reaches the receiver at,
// as a user types it: http(s), a host, no query; without a trailing slash.
// Empty stays empty (the listen address is used).
func CheckPublicBaseURL(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("%q is not a web address like https://hooks.example.com (http:// or https://, a host, no query)", s)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// Reach says whether a shop can deliver to a webhook URL.
type Reach int

const (
	// Reachable: nothing in the addresses says the shop cannot reach it.
	Reachable Reach = iota
	// LoopbackOnly: the URL names this computer (127.0.0.1, localhost),
	// which on the shop's server is the shop's own server.
	LoopbackOnly
	// PrivateOnly: the URL is in a private network (192.168.x.x and the
	// like), which a shop on the internet cannot reach.
	PrivateOnly
)

// Reachability judges from the two addresses alone whether the shop at
// shopURL can deliver to deliveryURL: a loopback URL works only for a
// shop on this computer, a private one only for a shop in a private
// network.
func Reachability(deliveryURL, shopURL string) Reach {
	to, from := hostKind(deliveryURL), hostKind(shopURL)
	switch {
	case to == loopbackHost && from != loopbackHost:
		return LoopbackOnly
	case to == privateHost && from == publicHost:
		return PrivateOnly
	}
	return Reachable
}

type hostClass int

const (
	publicHost hostClass = iota
	privateHost
	loopbackHost
)

func hostKind(raw string) hostClass {
	u, err := url.Parse(raw)
	if err != nil {
		return publicHost
	}
	h := strings.ToLower(strings.TrimSuffix(u.Hostname(), "."))
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return loopbackHost
	}
	ip := net.ParseIP(h)
	switch {
	case ip == nil:
		// A name: one without a dot or under .local/.lan/.internal is a
		// local network's; anything else is taken as public.
		if !strings.Contains(h, ".") || strings.HasSuffix(h, ".local") || strings.HasSuffix(h, ".lan") ||
			strings.HasSuffix(h, ".internal") || strings.HasSuffix(h, ".home.arpa") {
			return privateHost
		}
		return publicHost
	case ip.IsLoopback() || ip.IsUnspecified():
		return loopbackHost
	case ip.IsPrivate() || ip.IsLinkLocalUnicast():
		return privateHost
	}
	return publicHost
}
