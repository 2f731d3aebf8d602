package store

import (
	"compress/flate"
	"math/bits"
	"slices"
	"sync"
)

// A DEFLATE encoder for short values against a fixed preset dictionary.
//
// compress/flate spends most of its time on such values outside the
// compression proper: every Reset clears 640 KB of hash tables and hashes
// the dictionary again, before a 1.5 KB record or a 3.5 KB payload is
// looked at. This encoder hashes its dictionary once, when it is made, and
// starts each value from a copy of that table. It writes one block, with
// dynamic or fixed Huffman codes, whichever is shorter: plain RFC 1951 that
// compress/flate's NewReaderDict reads with the same dictionary, so the
// stored format (formatDictV1) is unchanged and values written by either
// encoder read the same way.
//
// The matching is that of compress/flate's level 2: greedy, 4-byte hashes,
// chains of at most 8 candidates, a match of 16 bytes is good enough, and
// the bytes inside a match longer than 5 are not hashed. Values longer than
// maxFastInput go to compress/flate.

const (
	fastHashBits   = 13
	fastHashShift  = 32 - fastHashBits
	fastHashMul    = 0x1e35a7bd
	fastMinMatch   = 4
	fastMaxMatch   = 258
	fastMaxDist    = 1 << 15
	fastChain      = 8
	fastNice       = 16
	fastSkipHash   = 5
	maxFastInput   = 1 << 16
	endBlockMarker = 256
)

// fastEncoder holds the dictionary's precomputed hash chains; it is
// read-only once made and shared by the goroutines that encode.
type fastEncoder struct {
	dict     []byte
	dictHead [1 << fastHashBits]uint32 // hash -> newest dict position + 1
	dictPrev []uint32                  // dict position -> previous position + 1 with its hash
	// scratch holds idle fastStates. Not a sync.Pool: a sync run
	// allocates briskly and collects often, and a pool emptied by every
	// collection would make each encoding allocate and clear 40 KB anew.
	scratch  chan *fastState
	fallback func(dst, data []byte) []byte
}

// fastState is one encoding's scratch space.
type fastState struct {
	head   [1 << fastHashBits]uint32
	prev   []uint32 // data position -> previous candidate + 1
	hist   []byte   // dict followed by the data
	tokens []uint32
	lit    [286]uint32 // literal/length frequencies
	dist   [30]uint32
	bw     bitWriter
	hs     huffScratch
}

func newFastEncoder(dict []byte, fallback func(dst, data []byte) []byte) *fastEncoder {
	if len(dict) > fastMaxDist {
		dict = dict[len(dict)-fastMaxDist:]
	}
	e := &fastEncoder{dict: dict, dictPrev: make([]uint32, len(dict)), fallback: fallback}
	for i := 0; i+fastMinMatch <= len(dict); i++ {
		h := hash4(dict[i:])
		e.dictPrev[i] = e.dictHead[h]
		e.dictHead[h] = uint32(i + 1)
	}
	e.scratch = make(chan *fastState, 8)
	return e
}

func hash4(b []byte) uint32 {
	v := uint32(b[3]) | uint32(b[2])<<8 | uint32(b[1])<<16 | uint32(b[0])<<24
	return (v * fastHashMul) >> fastHashShift
}

// appendEncoded appends the DEFLATE stream of data to dst.
func (e *fastEncoder) appendEncoded(dst, data []byte) []byte {
	if len(data) > maxFastInput {
		return e.fallback(dst, data)
	}
	var s *fastState
	select {
	case s = <-e.scratch:
	default:
		s = new(fastState)
	}
	defer func() {
		select {
		case e.scratch <- s:
		default:
		}
	}()
	s.head = e.dictHead
	s.hist = append(append(s.hist[:0], e.dict...), data...)
	s.prev = slices.Grow(s.prev[:0], len(data))[:len(data)]
	s.tokens = s.tokens[:0]
	clear(s.lit[:])
	clear(s.dist[:])
	e.match(s)
	s.lit[endBlockMarker]++
	s.bw = bitWriter{out: dst}
	writeBlock(&s.bw, s.tokens, &s.lit, &s.dist, &s.hs)
	return s.bw.close()
}

