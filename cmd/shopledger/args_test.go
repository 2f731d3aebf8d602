package main

import (
	"errors"
	"flag"
	"strings"
	"testing"
)

// TestWindowArgs: the window's flags, --minimized among them (the
// start-at-login entry passes it), and what is refused.
func TestWindowArgs(t *testing.T) {
	for _, c := range []struct {
		args []string
		want windowArgs
		err  string // in stderr; "" when the args are fine
	}{
		{nil, windowArgs{}, ""},
		{[]string{"--minimized"}, windowArgs{minimized: true}, ""},
		{[]string{"-minimized", "--data-dir", "/tmp/books"}, windowArgs{dataDir: "/tmp/books", minimized: true}, ""},
		{[]string{"--data-dir=/tmp/books"}, windowArgs{dataDir: "/tmp/books"}, ""},
		{[]string{"--minimised"}, windowArgs{}, "flag provided but not defined: -minimised"},
		{[]string{"--minimized", "frobnicate"}, windowArgs{minimized: true}, `unknown command "frobnicate"`},
	} {
		var stderr strings.Builder
		got, err := parseWindowArgs(c.args, &stderr)
		if c.err == "" {
			if err != nil || got != c.want || stderr.Len() != 0 {
				t.Errorf("%q: %+v, %v, stderr %q; want %+v", c.args, got, err, stderr.String(), c.want)
			}
			continue
		}
		if err == nil || !strings.Contains(stderr.String(), c.err) || !strings.Contains(stderr.String(), "Usage: shopledger") {
			t.Errorf("%q: err %v, stderr %q; want %q and the usage", c.args, err, stderr.String(), c.err)
		}
	}

	var stderr strings.Builder
	if _, err := parseWindowArgs([]string{"-h"}, &stderr); !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr.String(), "--minimized") {
		t.Errorf("-h: %v, %q", err, stderr.String())
	}
}
