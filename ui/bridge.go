package ui

import (
	"context"
	"sync"
	"sync/atomic"

	"fyne.io/fyne/v2"
)

// bridge is the one place where work leaves the UI goroutine and where its
// results come back: core calls run through background, and every widget
// change they cause goes through do, that is fyne.Do. Nothing else in this
// package starts a goroutine or calls fyne.Do.
type bridge struct {
	// run starts background work. It is `go f()` in the app; tests replace
	// it with a queue they drain on the test goroutine, so every run is
	// deterministic and the race detector sees no sleeps.
	run func(func())
	ctx context.Context

	wg      sync.WaitGroup
	stopped atomic.Bool
}

func newBridge(ctx context.Context, run func(func())) *bridge {
	if run == nil {
		run = func(f func()) { go f() }
	}
	return &bridge{run: run, ctx: ctx}
}

// background runs work off the UI goroutine. Widgets must not be touched
// from it except through do.
func (b *bridge) background(work func(ctx context.Context)) {
	b.wg.Add(1)
	b.run(func() {
		defer b.wg.Done()
		work(b.ctx)
	})
}

// do applies fn on the UI goroutine. Once the app has stopped, updates are
// dropped: the windows they would change are gone.
func (b *bridge) do(fn func()) {
	if b.stopped.Load() {
		return
	}
	fyne.Do(fn)
}

// stop drops later updates and waits for background work to end; the
// caller cancels the context first so that long work ends soon.
func (b *bridge) stop() {
	b.stopped.Store(true)
	b.wg.Wait()
}

// load runs fetch off the UI goroutine and hands its outcome to apply on it.
// It is how views read the core: one fetch, one widget update.
func load[T any](b *bridge, fetch func(ctx context.Context) (T, error), apply func(T, error)) {
	b.background(func(ctx context.Context) {
		v, err := fetch(ctx)
		b.do(func() { apply(v, err) })
	})
}

// progress turns a core progress callback, called on the core's goroutine,
// into widget updates on the UI goroutine.
func progress[P any](b *bridge, apply func(P)) func(P) {
	return func(p P) { b.do(func() { apply(p) }) }
}
