package settings

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
)

// Start at login. Each system has its own place, each behind the same two
// functions, setAutostart(enabled) and autostartEnabled():
//
//   - Linux and the BSDs (autostart_xdg.go): an XDG autostart entry,
//     $XDG_CONFIG_HOME/autostart/com.shopledger.app.desktop (~/.config when
//     unset);
//   - Windows (autostart_windows.go): the value "ShopLedger" under
//     HKCU\Software\Microsoft\Windows\CurrentVersion\Run;
//   - macOS (autostart_darwin.go): a LaunchAgent,
//     ~/Library/LaunchAgents/com.shopledger.app.plist.
//
// Each starts this executable with autostartArgs, so the app comes up in
// the tray without showing its window. What is written is rendered here,
// where the tests of every system's format run on any system.

// autostartArgs are the arguments the app is started with at login.
var autostartArgs = []string{"--minimized"}

// autostartName is the name of the entry: the app id names the desktop file
// and the LaunchAgent; Windows shows the Run value's name in Task Manager.
const autostartName = AppID

// AppID is ShopLedger's application id: it names the preferences and, on
// Linux, the desktop file.
const AppID = "com.shopledger.app"

// executable is os.Executable; tests replace it.
var executable = os.Executable

// autostartExecutable is the program to start at login: the AppImage file
// when running from one (its mounted executable moves at every start), else
// this executable, as an absolute path.
func autostartExecutable() (string, error) {
	if p := os.Getenv("APPIMAGE"); p != "" { // set by the AppImage runtime only
		return p, nil
	}
	exe, err := executable()
	if err != nil {
		return "", err
	}
	return filepath.Abs(exe)
}

// RefreshAutostart rewrites an enabled entry for this executable, in case
// the app was moved or updated since it was written. Call it at start.
func RefreshAutostart() error {
	if !autostartEnabled() {
		return nil
	}
	return setAutostart(true)
}

// errNewline: no start-at-login format can hold a path with a line break.
var errNewline = errors.New("the program's path contains a line break")

// desktopEntry is the XDG autostart entry that runs exe with args.
func desktopEntry(exe string, args []string) (string, error) {
	words := []string{exe}
	words = append(words, args...)
	for i, w := range words {
		if strings.ContainsAny(w, "\n\r") {
			return "", errNewline
		}
		words[i] = desktopExecArg(w)
	}
	return "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=ShopLedger\n" +
		"Comment=Keeps the books in step with WooCommerce shops\n" +
		"Exec=" + strings.Join(words, " ") + "\n" +
		"Icon=" + AppID + "\n" +
		"Terminal=false\n" +
		"X-GNOME-Autostart-enabled=true\n", nil
}

// desktopExecReserved are the characters that make an Exec argument need
// quotes (Desktop Entry Specification, "The Exec key").
const desktopExecReserved = " \t\"'\\><~|&;$*?#()`"

// desktopExecArg writes one argument of an Exec key: % doubled (field
// codes), quoted if it has a reserved character, with ", `, $ and \
// backslash-escaped inside the quotes; then every backslash doubled, since
// the value's string escapes are undone before the quoting is read.
func desktopExecArg(s string) string {
	s = strings.ReplaceAll(s, "%", "%%")
	if s != "" && !strings.ContainsAny(s, desktopExecReserved) {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		if strings.ContainsRune("\"`$\\", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	b.WriteByte('"')
	return strings.ReplaceAll(b.String(), `\`, `\\`)
}

// desktopEntryEnabled reads an autostart entry the way desktops do: it
// runs unless Hidden=true or X-GNOME-Autostart-enabled=false (what
// GNOME's Tweaks and similar tools write to switch an entry off).
func desktopEntryEnabled(content string) bool {
	inEntry := false
	for _, line := range strings.Split(content, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			inEntry = line == "[Desktop Entry]"
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		if !inEntry || !ok {
			continue
		}
		switch strings.TrimSpace(key) {
		case "Hidden":
			if strings.TrimSpace(value) == "true" {
				return false
			}
		case "X-GNOME-Autostart-enabled":
			if strings.TrimSpace(value) == "false" {
				return false
			}
		}
	}
	return true
}

// launchAgentPlist is the LaunchAgent that runs exe with args at login.
// It is not loaded when written: that would start a second ShopLedger now.
func launchAgentPlist(exe string, args []string) (string, error) {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>` + xmlText(autostartName) + `</string>
	<key>ProgramArguments</key>
	<array>
`)
	for _, w := range append([]string{exe}, args...) {
		if strings.ContainsAny(w, "\n\r") {
			return "", errNewline
		}
		b.WriteString("\t\t<string>" + xmlText(w) + "</string>\n")
	}
	b.WriteString(`	</array>
	<key>RunAtLoad</key>
	<true/>
	<key>ProcessType</key>
	<string>Interactive</string>
</dict>
</plist>
`)
	return b.String(), nil
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")

func xmlText(s string) string { return xmlEscaper.Replace(s) }

// windowsCommandLine is the Run value that starts exe with args. The
// program is always quoted (a path with spaces would otherwise be read
// as a shorter one); arguments are quoted as CommandLineToArgvW reads them.
func windowsCommandLine(exe string, args []string) (string, error) {
	if strings.ContainsAny(exe, "\"\n\r") {
		return "", errors.New("the program's path contains a quote or a line break")
	}
	words := []string{`"` + exe + `"`}
	for _, a := range args {
		words = append(words, windowsArg(a))
	}
	return strings.Join(words, " "), nil
}

// windowsArg quotes one argument for CommandLineToArgvW, as
// syscall.EscapeArg does on Windows.
func windowsArg(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\"") {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	slashes := 0
	for _, r := range s {
		switch r {
		case '\\':
			slashes++
		case '"':
			b.WriteString(strings.Repeat(`\`, slashes+1))
			slashes = 0
		default:
			slashes = 0
		}
		b.WriteRune(r)
	}
	b.WriteString(strings.Repeat(`\`, slashes))
	b.WriteByte('"')
	return b.String()
}