// Tokens: a literal is its byte; a match is 1<<31 | length-3 << 16 | distance-1.
const matchFlag = 1 << 31

func (e *fastEncoder) match(s *fastState) {
	hist, start := s.hist, len(e.dict)
	n := len(hist)
	insert := func(i int) {
		h := hash4(hist[i:])
		s.prev[i-start] = s.head[h]
		s.head[h] = uint32(i + 1)
	}
	prevOf := func(p int) int { // p is a position + 1
		if p-1 < start {
			return int(e.dictPrev[p-1])
		}
		return int(s.prev[p-1-start])
	}
	i := start
	for i < n {
		if n-i < fastMinMatch {
			for ; i < n; i++ {
				s.tokens = append(s.tokens, uint32(hist[i]))
				s.lit[hist[i]]++
			}
			break
		}
		h := hash4(hist[i:])
		cand := int(s.head[h])
		s.prev[i-start] = uint32(cand)
		s.head[h] = uint32(i + 1)
		best, bestPos := 0, 0
		maxLen := min(fastMaxMatch, n-i)
		for chain := fastChain; cand > 0 && chain > 0; chain-- {
			p := cand - 1
			if i-p > fastMaxDist {
				break
			}
			if hist[p+best] == hist[i+best] || best == 0 {
				l := matchLen(hist[p:p+maxLen], hist[i:i+maxLen])
				if l > best {
					best, bestPos = l, p
					if l >= fastNice || l == maxLen {
						break
					}
				}
			}
			cand = prevOf(cand)
		}
		if best < fastMinMatch {
			s.tokens = append(s.tokens, uint32(hist[i]))
			s.lit[hist[i]]++
			i++
			continue
		}
		d := i - bestPos
		s.tokens = append(s.tokens, matchFlag|uint32(best-3)<<16|uint32(d-1))
		s.lit[lengthCode(best)]++
		s.dist[distCode(d)]++
		end := i + best
		if best <= fastSkipHash { // positions left unhashed are never reached
			for j := i + 1; j < end && j+fastMinMatch <= n; j++ {
				insert(j)
			}
		}
		i = end
	}
}

// matchLen is the length of the common prefix of a and b (len(a) == len(b)).
func matchLen(a, b []byte) int {
	n := 0
	for len(a) >= 8 {
		x := le64(a) ^ le64(b)
		if x != 0 {
			return n + bits.TrailingZeros64(x)>>3
		}
		a, b, n = a[8:], b[8:], n+8
	}
	for i := range a {
		if a[i] != b[i] {
			return n + i
		}
	}
	return n + len(a)
}

func le64(b []byte) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// Length and distance codes (RFC 1951 3.2.5).
var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}

	lengthCodes [259]uint8 // length -> code - 257
	distCodes   [512]uint8 // see distCode
)

func init() {
	for c := 0; c < 29; c++ {
		end := 259
		if c < 28 {
			end = int(lengthBase[c+1])
		}
		for l := int(lengthBase[c]); l < end && l <= 258; l++ {
			lengthCodes[l] = uint8(c)
		}
	}
	lengthCodes[258] = 28
	for c := 0; c < 30; c++ {
		end := 32769
		if c < 29 {
			end = int(distBase[c+1])
		}
		for d := int(distBase[c]); d < end; d++ {
			if d <= 256 {
				distCodes[d-1] = uint8(c)
			} else {
				distCodes[256+(d-1)>>7] = uint8(c)
			}
		}
	}
}

func lengthCode(l int) int { return 257 + int(lengthCodes[l]) }

func distCode(d int) int {
	if d <= 256 {
		return int(distCodes[d-1])
	}
	return int(distCodes[256+(d-1)>>7])
}

// bitWriter packs bits least significant first, as DEFLATE wants.
type bitWriter struct {
	out   []byte
	bits  uint64
	nbits uint
}

