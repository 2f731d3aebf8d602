package widgets

import (
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// SaveNameEntry is the file name field of the save dialog open on top of
// win, or nil. Fyne's save dialog joins whatever is typed there to its
// folder, so "/tmp/x.xlsx" becomes "<folder>/tmp/x.xlsx"; keeping the
// field lets the caller see what the person really typed.
func SaveNameEntry(win fyne.Window) *widget.Entry {
	top := win.Canvas().Overlays().Top()
	if p, ok := top.(*widget.PopUp); ok {
		return findEntry(p.Content)
	}
	return nil
}

// findEntry walks containers and scrolls (the dialog's layout) to the
// first entry; the dialog's lists are widgets and are not entered.
func findEntry(o fyne.CanvasObject) *widget.Entry {
	switch v := o.(type) {
	case *widget.Entry:
		return v
	case *fyne.Container:
		for _, c := range v.Objects {
			if e := findEntry(c); e != nil {
				return e
			}
		}
	case *container.Scroll:
		return findEntry(v.Content)
	case *container.Split:
		if e := findEntry(v.Leading); e != nil {
			return e
		}
		return findEntry(v.Trailing)
	}
	return nil
}

// TypedSavePath is the file the person named in a save dialog: a full
// path typed as the file name ("/tmp/x.xlsx", "~/x.xlsx") as typed, and
// "" when the name was relative to the dialog's folder (which the
// dialog's own result already holds).
func TypedSavePath(typed string) string {
	typed = strings.TrimSpace(typed)
	if rest, ok := strings.CutPrefix(typed, "~"+string(filepath.Separator)); ok {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, rest)
		}
	}
	if filepath.IsAbs(typed) {
		return filepath.Clean(typed)
	}
	return ""
}
