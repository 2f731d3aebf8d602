// Package books is ShopLedger's application core: it opens the database and
// the keyring and offers the operations the window and the command line
// share — connect a shop, sync it, read orders. Both front ends stay thin.
package books

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/secrets"
	"codeberg.org/shopledger/shopledger/core/store"
	"codeberg.org/shopledger/shopledger/core/syncer"
	"codeberg.org/shopledger/shopledger/core/woo"
)

// DBFile is the database's file name inside the data directory.
const DBFile = "shopledger.db"

// DataDirEnv overrides the data directory, for tests and portable use.
const DataDirEnv = "SHOPLEDGER_DATA_DIR"

// DefaultDataDir is $SHOPLEDGER_DATA_DIR, or ShopLedger under the user's
// configuration directory.
func DefaultDataDir() (string, error) {
	if d := os.Getenv(DataDirEnv); d != "" {
		return d, nil
	}
	cfg, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("find the configuration directory: %w", err)
	}
	return filepath.Join(cfg, "ShopLedger"), nil
}

// Books is an open ledger: the database plus the keyring.
type Books struct {
	*store.Store
	Secrets secrets.Store
	// HTTPClient is used to reach shops; nil means woo's default.
	HTTPClient *http.Client

	// passes joins concurrent syncs of one shop, keyed by its id.
	passes singleflight.Group
}

// Open opens (creating if needed) the database in dataDir.
func Open(dataDir string, sec secrets.Store) (*Books, error) {
	return OpenWithProgress(dataDir, sec, nil)
}

// OpenWithProgress is Open, telling progress how far the long steps of a
// first open after an update or a large import have come (see
// store.OpenWithProgress).
func OpenWithProgress(dataDir string, sec secrets.Store, progress func(store.OpenProgress)) (*Books, error) {
	st, err := store.OpenWithProgress(filepath.Join(dataDir, DBFile), progress)
	if err != nil {
		return nil, err
	}
	return &Books{Store: st, Secrets: sec}, nil
}

// Close closes the database.
func (b *Books) Close() error { return b.Store.Close() }

// NewShop is what the bookkeeper enters to connect a shop.
type NewShop struct {
	Name, URL   string
	Key, Secret string
	Warehouse   ledger.WarehouseID
	CostCenter  ledger.CostCenterID
	// CertSHA256 trusts a self-signed certificate the user has confirmed.
	CertSHA256 string
	// ImportFrom limits the first import to orders created since then.
	ImportFrom time.Time
}

// Validate checks the form before anything is stored.
func (n *NewShop) Validate() error {
	var problems []string
	n.Name, n.Key, n.Secret = strings.TrimSpace(n.Name), strings.TrimSpace(n.Key), strings.TrimSpace(n.Secret)
	if n.Name == "" {
		problems = append(problems, "the shop needs a name")
	}
	if u, err := woo.ParseShopURL(n.URL); err != nil {
		problems = append(problems, UserMessage(err))
	} else {
		n.URL = u.String()
	}
	if n.Key == "" || n.Secret == "" {
		problems = append(problems, "enter the consumer key and the consumer secret from WooCommerce → Settings → Advanced → REST API")
	}
	if n.Warehouse == 0 {
		problems = append(problems, "choose a warehouse")
	}
	if n.CostCenter == 0 {
		problems = append(problems, "choose a cost center")
	}
	if len(problems) > 0 {
		return &InputError{Problems: problems}
	}
	return nil
}

// CheckShop tells early, before the shop is tested or stored, whether a
// shop could have this name and address: a *store.DuplicateError when
// another shop has either, the address's own error when it is not one.
// Either may be empty, for a form that asks for them one at a time; id is
// the shop being edited, or 0 for a new one.
func (b *Books) CheckShop(id ledger.ShopID, name, rawURL string) error {
	sh := ledger.Shop{Name: name}
	if strings.TrimSpace(rawURL) != "" {
		u, err := woo.ParseShopURL(rawURL)
		if err != nil {
			return err
		}
		sh.URL = u.String()
	}
	return b.Store.CheckShop(sh, id)
}

// InputError lists what is wrong with what the user entered.
type InputError struct{ Problems []string }

func (e *InputError) Error() string { return strings.Join(e.Problems, "; ") }

// AddShop stores a new shop and its credentials. If the keyring refuses
// the credentials, the shop is not kept either.
func (b *Books) AddShop(n NewShop) (ledger.Shop, error) {
	if err := n.Validate(); err != nil {
		return ledger.Shop{}, err
	}
	if _, err := b.Store.Warehouse(n.Warehouse); err != nil {
		return ledger.Shop{}, fmt.Errorf("add shop %q: %w", n.Name, err)
	}
	if _, err := b.Store.CostCenter(n.CostCenter); err != nil {
		return ledger.Shop{}, fmt.Errorf("add shop %q: %w", n.Name, err)
	}
	sh, err := b.Store.CreateShop(ledger.Shop{
		Name: n.Name, URL: n.URL, Warehouse: n.Warehouse, CostCenter: n.CostCenter,
		SyncMode: ledger.SyncPoll, CertSHA256: n.CertSHA256, ImportFrom: n.ImportFrom,
	})
	if err != nil {
		return ledger.Shop{}, fmt.Errorf("add shop %q: %w", n.Name, err)
	}
	if err := secrets.SaveShop(b.Secrets, sh.ID, secrets.Credentials{Key: n.Key, Secret: n.Secret}); err != nil {
		if derr := b.Store.DeleteShop(sh.ID, false); derr != nil {
			err = errors.Join(err, derr)
		}
		return ledger.Shop{}, fmt.Errorf("add shop %q: %w", n.Name, err)
	}
	return sh, nil
}

