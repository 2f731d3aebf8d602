package woosim

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Test credentials the simulated shop accepts unless Options say otherwise.
// They have the shape of real WooCommerce keys: "ck_"/"cs_" and 40 more
// characters.
const (
	DefaultKey    = "ck_woosim0000000000000000000000000000000key"
	DefaultSecret = "cs_woosim0000000000000000000000000000secret"
)

// DefaultWCVersion is the WooCommerce version the simulator claims to be:
// the one the reference captures in shared/woocommerce/samples came from.
const DefaultWCVersion = "7.9.0"

// RefundIDBase is where refund ids start (the first refund gets
// RefundIDBase+1). WooCommerce draws refund ids from the same sequence as
// orders; the simulator keeps order ids contiguous instead, so refunds get
// a range of their own.
const RefundIDBase = 1_000_000

// historySpan is how far back generated orders go.
const historySpan = 400 * day

// OrderSummary is what tests compare with the database.
type OrderSummary struct {
	ID       int64     `json:"id"`
	Number   string    `json:"number"`
	Status   string    `json:"status"`
	Total    string    `json:"total"`
	Currency string    `json:"currency"`
	Modified time.Time `json:"date_modified_gmt"` // UTC, whole seconds
	// Completed is when the order was completed (zero: never), UTC.
	Completed time.Time `json:"date_completed_gmt,omitzero"`
}

// Sim is a simulated WooCommerce shop. It is safe for concurrent use.
type Sim struct {
	seed         int64
	now          func() time.Time
	loc          *time.Location
	wcVersion    string
	version      wcVersion
	wpVersion    string
	siteHost     string
	keys         []*apiKey
	legacyOn     bool // "Enable the legacy REST API"
	legacyPlugin bool
	pretty       bool // pretty permalinks
	storeName    string
	currency     string
	verbose      bool
	baseURL      atomic.Pointer[string] // where a Server listens, for webhook deliveries

	faults    *Faults
	hooks     webhookStore
	customers sync.Map // customer id → *customerJSON
	queue     deliveryQueue

	mu         sync.RWMutex
	orders     []*order // orders[id-1]
	byCreated  []int32  // indexes into orders, sorted by (created, id)
	byModified []int32  // indexes into orders, sorted by (modified, id)
	byCustomer map[int64][]int32

	nextItem     int64 // woocommerce_order_items id sequence
	nextItemMeta int64 // woocommerce_order_itemmeta id sequence
	nextPostMeta int64 // postmeta id sequence
	nextRefund   int64
	// nextRefundItem and nextRefundMeta are the refunds' own order item
	// and item meta id sequences (from RefundItemIDBase).
	nextRefundItem int64
	nextRefundMeta int64
	trashed        int // orders in the trash, which "any" leaves out

	extraStatuses []string // statuses set through SetStatus that WooCommerce core does not know

	shop    *genShop     // what the options make of every order; nil: the older generator
	taxRows []taxRateRow // GET /wc/v3/taxes
	vatShop bool
	inclTax bool
}

