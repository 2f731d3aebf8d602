package orders

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// lineColumns lays the detail's items out in rows of len(share) cells: a
// column of share 0 (a SKU, an amount) is as wide as its widest cell, so
// it is never cut short; the others (the name, which wraps) share the
// width left by their shares.
type lineColumns struct {
	share   []float32
	minFill float32 // a sharing column's narrowest
}

// widths are the columns' widths in a row as wide as width.
func (l lineColumns) widths(objs []fyne.CanvasObject, width float32) []float32 {
	n := len(l.share)
	ws := make([]float32, n)
	for i, o := range objs {
		if c := i % n; l.share[c] == 0 && o.Visible() {
			ws[c] = max(ws[c], o.MinSize().Width)
		}
	}
	left, shares := width-theme.Padding()*float32(n-1), float32(0)
	for c, w := range ws {
		left -= w
		shares += l.share[c]
	}
	for c, sh := range l.share {
		if sh > 0 {
			ws[c] = max(l.minFill, left*sh/shares)
		}
	}
	return ws
}

func (l lineColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	n, pad := len(l.share), theme.Padding()
	ws := l.widths(objs, size.Width)
	// A wrapped name's height follows its width: size the cells first.
	for i, o := range objs {
		o.Resize(fyne.NewSize(ws[i%n], o.Size().Height))
	}
	y := float32(0)
	for r := 0; r*n < len(objs); r++ {
		row := objs[r*n : min((r+1)*n, len(objs))]
		h := rowHeight(row)
		x := float32(0)
		for c, o := range row {
			o.Move(fyne.NewPos(x, y))
			o.Resize(fyne.NewSize(ws[c], h))
			x += ws[c] + pad
		}
		y += h + pad
	}
}

func (l lineColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	n, pad := len(l.share), theme.Padding()
	ws := l.widths(objs, 0)
	var w, h float32
	for _, cw := range ws {
		w += cw
	}
	w += pad * float32(n-1)
	for r := 0; r*n < len(objs); r++ {
		if r > 0 {
			h += pad
		}
		h += rowHeight(objs[r*n : min((r+1)*n, len(objs))])
	}
	return fyne.NewSize(w, h)
}

func rowHeight(row []fyne.CanvasObject) float32 {
	var h float32
	for _, o := range row {
		if o.Visible() {
			h = max(h, o.MinSize().Height)
		}
	}
	return h
}
