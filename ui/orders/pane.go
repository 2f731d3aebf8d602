package orders

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// The list's share of the split when the detail first opens, beside the
// list and under it.
const (
	besideSplit = 0.58
	belowSplit  = 0.45
)

// besideMin is the narrowest the detail is put beside the list: its items
// (SKU, name, quantity, price, total, tax) fit without being cut.
const besideMin = 440

// splitOffsets are where the divider is, beside the list and under it:
// as the bookkeeper last dragged it, kept across a language switch.
type splitOffsets struct{ beside, below float64 }

func (o *splitOffsets) at(beside bool) *float64 {
	if beside {
		return &o.beside
	}
	return &o.below
}

// paneLayout puts the open order's detail beside the list when the screen
// is wide enough for every column of the list and the detail, and under
// the list otherwise: beside a list narrower than its columns, the shop,
// warehouse and cost center went out of sight.
type paneLayout struct{ p *Page }

func (l paneLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	p := l.p
	turned := false
	if s := p.split; s != nil && p.detail != nil {
		need := p.list.naturalWidth() + theme.Padding() + max(besideMin, p.detail.content.MinSize().Width)
		if beside := size.Width >= need; beside != s.Horizontal {
			*p.offsets.at(s.Horizontal) = s.Offset
			s.Horizontal, s.Offset = beside, *p.offsets.at(beside)
			turned = true
		}
	}
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	if turned {
		p.split.Refresh()
	}
}

func (l paneLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s
}
