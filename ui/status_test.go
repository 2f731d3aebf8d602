package ui

import (
	"errors"
	"testing"
	"time"

	"codeberg.org/shopledger/shopledger/core/books"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/woo"
	"codeberg.org/shopledger/shopledger/ui/i18n"
	"codeberg.org/shopledger/shopledger/ui/widgets"
)

func TestStatusTexts(t *testing.T) {
	setLanguage("en")
	t.Cleanup(func() { setLanguage("") })
	at := time.Date(2026, 11, 27, 14, 2, 0, 0, time.Local)
	demo := ledger.Shop{ID: 1, Name: "Demo shop"}
	other := ledger.Shop{ID: 2, Name: "Outlet"}
	got := func(n int) syncer.Result { return syncer.Result{ApplyResult: store.ApplyResult{New: n}} }
	authErr := &woo.Error{Kind: woo.KindAuth}
	authMsg := books.UserMessage(authErr)

	for _, c := range []struct {
		name    string
		results []books.ShopResult
		err     error
		want    string
		failed  bool
	}{
		{"many new", []books.ShopResult{{Shop: demo, Result: got(1000)}}, nil,
			"Synced 1000 orders from Demo shop at 14:02", false},
		{"one new", []books.ShopResult{{Shop: demo, Result: got(1)}}, nil,
			"Synced 1 order from Demo shop at 14:02", false},
		{"nothing new", []books.ShopResult{{Shop: demo}}, nil,
			"Demo shop is up to date (checked at 14:02)", false},
		{"two shops", []books.ShopResult{{Shop: demo, Result: got(3)}, {Shop: other, Result: got(2)}}, nil,
			"Synced 5 orders from 2 shops at 14:02", false},
		{"two shops, nothing new", []books.ShopResult{{Shop: demo}, {Shop: other}}, nil,
			"All 2 shops are up to date (checked at 14:02)", false},
		{"one fails", []books.ShopResult{{Shop: demo, Result: got(3)}, {Shop: other, Err: authErr}}, nil,
			"Outlet could not be synced: " + authMsg, true},
		{"both fail", []books.ShopResult{{Shop: demo, Err: authErr}, {Shop: other, Err: authErr}}, nil,
			"2 shops could not be synced: " + authMsg, true},
		{"no shops read", nil, errors.New("list shops: disk on fire"),
			"list shops: disk on fire", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			text, failed := resultText(c.results, c.err, at)
			if text != c.want || failed != c.failed {
				t.Errorf("resultText = %q, %v; want %q, %v", text, failed, c.want, c.failed)
			}
		})
	}

	if got, want := progressText("Demo shop", 3, 10, 300), "Syncing Demo shop: page 3 of 10, 300 orders…"; got != want {
		t.Errorf("progressText = %q, want %q", got, want)
	}

	states := map[ledger.ShopID]ledger.SyncState{1: {LastSuccess: at}}
	if got, _ := lastSyncText([]ledger.Shop{demo}, states); got != "Last synced 2026-11-27 14:02" {
		t.Errorf("lastSyncText = %q", got)
	}
	states[2] = ledger.SyncState{LastAttempt: at, LastError: "boom"}
	if got, failed := lastSyncText([]ledger.Shop{demo, other}, states); !failed || got == "" {
		t.Errorf("a failed last sync reads %q, failed %v", got, failed)
	}
	if got, _ := lastSyncText([]ledger.Shop{demo}, nil); got != "Not synced yet" {
		t.Errorf("never synced reads %q", got)
	}
}

func TestSentence(t *testing.T) {
	for in, want := range map[string]string{
		"the shop needs a name": "The shop needs a name.",
		"Check the address.":    "Check the address.",
		"":                      "",
	} {
		if got := i18n.Sentence(in); got != want {
			t.Errorf("i18n.Sentence(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWrapWords(t *testing.T) {
	got := widgets.WrapWords("the system keyring is not available: install and unlock a keyring", 20)
	want := "the system keyring\nis not available:\ninstall and unlock a\nkeyring"
	if got != want {
		t.Errorf("wrapWords = %q, want %q", got, want)
	}
	if got := widgets.WrapWords("ShopLedger is already running", 64); got != "ShopLedger is already running" {
		t.Errorf("a short message was broken: %q", got)
	}
}