// New builds a shop with o.Orders generated orders, created over the 400
// days before o.Now, in ascending id order.
func New(o Options) *Sim {
	s := &Sim{
		seed:           o.Seed,
		now:            o.Now,
		loc:            o.SiteTimezone,
		wcVersion:      o.WCVersion,
		wpVersion:      o.WPVersion,
		siteHost:       o.SiteHost,
		legacyOn:       o.LegacyEnabled.or(true),
		legacyPlugin:   o.LegacyPlugin,
		pretty:         o.PrettyPermalinks.or(true),
		storeName:      o.StoreName,
		currency:       o.Currency,
		verbose:        o.Verbose,
		byCustomer:     map[int64][]int32{},
		nextItem:       1,
		nextItemMeta:   1,
		nextPostMeta:   1,
		nextRefund:     RefundIDBase + 1,
		nextRefundItem: RefundItemIDBase + 1,
		nextRefundMeta: RefundItemIDBase + 1,
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.wcVersion == "" {
		s.wcVersion = DefaultWCVersion
	}
	s.version = parseVersion(s.wcVersion)
	if s.wpVersion == "" {
		s.wpVersion = "6.3"
	}
	if s.storeName == "" {
		s.storeName = "woosim"
	}
	if s.currency == "" {
		s.currency = "USD"
	}
	key, secret := o.Key, o.Secret
	if key == "" {
		key = DefaultKey
	}
	if secret == "" {
		secret = DefaultSecret
	}
	s.keys = []*apiKey{newAPIKey(key, secret, "read_write")}
	if o.ReadOnlyKey != "" && o.ReadOnlySecret != "" {
		s.keys = append(s.keys, newAPIKey(o.ReadOnlyKey, o.ReadOnlySecret, "read"))
	}
	s.faults = newFaults(o.Faults)
	s.hooks.init(o.Seed)
	s.queue.init(s, o.DeliveryDelay, o.WebhookTransport)

	s.taxRows = builtinTaxRows
	if o.VAT || o.CurrencyChange != nil {
		s.shop = &genShop{change: o.CurrencyChange}
		if o.CurrencyChange != nil {
			s.shop.changeAt = o.CurrencyChange.At.Unix()
		}
	}
	if o.VAT {
		s.vatShop, s.inclTax = true, o.PricesIncludeTax.or(true)
		s.shop.vat, s.taxRows = newVATConfig(o.TaxRates, s.inclTax)
		if o.CurrencyChange == nil {
			// One store currency for every order, as a shop without a
			// multi-currency plugin has.
			if o.Currency == "" {
				s.currency = "EUR"
			}
			s.shop.fixed = s.currency
		}
	}

	now := s.clock()
	if cur, ok := s.shop.currency(now); ok && o.Currency == "" {
		s.currency = cur // the store's currency today
	}
	from, span := now-historySpan, int64(historySpan)
	if !o.From.IsZero() {
		to := now
		if !o.To.IsZero() {
			to = o.To.Unix()
		}
		from, span = o.From.Unix(), max(to-o.From.Unix(), 1)
	}
	n := max(o.Orders, 0)
	offsets := make([]int64, n)
	r := rand.New(rand.NewPCG(uint64(o.Seed), 0xC4EA7ED))
	for i := range offsets {
		offsets[i] = r.Int64N(span)
	}
	slices.Sort(offsets)
	s.orders = make([]*order, 0, n)
	for _, off := range offsets {
		s.addOrder(from+off, now, false)
	}
	s.byCreated = make([]int32, len(s.orders))
	s.byModified = make([]int32, len(s.orders))
	for i := range s.orders {
		s.byCreated[i] = int32(i)
		s.byModified[i] = int32(i)
	}
	slices.SortFunc(s.byCreated, s.cmpCreated)
	slices.SortFunc(s.byModified, s.cmpModified)
	return s
}

// clock returns the shop's time in whole seconds.
func (s *Sim) clock() int64 { return s.now().Unix() }

// addOrder generates the next order and appends it (without indexing it).
// s.mu must be held for writing, or s not yet shared.
func (s *Sim) addOrder(created, now int64, fresh bool) *order {
	id := int64(len(s.orders)) + 1
	p := genParams{
		seed: s.seed, id: id, created: created, now: now, fresh: fresh,
		itemBase: s.nextItem, itemMetaBase: s.nextItemMeta, postMetaBase: s.nextPostMeta, shop: s.shop,
	}
	g := generate(p)
	o := &order{
		id: id, created: created, modified: g.modified, paid: g.paid, completed: g.completed,
		status: g.status, currency: g.doc.Currency, total: g.doc.Total, customerID: g.doc.CustomerID,
		fresh: fresh, itemBase: p.itemBase, itemMetaBase: p.itemMetaBase, postMetaBase: p.postMetaBase,
	}
	for _, rf := range g.refunds {
		s.appendRefundLocked(o, &g.doc, rf)
	}
	s.nextItem += g.items
	s.nextItemMeta += g.itemMetas
	s.nextPostMeta += g.postMetas
	s.orders = append(s.orders, o)
	if o.customerID != 0 {
		s.byCustomer[o.customerID] = append(s.byCustomer[o.customerID], int32(id-1))
	}
	return o
}

// doc rebuilds an order's generated content.
func (s *Sim) doc(o *order) *orderDoc {
	g := generate(genParams{
		seed: s.seed, id: o.id, created: o.created, now: o.created, fresh: o.fresh,
		itemBase: o.itemBase, itemMetaBase: o.itemMetaBase, postMetaBase: o.postMetaBase, shop: s.shop,
	})
	o.silent.apply(&g.doc)
	return &g.doc
}

func (s *Sim) cmpCreated(a, b int32) int {
	oa, ob := s.orders[a], s.orders[b]
	if oa.created != ob.created {
		if oa.created < ob.created {
			return -1
		}
		return 1
	}
	return int(a - b)
}

func (s *Sim) cmpModified(a, b int32) int {
	oa, ob := s.orders[a], s.orders[b]
	if oa.modified != ob.modified {
		if oa.modified < ob.modified {
			return -1
		}
		return 1
	}
	return int(a - b)
}

// insertSorted inserts index i into idx, which is sorted by cmp.
func insertSorted(idx []int32, i int32, cmp func(a, b int32) int) []int32 {
	pos, _ := slices.BinarySearchFunc(idx, i, cmp)
	return slices.Insert(idx, pos, i)
}

// ErrNoOrder is returned for an order id the shop does not have.
var ErrNoOrder = errors.New("woosim: no such order")

var statusRE = regexp.MustCompile(`^[a-z0-9_-]{1,17}$`)

// SetStatus changes an order's status as the shop admin would, with the
// side effects WooCommerce has: date_paid is set on reaching processing or
// completed, date_completed on reaching completed, and "refunded" refunds
// whatever was not refunded yet. date_modified becomes now, or one second
// after its old value if the clock has not moved past it. Statuses unknown
// to WooCommerce core are accepted as a plugin would register them
// (without the "wc-" prefix, at most 17 characters of [a-z0-9_-]).
//
// Webhooks hear it as order.updated, or order.deleted when the status is
// "trash" (see DeleteOrder) and order.restored when it leaves the trash.
func (s *Sim) SetStatus(id int64, status string) error {
	status = string(ledger.NormalizeStatus(status))
	if !statusRE.MatchString(status) {
		return fmt.Errorf("woosim: invalid order status %q", status)
	}
	s.mu.Lock()
	o := s.orderLocked(id)
	if o == nil {
		s.mu.Unlock()
		return fmt.Errorf("%w: %d", ErrNoOrder, id)
	}
	topic := s.setStatusLocked(o, status)
	s.mu.Unlock()
	s.emit(topic, id)
	return nil
}

// DeleteOrder moves an order to the trash, as "Move to Trash" in the admin
// or DELETE /orders/{id} without force do: its status becomes "trash", it
// leaves every listing that does not ask for trash, date_modified becomes
// now, and webhooks on order.deleted get {"id":N}. Trashing an order
// already in the trash changes nothing.
func (s *Sim) DeleteOrder(id int64) error {
	s.mu.Lock()
	o := s.orderLocked(id)
	if o == nil {
		s.mu.Unlock()
		return fmt.Errorf("%w: %d", ErrNoOrder, id)
	}
	if o.status == "trash" {
		s.mu.Unlock()
		return nil
	}
	topic := s.setStatusLocked(o, "trash")
	s.mu.Unlock()
	s.emit(topic, id)
	return nil
}

// setStatusLocked applies a status change and returns the webhook topic it
// fires. s.mu must be held for writing.
func (s *Sim) setStatusLocked(o *order, status string) string {
	if !slices.Contains(ledger.KnownStatuses, ledger.Status(status)) && status != "trash" &&
		!slices.Contains(s.extraStatuses, status) {
		s.extraStatuses = append(s.extraStatuses, status)
	}
	now := s.clock()
	s.touchLocked(o, now)
	t := o.modified
	switch ledger.Status(status) {
	case ledger.StatusProcessing:
		if o.paid == 0 {
			o.paid = t
		}
	case ledger.StatusCompleted:
		if o.paid == 0 {
			o.paid = t
		}
		if o.completed == 0 {
			o.completed = t
		}
	case ledger.StatusRefunded:
		// wc_order_fully_refunded(): refund what is left.
		left := o.total
		for _, rf := range o.refunds {
			left -= rf.Amount
		}
		if left > 0 {
			s.appendRefundLocked(o, nil, refund{Reason: "Order status set to refunded", Amount: left, Created: t})
		}
	}
	topic := "order.updated" // woocommerce_update_order (and woocommerce_order_refunded)
	switch {
	case o.status != "trash" && status == "trash":
		topic = "order.deleted" // wp_trash_post
	case o.status == "trash" && status != "trash":
		topic = "order.restored" // untrashed_post
	}
	if o.status == "trash" {
		s.trashed--
	}
	if status == "trash" {
		s.trashed++
	}
	o.status = status
	return topic
}

// touchLocked moves o's date_modified to now (strictly forward) and
// invalidates its renderings. s.mu must be held for writing.
func (s *Sim) touchLocked(o *order, now int64) {
	i := int32(o.id - 1)
	pos, found := slices.BinarySearchFunc(s.byModified, i, s.cmpModified)
	if !found {
		panic("woosim: modified index out of step")
	}
	s.byModified = slices.Delete(s.byModified, pos, pos+1)
	if now <= o.modified {
		now = o.modified + 1
	}
	o.modified = now
	o.rev++
	s.byModified = insertSorted(s.byModified, i, s.cmpModified)
}

func (s *Sim) orderLocked(id int64) *order {
	if id < 1 || id > int64(len(s.orders)) {
		return nil
	}
	return s.orders[id-1]
}

// AddOrders places n new orders now (pending, processing, on-hold or a
// checkout draft, as a shop's new orders are) and returns their ids, which
// continue the shop's sequence. Webhooks hear them as order.created.
func (s *Sim) AddOrders(n int) []int64 {
	if n <= 0 {
		return nil
	}
	ids := s.addOrders(n)
	s.emit("order.created", ids...)
	return ids
}

func (s *Sim) addOrders(n int) []int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	ids := make([]int64, 0, n)
	for range n {
		o := s.addOrder(now, now, true)
		i := int32(o.id - 1)
		s.byCreated = insertSorted(s.byCreated, i, s.cmpCreated)
		s.byModified = insertSorted(s.byModified, i, s.cmpModified)
		ids = append(ids, o.id)
	}
	return ids
}

