package journal

import (
	"cmp"
	"slices"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
)

// Per is how long an entry runs.
type Per string

const (
	PerDay    Per = "day"    // one entry per shop, currency and day
	PerPeriod Per = "period" // one entry per shop and currency for the whole range
)

// Query asks for the journal from From through To (local days).
type Query struct {
	From, To sales.Day
	Per      Per
}

// What a line books.
const (
	WhatClearing  = "clearing"
	WhatSales     = "sales"
	WhatShipping  = "shipping"
	WhatFees      = "fees"
	WhatDiscounts = "discounts"
	WhatVAT       = "vat"
	WhatRefunds   = "refunds"
	WhatRounding  = "rounding"
)

// Kinds of lines: what happened on the day, or an adjustment for a
// closed day (a change after closing).
const (
	KindSale       = "sale"
	KindRefund     = "refund"
	KindAdjustment = "adjustment"
)

// Line is one line of an entry: an account, debited or credited, with the
// dimensions it is booked under.
type Line struct {
	Account    Account
	What       string
	Kind       string
	RateID     int64
	RateLabel  string
	Method     string
	Warehouse  ledger.WarehouseID
	CostCenter ledger.CostCenterID
	Debit      ledger.Amount
	Credit     ledger.Amount
}

// Entry is one balanced journal entry.
type Entry struct {
	Shop     ledger.ShopID
	Currency string
	// From and To are the days the entry covers (equal for a day's entry).
	From, To sales.Day
	Lines    []Line
}

// Totals are the entry's debits and credits; equal in a balanced entry.
func (e *Entry) Totals() (debit, credit ledger.Amount) {
	for _, l := range e.Lines {
		debit += l.Debit
		credit += l.Credit
	}
	return debit, credit
}

// Shop is what the journal needs of a shop besides its records.
type Shop struct {
	ID       ledger.ShopID
	Basis    ledger.BooksBasis
	Location *time.Location
	Accounts Accounts
	Closing  sales.Closing
	// Changes are the shop's changes after closing, oldest first.
	Changes []sales.Change
}

// Builder adds records up into entries. Its memory grows with the days,
// accounts and dimensions of the journal, not with the orders.
type Builder struct {
	q       Query
	shop    *Shop
	zone    *sales.Zone
	changes map[int64][]*change // of the current shop, by order
	entries map[entryKey]*entry
	events  []sales.Event
	buf     []posting
}

type change struct {
	*sales.Change
	through sales.Day // the closing still in force over it (reopenings move it back)
}

type entryKey struct {
	shop     ledger.ShopID
	currency string
	day      sales.Day
}

type lineKey struct {
	code, what, kind, method string
	rate                     int64
	wh                       ledger.WarehouseID
	cc                       ledger.CostCenterID
}

type entry struct {
	lines map[lineKey]*lineSum
}

type lineSum struct {
	account   Account
	rateLabel string
	amount    ledger.Amount // debit positive
}

// NewBuilder starts the journal of q.
func NewBuilder(q Query) *Builder {
	if q.Per == "" {
		q.Per = PerDay
	}
	return &Builder{q: q, entries: make(map[entryKey]*entry)}
}

// AddShop makes sh the shop whose records Add takes next, and books its
// changes after closing that fall in the range as adjustments.
func (b *Builder) AddShop(sh *Shop) {
	b.shop = sh
	b.zone = sales.NewZone(sh.Location)
	b.changes = make(map[int64][]*change)
	for i := range sh.Changes {
		c := &change{Change: &sh.Changes[i], through: effectiveThrough(&sh.Changes[i], &sh.Closing)}
		b.changes[c.Order] = append(b.changes[c.Order], c)
		if c.BookOn >= b.q.From && c.BookOn <= b.q.To {
			b.adjust(c)
		}
	}
}

// effectiveThrough is the closing over a change's days: the closing when
// it arrived, moved back by any reopening since.
func effectiveThrough(c *sales.Change, closing *sales.Closing) sales.Day {
	t := c.ClosedThrough
	for _, h := range closing.History {
		if h.Action == sales.ActionReopen && h.At.After(c.Arrived) && h.Through < t {
			t = h.Through
		}
	}
	return t
}

