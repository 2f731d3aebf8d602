package autosync

import (
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, whatever the machine has installed

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/woo"
)

func zone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestNextCatchUp: once a night at the chosen local time, across daylight
// saving changes in both directions and in zones where Go's time.Date
// resolves gaps and overlaps differently.
func TestNextCatchUp(t *testing.T) {
	ny, sofia := zone(t, "America/New_York"), zone(t, "Europe/Sofia")
	at := func(loc *time.Location, s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04 -0700", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name         string
		loc          *time.Location
		after        string
		hour, minute int
		want         string
	}{
		{"later today", sofia, "2026-03-10 01:00 +0200", 2, 0, "2026-03-10 02:00 +0200"},
		{"tomorrow", sofia, "2026-03-10 21:00 +0200", 2, 0, "2026-03-11 02:00 +0200"},
		{"exactly at: the next night", sofia, "2026-03-11 02:00 +0200", 2, 0, "2026-03-12 02:00 +0200"},
		{"missed nights: the first one after", sofia, "2026-03-01 02:00 +0200", 2, 0, "2026-03-02 02:00 +0200"},
		{"across the month", sofia, "2026-03-31 03:00 +0300", 2, 0, "2026-04-01 02:00 +0300"},
		// Sofia springs forward at 03:00 → 04:00 and falls back at 04:00 → 03:00.
		{"spring gap, Sofia", sofia, "2026-03-28 12:00 +0200", 3, 30, "2026-03-29 04:00 +0300"},
		{"spring, before the gap", sofia, "2026-03-28 12:00 +0200", 2, 0, "2026-03-29 02:00 +0200"},
		{"after the gap: next day", sofia, "2026-03-29 04:10 +0300", 3, 30, "2026-03-30 03:30 +0300"},
		{"autumn overlap, Sofia: first", sofia, "2026-10-24 12:00 +0300", 3, 30, "2026-10-25 03:30 +0300"},
		{"autumn overlap, Sofia: not twice", sofia, "2026-10-25 03:31 +0300", 3, 30, "2026-10-26 03:30 +0200"},
		// New York springs forward at 02:00 → 03:00 and falls back at 02:00 → 01:00.
		{"spring gap, New York", ny, "2026-03-07 12:00 -0500", 2, 0, "2026-03-08 03:00 -0400"},
		{"spring gap, New York, half past", ny, "2026-03-07 12:00 -0500", 2, 30, "2026-03-08 03:00 -0400"},
		{"autumn overlap, New York: first", ny, "2026-10-31 12:00 -0400", 1, 30, "2026-11-01 01:30 -0400"},
		{"autumn overlap, New York: not twice", ny, "2026-11-01 01:31 -0400", 1, 30, "2026-11-02 01:30 -0500"},
		{"autumn, after the overlap", ny, "2026-10-31 12:00 -0400", 2, 0, "2026-11-01 02:00 -0500"},
		{"UTC", time.UTC, "2026-03-10 23:59 +0000", 0, 0, "2026-03-11 00:00 +0000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := NextCatchUp(at(tt.loc, tt.after), tt.hour, tt.minute, tt.loc)
			if want := at(tt.loc, tt.want); !got.Equal(want) {
				t.Errorf("NextCatchUp(%s, %02d:%02d) = %s, want %s", tt.after, tt.hour, tt.minute, got, want)
			}
		})
	}
}

func TestScheduleSettings(t *testing.T) {
	tests := []struct {
		shop     ledger.Shop
		interval time.Duration
		hh, mm   int
		note     string
	}{
		{ledger.Shop{}, time.Hour, 2, 0, ""},
		{ledger.Shop{PollInterval: 15 * time.Minute, CatchUpAt: "23:45"}, 15 * time.Minute, 23, 45, ""},
		{ledger.Shop{PollInterval: 10 * time.Second}, time.Minute, 2, 0, "shorter than the minimum"},
		{ledger.Shop{CatchUpAt: "2am"}, time.Hour, 2, 0, `"2am" is not a time of day`},
	}
	for _, tt := range tests {
		d, _ := PollInterval(tt.shop)
		hh, mm, _ := CatchUpAt(tt.shop)
		note := scheduleNote(tt.shop)
		if d != tt.interval || hh != tt.hh || mm != tt.mm || !strings.Contains(note, tt.note) || (tt.note == "") != (note == "") {
			t.Errorf("%+v: interval %v, catch-up %02d:%02d, note %q; want %v, %02d:%02d, %q",
				tt.shop, d, hh, mm, note, tt.interval, tt.hh, tt.mm, tt.note)
		}
	}
}

