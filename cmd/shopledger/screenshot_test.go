package main

import (
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestScreenshotOfRealBinary runs `make screenshot`'s script: the real
// binary, a synced demo shop, Xvfb and ImageMagick. make test provides
// what it needs and sets SHOPLEDGER_E2E.
func TestScreenshotOfRealBinary(t *testing.T) {
	if os.Getenv("SHOPLEDGER_E2E") == "" {
		t.Skip("SHOPLEDGER_E2E not set: run through `make test`, which starts Xvfb")
	}
	out := filepath.Join(t.TempDir(), "screenshot.png")
	cmd := exec.Command("bash", "scripts/screenshot.sh", out)
	cmd.Dir = "../.."
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("screenshot script: %v\n%s", err, b)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 400 {
		t.Fatalf("screenshot is %v, too small for the window", b)
	}
	if distinctColors(img) < 10 {
		t.Fatal("the screenshot is nearly uniform: the window did not draw")
	}
}

func distinctColors(img image.Image) int {
	seen := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[r>>8<<16|g>>8<<8|bl>>8] = true
		}
	}
	return len(seen)
}