// Snapshot returns every order's id, number, status, total, currency,
// modification and completion times, sorted by id.
func (s *Sim) Snapshot() []OrderSummary {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]OrderSummary, len(s.orders))
	for i, o := range s.orders {
		out[i] = o.summary()
	}
	return out
}

func (o *order) summary() OrderSummary {
	s := OrderSummary{
		ID: o.id, Number: strconv.FormatInt(o.id, 10), Status: o.status,
		Total: o.total.String(), Currency: o.currency, Modified: time.Unix(o.modified, 0).UTC(),
	}
	if o.completed != 0 {
		s.Completed = time.Unix(o.completed, 0).UTC()
	}
	return s
}

// Count returns how many orders the shop has.
func (s *Sim) Count() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.orders)
}

// orderStatuses lists the statuses the REST API's status filter accepts
// besides "any" and "trash": core's, then the ones set through SetStatus.
func (s *Sim) orderStatusesLocked() []string {
	out := []string{
		string(ledger.StatusPending), string(ledger.StatusProcessing), string(ledger.StatusOnHold),
		string(ledger.StatusCompleted), string(ledger.StatusCancelled), string(ledger.StatusRefunded),
		string(ledger.StatusFailed), string(ledger.StatusCheckoutDraft),
	}
	return append(out, s.extraStatuses...)
}
