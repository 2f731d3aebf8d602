package nra

import "fmt"

// CheckEIK checks a trader's identifier as the file's eik holds it: a
// 9-digit ЕИК/БУЛСТАТ, a 13-digit one (a branch: the 9 digits and 4 more)
// or a 10-digit ЕГН (a self-employed person), each with its check digit.
// The algorithms are those of the Registry Agency (ЕИК, Закон за
// търговския регистър) and of ЕСГРАОН (ЕГН).
func CheckEIK(s string) error {
	if p, ok := checkEIK(s); !ok {
		return fmt.Errorf("check eik: %s", p)
	}
	return nil
}

func checkEIK(s string) (Problem, bool) {
	args := map[string]any{"EIK": s}
	d := make([]int, len(s))
	for i, c := range s {
		if c < '0' || c > '9' {
			return Problem{Key: ProblemEIKNotDigits, Args: args}, false
		}
		d[i] = int(c - '0')
	}
	switch len(d) {
	case 9:
		if !eik9OK(d) {
			return Problem{Key: ProblemEIKCheck, Args: args}, false
		}
	case 13:
		if !eik9OK(d[:9]) || !eik13OK(d) {
			return Problem{Key: ProblemEIKCheck, Args: args}, false
		}
	case 10:
		if !egnOK(d) {
			return Problem{Key: ProblemEGNCheck, Args: args}, false
		}
	default:
		args["Digits"] = len(d)
		return Problem{Key: ProblemEIKDigits, Args: args}, false
	}
	return Problem{}, true
}

// eik9OK: weights 1..8 mod 11; a remainder of 10 is weighed again with
// 3..10, and 10 once more means 0.
func eik9OK(d []int) bool {
	return checkDigit(d[:8], []int{1, 2, 3, 4, 5, 6, 7, 8}, []int{3, 4, 5, 6, 7, 8, 9, 10}) == d[8]
}

// eik13OK checks digits 9..12 against the 13th: weights 2,7,3,5, then
// 4,9,5,7.
func eik13OK(d []int) bool {
	return checkDigit(d[8:12], []int{2, 7, 3, 5}, []int{4, 9, 5, 7}) == d[12]
}

func checkDigit(d, w1, w2 []int) int {
	sum := func(w []int) int {
		s := 0
		for i := range d {
			s += d[i] * w[i]
		}
		return s % 11
	}
	r := sum(w1)
	if r == 10 {
		r = sum(w2)
	}
	if r == 10 {
		r = 0
	}
	return r
}

func egnOK(d []int) bool {
	w := []int{2, 4, 8, 5, 10, 9, 7, 3, 6}
	s := 0
	for i := range w {
		s += d[i] * w[i]
	}
	r := s % 11
	if r == 10 {
		r = 0
	}
	return r == d[9]
}
