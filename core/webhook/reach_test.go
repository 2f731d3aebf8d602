package webhook

import "testing"

func TestReachability(t *testing.T) {
	for _, c := range []struct {
		delivery, shop string
		want           Reach
	}{
		{"http://127.0.0.1:8765/webhooks/x", "https://myshop.bg", LoopbackOnly},
		{"http://localhost:8765/webhooks/x", "http://192.168.1.20", LoopbackOnly},
		{"http://127.0.0.1:8765/webhooks/x", "http://127.0.0.1:9000", Reachable},
		{"http://127.0.0.1:8765/webhooks/x", "http://localhost/shop", Reachable},
		{"http://[::1]:8765/webhooks/x", "https://myshop.bg", LoopbackOnly},
		{"http://192.168.1.5:8765/webhooks/x", "https://myshop.bg", PrivateOnly},
		{"http://192.168.1.5:8765/webhooks/x", "http://192.168.1.20", Reachable},
		{"http://office-pc:8765/webhooks/x", "http://shop.lan", Reachable},
		{"http://10.0.0.5:8765/webhooks/x", "https://203.0.113.9", PrivateOnly},
		{"https://hooks.example.com/webhooks/x", "https://myshop.bg", Reachable},
		{"https://abc.trycloudflare.com/webhooks/x", "http://127.0.0.1:9000", Reachable},
	} {
		if got := Reachability(c.delivery, c.shop); got != c.want {
			t.Errorf("Reachability(%s, %s) = %d, want %d", c.delivery, c.shop, got, c.want)
		}
	}
}

func TestCheckPublicBaseURL(t *testing.T) {
	for in, want := range map[string]string{
		"":                               "",
		"  https://hooks.example.com/  ": "https://hooks.example.com",
		"http://1.2.3.4:8765":            "http://1.2.3.4:8765",
	} {
		if got, err := CheckPublicBaseURL(in); err != nil || got != want {
			t.Errorf("CheckPublicBaseURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"hooks.example.com", "ftp://x", "https://x/?a=1", "https://u:p@x"} {
		if _, err := CheckPublicBaseURL(bad); err == nil {
			t.Errorf("CheckPublicBaseURL(%q) accepted it", bad)
		}
	}
}
