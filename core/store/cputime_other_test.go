//go:build !unix

package store

import "time"

// cpuTime is not measured here: benchmarks leave the CPU metric out.
func cpuTime() (time.Duration, bool) { return 0, false }
