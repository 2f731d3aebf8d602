package verify

import (
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

func TestDue(t *testing.T) {
	sofia, err := time.LoadLocation("Europe/Sofia")
	if err != nil {
		t.Fatal(err)
	}
	at := func(day, hour int) time.Time { return time.Date(2026, 12, day, hour, 10, 0, 0, sofia) }
	poll := ledger.Shop{SyncMode: ledger.SyncPoll, Created: at(1, 12)}
	hook := ledger.Shop{SyncMode: ledger.SyncWebhook, Created: at(1, 12)}
	for _, tc := range []struct {
		name string
		now  time.Time
		sh   ledger.Shop
		st   ledger.SyncState
		want bool
	}{
		{"poll: quiet hour, a day since", at(5, 3), poll, ledger.SyncState{LastVerified: at(4, 3)}, true},
		{"poll: busy hour", at(5, 14), poll, ledger.SyncState{LastVerified: at(4, 3)}, false},
		{"poll: quiet hour, verified at 4:30 today already", at(5, 4), poll, ledger.SyncState{LastVerified: at(5, 3)}, false},
		{"poll: two days missed, any hour", at(6, 14), poll, ledger.SyncState{LastVerified: at(4, 3)}, true},
		{"poll: new shop waits for the quiet hour", at(1, 18), poll, ledger.SyncState{}, false},
		{"poll: new shop, first quiet hour a day later", at(3, 4), poll, ledger.SyncState{}, true},
		{"poll: a stopped pass goes on", at(5, 14), poll, ledger.SyncState{VerifyAfter: 300, VerifyPage: 3, LastVerified: at(5, 3)}, true},
		{"webhook: the nightly catch-up", at(5, 2), hook, ledger.SyncState{LastVerified: at(4, 2)}, true},
		{"webhook: a second catch-up the same day", at(5, 9), hook, ledger.SyncState{LastVerified: at(5, 2)}, false},
		{"webhook in fallback polls: quiet hour rule", at(5, 14), hook, ledger.SyncState{LastVerified: at(4, 2), Fallback: "silent"}, false},
	} {
		if got := Due(tc.now, sofia, tc.sh, tc.st); got != tc.want {
			t.Errorf("%s: Due = %v, want %v", tc.name, got, tc.want)
		}
	}
}
