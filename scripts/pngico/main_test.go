package main

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"testing"
)

func TestEncode(t *testing.T) {
	// Left half opaque red, right half transparent.
	src := image.NewRGBA(image.Rect(0, 0, 100, 100))
	for y := 0; y < 100; y++ {
		for x := 0; x < 50; x++ {
			src.Set(x, y, color.RGBA{255, 0, 0, 255})
		}
	}
	sizes := []int{16, 48, 256}
	var buf bytes.Buffer
	if err := Encode(&buf, src, sizes); err != nil {
		t.Fatal(err)
	}
	ico := buf.Bytes()
	le := binary.LittleEndian
	if le.Uint16(ico[0:]) != 0 || le.Uint16(ico[2:]) != 1 || int(le.Uint16(ico[4:])) != len(sizes) {
		t.Fatalf("ICONDIR = % x", ico[:6])
	}
	for i, n := range sizes {
		e := ico[6+16*i:]
		if w, h := int(e[0]), int(e[1]); w != n%256 || h != n%256 {
			t.Errorf("entry %d: %dx%d, want %d (0 for 256)", i, w, h, n%256)
		}
		if le.Uint16(e[4:]) != 1 || le.Uint16(e[6:]) != 32 {
			t.Errorf("entry %d: planes %d, bits %d", i, le.Uint16(e[4:]), le.Uint16(e[6:]))
		}
		size, off := le.Uint32(e[8:]), le.Uint32(e[12:])
		img, err := png.Decode(bytes.NewReader(ico[off : off+size]))
		if err != nil {
			t.Fatalf("entry %d: %v", i, err)
		}
		if b := img.Bounds(); b.Dx() != n || b.Dy() != n {
			t.Errorf("entry %d: image is %v, want %dx%d", i, b, n, n)
		}
		// Far from the edge the colours are untouched: no dark fringe from the transparent half.
		if r, g, b, a := img.At(n/8, n/2).RGBA(); r>>8 != 255 || g != 0 || b != 0 || a>>8 != 255 {
			t.Errorf("entry %d: left pixel %d,%d,%d,%d, want opaque red", i, r>>8, g>>8, b>>8, a>>8)
		}
		if _, _, _, a := img.At(n-1-n/8, n/2).RGBA(); a != 0 {
			t.Errorf("entry %d: right pixel alpha %d, want transparent", i, a>>8)
		}
	}
}

func TestScaleAverages(t *testing.T) {
	// A 3×3 checkerboard of black and white scaled to 1×1 is the mean grey: 5 white of 9 → 142.
	src := image.NewRGBA(image.Rect(0, 0, 3, 3))
	for i := 0; i < 9; i++ {
		v := uint8(0)
		if i%2 == 0 {
			v = 255
		}
		src.Set(i%3, i/3, color.RGBA{v, v, v, 255})
	}
	got := Scale(src, 1).RGBAAt(0, 0)
	if got != (color.RGBA{142, 142, 142, 255}) {
		t.Errorf("got %v", got)
	}
	// Non-integer ratios cover every source pixel once: 3 → 2 keeps the mean of a uniform image.
	if got := Scale(src, 2).RGBAAt(1, 1); got.A != 255 {
		t.Errorf("alpha after 3→2: %v", got)
	}
}

func TestEncodeRejectsNonSquare(t *testing.T) {
	if err := Encode(&bytes.Buffer{}, image.NewRGBA(image.Rect(0, 0, 4, 3)), []int{16}); err == nil {
		t.Error("no error for a 4x3 image")
	}
}
