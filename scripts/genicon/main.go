// Command genicon draws ShopLedger's application icon: a ledger book with a gold coin and a tick, on a teal
// rounded square. It uses only the standard library; shapes are signed distance functions, antialiased by
// supersampling, so the output is deterministic and can be regenerated at any size.
//
//	go run ./scripts/genicon -o assets/icon.png   (or: go generate ./assets)
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
)

// The design is laid out on a 512×512 canvas and scaled to -size.
const design = 512

// Palette: teal and ink, with cream paper and a gold coin.
var (
	tealTop    = rgb(0x1b, 0xa8, 0x9c)
	tealBottom = rgb(0x0a, 0x5c, 0x58)
	ink        = rgb(0x15, 0x2e, 0x3b)
	inkLight   = rgb(0x2e, 0x52, 0x60)
	shadow     = rgb(0x04, 0x2b, 0x29)
	paper      = rgb(0xfa, 0xf6, 0xec)
	paperShade = rgb(0xee, 0xe9, 0xdc)
	rule       = rgb(0xd3, 0xdd, 0xda)
	amount     = rgb(0x9f, 0xd3, 0xcc)
	goldLight  = rgb(0xff, 0xd4, 0x6b)
	goldDark   = rgb(0xee, 0xa0, 0x2e)
	goldRim    = rgb(0xc9, 0x80, 0x1c)
)

func main() {
	out := flag.String("o", "assets/icon.png", "output PNG `file`")
	size := flag.Int("size", design, "width and height in pixels")
	samples := flag.Int("ss", 6, "supersampling: samples per pixel along each axis")
	flag.Parse()

	img := render(*size, *samples)
	if err := writePNG(*out, img); err != nil {
		fmt.Fprintln(os.Stderr, "genicon:", err)
		os.Exit(1)
	}
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("encoding %s: %w", path, err)
	}
	return f.Close()
}

func render(size, ss int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	scale := float64(design) / float64(size)
	n := float64(ss * ss)
	for py := 0; py < size; py++ {
		for px := 0; px < size; px++ {
			var acc premul
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					x := (float64(px) + (float64(sx)+0.5)/float64(ss)) * scale
					y := (float64(py) + (float64(sy)+0.5)/float64(ss)) * scale
					c := scene(x, y)
					acc.r += c.r
					acc.g += c.g
					acc.b += c.b
					acc.a += c.a
				}
			}
			img.SetNRGBA(px, py, acc.scale(1/n).nrgba())
		}
	}
	return img
}

// scene returns the colour at a point of the 512×512 design, premultiplied.
func scene(x, y float64) premul {
	var c premul // transparent

	// Rounded square background with a diagonal teal gradient.
	if roundRect(x, y, 256, 256, 232, 232, 104) > 0 {
		return c
	}
	c = over(c, background(x, y), 1)

	c = book(c, x+12, y+4) // a little left and up, to balance the coin
	return coin(c, x, y)
}

// book draws the ledger, centred on the design.
func book(c premul, x, y float64) premul {
	// Soft shadow under the book.
	c = over(c, shadow, 0.35*soft(roundRect(x, y, 258, 268, 120, 160, 28), 18))

	// The ledger: an ink cover with a wide spine on the left and a cream page.
	c = over(c, ink, fill(roundRect(x, y, 256, 256, 120, 160, 26)))
	c = over(c, lerp(paper, paperShade, (y-116)/280), fill(roundRect(x, y, 274, 256, 86, 140, 12)))

	// Two bands across the spine, as on a bound account book.
	for _, ry := range []float64{146, 366} {
		c = over(c, inkLight, fill(roundRect(x, y, 162, ry, 26, 7, 3)))
	}

	// Ledger rows: a description stroke on the left, an amount on the right of the column rule.
	c = over(c, tealTop, fill(segment(x, y, 300, 140, 300, 380)-2.5))
	c = over(c, ink, fill(segment(x, y, 210, 150, 276, 150)-5))
	for i, w := range []float64{62, 46, 70, 54, 40} {
		ry := 196 + float64(i)*40
		c = over(c, rule, fill(segment(x, y, 210, ry, 210+w, ry)-4))
		c = over(c, amount, fill(segment(x, y, 316, ry, 340, ry)-4))
	}

	// Bookmark ribbon hanging from the top edge.
	return over(c, goldDark, fill(ribbon(x, y)))
}

