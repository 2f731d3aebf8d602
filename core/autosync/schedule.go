package autosync

import (
	"fmt"
	"time"

	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Scheduling constants: the help page promises hourly polling and a
// nightly catch-up; the minimum keeps a shop's host from being hammered.
const (
	// DefaultPollInterval is the polling period when the shop sets none,
	// and the fallback period of a webhook shop whose webhooks are silent.
	DefaultPollInterval = time.Hour
	// MinPollInterval is the shortest polling period: each pass costs the
	// shop at least one request, and WooCommerce hosts rate-limit.
	MinPollInterval = time.Minute
	// DefaultCatchUpAt is the local time of the nightly catch-up.
	DefaultCatchUpAt = "02:00"
	// HealthEvery is how often a webhook shop's webhooks are checked.
	HealthEvery = time.Hour
)

// retryAfter are the waits after the first and second failed pass in a
// row; after that a failing shop is tried on its normal period (for a
// webhook shop, whose catch-up stays due until one succeeds, hourly).
var retryAfter = []time.Duration{5 * time.Minute, 15 * time.Minute}

// Mode is how a shop is being kept current right now.
type Mode string

const (
	ModePoll     Mode = "poll"     // a pass every poll interval
	ModeWebhook  Mode = "webhook"  // webhooks, and a catch-up once a night
	ModeFallback Mode = "fallback" // a webhook shop polled hourly while its webhooks are unhealthy
)

// ModeOf says how a shop is kept current given its sync state.
func ModeOf(sh ledger.Shop, st ledger.SyncState) Mode {
	switch {
	case sh.SyncMode != ledger.SyncWebhook:
		return ModePoll
	case st.Fallback != "":
		return ModeFallback
	}
	return ModeWebhook
}

// PollInterval is the shop's polling period: DefaultPollInterval when it
// sets none, and at least MinPollInterval. note says what was changed, for
// the shop form and the log; it is empty when nothing was.
func PollInterval(sh ledger.Shop) (d time.Duration, note string) {
	switch d = sh.PollInterval; {
	case d == 0:
		return DefaultPollInterval, ""
	case d < MinPollInterval:
		return MinPollInterval, fmt.Sprintf("The polling interval %v is shorter than the minimum; ShopLedger polls every %v.", d, MinPollInterval)
	}
	return d, ""
}

// CatchUpAt is the hour and minute of the shop's nightly catch-up:
// DefaultCatchUpAt when it sets none or something unreadable, which note
// then says.
func CatchUpAt(sh ledger.Shop) (hour, minute int, note string) {
	s := sh.CatchUpAt
	if s == "" {
		s = DefaultCatchUpAt
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		t, _ = time.Parse("15:04", DefaultCatchUpAt)
		note = fmt.Sprintf("The catch-up time %q is not a time of day like 02:00; ShopLedger catches up at %s.", sh.CatchUpAt, DefaultCatchUpAt)
	}
	return t.Hour(), t.Minute(), note
}

// NextCatchUp is the first time after `after` that the local clock in loc
// reads hour:minute. On a night when that time does not exist (the clock
// jumps over it into daylight saving time) it is the first instant after
// the jump; when it exists twice (the clock goes back) it is the first of
// the two, so the catch-up runs exactly once each night.
func NextCatchUp(after time.Time, hour, minute int, loc *time.Location) time.Time {
	a := after.In(loc)
	for i := 0; ; i++ {
		// Noon is never skipped or repeated: a safe way to name the day.
		y, m, d := time.Date(a.Year(), a.Month(), a.Day()+i, 12, 0, 0, 0, loc).Date()
		if c := localTime(y, m, d, hour, minute, loc); c.After(after) {
			return c
		}
	}
}

// localTime is the first instant of the day y-m-d whose local time in loc
// reads hour:minute, or the end of the gap when daylight saving time skips
// it. time.Date alone is not enough: in a gap or an overlap it picks either
// side, and not the same one in every zone.
func localTime(y int, m time.Month, d, hour, minute int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, hour, minute, 0, 0, loc)
	want := time.Date(y, m, d, hour, minute, 0, 0, time.UTC)
	got := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
	start, end := t.ZoneBounds()
	switch {
	case got.Before(want): // time.Date went back across the gap
		return end
	case got.After(want): // … or forward across it
		return start
	}
	if start.IsZero() {
		return t
	}
	// The clock may have gone back at start, showing this time twice:
	// prefer the earlier instant, still in the previous zone.
	_, before := start.Add(-time.Second).Zone()
	_, now := t.Zone()
	if before > now {
		if e := t.Add(-time.Duration(before-now) * time.Second); e.Before(start) {
			return e
		}
	}
	return t
}

