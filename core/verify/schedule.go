package verify

import (
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// When a verification runs by itself (core/autosync asks Due after each
// scheduled pass that succeeded). It is cheap — a request per 100 orders —
// but not free for a shop's host, so once a day:
//   - webhook mode: as part of the nightly catch-up;
//   - poll mode: after the poll that falls in the quiet hours, QuietFrom
//     to QuietFrom+QuietFor local time; a computer asleep then every night
//     gets it after MaxGap at whatever hour;
//   - a pass stopped midway, or asked for after a restore (VerifyDue),
//     goes on at the next pass, the one at start included.
const (
	QuietFrom = 3 * time.Hour
	QuietFor  = 2 * time.Hour
	// MinGap keeps two passes a day apart; MaxGap bounds the wait for a
	// quiet hour.
	MinGap = 20 * time.Hour
	MaxGap = 48 * time.Hour
)

// Due reports whether a verification should follow the scheduled pass that
// just succeeded at now; loc is the local time zone of the quiet hours.
func Due(now time.Time, loc *time.Location, sh ledger.Shop, st ledger.SyncState) bool {
	if st.VerifyAfter > 0 || st.VerifyDue {
		return true
	}
	last := st.LastVerified
	if last.IsZero() {
		last = sh.Created // a new shop's import was its first comparison
	}
	since := now.Sub(last)
	if since < MinGap {
		return false
	}
	if sh.SyncMode == ledger.SyncWebhook && st.Fallback == "" {
		return true // the scheduled pass of a webhook shop is the nightly catch-up
	}
	if since >= MaxGap {
		return true
	}
	local := now.In(loc)
	sinceMidnight := time.Duration(local.Hour())*time.Hour + time.Duration(local.Minute())*time.Minute
	return sinceMidnight >= QuietFrom && sinceMidnight < QuietFrom+QuietFor
}