// TestDecide is the schedule as a table: what runs now, and when the
// service looks again.
func TestDecide(t *testing.T) {
	sofia := zone(t, "Europe/Sofia")
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, sofia)
	ago := func(d time.Duration) time.Time { return now.Add(-d) }
	poll := ledger.Shop{SyncMode: ledger.SyncPoll}
	poll15 := ledger.Shop{SyncMode: ledger.SyncPoll, PollInterval: 15 * time.Minute}
	hook := ledger.Shop{SyncMode: ledger.SyncWebhook}
	caughtUp := ledger.SyncState{LastCatchUp: time.Date(2026, 3, 10, 2, 0, 5, 0, sofia)}
	tonight := time.Date(2026, 3, 11, 2, 0, 0, 0, sofia)
	started := memory{started: true, lastAttempt: ago(10 * time.Minute), lastHealth: ago(10 * time.Minute)}
	with := func(m memory, f func(*memory)) memory { f(&m); return m }
	failed := func(n int) memory {
		return with(started, func(m *memory) { m.failures, m.lastAttempt = n, ago(time.Minute) })
	}

	tests := []struct {
		name    string
		shop    ledger.Shop
		state   ledger.SyncState
		mem     memory
		trigger events.Trigger
		health  bool
		wakeAt  time.Time // zero: while running, a wait for the pass
	}{
		{"start, poll", poll, ledger.SyncState{}, memory{}, events.TriggerStart, false, now.Add(-time.Nanosecond)},
		{"start, webhook", hook, caughtUp, memory{}, events.TriggerStart, false, time.Time{}.Add(HealthEvery)},
		{"poll not due", poll, ledger.SyncState{}, started, "", false, ago(10 * time.Minute).Add(time.Hour)},
		{"poll due", poll, ledger.SyncState{}, with(started, func(m *memory) { m.lastAttempt = ago(time.Hour) }), events.TriggerSchedule, false, now},
		{"poll interval", poll15, ledger.SyncState{}, started, "", false, now.Add(5 * time.Minute)},
		{"wake", poll, ledger.SyncState{}, with(started, func(m *memory) { m.wake = true }), events.TriggerWake, false, ago(10 * time.Minute).Add(time.Hour)},
		{"running: wait for it", poll, ledger.SyncState{}, with(started, func(m *memory) { m.running, m.wake = true, true }), "", false, time.Time{}},
		{"1st failure: 5 min", poll, ledger.SyncState{}, failed(1), "", false, now.Add(4 * time.Minute)},
		{"2nd failure: 15 min", poll, ledger.SyncState{}, failed(2), "", false, now.Add(14 * time.Minute)},
		{"3rd failure: the period", poll, ledger.SyncState{}, failed(3), "", false, now.Add(59 * time.Minute)},
		{"1st failure, retry due", poll, ledger.SyncState{}, with(failed(1), func(m *memory) { m.lastAttempt = ago(5 * time.Minute) }), events.TriggerSchedule, false, time.Time{}},
		{"webhook: tonight", hook, caughtUp, started, "", false, now.Add(50 * time.Minute)},
		{"webhook: health hourly", hook, caughtUp, with(started, func(m *memory) { m.lastHealth = ago(time.Hour) }), "", true, now},
		{"webhook: health after a pass", hook, caughtUp, with(started, func(m *memory) { m.healthDue = true }), "", true, now},
		{"webhook: missed night", hook, ledger.SyncState{LastCatchUp: time.Date(2026, 3, 8, 2, 0, 0, 0, sofia)}, started, events.TriggerSchedule, false, time.Date(2026, 3, 9, 2, 0, 0, 0, sofia)},
		{"webhook: never caught up", hook, ledger.SyncState{}, started, events.TriggerSchedule, false, time.Time{}},
		{"webhook: failed catch-up retried", hook, ledger.SyncState{LastCatchUp: time.Date(2026, 3, 9, 2, 0, 0, 0, sofia)},
			with(started, func(m *memory) { m.failures = 2 }), "", false, now.Add(5 * time.Minute)},
		{"webhook: failing for long, hourly", hook, ledger.SyncState{LastCatchUp: time.Date(2026, 3, 9, 2, 0, 0, 0, sofia)},
			with(started, func(m *memory) { m.failures = 5 }), "", false, now.Add(50 * time.Minute)},
		{"fallback: hourly polling", hook, ledger.SyncState{LastCatchUp: caughtUp.LastCatchUp, Fallback: "silent"},
			with(started, func(m *memory) { m.lastAttempt = ago(time.Hour) }), events.TriggerSchedule, false, now},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := decide(now, tt.shop, tt.state, tt.mem)
			if p.trigger != tt.trigger || p.health != tt.health {
				t.Errorf("trigger %q, health %v; want %q, %v", p.trigger, p.health, tt.trigger, tt.health)
			}
			if p.trigger == "" && !p.health && !p.wakeAt.Equal(tt.wakeAt) {
				t.Errorf("looks again at %s, want %s", p.wakeAt, tt.wakeAt)
			}
		})
	}
	if p := decide(now, hook, caughtUp, started); !p.next.Equal(tonight) {
		t.Errorf("next catch-up %s, want %s", p.next, tonight)
	}
}