// memory is what a service remembers between passes. It lives in memory
// on purpose: after a restart a pass runs at start anyway, and a shop that
// failed before the restart deserves a fresh try.
type memory struct {
	started     bool      // the start pass has begun
	wake        bool      // the computer woke up; a catch-up is due
	healthDue   bool      // a pass finished: look at the webhooks with its results
	running     bool      // a pass is in flight
	lastAttempt time.Time // when the last pass began
	failures    int       // passes failed in a row
	cancelled   bool      // the last pass was cancelled by the user
	lastHealth  time.Time // when the webhooks were last checked
}

// plan is what a service does next.
type plan struct {
	mode    Mode
	trigger events.Trigger // a pass to run now; empty when none
	health  bool           // check the webhooks now
	next    time.Time      // when a pass is due (zero: at once)
	// wakeAt is when to look again if nothing is due now; zero while a
	// pass is under way, whose end is news enough.
	wakeAt time.Time
}

// decide is the whole schedule, as a function of the time, the shop, its
// sync state and the service's memory, so that tests can read it as a table.
func decide(now time.Time, sh ledger.Shop, st ledger.SyncState, m memory) plan {
	p := plan{mode: ModeOf(sh, st)}
	p.next = nextPass(now.Location(), sh, st, m)
	if m.running {
		return p
	}
	switch {
	case !m.started:
		p.trigger = events.TriggerStart
	case m.wake:
		p.trigger = events.TriggerWake
	case !now.Before(p.next):
		p.trigger = events.TriggerSchedule
	}
	p.wakeAt = p.next
	if p.mode != ModePoll {
		healthAt := m.lastHealth.Add(HealthEvery)
		if m.healthDue {
			healthAt = now
		}
		p.health = p.trigger == "" && !now.Before(healthAt)
		if healthAt.Before(p.wakeAt) {
			p.wakeAt = healthAt
		}
	}
	return p
}

// nextPass is when the next scheduled pass is due. In poll and fallback
// mode it is a period after the last pass began; in webhook mode the first
// catch-up time after the last successful catch-up, which is already past
// when a night was missed. After failures the retry waits grow.
func nextPass(loc *time.Location, sh ledger.Shop, st ledger.SyncState, m memory) time.Time {
	period, _ := PollInterval(sh)
	if ModeOf(sh, st) != ModeWebhook {
		return m.lastAttempt.Add(retryWait(m.failures, period))
	}
	var due time.Time
	if !st.LastCatchUp.IsZero() {
		h, mi, _ := CatchUpAt(sh)
		due = NextCatchUp(st.LastCatchUp, h, mi, loc)
	}
	if m.failures > 0 || m.cancelled {
		// A catch-up the user cancelled waits like one that failed once,
		// rather than starting again the moment it stopped.
		if retry := m.lastAttempt.Add(retryWait(max(m.failures, 1), DefaultPollInterval)); retry.After(due) {
			due = retry
		}
	}
	return due
}

// retryWait is how long to wait before the next pass after `failures`
// failed ones in a row, normally `period`.
func retryWait(failures int, period time.Duration) time.Duration {
	if failures >= 1 && failures <= len(retryAfter) {
		return retryAfter[failures-1]
	}
	return period
}
