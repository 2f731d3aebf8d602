package events

import "testing"

func TestPublishFansOutWithoutBlocking(t *testing.T) {
	b := NewBus()
	fast, slow := b.Subscribe(), b.Subscribe()
	defer fast.Close()
	for i := range BufferSize + 10 {
		b.Publish(SyncProgress{Base: b.Stamp(1), Pages: i})
		<-fast.C // a reader keeping up gets everything
	}
	if fast.Missed() != 0 {
		t.Errorf("fast subscriber missed %d", fast.Missed())
	}
	if slow.Missed() != 10 {
		t.Errorf("slow subscriber missed %d, want 10", slow.Missed())
	}
	if e := (<-slow.C).(SyncProgress); e.Pages != 0 || e.Shop != 1 {
		t.Errorf("slow subscriber's first event = %+v", e)
	}
	slow.Close()
	slow.Close() // twice is harmless
	b.Close()
	if _, ok := <-fast.C; ok {
		t.Error("subscription open after the bus closed")
	}
	late := b.Subscribe()
	if _, ok := <-late.C; ok {
		t.Error("subscribing to a closed bus gives an open channel")
	}
}
