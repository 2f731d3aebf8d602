package ledger

import (
	"time"
	// Windows has no zoneinfo database; the shops' time zones must load there too.
	_ "time/tzdata"
)

// ShopID, WarehouseID and CostCenterID are ShopLedger's own sequence
// numbers, assigned by the store.
type (
	ShopID       uint64
	WarehouseID  uint64
	CostCenterID uint64
)

// Dialect is the WooCommerce REST API flavour a shop is spoken to in.
type Dialect string

// The dialects ShopLedger speaks. An empty Dialect means "detect".
const (
	DialectWCV3     Dialect = "wc/v3"
	DialectLegacyV3 Dialect = "legacy/v3"
)

// SyncMode says how new orders reach ShopLedger.
type SyncMode string

const (
	// SyncPoll asks the shop for changes every PollInterval.
	SyncPoll SyncMode = "poll"
	// SyncWebhook takes orders from webhooks and catches up once a night.
	SyncWebhook SyncMode = "webhook"
)

// Shop is a WooCommerce shop the bookkeeper connected. Its credentials are
// not here: they live in the OS keyring, under the shop's ID.
type Shop struct {
	ID         ShopID       `json:"id"`
	Name       string       `json:"name"`
	URL        string       `json:"url"`
	Warehouse  WarehouseID  `json:"warehouse"`
	CostCenter CostCenterID `json:"cost_center"`
	// Dialect is the API the shop answers; empty until detected.
	Dialect  Dialect  `json:"dialect,omitempty"`
	SyncMode SyncMode `json:"sync_mode,omitempty"`
	// Auth is how credentials travel ("basic", "query", "oauth1"); empty
	// means the default for the URL's scheme.
	Auth string `json:"auth,omitempty"`
	// CertSHA256 pins a certificate the user chose to trust (self-signed).
	CertSHA256 string `json:"cert_sha256,omitempty"`
	// ModifiedAfterIgnored marks a shop that lists every order whatever
	// modified_after says (WooCommerce before 5.8): it is synced by scanning.
	ModifiedAfterIgnored bool `json:"modified_after_ignored,omitempty"`
	// WebhookToken is the unguessable part of this shop's webhook URL
	// (/webhooks/<token>): 128 random bits, hex. Not a secret in the
	// keyring's sense — it is shown to admins — but never reused.
	WebhookToken string `json:"webhook_token,omitempty"`
	// WebhookIDs are the webhooks ShopLedger registered in the shop.
	WebhookIDs []int64 `json:"webhook_ids,omitempty"`
	// PollInterval is the polling period in poll mode (0: hourly).
	PollInterval time.Duration `json:"poll_interval,omitempty"`
	// CatchUpAt is the local time of the nightly catch-up in webhook mode,
	// "15:04" (empty: 02:00).
	CatchUpAt string `json:"catch_up_at,omitempty"`
	// ImportFrom limits the first import to orders created on or after it.
	ImportFrom time.Time `json:"import_from,omitzero"`
	Created    time.Time `json:"created"`
	// Timezone is the shop's IANA time zone (WordPress's timezone_string),
	// which decides the day an order belongs to in the books; empty until
	// detected, and then UTC.
	Timezone string `json:"timezone,omitempty"`
	// BooksBasis is the date sales are booked on (empty: BasisCreated).
	BooksBasis BooksBasis `json:"books_basis,omitempty"`
}

// BooksBasis is the order date the books count a sale on, as WooCommerce
// Analytics offers it.
type BooksBasis string

const (
	BasisCreated   BooksBasis = "created"
	BasisPaid      BooksBasis = "paid"
	BasisCompleted BooksBasis = "completed"
)

// Location is the shop's time zone; UTC when unknown or not loadable.
func (s *Shop) Location() *time.Location {
	if s.Timezone == "" {
		return time.UTC
	}
	loc, err := time.LoadLocation(s.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}

// Warehouse is where a shop's goods are booked out of.
type Warehouse struct {
	ID   WarehouseID `json:"id"`
	Code string      `json:"code"`
	Name string      `json:"name"`
}

// CostCenter is the accounting unit a shop's business is booked under.
type CostCenter struct {
	ID   CostCenterID `json:"id"`
	Code string       `json:"code"`
	Name string       `json:"name"`
}

// Source says how ShopLedger learned of a change.
type Source string

const (
	SourcePoll    Source = "poll"
	SourceWebhook Source = "webhook"
	SourceManual  Source = "manual"
)

// StatusChange is one entry of an order's status history. From is empty for
// the order's first sighting.
type StatusChange struct {
	From Status    `json:"from"`
	To   Status    `json:"to"`
	At   time.Time `json:"at"`
	// ShopTime is the order's date_modified in the shop when the change was seen.
	ShopTime time.Time `json:"shop_time"`
	Source   Source    `json:"source"`
}

// SyncState is a shop's sync bookkeeping: where the next incremental pass
// starts and how the last one went.
type SyncState struct {
	// Cursor is the newest date_modified (shop's clock, UTC) of the
	// orders committed so far; the next pass asks from Cursor minus an overlap.
	Cursor       time.Time `json:"cursor,omitzero"`
	LastSuccess  time.Time `json:"last_success,omitzero"`
	LastAttempt  time.Time `json:"last_attempt,omitzero"`
	LastError    string    `json:"last_error,omitempty"`
	OrdersSynced int64     `json:"orders_synced,omitempty"`
	// LastFullScan is when a shop without modified_after was last read in
	// full; between full scans only recent orders are read.
	LastFullScan time.Time `json:"last_full_scan,omitzero"`
	// LastCatchUp is the last successful catch-up in webhook mode; the next
	// one reads everything modified since, with overlap, so a missed night
	// is covered too.
	LastCatchUp time.Time `json:"last_catch_up,omitzero"`
	// LastDelivery is when the last valid webhook delivery arrived.
	LastDelivery time.Time `json:"last_delivery,omitzero"`
	// Fallback says why a webhook-mode shop is being polled hourly for now
	// (empty when its webhooks are healthy).
	Fallback string `json:"fallback,omitempty"`
	// RefundBackfill says the shop's stored orders may lack their refunds'
	// detail (orders stored before ShopLedger fetched it, or whose fetch
	// failed): the refund backfill fetches what is missing and clears it.
	// RefundBackfillAfter is the last order id it has finished, so a
	// backfill stopped midway goes on from there.
	RefundBackfill      bool  `json:"refund_backfill,omitempty"`
	RefundBackfillAfter int64 `json:"refund_backfill_after,omitempty"`
	// RefundBackfillAll makes the backfill fetch the refunds of every order
	// in a status money was taken in, not only of those marked: a legacy
	// shop's orders stored before ShopLedger read refunds carry no mark.
	RefundBackfillAll bool `json:"refund_backfill_all,omitempty"`
}
