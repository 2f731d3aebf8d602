//go:build linux

package main

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// stopAndLocate stops the process with SIGSTOP and says where it is, for
// the statistics of TestSyncSurvivesKills; the caller then kills it. Each
// thread's user stack is read from /proc/PID/mem and scanned upwards from
// its stack pointer for return addresses into the binary's functions (Go
// keeps the whole call chain on the goroutine stack), and its system call
// from /proc/PID/task/TID/syscall. A thread inside a write transaction
// (store.ApplyOrders and the other store updates, bbolt's Commit) makes it
// mid-commit: encoding and compressing the page, writing pages or syncing
// the file. Otherwise a thread in the fetcher or the WooCommerce client, or
// no thread running the sync's code at all (waiting for the shop's answer),
// makes it mid-fetch; before the first committed page that is "before the
// first page" instead. Best effort: where /proc cannot be read, the answer
// is "unknown".
func stopAndLocate(pid int, bin, dbPath string, pages int) (phase, detail string) {
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		return "unknown", err.Error()
	}
	waitStopped(pid)
	syms := symbolsOf(bin)
	if p, err := filepath.EvalSymlinks(dbPath); err == nil {
		dbPath = p
	}
	mem, _ := os.Open(fmt.Sprintf("/proc/%d/mem", pid))
	if mem != nil {
		defer mem.Close()
	}
	tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
	if err != nil {
		return "unknown", err.Error()
	}
	var commit, fetch string
	for _, task := range tasks {
		data, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/syscall", pid, task.Name()))
		if err != nil {
			continue
		}
		f := strings.Fields(string(data)) // "running", "-1 sp pc" or "nr arg1 … arg6 sp pc"
		if len(f) < 3 {
			continue
		}
		sp, err1 := strconv.ParseUint(strings.TrimPrefix(f[len(f)-2], "0x"), 16, 64)
		pc, err2 := strconv.ParseUint(strings.TrimPrefix(f[len(f)-1], "0x"), 16, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		frames := stackFrames(mem, syms, sp, pc)
		sc := dbSyscall(pid, f, dbPath)
		switch {
		case sc != "" || slices.ContainsFunc(frames, isCommitFrame):
			if commit == "" || sc != "" {
				commit = innermost(frames, sc)
			}
		case slices.ContainsFunc(frames, isFetchFrame):
			fetch = innermost(frames, "")
		}
	}
	switch {
	case commit != "":
		return phaseCommit, commit
	case mem == nil || syms == nil:
		return "unknown", "no stacks: /proc/PID/mem or the symbol table cannot be read"
	case pages == 0:
		return phaseStart, fetch
	case fetch != "":
		return phaseFetch, fetch
	}
	return phaseFetch, "waiting for the shop"
}

// waitStopped waits up to 200 ms until every thread of pid has stopped
// (or sits in an uninterruptible system call, which it finishes first).
func waitStopped(pid int) {
	deadline := time.Now().Add(200 * time.Millisecond)
	for time.Now().Before(deadline) {
		tasks, err := os.ReadDir(fmt.Sprintf("/proc/%d/task", pid))
		if err != nil {
			return
		}
		all := true
		for _, task := range tasks {
			data, err := os.ReadFile(fmt.Sprintf("/proc/%d/task/%s/stat", pid, task.Name()))
			if err != nil {
				continue
			}
			// pid (comm) state …: comm may hold spaces, so look after the last ')'.
			s := string(data)
			rest := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
			if len(rest) > 0 && rest[0] != "T" && rest[0] != "t" && rest[0] != "D" {
				all = false
			}
		}
		if all {
			return
		}
		time.Sleep(time.Millisecond)
	}
}

func isCommitFrame(fn string) bool {
	for _, s := range []string{
		"core/store.(*Store).ApplyOrders", "core/store.(*Store).UpdateSyncState", "core/store.(*Store).UpdateShop",
		"core/store.(*Store).MarkDeleted", "go.etcd.io/bbolt.(*Tx).Commit", "go.etcd.io/bbolt.(*DB).Update",
	} {
		if strings.Contains(fn, s) {
			return true
		}
	}
	return false
}

func isFetchFrame(fn string) bool {
	return strings.Contains(fn, "core/syncer.fetchPages") || strings.Contains(fn, "core/woo.") || strings.HasPrefix(fn, "net/http.")
}

