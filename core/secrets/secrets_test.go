package secrets

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

func TestShopCredentialsRoundTrip(t *testing.T) {
	k := NewMemory()
	want := Credentials{Key: "ck_0123456789abcdef", Secret: "cs_fedcba9876543210"}
	if err := SaveShop(k, 7, want); err != nil {
		t.Fatal(err)
	}
	got, err := LoadShop(k, 7)
	if err != nil || got != want {
		t.Fatalf("LoadShop = %v, %v", got, err)
	}
	if err := DeleteShop(k, 7); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadShop(k, 7); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after delete: %v, want ErrNotFound", err)
	}
}

func TestCredentialsNeverPrintSecret(t *testing.T) {
	c := Credentials{Key: "ck_0123456789abcdef", Secret: "cs_topsecretvalue"}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c)} {
		if contains(s, "topsecret") || contains(s, "0123456789abcdef") {
			t.Errorf("formatted credentials leak: %q", s)
		}
	}
}

func TestUnavailableKeyring(t *testing.T) {
	// What go-keyring returns when no Secret Service runs.
	noService := errors.New("The name org.freedesktop.secrets was not provided by any .service files")
	err := NewKeyring().call(func() error { return noService })
	var ue *UnavailableError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want *UnavailableError", err)
	}
	if !contains(err.Error(), "keyring") {
		t.Errorf("message %q does not say what is missing", err)
	}
}

func TestTimeout(t *testing.T) {
	k := &Keyring{Timeout: 20 * time.Millisecond}
	block := make(chan struct{})
	defer close(block)
	err := k.call(func() error { <-block; return nil })
	var ue *UnavailableError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v, want *UnavailableError", err)
	}
}

// TestRealSecretService runs against the Secret Service that scripts/test.sh
// starts (gnome-keyring in a private D-Bus session).
//
// It runs in a fresh copy of the test binary, so that nothing another test
// did to go-keyring's process-wide state can make it pass without a keyring.
func TestRealSecretService(t *testing.T) {
	if os.Getenv("SHOPLEDGER_KEYRING_TEST") == "" {
		t.Skip("SHOPLEDGER_KEYRING_TEST not set: run through `make test` for a real gnome-keyring")
	}
	if os.Getenv("SHOPLEDGER_REAL_KEYRING_CHILD") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestRealSecretService$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "SHOPLEDGER_REAL_KEYRING_CHILD=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestRealSecretService") {
			t.Fatalf("TestRealSecretService in a fresh process: %v\n%s", err, out)
		}
		return
	}
	k := NewKeyring()
	c := Credentials{Key: "ck_real_" + fmt.Sprint(time.Now().UnixNano()), Secret: "cs_real_secret"}
	if err := SaveShop(k, 424242, c); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { DeleteShop(k, 424242) })
	got, err := LoadShop(k, 424242)
	if err != nil || got != c {
		t.Fatalf("LoadShop = %v, %v", got, err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