func (w *bitWriter) write(v uint32, n uint) {
	w.bits |= uint64(v) << w.nbits
	w.nbits += n
	for w.nbits >= 32 {
		w.out = append(w.out, byte(w.bits), byte(w.bits>>8), byte(w.bits>>16), byte(w.bits>>24))
		w.bits >>= 32
		w.nbits -= 32
	}
}

func (w *bitWriter) close() []byte {
	for w.nbits > 0 {
		w.out = append(w.out, byte(w.bits))
		w.bits >>= 8
		w.nbits = uint(max(0, int(w.nbits)-8))
	}
	return w.out
}

// huffCode is a code ready to write: bit-reversed, with its length.
type huffCode struct {
	code uint16
	len  uint8
}

type huffScratch struct {
	litCodes  [286]huffCode
	distCodes [30]huffCode
	clCodes   [19]huffCode
	litLens   [286]uint8
	distLens  [30]uint8
	clLens    [19]uint8
	syms      []uint64 // frequency << 16 | symbol
	work      []int
	cl        []uint8 // code-length symbols with their extra bits
	all       []uint8
}

var (
	fixedLitCodes  [286]huffCode
	fixedDistCodes [30]huffCode
	fixedLitLens   [286]uint8
	fixedDistLens  [30]uint8
)

func init() {
	// The fixed code has 288 literal/length symbols (286 and 287 never
	// occur, but take part in the canonical assignment).
	var lens [288]uint8
	var codes [288]huffCode
	for i := range lens {
		switch {
		case i < 144:
			lens[i] = 8
		case i < 256:
			lens[i] = 9
		case i < 280:
			lens[i] = 7
		default:
			lens[i] = 8
		}
	}
	canonical(lens[:], codes[:])
	copy(fixedLitLens[:], lens[:])
	copy(fixedLitCodes[:], codes[:])
	for i := range fixedDistLens {
		fixedDistLens[i] = 5
	}
	canonical(fixedDistLens[:], fixedDistCodes[:])
}

// canonical assigns the canonical codes (RFC 1951 3.2.2) for lens, bit-reversed.
func canonical(lens []uint8, codes []huffCode) {
	var count [16]uint16
	for _, l := range lens {
		count[l]++
	}
	count[0] = 0
	var next [16]uint16
	code := uint16(0)
	for l := 1; l < 16; l++ {
		code = (code + count[l-1]) << 1
		next[l] = code
	}
	for i, l := range lens {
		if l == 0 {
			codes[i] = huffCode{}
			continue
		}
		c := next[l]
		next[l]++
		codes[i] = huffCode{code: bits.Reverse16(c) >> (16 - l), len: l}
	}
}

// huffLengths sets lens to length-limited Huffman code lengths for freq.
// Symbols without frequency get 0; a lone symbol gets length 1.
func huffLengths(freq []uint32, lens []uint8, limit int, hs *huffScratch) {
	// Symbols by ascending frequency (then symbol), packed for a plain sort.
	syms := hs.syms[:0]
	for i, f := range freq {
		lens[i] = 0
		if f > 0 {
			syms = append(syms, uint64(f)<<16|uint64(i))
		}
	}
	hs.syms = syms
	switch len(syms) {
	case 0:
		return
	case 1:
		lens[syms[0]&0xffff] = 1
		return
	}
	slices.Sort(syms)
	a := hs.work[:0]
	for _, s := range syms {
		a = append(a, int(s>>16))
	}
	hs.work = a
	minimumRedundancy(a)
	// a[i] is now the depth of the i-th least frequent symbol. Count the
	// depths, cap them at limit and restore Kraft's equality by moving
	// codes down (the approach of miniz's enforce_max_code_size).
	var count [300]int
	for _, d := range a {
		count[min(d, len(count)-1)]++
	}
	for d := limit + 1; d < len(count); d++ {
		count[limit] += count[d]
		count[d] = 0
	}
	total := 0
	for d := limit; d > 0; d-- {
		total += count[d] << (limit - d)
	}
	for total != 1<<limit {
		count[limit]--
		for d := limit - 1; d > 0; d-- {
			if count[d] > 0 {
				count[d]--
				count[d+1] += 2
				break
			}
		}
		total--
	}
	j := len(syms)
	for d := 1; d <= limit; d++ {
		for k := count[d]; k > 0; k-- {
			j--
			lens[syms[j]&0xffff] = uint8(d)
		}
	}
}

