// Package backup keeps daily copies of the books: warehouse and cost
// center choices, reassignments and history exist only in ShopLedger, not
// in the shops. A copy is the database as one read transaction sees it
// (store.Store.BackupFile), so it is consistent while syncs write.
package backup

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"codeberg.org/shopledger/shopledger/core/clock"
)

// Defaults for Options.
const (
	DefaultKeep  = 7
	DefaultEvery = 24 * time.Hour
	// DirName is the default folder, inside the data directory.
	DirName = "backups"
)

// retryAfter is how soon a failed backup is tried again, and how often
// Serve looks at the wall clock: after a suspend the timer alone would be
// late by the time the computer slept.
const retryAfter = time.Hour

// Backer writes a consistent copy of the books to a file; *store.Store
// and *books.Books are ones.
type Backer interface {
	BackupFile(path string) error
}

// Options say where and how often.
type Options struct {
	Dir   string        // the folder of the backups; made if missing
	Keep  int           // how many to keep, newest first; DefaultKeep when 0
	Every time.Duration // DefaultEvery when 0
	Clock clock.Clock   // clock.System when nil
	// Done, when set, is told of every backup Serve takes, or its error.
	Done func(File, error)
}

// File is one backup.
type File struct {
	Path string
	Time time.Time // when it was taken, to the second
	Size int64
}

// Service takes a backup when the newest in Dir is older than Every, and
// keeps the newest Keep. Its methods are safe for concurrent use.
type Service struct {
	b   Backer
	opt Options

	// mu guards opt.Dir and opt.Keep, which the Settings screen changes
	// while Serve runs.
	mu sync.Mutex
}

// New returns a service; it starts nothing (see Serve).
func New(b Backer, o Options) *Service {
	if o.Keep <= 0 {
		o.Keep = DefaultKeep
	}
	if o.Every <= 0 {
		o.Every = DefaultEvery
	}
	if o.Clock == nil {
		o.Clock = clock.System
	}
	return &Service{b: b, opt: o}
}

// Dir is the folder the backups go to.
func (s *Service) Dir() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opt.Dir
}

// Keep is how many backups are kept.
func (s *Service) Keep() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.opt.Keep
}

// Set changes the folder and how many to keep (DefaultKeep when keep is 0
// or less), for the next backup and from then on. A folder without
// backups yet gets one at Serve's next look, within retryAfter. The
// backups in the previous folder stay where they are.
func (s *Service) Set(dir string, keep int) {
	if keep <= 0 {
		keep = DefaultKeep
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.opt.Dir, s.opt.Keep = dir, keep
}

// Serve takes the backups that fall due until ctx ends, then returns nil.
func (s *Service) Serve(ctx context.Context) error {
	var failed time.Time // of the last failure, to wait before trying again
	for {
		wait := s.due(failed)
		t := s.opt.Clock.NewTimer(min(wait, retryAfter))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C():
		}
		if s.due(failed) > 0 {
			continue
		}
		f, err := s.Now()
		if err != nil {
			failed = s.opt.Clock.Now()
		} else {
			failed = time.Time{}
		}
		if s.opt.Done != nil {
			s.opt.Done(f, err)
		}
	}
}

// due is how long until the next backup: none yet, or the newest older
// than Every, is now; after a failure, retryAfter later.
func (s *Service) due(failed time.Time) time.Duration {
	now := s.opt.Clock.Now()
	if !failed.IsZero() {
		if d := failed.Add(retryAfter).Sub(now); d > 0 {
			return d
		}
	}
	files, err := List(s.Dir())
	if err != nil || len(files) == 0 {
		return 0
	}
	newest := files[0].Time
	if newest.After(now) { // the clock went back: not a reason to stop
		return 0
	}
	return max(newest.Add(s.opt.Every).Sub(now), 0)
}

// namePrefix and nameLayout name a backup by its time, so that names sort
// as times do.
const (
	namePrefix = "shopledger-"
	nameLayout = "2006-01-02-150405"
	nameSuffix = ".db"
)

// Now takes a backup at once (Back up now) and removes the oldest beyond
// Keep.
func (s *Service) Now() (File, error) {
	dir := s.Dir()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return File{}, fmt.Errorf("back up the books: %w", err)
	}
	at := s.opt.Clock.Now().Truncate(time.Second).In(time.Local) // as List reads names
	path := filepath.Join(dir, namePrefix+at.Format(nameLayout)+nameSuffix)
	if err := s.b.BackupFile(path); err != nil {
		return File{}, fmt.Errorf("back up the books to %s: %w", path, err)
	}
	f := File{Path: path, Time: at}
	if fi, err := os.Stat(path); err == nil {
		f.Size = fi.Size()
	}
	return f, s.prune(dir)
}

// prune removes the backups in dir beyond the newest Keep.
func (s *Service) prune(dir string) error {
	keep := s.Keep()
	files, err := List(dir)
	if err != nil || len(files) <= keep {
		return err
	}
	var errs []error
	for _, f := range files[keep:] {
		if err := os.Remove(f.Path); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("remove old backups: %w", err)
	}
	return nil
}

// List returns the backups in dir, newest first; files not named as this
// package names them are left out. A missing dir has none.
func List(dir string) ([]File, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list backups: %w", err)
	}
	var files []File
	for _, e := range entries {
		name := e.Name()
		stamp, ok := strings.CutPrefix(name, namePrefix)
		stamp, ok2 := strings.CutSuffix(stamp, nameSuffix)
		if !ok || !ok2 || !e.Type().IsRegular() {
			continue
		}
		at, err := time.ParseInLocation(nameLayout, stamp, time.Local)
		if err != nil {
			continue
		}
		f := File{Path: filepath.Join(dir, name), Time: at}
		if fi, err := e.Info(); err == nil {
			f.Size = fi.Size()
		}
		files = append(files, f)
	}
	slices.SortFunc(files, func(a, b File) int { return b.Time.Compare(a.Time) })
	return files, nil
}