// innermost names what the thread was doing: its system call, or the
// innermost function outside the runtime.
func innermost(frames []string, sc string) string {
	if sc != "" {
		return sc
	}
	for _, fn := range frames {
		if !strings.HasPrefix(fn, "runtime.") && !strings.HasPrefix(fn, "internal/") && !strings.HasPrefix(fn, "syscall.") {
			return strings.TrimPrefix(fn, "codeberg.org/shopledger/shopledger/")
		}
	}
	if len(frames) > 0 {
		return frames[0]
	}
	return ""
}

// stackFrames returns the function of pc, then those of the return
// addresses found on the stack from sp up to the goroutine's (or the
// thread's) outermost frame, innermost first.
func stackFrames(mem *os.File, syms *symtab, sp, pc uint64) []string {
	var frames []string
	if fn := syms.lookup(pc); fn != "" {
		frames = append(frames, fn)
	}
	if mem == nil || syms == nil {
		return frames
	}
	buf := make([]byte, 64<<10)
	n, _ := mem.ReadAt(buf, int64(sp))
	for i := 0; i+8 <= n; i += 8 {
		fn := syms.lookup(binary.LittleEndian.Uint64(buf[i:]))
		if fn == "" {
			continue
		}
		switch strings.TrimSuffix(fn, ".abi0") { // assembly functions carry the ABI in their symbol
		case "runtime.goexit", "runtime.mstart", "runtime.rt0_go":
			return frames // the bottom of this stack: what lies above belongs to others
		}
		if len(frames) == 0 || frames[len(frames)-1] != fn {
			frames = append(frames, fn)
		}
	}
	return frames
}

// writeSyscalls are the Linux system calls that change a file, by number,
// with the index of the argument that is the file descriptor (0: none).
var writeSyscalls = map[string]map[int]struct {
	name  string
	fdArg int
}{
	"amd64": {1: {"write", 1}, 18: {"pwrite64", 1}, 74: {"fsync", 1}, 75: {"fdatasync", 1}, 77: {"ftruncate", 1}, 285: {"fallocate", 1}, 9: {"mmap", 5}},
	"arm64": {64: {"write", 1}, 68: {"pwrite64", 1}, 82: {"fsync", 1}, 83: {"fdatasync", 1}, 46: {"ftruncate", 1}, 47: {"fallocate", 1}, 222: {"mmap", 5}},
}

// dbSyscall returns the name of the system call the thread is in (f is its
// /proc/PID/task/TID/syscall line, split) if it changes dbPath, else "".
func dbSyscall(pid int, f []string, dbPath string) string {
	if len(f) < 9 {
		return ""
	}
	nr, err := strconv.Atoi(f[0])
	if err != nil {
		return ""
	}
	c, ok := writeSyscalls[runtime.GOARCH][nr]
	if !ok {
		return ""
	}
	fd, err := strconv.ParseInt(strings.TrimPrefix(f[c.fdArg], "0x"), 16, 64)
	if err != nil {
		return ""
	}
	if target, err := os.Readlink(fmt.Sprintf("/proc/%d/fd/%d", pid, fd)); err == nil && target == dbPath {
		return c.name + " of " + filepath.Base(dbPath)
	}
	return ""
}

// symtab maps code addresses of a (non-PIE) executable to function names.
type symtab struct {
	addr []uint64
	end  []uint64
	name []string
}

var (
	symMu    sync.Mutex
	symCache = map[string]*symtab{}
)

// symbolsOf reads bin's ELF symbol table once; nil when it cannot (a
// stripped or position-independent binary).
func symbolsOf(bin string) *symtab {
	symMu.Lock()
	defer symMu.Unlock()
	if s, ok := symCache[bin]; ok {
		return s
	}
	symCache[bin] = nil
	f, err := elf.Open(bin)
	if err != nil {
		return nil
	}
	defer f.Close()
	if f.Type != elf.ET_EXEC {
		return nil
	}
	syms, err := f.Symbols()
	if err != nil {
		return nil
	}
	slices.SortFunc(syms, func(a, b elf.Symbol) int { return compareU64(a.Value, b.Value) })
	s := &symtab{}
	for _, sym := range syms {
		if elf.ST_TYPE(sym.Info) == elf.STT_FUNC && sym.Size > 0 {
			s.addr = append(s.addr, sym.Value)
			s.end = append(s.end, sym.Value+sym.Size)
			s.name = append(s.name, sym.Name)
		}
	}
	symCache[bin] = s
	return s
}

func compareU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (s *symtab) lookup(pc uint64) string {
	if s == nil {
		return ""
	}
	i, found := slices.BinarySearch(s.addr, pc)
	if !found {
		i--
	}
	if i < 0 || pc >= s.end[i] {
		return ""
	}
	return s.name[i]
}