// Add books r, an order of the current shop: each of its events on the
// version of the order that the day's journal was closed with.
func (b *Builder) Add(r *sales.Record) {
	chs := b.changes[r.ID]
	if len(chs) == 0 {
		b.addVersion(r, r, nil, nil)
		return
	}
	for i, c := range chs {
		if c.Before != nil {
			b.addVersion(c.Before, r, chs, chs[i])
		}
	}
	b.addVersion(r, r, chs, nil)
}

// addVersion books the events of v (a version of the current record cur)
// on the days whose journal keeps v: a closed day keeps the version from
// before the first change after its closing (self), an open day the
// current one (self nil).
func (b *Builder) addVersion(v, cur *sales.Record, chs []*change, self *change) {
	b.events = v.Events(b.events[:0], b.shop.Basis, b.zone)
	for i := range b.events {
		e := &b.events[i]
		if e.Day < b.q.From || e.Day > b.q.To || keeper(chs, e.Day) != self {
			continue
		}
		kind := KindSale
		if e.Kind != sales.KindSale {
			kind = KindRefund
		}
		b.post(v, e, e.Day, kind, 1)
	}
}

// keeper is the change whose Before a closed day's journal keeps: the
// first whose closing covers the day; nil for the current version.
func keeper(chs []*change, d sales.Day) *change {
	for _, c := range chs {
		if d <= c.through {
			return c
		}
	}
	return nil
}

// adjust books on c.BookOn what c changed on closed days: the new version's
// events there, less the old one's.
func (b *Builder) adjust(c *change) {
	for _, v := range []struct {
		r    *sales.Record
		sign ledger.Amount
	}{{&c.After, 1}, {c.Before, -1}} {
		if v.r == nil {
			continue
		}
		events := v.r.Events(nil, b.shop.Basis, b.zone)
		for i := range events {
			if events[i].Day <= c.through {
				b.post(v.r, &events[i], c.BookOn, KindAdjustment, v.sign)
			}
		}
	}
}

type posting struct {
	acc    Account
	what   string
	rate   int64
	label  string
	amount ledger.Amount // debit positive
}

// post books one event of r on day: the lines of the sale or refund,
// each rounded to the cent, and a rounding line if they leave one.
// sign -1 reverses them.
func (b *Builder) post(r *sales.Record, e *sales.Event, day sales.Day, kind string, sign ledger.Amount) {
	acc := &b.shop.Accounts
	p := b.buf[:0]
	add := func(a Account, what string, rate int64, label string, amount ledger.Amount) {
		if amount = sales.Cents(amount); amount != 0 {
			p = append(p, posting{a, what, rate, label, amount})
		}
	}
	switch e.Kind {
	case sales.KindSale, sales.KindFullRefund:
		s := ledger.Amount(1) // a sale credits income; a full refund debits it back
		if e.Kind == sales.KindFullRefund {
			s = -1
		}
		add(acc.ClearingFor(r.Method), WhatClearing, 0, "", s*r.Total)
		for i := range r.Rates {
			t := &r.Rates[i]
			net := t.Net
			if acc.DiscountsApart && e.Kind == sales.KindSale {
				add(acc.Discounts, WhatDiscounts, t.ID, t.Label, t.Gross-t.Net)
				net = t.Gross
			}
			add(b.salesAccount(t.ID, e.Kind), WhatSales, t.ID, t.Label, -s*net)
			add(acc.VATFor(t.ID), WhatVAT, t.ID, t.Label, -s*(t.Tax+t.ShippingTax))
		}
		add(acc.Shipping, WhatShipping, 0, "", -s*r.Shipping)
		add(acc.Fees, WhatFees, 0, "", -s*r.Fees)
	case sales.KindRefund:
		f := e.Refund
		add(acc.ClearingFor(r.Method), WhatClearing, 0, "", -f.Amount)
		detail := f.Shipping != 0 || f.Fees != 0
		for i := range f.Rates {
			t := &f.Rates[i]
			add(b.salesAccount(t.ID, e.Kind), WhatSales, t.ID, t.Label, t.Net)
			add(acc.VATFor(t.ID), WhatVAT, t.ID, t.Label, t.Tax+t.ShippingTax)
			detail = detail || t.Net != 0 || t.Tax != 0 || t.ShippingTax != 0
		}
		add(acc.Shipping, WhatShipping, 0, "", f.Shipping)
		add(acc.Fees, WhatFees, 0, "", f.Fees)
		if !detail { // an amount refunded without items: no VAT to take back
			add(b.salesAccount(0, e.Kind), WhatRefunds, 0, "", f.Amount)
		}
	}
	var sum ledger.Amount
	for _, x := range p {
		sum += x.amount
	}
	if sum != 0 && e.Kind == sales.KindRefund && e.Refund.SplitUnknown {
		// The part of the refund the shop did not detail (the legacy API:
		// shipping, fees, an amount): refunded, but its VAT is unknown.
		p = append(p, posting{b.salesAccount(0, e.Kind), WhatRefunds, 0, "", -sum})
		sum = 0
	}
	if sum != 0 {
		p = append(p, posting{acc.Rounding, WhatRounding, 0, "", -sum})
	}
	b.buf = p
	en := b.entry(r.Currency, day)
	for _, x := range p {
		k := lineKey{code: x.acc.Code, what: x.what, kind: kind, rate: x.rate, wh: r.Warehouse, cc: r.CostCenter}
		if x.what == WhatClearing {
			k.method = r.Method
		}
		l := en.lines[k]
		if l == nil {
			l = &lineSum{account: x.acc, rateLabel: x.label}
			en.lines[k] = l
		}
		l.amount += sign * x.amount
	}
}

