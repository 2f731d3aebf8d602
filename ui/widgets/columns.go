package widgets

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// WeightedColumns lays objects out in rows of len(Weights) cells, each
// column as wide as its share of the weights: a small table whose name
// column gets the room a SKU or an amount does not need.
type WeightedColumns struct{ Weights []float32 }

func (l WeightedColumns) sum() float32 {
	var s float32
	for _, w := range l.Weights {
		s += w
	}
	return s
}

func (l WeightedColumns) rowHeights(objs []fyne.CanvasObject) []float32 {
	n := len(l.Weights)
	var heights []float32
	for i := 0; i < len(objs); i += n {
		var h float32
		for _, o := range objs[i:min(i+n, len(objs))] {
			if o.Visible() {
				h = max(h, o.MinSize().Height)
			}
		}
		heights = append(heights, h)
	}
	return heights
}

func (l WeightedColumns) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	n, pad := len(l.Weights), theme.Padding()
	free := size.Width - pad*float32(n-1)
	heights := l.rowHeights(objs)
	y := float32(0)
	for r, h := range heights {
		x := float32(0)
		for c := 0; c < n && r*n+c < len(objs); c++ {
			w := free * l.Weights[c] / l.sum()
			o := objs[r*n+c]
			o.Move(fyne.NewPos(x, y))
			o.Resize(fyne.NewSize(w, h))
			x += w + pad
		}
		y += h + pad
	}
}

func (l WeightedColumns) MinSize(objs []fyne.CanvasObject) fyne.Size {
	n, pad := len(l.Weights), theme.Padding()
	var w float32
	for i, o := range objs {
		if i < n {
			w += o.MinSize().Width
		}
	}
	var h float32
	for i, rh := range l.rowHeights(objs) {
		if i > 0 {
			h += pad
		}
		h += rh
	}
	return fyne.NewSize(w+pad*float32(n-1), h)
}
