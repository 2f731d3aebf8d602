// Command pngico writes a Windows icon (.ico) from a square PNG: one PNG-compressed image per size, scaled down
// with an area-averaging (box) filter in premultiplied alpha. scripts/package.sh uses it for the icon resource of
// the Windows executables. Standard library only, and deterministic.
//
//	go run ./scripts/pngico -o ShopLedger.ico [-sizes 16,20,24,32,40,48,64,256] assets/icon.png
//
// PNG-compressed icon images are read by every Windows since Vista; Explorer picks the size it needs (16 to 48 for
// lists and the taskbar at 100–200 % scaling, 256 for large icon views).
package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"os"
	"strconv"
	"strings"
)

func main() {
	out := flag.String("o", "", "the .ico file to write")
	sizes := flag.String("sizes", "16,20,24,32,40,48,64,256", "comma-separated sizes in pixels, each 1 to 256")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: pngico -o OUT.ico [-sizes 16,32,…] IN.png")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *out == "" || flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(flag.Arg(0), *out, *sizes); err != nil {
		fmt.Fprintln(os.Stderr, "pngico:", err)
		os.Exit(1)
	}
}

func run(in, out, sizeList string) error {
	var sizes []int
	for _, s := range strings.Split(sizeList, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 || n > 256 {
			return fmt.Errorf("size %q: want a number from 1 to 256", s)
		}
		sizes = append(sizes, n)
	}
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	src, err := png.Decode(f)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	var buf bytes.Buffer
	if err := Encode(&buf, src, sizes); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	return os.WriteFile(out, buf.Bytes(), 0o644)
}

// Encode writes src as an .ico with one PNG image per size, in the order given.
func Encode(w io.Writer, src image.Image, sizes []int) error {
	b := src.Bounds()
	if b.Dx() != b.Dy() || b.Dx() == 0 {
		return fmt.Errorf("the image is %dx%d; an icon needs a square one", b.Dx(), b.Dy())
	}
	if len(sizes) == 0 || len(sizes) > 0xffff {
		return errors.New("no sizes")
	}
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Bounds(), src, b.Min, draw.Src)

	images := make([][]byte, len(sizes))
	for i, n := range sizes {
		var p bytes.Buffer
		if err := png.Encode(&p, Scale(rgba, n)); err != nil {
			return err
		}
		images[i] = p.Bytes()
	}

	// ICONDIR, then one 16-byte ICONDIRENTRY per image, then the images.
	le := binary.LittleEndian
	head := make([]byte, 6+16*len(sizes))
	le.PutUint16(head[2:], 1) // type 1: icon
	le.PutUint16(head[4:], uint16(len(sizes)))
	offset := len(head)
	for i, n := range sizes {
		e := head[6+16*i:]
		e[0], e[1] = byte(n), byte(n) // 256 is stored as 0
		le.PutUint16(e[4:], 1)        // colour planes
		le.PutUint16(e[6:], 32)       // bits per pixel
		le.PutUint32(e[8:], uint32(len(images[i])))
		le.PutUint32(e[12:], uint32(offset))
		offset += len(images[i])
	}
	if _, err := w.Write(head); err != nil {
		return err
	}
	for _, img := range images {
		if _, err := w.Write(img); err != nil {
			return err
		}
	}
	return nil
}

// Scale returns src (square, origin at 0,0) scaled to n×n: each output pixel is the area-weighted average of the
// source pixels it covers, in premultiplied alpha so transparent pixels add no dark fringe. Upscaling repeats pixels.
func Scale(src *image.RGBA, n int) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, n, n))
	spans := coverage(src.Bounds().Dx(), n)
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			var acc [4]float64
			var total float64
			for _, sy := range spans[y] {
				row := src.Pix[sy.i*src.Stride:]
				for _, sx := range spans[x] {
					w := sx.w * sy.w
					p := row[sx.i*4 : sx.i*4+4]
					for c := range acc {
						acc[c] += w * float64(p[c])
					}
					total += w
				}
			}
			d := dst.Pix[y*dst.Stride+x*4:]
			for c := range acc {
				d[c] = uint8(acc[c]/total + 0.5)
			}
		}
	}
	return dst
}

type weight struct {
	i int
	w float64
}

// coverage returns, for each of n output cells along one axis, the source cells of an axis of length src that it
// overlaps and by how much.
func coverage(src, n int) [][]weight {
	scale := float64(src) / float64(n)
	out := make([][]weight, n)
	for d := range out {
		lo, hi := float64(d)*scale, float64(d+1)*scale
		for i := int(lo); i < src && float64(i) < hi; i++ {
			w := min(float64(i+1), hi) - max(float64(i), lo)
			if w > 1e-9 {
				out[d] = append(out[d], weight{i, w})
			}
		}
	}
	return out
}
