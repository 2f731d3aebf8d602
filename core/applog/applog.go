// Package applog sets up ShopLedger's structured log: log/slog to stderr
// and to a size-limited file in the data directory, so a bookkeeper can
// send the file to support without it growing forever. Attributes whose
// names suggest a credential are masked as a last line of defence; the
// code does not log credentials in the first place.
package applog

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// FileName is the log file's name in the data directory; the previous one
// is kept as FileName + ".1".
const FileName = "shopledger.log"

// DefaultMaxSize is the size at which the log file is rotated.
const DefaultMaxSize = 5 << 20

// Options configure the log.
type Options struct {
	Dir     string     // data directory; empty: no file
	Stderr  io.Writer  // nil: no console output
	Level   slog.Level // default Info
	MaxSize int64      // default DefaultMaxSize
}

// Open returns a logger writing to the file and stderr, and a function
// that closes the file.
func Open(o Options) (*slog.Logger, func() error, error) {
	var writers []io.Writer
	closeFn := func() error { return nil }
	if o.Dir != "" {
		if o.MaxSize <= 0 {
			o.MaxSize = DefaultMaxSize
		}
		rf, err := openRotating(filepath.Join(o.Dir, FileName), o.MaxSize)
		if err != nil {
			return nil, nil, err
		}
		writers = append(writers, rf)
		closeFn = rf.Close
	}
	if o.Stderr != nil {
		writers = append(writers, o.Stderr)
	}
	h := slog.NewTextHandler(io.MultiWriter(writers...), &slog.HandlerOptions{Level: o.Level, ReplaceAttr: mask})
	return slog.New(h), closeFn, nil
}

// sensitive are attribute-name fragments that must never carry a value.
var sensitive = []string{"secret", "consumer_key", "consumerkey", "password", "authorization", "signature", "token"}

func mask(_ []string, a slog.Attr) slog.Attr {
	k := strings.ToLower(a.Key)
	for _, s := range sensitive {
		if strings.Contains(k, s) {
			return slog.String(a.Key, "[redacted]")
		}
	}
	return a
}

// rotating is a file that moves itself aside to path.1 when it would grow
// past max.
type rotating struct {
	mu   sync.Mutex
	path string
	max  int64
	f    *os.File
	size int64
}

func openRotating(path string, max int64) (*rotating, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("create log directory: %w", err)
	}
	r := &rotating{path: path, max: max}
	if err := r.open(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *rotating) open() error {
	f, err := os.OpenFile(r.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("open log file: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("open log file: %w", err)
	}
	r.f, r.size = f, st.Size()
	return nil
}

func (r *rotating) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.size+int64(len(p)) > r.max && r.size > 0 {
		r.f.Close()
		if err := os.Rename(r.path, r.path+".1"); err != nil && !os.IsNotExist(err) {
			return 0, fmt.Errorf("rotate log file: %w", err)
		}
		if err := r.open(); err != nil {
			return 0, err
		}
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

func (r *rotating) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.f.Close()
}
