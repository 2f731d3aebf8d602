//go:build !linux

package main

// stopAndLocate needs Linux's /proc; elsewhere the kills are not classified.
func stopAndLocate(pid int, bin, dbPath string, pages int) (phase, detail string) {
	return "unknown", ""
}