// salesAccount is where goods' net amounts go: the rate's sales account,
// or for a refund the refunds account if the mapping has one.
func (b *Builder) salesAccount(rate int64, k sales.Kind) Account {
	acc := &b.shop.Accounts
	if k != sales.KindSale && acc.Refunds.Code != "" {
		return acc.Refunds
	}
	return acc.SalesFor(rate)
}

func (b *Builder) entry(currency string, day sales.Day) *entry {
	k := entryKey{shop: b.shop.ID, currency: currency, day: day}
	if b.q.Per == PerPeriod {
		k.day = b.q.From
	}
	en := b.entries[k]
	if en == nil {
		en = &entry{lines: make(map[lineKey]*lineSum)}
		b.entries[k] = en
	}
	return en
}

// Entries returns the journal: entries by shop, currency and day; lines
// debits first, then by account, kind, rate and dimensions. Lines that
// net to zero are left out.
func (b *Builder) Entries() []Entry {
	out := make([]Entry, 0, len(b.entries))
	for k, en := range b.entries {
		e := Entry{Shop: k.shop, Currency: k.currency, From: k.day, To: k.day}
		if b.q.Per == PerPeriod {
			e.From, e.To = b.q.From, b.q.To
		}
		for lk, l := range en.lines {
			if l.amount == 0 {
				continue
			}
			line := Line{Account: l.account, What: lk.what, Kind: lk.kind, RateID: lk.rate, RateLabel: l.rateLabel,
				Method: lk.method, Warehouse: lk.wh, CostCenter: lk.cc}
			if l.amount > 0 {
				line.Debit = l.amount
			} else {
				line.Credit = -l.amount
			}
			e.Lines = append(e.Lines, line)
		}
		if len(e.Lines) == 0 {
			continue
		}
		slices.SortFunc(e.Lines, compareLines)
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(a.Shop, b.Shop), cmp.Compare(a.Currency, b.Currency), cmp.Compare(a.From, b.From))
	})
	return out
}

func compareLines(a, b Line) int {
	side := func(l Line) int {
		if l.Debit != 0 {
			return 0
		}
		return 1
	}
	return cmp.Or(cmp.Compare(side(a), side(b)), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Account.Code, b.Account.Code),
		cmp.Compare(a.What, b.What), cmp.Compare(a.RateID, b.RateID), cmp.Compare(a.Method, b.Method),
		cmp.Compare(a.Warehouse, b.Warehouse), cmp.Compare(a.CostCenter, b.CostCenter))
}

func sortedStrings(s []string) []string { slices.Sort(s); return s }
