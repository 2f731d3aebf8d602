//go:build !windows

package settings

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
)

// writeFileAtomic replaces path with data (mode 0644), creating its
// directory: a desktop or launchd reading the entry at that moment sees the old one
// or the new one, never half of it.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".shopledger-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name()) // after a successful rename there is nothing to remove
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// setAutostartFile writes the autostart file at path, with the content
// render makes for this executable, or removes it.
func setAutostartFile(path string, enabled bool, render func(exe string, args []string) (string, error)) error {
	if !enabled {
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	exe, err := autostartExecutable()
	if err != nil {
		return err
	}
	content, err := render(exe, autostartArgs)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, []byte(content))
}
