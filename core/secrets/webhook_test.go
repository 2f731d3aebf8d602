package secrets

import (
	"errors"
	"testing"
)

func TestNewWebhookSecret(t *testing.T) {
	seen := map[string]bool{}
	counts := map[rune]int{}
	for range 200 {
		s := NewWebhookSecret()
		if len(s) < 32 || len(s) != WebhookSecretLength {
			t.Fatalf("secret length %d", len(s))
		}
		for _, c := range s {
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
				t.Fatalf("secret has %q: not alphanumeric", c)
			}
			counts[c]++
		}
		if seen[s] {
			t.Fatal("the same secret twice")
		}
		seen[s] = true
	}
	// 8,000 characters over 62 symbols: every symbol shows up.
	if len(counts) != 62 {
		t.Errorf("only %d distinct characters in 200 secrets", len(counts))
	}
}

func TestWebhookSecretRoundTrip(t *testing.T) {
	k := NewMemory()
	if _, err := LoadWebhookSecret(k, 9); !errors.Is(err, ErrNotFound) {
		t.Fatalf("before save: %v, want ErrNotFound", err)
	}
	want := NewWebhookSecret()
	if err := SaveWebhookSecret(k, 9, want); err != nil {
		t.Fatal(err)
	}
	if got, err := k.Get("shop-9-webhook-secret"); err != nil || got != want {
		t.Fatalf("account shop-9-webhook-secret = %q, %v", got, err)
	}
	got, err := LoadWebhookSecret(k, 9)
	if err != nil || got != want {
		t.Fatalf("LoadWebhookSecret = %q, %v", got, err)
	}
	if err := DeleteShop(k, 9); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadWebhookSecret(k, 9); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after DeleteShop: %v, want ErrNotFound", err)
	}
}
