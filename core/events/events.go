// Package events is ShopLedger's typed, non-blocking event bus. Core
// services publish what happens (a sync starts, a page lands, a webhook
// arrives); the window, the tray, the log and the command line subscribe.
// A slow subscriber misses events instead of stalling the producer, as in
// syncthing's event bus: progress is cheap to lose, a stuck sync is not.
package events

import (
	"sync"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Event is anything published on the bus. Each concrete type below is one
// kind of event; subscribers switch on the type.
type Event interface{ event() }

// Base carries what every event has.
type Base struct {
	Shop ledger.ShopID
	At   time.Time
}

func (Base) event() {}

// Why a sync ran.
type Trigger string

const (
	TriggerManual   Trigger = "manual"   // "Sync now"
	TriggerSchedule Trigger = "schedule" // hourly poll or nightly catch-up
	TriggerStart    Trigger = "start"    // catch-up at start
	TriggerWake     Trigger = "wake"     // catch-up after the computer woke
)

// SyncStarted: a pass began.
type SyncStarted struct {
	Base
	Trigger Trigger
}

// SyncProgress: a page was committed.
type SyncProgress struct {
	Base
	Pages, PagesExpected int
	Orders               int
}

// SyncFinished: a pass completed.
type SyncFinished struct {
	Base
	New, Updated, Unchanged int
	Requests                int
	Took                    time.Duration
	// First: the shop had never synced before; this pass was its import.
	First bool
}

// SyncFailed: a pass stopped with an error; Err keeps its type (woo.Error,
// secrets.UnavailableError, …) so the UI can say it plainly.
type SyncFailed struct {
	Base
	Err error
}

// WebhookReceived: a signed delivery was stored.
type WebhookReceived struct {
	Base
	DeliveryID string
	Topic      string
}

// WebhookApplied: a stored delivery changed (or confirmed) an order.
type WebhookApplied struct {
	Base
	DeliveryID string
	Topic      string
	OrderID    int64
	New        bool // the order was not known before
	Latency    time.Duration
}

// WebhookRejected: a request was refused (bad signature, unknown token,
// too large); nothing was stored.
type WebhookRejected struct {
	Base
	Status int
	Reason string
}

// WebhookHealth: the state of a shop's webhooks as last checked.
type WebhookHealth struct {
	Base
	Healthy bool
	// Reason says why not, for the UI ("order.updated webhook is disabled").
	Reason string
	// Reactivated lists webhooks ShopLedger switched back on.
	Reactivated []int64
	// FallbackToPolling is set while the shop is polled hourly instead.
	FallbackToPolling bool
}

func (SyncStarted) event()     {}
func (SyncProgress) event()    {}
func (SyncFinished) event()    {}
func (SyncFailed) event()      {}
func (WebhookReceived) event() {}
func (WebhookApplied) event()  {}
func (WebhookRejected) event() {}
func (WebhookHealth) event()   {}

// BufferSize is how many events a subscriber may fall behind before it
// starts missing them.
const BufferSize = 256

// Bus fans events out to subscribers. The zero value is not usable; call
// NewBus.
type Bus struct {
	mu     sync.Mutex
	subs   map[*Subscription]struct{}
	now    func() time.Time
	closed bool
}

// NewBus returns an empty bus.
func NewBus() *Bus { return &Bus{subs: map[*Subscription]struct{}{}, now: time.Now} }

// Subscription receives events on C until Close.
type Subscription struct {
	C      <-chan Event
	c      chan Event
	bus    *Bus
	mu     sync.Mutex
	missed int
}

// Subscribe returns a new subscription with a buffer of BufferSize.
func (b *Bus) Subscribe() *Subscription {
	s := &Subscription{c: make(chan Event, BufferSize), bus: b}
	s.C = s.c
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		close(s.c)
		return s
	}
	b.subs[s] = struct{}{}
	return s
}

// Missed reports how many events this subscriber lost for being slow.
func (s *Subscription) Missed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.missed
}

// Close stops the subscription and closes C.
func (s *Subscription) Close() {
	b := s.bus
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.subs[s]; ok {
		delete(b.subs, s)
		close(s.c)
	}
}

// Publish delivers e to every subscriber that has room, without blocking.
func (b *Bus) Publish(e Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for s := range b.subs {
		select {
		case s.c <- e:
		default:
			s.mu.Lock()
			s.missed++
			s.mu.Unlock()
		}
	}
}

// Close ends every subscription.
func (b *Bus) Close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	for s := range b.subs {
		delete(b.subs, s)
		close(s.c)
	}
}

// Stamp fills in the Base of an event for a shop at the bus's time.
func (b *Bus) Stamp(shop ledger.ShopID) Base { return Base{Shop: shop, At: b.now()} }