// RemoveShop deletes a shop and its credentials; keepOrders keeps its
// orders in the books.
func (b *Books) RemoveShop(id ledger.ShopID, keepOrders bool) error {
	if err := b.Store.DeleteShop(id, keepOrders); err != nil {
		return err
	}
	return secrets.DeleteShop(b.Secrets, id)
}

// client builds a WooCommerce client for a stored shop. When the host
// turns out to strip the Authorization header, the switch to query-string
// keys is remembered for the next run.
func (b *Books) client(sh ledger.Shop) (*woo.Client, error) {
	cred, err := secrets.LoadShop(b.Secrets, sh.ID)
	if err != nil {
		return nil, err
	}
	return woo.New(woo.Config{
		URL: sh.URL, Key: cred.Key, Secret: cred.Secret, Dialect: sh.Dialect, Auth: woo.AuthMode(sh.Auth),
		CertSHA256: sh.CertSHA256, HTTPClient: b.HTTPClient,
		OnAuthFallback: func(m woo.AuthMode) {
			if cur, err := b.Store.Shop(sh.ID); err == nil {
				cur.Auth = string(m)
				_ = b.Store.UpdateShop(cur)
			}
		},
	})
}

// Sync runs one pass for a shop. If a pass for that shop is already
// running, Sync waits for it and returns its outcome instead of starting a
// second one; progress then comes only to the first caller. A caller whose
// ctx ends stops waiting; the pass runs on the first caller's ctx, so the
// first caller's ending stops it and gets its outcome.
func (b *Books) Sync(ctx context.Context, id ledger.ShopID, progress func(syncer.Progress)) (syncer.Result, error) {
	var mine atomic.Bool // set when this call runs the pass
	ch := b.passes.DoChan(strconv.FormatInt(int64(id), 10), func() (any, error) {
		mine.Store(true)
		return b.pass(ctx, id, progress)
	})
	var r singleflight.Result
	select {
	case r = <-ch:
	case <-ctx.Done():
		if !mine.Load() {
			return syncer.Result{}, ctx.Err()
		}
		r = <-ch // the pass sees ctx too and stops after its last committed page
	}
	res, _ := r.Val.(syncer.Result)
	return res, r.Err
}

// connect reads a stored shop, detects its dialect if that is not known
// yet, and builds its client. The shop comes back even when the client
// could not be built, for the error message.
func (b *Books) connect(ctx context.Context, id ledger.ShopID) (ledger.Shop, *woo.Client, error) {
	sh, err := b.Store.Shop(id)
	if err != nil {
		return sh, nil, err
	}
	if sh.Dialect == "" {
		if sh, err = b.detect(ctx, sh); err != nil {
			return sh, nil, err
		}
	}
	c, err := b.client(sh)
	return sh, c, err
}

func (b *Books) pass(ctx context.Context, id ledger.ShopID, progress func(syncer.Progress)) (syncer.Result, error) {
	sh, c, err := b.connect(ctx, id)
	if sh.ID == 0 {
		return syncer.Result{}, err // no such shop: no sync state to note it in
	}
	if err != nil {
		_ = b.Store.UpdateSyncState(id, func(s *ledger.SyncState) { s.LastError = err.Error() })
		return syncer.Result{}, fmt.Errorf("sync %s: %w", sh.Name, err)
	}
	res, err := syncer.Pass(ctx, b.Store, sh, c, syncer.Options{Progress: progress})
	if errors.Is(err, syncer.ErrFilterIgnored) {
		// An old WooCommerce: remember it and read the shop by scanning.
		sh.ModifiedAfterIgnored = true
		if err = b.Store.UpdateShop(sh); err == nil {
			res, err = syncer.Pass(ctx, b.Store, sh, c, syncer.Options{Progress: progress})
		}
	}
	if err == nil && res.RefundsDeferred {
		// The import left the refunds' detail to the backfill: a sync
		// returns with the books complete.
		var bp syncer.BackfillProgress
		bp, err = syncer.BackfillRefunds(ctx, c, b.Store, sh, nil)
		res.RefundRequests += bp.Fetched
	}
	if err != nil {
		return res, fmt.Errorf("sync %s: %w", sh.Name, err)
	}
	if sh.Timezone == "" {
		// A shop connected before ShopLedger knew time zones; after the
		// pass, so that a slow shop's sync is not held up by it.
		b.detectTimezone(ctx, sh.ID, c)
	}
	return res, nil
}

// ShopResult is one shop's outcome in SyncAll.
type ShopResult struct {
	Shop   ledger.Shop
	Result syncer.Result
	Err    error
}

// SyncAll syncs every shop one after another; one shop's failure does not
// stop the others.
func (b *Books) SyncAll(ctx context.Context, progress func(syncer.Progress)) ([]ShopResult, error) {
	shops, err := b.Store.Shops()
	if err != nil {
		return nil, err
	}
	out := make([]ShopResult, 0, len(shops))
	for _, sh := range shops {
		res, err := b.Sync(ctx, sh.ID, progress)
		out = append(out, ShopResult{Shop: sh, Result: res, Err: err})
		if ctx.Err() != nil {
			return out, ctx.Err()
		}
	}
	return out, nil
}
