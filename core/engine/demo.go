package engine

import (
	"context"
	"errors"
	"fmt"

	"codeberg.org/shopledger/shopledger/core/demo"
	"codeberg.org/shopledger/shopledger/core/store"
)

// The demo slot: one of the engine's services, which serves the demo
// shop (a demo.Demo) that StartDemo or ResumeDemo hands it, one at a
// time, on its own goroutine of the engine's errgroup. Each demo runs in
// a context of its own, so StopDemo ("Remove demo shop") ends it while
// the engine goes on; as the engine stops, stopDemos ends every demo for
// good before the receiver stops, since the demo delivers to it.

// errStopping is why no demo starts while the engine stops.
var errStopping = errors.New("start the demo shop: ShopLedger is stopping")

// demoRun is one demo handed to the slot.
type demoRun struct {
	demo   *demo.Demo
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed once its Serve has returned
	err    error         // what Serve returned, once done is closed
}

// stop ends the demo and waits until its Serve has returned.
func (r *demoRun) stop() {
	r.cancel()
	<-r.done
}

// serveDemos is the demo slot's Serve: it serves the demos handed to it
// until ctx ends, and returns once the last one has stopped.
func (e *Engine) serveDemos(ctx context.Context) error {
	defer close(e.demoSlotGone)
	for {
		select {
		case <-ctx.Done():
			return nil
		case r := <-e.demoRuns:
			stop := context.AfterFunc(ctx, r.cancel)
			r.err = r.demo.Serve(r.ctx)
			stop()
			r.cancel()
			close(r.done)
			if r.err != nil {
				e.log.Warn("demo shop", "err", r.err)
			}
		}
	}
}

// ResumeDemo starts again the demo shop the books have, as it was left
// (its simulator listens on a new port, which the shop is pointed at), or
// returns the one running; without a demo shop it returns nil and no
// error. With Options.Demo, Serve calls it before automatic sync starts.
func (e *Engine) ResumeDemo(ctx context.Context, opt demo.Options) (*demo.Demo, error) {
	return e.runDemo(ctx, opt, true)
}

// StartDemo adds the demo shop to the books and starts it ("Try with a
// demo shop"), resumes the one the books have, or returns the one running.
func (e *Engine) StartDemo(ctx context.Context, opt demo.Options) (*demo.Demo, error) {
	return e.runDemo(ctx, opt, false)
}

// StopDemo stops the demo shop running, if any, and returns once its
// simulator is closed ("Remove demo shop"); the shop stays in the books
// until removed from them. A later StartDemo or ResumeDemo starts it
// again.
func (e *Engine) StopDemo() {
	e.demoMu.Lock()
	defer e.demoMu.Unlock()
	if e.demo != nil {
		e.demo.stop()
		e.demo = nil
	}
}

// Demo returns the demo shop running, if any.
func (e *Engine) Demo() *demo.Demo {
	e.demoMu.Lock()
	defer e.demoMu.Unlock()
	if r := e.demo; r != nil && !r.ended() {
		return r.demo
	}
	return nil
}

// ended tells whether the demo's Serve has returned.
func (r *demoRun) ended() bool {
	select {
	case <-r.done:
		return true
	default:
		return false
	}
}

// runDemo hands a new demo to the slot and waits until it is ready, unless
// one runs already. e.demoMu keeps two starts from making two demos.
func (e *Engine) runDemo(ctx context.Context, opt demo.Options, resume bool) (*demo.Demo, error) {
	// The demo delivers to the receiver's address, known once it listens.
	select {
	case <-e.Ready():
	case <-e.stopped:
		return nil, errStopping
	case <-ctx.Done():
		return nil, fmt.Errorf("start the demo shop: %w", ctx.Err())
	}
	e.demoMu.Lock()
	defer e.demoMu.Unlock()
	if e.demos.Err() != nil {
		return nil, errStopping
	}
	if r := e.demo; r != nil {
		if !r.ended() && !e.shopRemoved(r.demo) {
			return r.demo, nil
		}
		// Its shop was removed and its customers have not noticed yet.
		r.stop()
		e.demo = nil
	}
	if resume {
		if _, found, err := demo.Find(e.Books); err != nil || !found {
			return nil, err
		}
	}
	if opt.Refresh == nil {
		opt.Refresh = e.Sync.Refresh
	}
	if opt.DeliveryBaseURL == "" {
		opt.DeliveryBaseURL = "http://" + e.Addr() // the simulator is on this computer, whatever the public URL
	}
	if opt.Log == nil {
		opt.Log = e.log.With("component", "demo")
	}
	dctx, cancel := context.WithCancel(e.demos)
	r := &demoRun{demo: demo.New(e.Books, e.Receiver, opt), ctx: dctx, cancel: cancel, done: make(chan struct{})}
	select {
	case e.demoRuns <- r:
	case <-e.demoSlotGone:
		cancel()
		return nil, errStopping
	case <-ctx.Done():
		cancel()
		return nil, fmt.Errorf("start the demo shop: %w", ctx.Err())
	}
	select {
	case <-r.demo.Ready():
		e.demo = r
		return r.demo, nil
	case <-r.done:
		if r.err != nil {
			return nil, r.err
		}
		return nil, errStopping // ended as it started: the engine stops
	case <-ctx.Done():
		r.stop()
		return nil, fmt.Errorf("start the demo shop: %w", ctx.Err())
	}
}

// shopRemoved tells whether d's shop is gone from the books.
func (e *Engine) shopRemoved(d *demo.Demo) bool {
	_, err := e.Books.Shop(d.Shop())
	return errors.Is(err, store.ErrNotFound)
}

// stopDemos stops the demo running, if any, and keeps any from starting.
func (e *Engine) stopDemos() {
	e.stopAllDemos() // first: a start under way ends at once
	e.StopDemo()
}
