package autosync

import (
	"context"

	"codeberg.org/shopledger/shopledger/core/events"
	"codeberg.org/shopledger/shopledger/core/verify"
)

// maybeVerify runs the shop's daily verification (core/verify) after a
// scheduled pass that succeeded, when verify.Due says so: in webhook mode
// that pass is the nightly catch-up; in poll mode the poll in the quiet
// hours. A verification stopped midway, or asked for after a restore,
// runs after any pass (at start too). It runs inside the pass, so Cancel stops it too and "Sync now"
// waits for it; it publishes its own Verify* events, and its failure is
// logged and published, not the pass's.
func (s *Service) maybeVerify(ctx context.Context, trigger events.Trigger) {
	sh, err := s.books.Shop(s.id)
	if err != nil {
		return
	}
	st, err := s.books.SyncState(s.id)
	if err != nil {
		return
	}
	// Any pass goes on with a stopped verification or one asked for after
	// a restore; the daily one follows only a scheduled pass.
	pending := st.VerifyAfter > 0 || st.VerifyDue
	now := s.opt.Clock.Now()
	if !pending && (trigger != events.TriggerSchedule || !verify.Due(now, now.Location(), sh, st)) {
		return
	}
	rep, err := s.books.Verify(ctx, s.id, verify.Options{Bus: s.opt.Bus, Now: s.opt.Clock.Now})
	if err != nil {
		if ctx.Err() == nil {
			s.opt.Log.Warn("verification failed", "shop", s.id, "err", err)
		}
		return
	}
	s.opt.Log.Info("verified", "shop", s.id, "found", rep.String(), "requests", rep.Requests, "took", rep.Took)
}