// TestUnhealthy: the reasons a webhook shop falls back to polling, as the
// window shows them.
func TestUnhealthy(t *testing.T) {
	hook := func(id int64, topic, status string) woo.Webhook {
		return woo.Webhook{ID: id, Topic: topic, Status: status}
	}
	all := []woo.Webhook{hook(1, "order.created", "active"), hook(2, "order.updated", "active"), hook(3, "order.deleted", "active")}
	readOnly := &books.ReadOnlyKeyError{Shop: "S", Err: errors.New("update webhook 1: auth (HTTP 401)")}
	delivered := time.Date(2026, 3, 10, 9, 30, 0, 0, time.UTC)
	tests := []struct {
		name   string
		chk    books.WebhookCheck
		last   time.Time
		missed int
		want   []string // parts of the reason; none: healthy
	}{
		{"healthy", books.WebhookCheck{Ours: all}, delivered, 0, nil},
		{"reactivated", books.WebhookCheck{Ours: all, Reactivated: []int64{2}}, delivered, 0, nil},
		{"none", books.WebhookCheck{Missing: books.WebhookTopics}, delivered, 0, []string{"not in the shop", "register them again"}},
		{"one missing", books.WebhookCheck{Ours: all[:2], Missing: []string{"order.deleted"}}, delivered, 0, []string{"no ShopLedger webhook for order.deleted"}},
		{"could not reactivate", books.WebhookCheck{Ours: []woo.Webhook{all[0], hook(2, "order.updated", "disabled"), all[2]}, Err: readOnly},
			delivered, 0, []string{"the order.updated webhook is disabled", "Read/Write permission"}},
		{"silent", books.WebhookCheck{Ours: all}, delivered, 4, []string{"since 2026-03-10 09:30, but 4 new orders", "reach the delivery URL"}},
		{"never delivered", books.WebhookCheck{Ours: all}, time.Time{}, 1, []string{"arrived yet, but 1 new orders"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := unhealthy(tt.chk, tt.last, tt.missed, time.UTC)
			if (got == "") != (len(tt.want) == 0) {
				t.Fatalf("reason %q, want parts %q", got, tt.want)
			}
			for _, part := range tt.want {
				if !strings.Contains(got, part) {
					t.Errorf("reason %q lacks %q", got, part)
				}
			}
		})
	}
}
