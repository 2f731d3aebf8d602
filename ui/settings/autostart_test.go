package settings

import (
	"encoding/xml"
	"strings"
	"testing"
)

// withExecutable makes the app's executable look like exe for the test.
func withExecutable(t *testing.T, exe string) {
	old := executable
	executable = func() (string, error) { return exe, nil }
	t.Cleanup(func() { executable = old })
	t.Setenv("APPIMAGE", "")
}

// TestDesktopExecArg: arguments of an Exec key, quoted and escaped as the
// Desktop Entry Specification asks (string escapes applied last).
func TestDesktopExecArg(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"/usr/local/bin/shopledger", "/usr/local/bin/shopledger"},
		{"--minimized", "--minimized"},
		{"/opt/Shop Ledger/shopledger", `"/opt/Shop Ledger/shopledger"`},
		{"/home/u/100%/shopledger", "/home/u/100%%/shopledger"},
		{`/home/u/$HOME/x`, `"/home/u/\\$HOME/x"`},
		{`/home/u/a"b`, `"/home/u/a\\"b"`},
		{`/home/u/a\b`, `"/home/u/a\\\\b"`},
		{"/home/u/it's", `"/home/u/it's"`},
		{"", `""`},
	} {
		if got := desktopExecArg(c.in); got != c.want {
			t.Errorf("desktopExecArg(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}

func TestDesktopEntry(t *testing.T) {
	got, err := desktopEntry("/opt/Shop Ledger/shopledger", []string{"--minimized"})
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{
		"[Desktop Entry]", "Type=Application", "Name=ShopLedger",
		`Exec="/opt/Shop Ledger/shopledger" --minimized`, "Icon=com.shopledger.app", "X-GNOME-Autostart-enabled=true",
	} {
		if !strings.Contains(got, line+"\n") {
			t.Errorf("entry lacks %q:\n%s", line, got)
		}
	}
	if !strings.HasPrefix(got, "[Desktop Entry]\n") || !desktopEntryEnabled(got) {
		t.Errorf("entry:\n%s", got)
	}
	if _, err := desktopEntry("/tmp/a\nb", nil); err == nil {
		t.Error("a path with a line break was written")
	}
}

func TestDesktopEntryEnabled(t *testing.T) {
	for _, c := range []struct {
		content string
		want    bool
	}{
		{"[Desktop Entry]\nExec=x\n", true},
		{"[Desktop Entry]\nExec=x\nHidden=true\n", false},
		{"[Desktop Entry]\nExec=x\nHidden=false\n", true},
		{"[Desktop Entry]\nX-GNOME-Autostart-enabled=false\n", false},
		{"[Desktop Entry]\nX-GNOME-Autostart-enabled = false\n", false},
		{"[Desktop Entry]\nExec=x\n[Desktop Action quit]\nHidden=true\n", true},
	} {
		if got := desktopEntryEnabled(c.content); got != c.want {
			t.Errorf("desktopEntryEnabled(%q) = %v, want %v", c.content, got, c.want)
		}
	}
}

// TestLaunchAgentPlist: the plist is well-formed XML, escapes the path and
// runs the program with its arguments at load.
func TestLaunchAgentPlist(t *testing.T) {
	exe := "/Users/a&b/Applications/ShopLedger.app/Contents/MacOS/shopledger"
	got, err := launchAgentPlist(exe, []string{"--minimized"})
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Dict struct {
			Keys   []string `xml:"key"`
			String []string `xml:"string"`
			Array  struct {
				Strings []string `xml:"string"`
			} `xml:"array"`
		} `xml:"dict"`
	}
	if err := xml.Unmarshal([]byte(got), &doc); err != nil {
		t.Fatalf("plist is not XML: %v\n%s", err, got)
	}
	if strings.Join(doc.Dict.Keys, ",") != "Label,ProgramArguments,RunAtLoad,ProcessType" {
		t.Errorf("keys %q", doc.Dict.Keys)
	}
	if len(doc.Dict.String) == 0 || doc.Dict.String[0] != "com.shopledger.app" {
		t.Errorf("label %q", doc.Dict.String)
	}
	if args := doc.Dict.Array.Strings; len(args) != 2 || args[0] != exe || args[1] != "--minimized" {
		t.Errorf("program arguments %q", args)
	}
	if !strings.Contains(got, "<key>RunAtLoad</key>\n\t<true/>") {
		t.Errorf("not run at load:\n%s", got)
	}
}

func TestWindowsCommandLine(t *testing.T) {
	got, err := windowsCommandLine(`C:\Program Files\ShopLedger\shopledger.exe`, []string{"--minimized", `a b`, `x"y`, `trail\`})
	if err != nil {
		t.Fatal(err)
	}
	want := `"C:\Program Files\ShopLedger\shopledger.exe" --minimized "a b" "x\"y" trail\`
	if got != want {
		t.Errorf("command line\n%s\nwant\n%s", got, want)
	}
	if got := windowsArg(`a b\`); got != `"a b\\"` {
		t.Errorf("windowsArg with a trailing backslash = %s", got)
	}
	if _, err := windowsCommandLine(`C:\a"b.exe`, nil); err == nil {
		t.Error("a path with a quote was accepted")
	}
}
