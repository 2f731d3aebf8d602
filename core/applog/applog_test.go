package applog

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileIsSizeLimited(t *testing.T) {
	dir := t.TempDir()
	log, closeLog, err := Open(Options{Dir: dir, MaxSize: 2000})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		log.Info("sync finished", "shop", "Demo shop", "page", i)
	}
	closeLog()
	for _, name := range []string{FileName, FileName + ".1"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() > 2000 {
			t.Errorf("%s is %d bytes, limit 2000", name, st.Size())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, FileName+".2")); err == nil {
		t.Error("more than one old file kept")
	}
}

func TestCredentialsMasked(t *testing.T) {
	var buf bytes.Buffer
	log, _, err := Open(Options{Stderr: &buf})
	if err != nil {
		t.Fatal(err)
	}
	log.Info("oops", "consumer_secret", "cs_leak", "webhook_secret", "whs_leak", "Authorization", "Basic leak", "shop", "Demo")
	out := buf.String()
	if strings.Contains(out, "leak") || !strings.Contains(out, "shop=Demo") {
		t.Errorf("log line %q", out)
	}
}