// coin draws a gold coin with a tick, cut out of what lies beneath by a ring of background colour.
func coin(c premul, x, y float64) premul {
	const cx, cy, r = 352, 370, 82
	d := math.Hypot(x-cx, y-cy)
	c = over(c, background(x, y), fill(d-(r+12)))
	c = over(c, shadow, 0.30*soft(math.Hypot(x-cx, y-cy-8)-r, 10))
	c = over(c, lerp(goldLight, goldDark, ((x-cx)+(y-cy))/(2*r)+0.5), fill(d-r))
	c = over(c, goldRim, 0.55*fill(math.Abs(d-(r-14))-3))
	return over(c, ink, fill(tick(x-cx, y-cy)-11))
}

func background(x, y float64) color.NRGBA {
	return lerp(tealTop, tealBottom, (x+y-48)/(2*464))
}

// ribbon is a bookmark: a strip with a V notch at its lower end.
func ribbon(x, y float64) float64 {
	const left, right, top, bottom, notch = 332, 350, 96, 178, 10
	d := math.Max(math.Max(left-x, x-right), math.Max(top-y, y-bottom))
	// The notch: points below the line from the bottom corners up to the centre are outside.
	mid := (left + right) / 2.0
	depth := bottom - notch*(1-math.Abs(x-mid)/((right-left)/2))
	return math.Max(d, y-depth)
}

// tick is the distance to a check mark centred on the coin.
func tick(x, y float64) float64 {
	return math.Min(segment(x, y, -36, 2, -10, 28), segment(x, y, -10, 28, 38, -24))
}

// roundRect is the signed distance to a rectangle with centre (cx, cy), half sizes (hw, hh) and corner radius r.
func roundRect(x, y, cx, cy, hw, hh, r float64) float64 {
	qx := math.Abs(x-cx) - (hw - r)
	qy := math.Abs(y-cy) - (hh - r)
	return math.Hypot(math.Max(qx, 0), math.Max(qy, 0)) + math.Min(math.Max(qx, qy), 0) - r
}

// segment is the distance from (x, y) to the segment (ax, ay)-(bx, by).
func segment(x, y, ax, ay, bx, by float64) float64 {
	px, py := x-ax, y-ay
	dx, dy := bx-ax, by-ay
	t := math.Max(0, math.Min(1, (px*dx+py*dy)/(dx*dx+dy*dy)))
	return math.Hypot(px-t*dx, py-t*dy)
}

// fill is the coverage of a shape at one sample: supersampling does the antialiasing.
func fill(d float64) float64 {
	if d <= 0 {
		return 1
	}
	return 0
}

// soft is a coverage that fades out over blur units around the edge, for shadows.
func soft(d, blur float64) float64 {
	t := math.Max(0, math.Min(1, 0.5-d/(2*blur)))
	return t * t * (3 - 2*t)
}

type premul struct{ r, g, b, a float64 }

func (p premul) scale(k float64) premul { return premul{p.r * k, p.g * k, p.b * k, p.a * k} }

func (p premul) nrgba() color.NRGBA {
	if p.a <= 0 {
		return color.NRGBA{}
	}
	u8 := func(v float64) uint8 { return uint8(math.Round(math.Max(0, math.Min(1, v)) * 255)) }
	return color.NRGBA{u8(p.r / p.a), u8(p.g / p.a), u8(p.b / p.a), u8(p.a)}
}

// over composites colour c with coverage a over dst.
func over(dst premul, c color.NRGBA, a float64) premul {
	if a <= 0 {
		return dst
	}
	a *= float64(c.A) / 255
	return premul{
		r: float64(c.R)/255*a + dst.r*(1-a),
		g: float64(c.G)/255*a + dst.g*(1-a),
		b: float64(c.B)/255*a + dst.b*(1-a),
		a: a + dst.a*(1-a),
	}
}

func rgb(r, g, b uint8) color.NRGBA { return color.NRGBA{r, g, b, 0xff} }

func lerp(a, b color.NRGBA, t float64) color.NRGBA {
	t = math.Max(0, math.Min(1, t))
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x) + (float64(y)-float64(x))*t)) }
	return color.NRGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), mix(a.A, b.A)}
}
