package ui

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/store"
)

// reportField returns the value of key in a screen report line.
func reportField(t *testing.T, line, key string) string {
	t.Helper()
	for _, f := range strings.Fields(line) {
		if k, v, ok := strings.Cut(f, "="); ok && k == key {
			return v
		}
	}
	t.Fatalf("the report %q has no %s", line, key)
	return ""
}

// reportPoint reads a point of the report ("X,Y" in window pixels) as a
// position on the canvas.
func reportPoint(t *testing.T, w *mainWindow, line, key string) fyne.Position {
	t.Helper()
	x, y, ok := strings.Cut(reportField(t, line, key), ",")
	px, errX := strconv.Atoi(x)
	py, errY := strconv.Atoi(y)
	if !ok || errX != nil || errY != nil {
		t.Fatalf("%s is not a point in %q", key, line)
	}
	s := w.win.Canvas().Scale()
	return fyne.NewPos(float32(px)/s, float32(py)/s)
}

// TestScreenReport follows what scripts/screenshot.sh relies on: the
// report names the screen, the open order, the pop-ups over the window and
// the language, and a click where it says the first row is opens that
// row's order. The README's order shots once showed the status filter's
// open drop-down: that reads overlays=1, order=-.
func TestScreenReport(t *testing.T) {
	b := openBooks(t)
	w, j := started(t, b)
	want := func(line string, fields ...string) {
		t.Helper()
		for _, f := range fields {
			k, v, _ := strings.Cut(f, "=")
			if got := reportField(t, line, k); got != v {
				t.Errorf("%s = %q, want %q (report %q)", k, got, v, line)
			}
		}
	}
	want(w.screenReport(), "screen=welcome", "order=-", "overlays=0", "lang=en", "row=-")

	addShopDirectly(t, b, "Demo shop", startShop(t, 12))
	w.reload(w.syncNow)
	j.drain(t)
	line := w.screenReport()
	want(line, "screen=orders", "order=-", "overlays=0", "demo=-")

	first := storeOrders(t, b, store.OrderFilter{})[0]
	test.TapCanvas(w.win.Canvas(), reportPoint(t, w, line, "row"))
	if d := w.orders.Detail(); d == nil || d.Key() != first.Key() {
		t.Fatal("a tap where the report puts the first row did not open the first order")
	}
	want(w.screenReport(), "order=-") // until the detail is read and drawn
	j.drain(t)
	want(w.screenReport(), "screen=orders", "order="+first.Number, "overlays=0")

	// A drop-down open over the list, as in the old README shots.
	drop := widget.NewPopUp(widget.NewLabel("All statuses"), w.win.Canvas())
	drop.Show()
	want(w.screenReport(), "overlays=1")
	drop.Hide()

	shortcut(w, "2")
	want(w.screenReport(), "screen=shops", "overlays=0", "row=-")
	w.ChangeLanguage("bg")
	j.drain(t)
	want(w.screenReport(), "screen=settings", "lang=bg")
}

// TestWriteReport replaces the report whole, with one line.
func TestWriteReport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "screen")
	for _, line := range []string{"screen=orders order=-", "screen=shops"} {
		if err := writeReport(path, line); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != line+"\n" {
			t.Errorf("the report reads %q, want %q", got, line)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*")); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}