// minimumRedundancy turns a, weights in ascending order, into the code
// depths of a Huffman code for them (Moffat and Katajainen's in-place
// algorithm).
func minimumRedundancy(a []int) {
	n := len(a)
	a[0] += a[1]
	root, leaf := 0, 2
	for next := 1; next < n-1; next++ {
		if leaf >= n || a[root] < a[leaf] {
			a[next] = a[root]
			a[root] = next
			root++
		} else {
			a[next] = a[leaf]
			leaf++
		}
		if leaf >= n || (root < next && a[root] < a[leaf]) {
			a[next] += a[root]
			a[root] = next
			root++
		} else {
			a[next] += a[leaf]
			leaf++
		}
	}
	a[n-2] = 0
	for next := n - 3; next >= 0; next-- {
		a[next] = a[a[next]] + 1
	}
	avail, used, depth := 1, 0, 0
	root, next := n-2, n-1
	for avail > 0 {
		for root >= 0 && a[root] == depth {
			used++
			root--
		}
		for avail > used {
			a[next] = depth
			next--
			avail--
		}
		avail, depth, used = 2*used, depth+1, 0
	}
}

var clOrder = [19]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// writeBlock writes tokens as one final block with dynamic or fixed codes,
// whichever is shorter.
func writeBlock(w *bitWriter, tokens []uint32, lit *[286]uint32, dist *[30]uint32, hs *huffScratch) {
	if isZero(dist[:]) {
		dist[0] = 1 // an empty distance tree cannot be written (as compress/flate does)
	}
	huffLengths(lit[:], hs.litLens[:], 15, hs)
	huffLengths(dist[:], hs.distLens[:], 15, hs)
	nlit := 286
	for nlit > 257 && hs.litLens[nlit-1] == 0 {
		nlit--
	}
	ndist := 30
	for ndist > 1 && hs.distLens[ndist-1] == 0 {
		ndist--
	}
	// Code-length symbols: run-length encode the two length lists as one.
	var clFreq [19]uint32
	cl := hs.cl[:0]
	all := append(append(hs.all[:0], hs.litLens[:nlit]...), hs.distLens[:ndist]...)
	hs.all = all
	for i := 0; i < len(all); {
		l := all[i]
		run := 1
		for i+run < len(all) && all[i+run] == l {
			run++
		}
		i += run
		if l == 0 {
			for run >= 11 {
				r := min(run, 138)
				cl = append(cl, 18, uint8(r-11))
				clFreq[18]++
				run -= r
			}
			if run >= 3 {
				cl = append(cl, 17, uint8(run-3))
				clFreq[17]++
				run = 0
			}
		} else {
			cl = append(cl, l, 0)
			clFreq[l]++
			run--
			for run >= 3 {
				r := min(run, 6)
				cl = append(cl, 16, uint8(r-3))
				clFreq[16]++
				run -= r
			}
		}
		for ; run > 0; run-- {
			cl = append(cl, l, 0)
			clFreq[l]++
		}
	}
	hs.cl = cl
	if used := 19 - countZero(clFreq[:]); used < 2 {
		// A code of one symbol is incomplete, which some inflaters refuse
		// for this tree: give it a second, unused symbol.
		clFreq[(int(cl[0])+1)%19]++
	}
	huffLengths(clFreq[:], hs.clLens[:], 7, hs)
	nclen := 19
	for nclen > 4 && hs.clLens[clOrder[nclen-1]] == 0 {
		nclen--
	}

	// Sizes in bits of the data with either code.
	var extra uint64
	for c := 257; c < 286; c++ {
		extra += uint64(lit[c]) * uint64(lengthExtra[c-257])
	}
	for c := 0; c < 30; c++ {
		extra += uint64(dist[c]) * uint64(distExtra[c])
	}
	var dyn, fixed uint64
	for c := 0; c < 286; c++ {
		dyn += uint64(lit[c]) * uint64(hs.litLens[c])
		fixed += uint64(lit[c]) * uint64(fixedLitLens[c])
	}
	for c := 0; c < 30; c++ {
		dyn += uint64(dist[c]) * uint64(hs.distLens[c])
		fixed += uint64(dist[c]) * uint64(fixedDistLens[c])
	}
	dyn += 5 + 5 + 4 + 3*uint64(nclen)
	for c := 0; c < 19; c++ {
		dyn += uint64(clFreq[c]) * uint64(hs.clLens[c])
	}
	dyn += 2*uint64(clFreq[16]) + 3*uint64(clFreq[17]) + 7*uint64(clFreq[18])

	var litCodes, distCodes []huffCode
	if fixed <= dyn {
		w.write(1|1<<1, 3) // final, fixed
		litCodes, distCodes = fixedLitCodes[:], fixedDistCodes[:]
	} else {
		w.write(1|2<<1, 3) // final, dynamic
		canonical(hs.litLens[:], hs.litCodes[:])
		canonical(hs.distLens[:], hs.distCodes[:])
		canonical(hs.clLens[:], hs.clCodes[:])
		w.write(uint32(nlit-257), 5)
		w.write(uint32(ndist-1), 5)
		w.write(uint32(nclen-4), 4)
		for _, c := range clOrder[:nclen] {
			w.write(uint32(hs.clLens[c]), 3)
		}
		for i := 0; i < len(cl); i += 2 {
			c := hs.clCodes[cl[i]]
			w.write(uint32(c.code), uint(c.len))
			switch cl[i] {
			case 16:
				w.write(uint32(cl[i+1]), 2)
			case 17:
				w.write(uint32(cl[i+1]), 3)
			case 18:
				w.write(uint32(cl[i+1]), 7)
			}
		}
		litCodes, distCodes = hs.litCodes[:], hs.distCodes[:]
	}
	for _, t := range tokens {
		if t&matchFlag == 0 {
			c := litCodes[t]
			w.write(uint32(c.code), uint(c.len))
			continue
		}
		length := int(t>>16&0x1ff) + 3
		d := int(t&0xffff) + 1
		lc := int(lengthCodes[length])
		c := litCodes[257+lc]
		w.write(uint32(c.code), uint(c.len))
		if e := lengthExtra[lc]; e > 0 {
			w.write(uint32(length-int(lengthBase[lc])), uint(e))
		}
		dc := distCode(d)
		c = distCodes[dc]
		w.write(uint32(c.code), uint(c.len))
		if e := distExtra[dc]; e > 0 {
			w.write(uint32(d-int(distBase[dc])), uint(e))
		}
	}
	c := litCodes[endBlockMarker]
	w.write(uint32(c.code), uint(c.len))
}

func countZero(s []uint32) int {
	n := 0
	for _, v := range s {
		if v == 0 {
			n++
		}
	}
	return n
}

func isZero(s []uint32) bool {
	for _, v := range s {
		if v != 0 {
			return false
		}
	}
	return true
}

// stdlibEncode is the fallback for long values: compress/flate at level
// compressLevel against dict.
func stdlibEncode(pool *sync.Pool) func(dst, data []byte) []byte {
	return func(dst, data []byte) []byte {
		w := pool.Get().(*flate.Writer)
		defer pool.Put(w)
		buf := appendWriter{b: dst}
		w.Reset(&buf)
		w.Write(data) // writes to appendWriter do not fail
		w.Close()
		return buf.b
	}
}

type appendWriter struct{ b []byte }

func (a *appendWriter) Write(p []byte) (int, error) {
	a.b = append(a.b, p...)
	return len(p), nil
}
