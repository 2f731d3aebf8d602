package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"codeberg.org/shopledger/shopledger/ui/bridge"
	"codeberg.org/shopledger/shopledger/ui/i18n"
)

// ScreenReportEnv names a file where the window writes what it shows, for
// scripts/screenshot.sh: a screenshot is taken only once the window says
// it shows what the picture is named for, and the script clicks where the
// window says a button or row is, not at a guessed place.
const ScreenReportEnv = "SHOPLEDGER_SCREEN_REPORT"

// screenNames name the navigation's screens in the report.
var screenNames = [...]string{
	tabOrders:   "orders",
	tabShops:    "shops",
	tabCatalog:  "catalog",
	tabWebhooks: "webhooks",
	tabBooks:    "books",
	tabSettings: "settings",
}

// screenReport says in one line what the window shows, as key=value
// words: the screen ("welcome" for the orders screen without a shop), the
// order whose detail is open and drawn (- for none), how many pop-ups and
// dialogs cover the window, the language, and in window pixels the centre
// of what a script may click: the first row of the order list and "Try
// with a demo shop" (- where there is none).
func (w *mainWindow) screenReport() string {
	screen := "-"
	if i := w.tabs.SelectedIndex(); i >= 0 && i < len(screenNames) {
		screen = screenNames[i]
	}
	if screen == "orders" && w.empty.content.Visible() {
		screen = "welcome"
	}
	order := "-"
	if n, ok := w.orders.Shown(); ok {
		order = n
	}
	demo, demoShown := centreOf(w.empty.demo)
	demoShown = demoShown && screen == "welcome"
	c := w.win.Canvas()
	return strings.Join([]string{
		"screen=" + screen,
		"order=" + order,
		fmt.Sprintf("overlays=%d", len(c.Overlays().List())),
		"lang=" + i18n.Active(),
		"row=" + w.pixelsOf(w.firstOrderRow()),
		"demo=" + w.pixelsOf(demo, demoShown),
	}, " ")
}

// firstOrderRow is the middle-left of the order list's first row when
// the orders screen shows it.
func (w *mainWindow) firstOrderRow() (fyne.Position, bool) {
	if w.tabs.SelectedIndex() != tabOrders || w.empty.content.Visible() {
		return fyne.Position{}, false
	}
	return w.orders.FirstRow()
}

// centreOf is the middle of a widget on the canvas, if it shows.
func centreOf(o fyne.CanvasObject) (fyne.Position, bool) {
	if o == nil || !o.Visible() {
		return fyne.Position{}, false
	}
	at := fyne.CurrentApp().Driver().AbsolutePositionForObject(o)
	return at.Add(fyne.NewPos(o.Size().Width/2, o.Size().Height/2)), true
}

// pixelsOf gives a point of the canvas in the window's pixels, as "X,Y";
// "-" for none.
func (w *mainWindow) pixelsOf(p fyne.Position, ok bool) string {
	if !ok {
		return "-"
	}
	s := w.win.Canvas().Scale()
	return fmt.Sprintf("%d,%d", int(p.X*s+0.5), int(p.Y*s+0.5))
}

// reportScreens writes screenReport to path whenever it changes, looking
// ten times a second on the UI goroutine, until the window's work stops;
// a failed write goes to fail.
func (w *mainWindow) reportScreens(path string, fail func(error)) {
	tick := time.NewTicker(100 * time.Millisecond)
	last := ""
	bridge.Stream(w.br, tick.C, func(time.Time) {
		line := w.screenReport()
		if line == last {
			return
		}
		if err := writeReport(path, line); err != nil {
			fail(err)
			return
		}
		last = line
	}, tick.Stop)
}

// writeReport replaces the file at path with line, so a reader never
// sees half of it.
func writeReport(path, line string) error {
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, []byte(line+"\n"), 0o644); err != nil {
		return fmt.Errorf("write the screen report: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("write the screen report: %w", err)
	}
	return nil
}
