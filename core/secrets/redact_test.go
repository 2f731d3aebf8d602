package secrets

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

// TestCredentialsNeverLogSecret: log/slog's handlers and encoding/json see
// only the masked form. (fmt is covered by TestCredentialsNeverPrintSecret.)
func TestCredentialsNeverLogSecret(t *testing.T) {
	c := Credentials{Key: "ck_0123456789abcdef", Secret: "cs_topsecretvalue"}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("shop", "credentials", c, "ptr", &c)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("shop", "credentials", c, "ptr", &c)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("shop", slog.Group("g", "credentials", c))
	js, err := json.Marshal(struct {
		C Credentials
		P *Credentials
	}{c, &c})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String() + string(js)
	if strings.Contains(out, "topsecret") || strings.Contains(out, "0123456789abcdef") {
		t.Errorf("logged credentials leak:\n%s", out)
	}
	if !strings.Contains(out, "ck_…cdef") {
		t.Errorf("logged credentials no longer show the masked key:\n%s", out)
	}
}
