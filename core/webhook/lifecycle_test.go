package webhook

import (
	"context"
	"net"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// TestLifecycle: New starts nothing; Serve runs the receiver until its
// context ends, returns nil promptly and leaves no goroutine behind; a
// receiver is served once.
func TestLifecycle(t *testing.T) {
	f := newStoppedFixture(t, Config{Workers: 4})
	before := goleak.IgnoreCurrent()
	r := New(f.st, f.keys, f.bus, Config{Workers: 4})
	goleak.VerifyNone(t, before)
	select {
	case <-r.Ready():
		t.Fatal("Ready before Serve")
	default:
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- r.ServeListener(ctx, ln) }()
	select {
	case <-r.Ready():
	case err := <-served:
		t.Fatalf("ServeListener: %v", err)
	}
	if got, want := r.BaseURL(), "http://"+ln.Addr().String(); got != want {
		t.Errorf("BaseURL while serving = %q, want %q", got, want)
	}
	if err := r.Serve(context.Background()); err == nil {
		t.Error("a second Serve ran")
	}
	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("ServeListener after cancel = %v, want nil", err)
		}
	case <-time.After(deadlineStop):
		t.Fatalf("ServeListener did not return within %v of its context ending", deadlineStop)
	}
	goleak.VerifyNone(t, before)
	// A delivery after the stop is refused, not left waiting.
	if resp := (&fixture{t: t, r: r}).serve(delivery(f.path(), "order.created", "d1", sampleBody(t))); resp.StatusCode != 503 {
		t.Errorf("delivery after stop: %d, want 503", resp.StatusCode)
	}
}

// deadlineStop bounds how long a stop may take before a test calls it
// hung; -race on a loaded machine is slow, a passing run takes
// milliseconds.
const deadlineStop = 30 * time.Second
