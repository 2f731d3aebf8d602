package woo

import (
	"context"
	"net"
	"strings"
	"testing"
)

// TestNetworkErrorsHideCredentials: a request that fails before any answer
// (here: nothing listens) fails with an error that names the URL, which in
// query and OAuth mode carries the credentials. None of them may show.
func TestNetworkErrorsHideCredentials(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now

	const key, secret = "ck_redact_0123456789abcdef", "cs_redact_fedcba9876543210"
	for _, tc := range []struct {
		url  string
		auth AuthMode
	}{
		{"http://" + addr, AuthOAuth},
		{"https://" + addr, AuthQuery},
		{"https://" + addr, AuthBasic},
	} {
		c, err := New(Config{URL: tc.url, Key: key, Secret: secret, Auth: tc.auth, Retry: Retry{Attempts: 1}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.ListOrders(context.Background(), ListOptions{Page: 1, PerPage: 10})
		if err == nil {
			t.Fatalf("%s %s: no error from a closed port", tc.url, tc.auth)
		}
		msg := err.Error()
		if KindOf(err) != KindNetwork {
			t.Errorf("%s %s: kind %v, want network: %s", tc.url, tc.auth, KindOf(err), msg)
		}
		for _, s := range []string{"0123456789abcdef", "fedcba9876543210", "oauth_signature="} {
			if strings.Contains(msg, s) && !strings.Contains(msg, s+"REDACTED") {
				t.Errorf("%s %s: the error shows %q: %s", tc.url, tc.auth, s, msg)
			}
		}
		if !strings.Contains(msg, addr) {
			t.Errorf("%s %s: the error no longer says where: %s", tc.url, tc.auth, msg)
		}
	}
}

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://s.example/wp-json/wc/v3/orders?consumer_key=ck_1&consumer_secret=cs_2&page=3": "https://s.example/wp-json/wc/v3/orders?consumer_key=REDACTED&consumer_secret=REDACTED&page=3",
		"http://s.example/wc-api/v3/orders?oauth_consumer_key=ck_1&oauth_signature=abc&page=1": "http://s.example/wc-api/v3/orders?oauth_consumer_key=REDACTED&oauth_signature=REDACTED&page=1",
		"https://s.example/wp-json/wc/v3/orders?page=2":                                        "https://s.example/wp-json/wc/v3/orders?page=2",
		"https://u:pw@s.example/": "https://u:REDACTED@s.example/",
	} {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
