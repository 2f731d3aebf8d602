package webhooks

import "fyne.io/fyne/v2"

// fitUpTo lays out one scroll over content and asks for the height of the
// content, up to max: a split above it then gives the content its whole
// height while there is room for it (and the other side's minimum), where
// a bare scroll would let the split cut the content off at any height.
// It asks anew at each layout, as wrapped text grows and shrinks with the
// width.
type fitUpTo struct {
	content fyne.CanvasObject
	max     float32
}

func (f fitUpTo) MinSize(objects []fyne.CanvasObject) fyne.Size {
	s := objects[0].MinSize()
	return fyne.NewSize(s.Width, max(s.Height, min(f.content.MinSize().Height, f.max)))
}

func (f fitUpTo) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	objects[0].Move(fyne.NewPos(0, 0))
	objects[0].Resize(size)
}
