package orders

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// header is a column's heading: its title and, on the column the list is
// sorted by, an arrow that points the way it goes. Tapping a sortable
// column's heading sorts by it.
type header struct {
	widget.BaseWidget
	label *widget.Label
	arrow *widget.Icon
	onTap func()
}

func newHeader() *header {
	h := &header{label: widget.NewLabel(""), arrow: widget.NewIcon(nil)}
	h.label.TextStyle.Bold = true
	h.label.Truncation = fyne.TextTruncateEllipsis
	h.arrow.Hide()
	h.ExtendBaseWidget(h)
	return h
}

// set shows a title; way is 1 for ascending, -1 for descending, 0 for a
// column the list is not sorted by; onTap nil for one it cannot be.
func (h *header) set(title string, align fyne.TextAlign, way int, onTap func()) {
	h.label.Alignment = align
	h.label.SetText(title)
	h.onTap = onTap
	switch way {
	case 1:
		h.arrow.SetResource(theme.MoveUpIcon())
		h.arrow.Show()
	case -1:
		h.arrow.SetResource(theme.MoveDownIcon())
		h.arrow.Show()
	default:
		h.arrow.Hide()
	}
}

// Tapped sorts by the column.
func (h *header) Tapped(*fyne.PointEvent) {
	if h.onTap != nil {
		h.onTap()
	}
}

func (h *header) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, nil, h.arrow, h.label))
}

// arrowWidth is what the arrow adds to a sortable column's heading.
func arrowWidth() float32 { return theme.IconInlineSize() + theme.Padding() }
