package woosim

import (
	"io"
	"net/http"
	"testing"
)

// A client that refuses the self-signed certificate makes the server log a
// TLS handshake error; it is discarded unless Verbose.
func TestServerErrorLogQuiet(t *testing.T) {
	s := startShop(t, Options{Orders: 1, Seed: 1}, true)
	if _, err := http.Get(s.srv.URL + "/wc-api/v3/"); err == nil {
		t.Fatal("the default client trusted a self-signed certificate")
	}
	if w := s.srv.srv.ErrorLog.Writer(); w != io.Discard {
		t.Errorf("error log goes to %T", w)
	}
	v := startShop(t, Options{Orders: 1, Seed: 1, Verbose: true}, true)
	if w := v.srv.srv.ErrorLog.Writer(); w == io.Discard {
		t.Error("Verbose error log discarded")
	}
}
