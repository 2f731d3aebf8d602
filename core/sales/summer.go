package sales

import (
	"cmp"
	"slices"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Grouping is how a summary's periods are cut.
type Grouping string

const (
	ByNone  Grouping = ""
	ByDay   Grouping = "day"
	ByMonth Grouping = "month"
)

// Query asks for totals from From through To (local days, inclusive).
type Query struct {
	From, To Day
	By       Grouping
	// Warehouse and CostCenter, when set, count only orders booked under them.
	Warehouse  ledger.WarehouseID
	CostCenter ledger.CostCenterID
}

// Group is the totals of one shop in one currency: currencies are never
// added together.
type Group struct {
	Shop     ledger.ShopID
	Currency string
	Totals
	Taxes      []RateTotals
	Methods    []MethodTotals
	Periods    []Period    // by Query.By, every day or month of the range
	Dimensions []Dimension // per warehouse and cost center
}

// RateTotals is one tax rate's tax. RefundedTax includes refunded
// shipping tax; an order refunded in full refunds its whole tax.
type RateTotals struct {
	ID          int64
	Label       string
	Percent     ledger.Amount
	Tax         ledger.Amount
	ShippingTax ledger.Amount
	RefundedTax ledger.Amount
}

// MethodTotals is one payment method's sales (order totals on their
// basis date) and refunds (on their dates).
type MethodTotals struct {
	Method, Title  string
	Sales, Refunds ledger.Amount
}

// Period is the totals of one day or month.
type Period struct {
	Period   string // "2026-10-31" or "2026-10"
	From, To Day
	Totals
}

// Dimension is the totals booked under one warehouse and cost center.
type Dimension struct {
	Warehouse  ledger.WarehouseID
	CostCenter ledger.CostCenterID
	Totals
}

// Summer adds records up into groups.
type Summer struct {
	q      Query
	groups map[groupKey]*Group
	last   *Group
	events []Event
	zones  map[*time.Location]*Zone
	// periodOf is the index in Group.Periods of each day of the range.
	periodOf []int32
}

type groupKey struct {
	shop     ledger.ShopID
	currency string
}

// NewSummer starts totals for q.
func NewSummer(q Query) *Summer {
	s := &Summer{q: q, groups: make(map[groupKey]*Group), zones: make(map[*time.Location]*Zone)}
	for i, p := range s.periods() {
		for d := p.From; d <= p.To; d++ {
			s.periodOf = append(s.periodOf, int32(i))
		}
	}
	return s
}

// Add counts r, an order of a shop with the given basis and time zone. r
// is not kept.
func (s *Summer) Add(r *Record, basis ledger.BooksBasis, loc *time.Location) {
	if s.q.Warehouse != 0 && r.Warehouse != s.q.Warehouse || s.q.CostCenter != 0 && r.CostCenter != s.q.CostCenter {
		return
	}
	z := s.zones[loc]
	if z == nil {
		z = NewZone(loc)
		s.zones[loc] = z
	}
	s.events = r.Events(s.events[:0], basis, z)
	for i := range s.events {
		e := &s.events[i]
		if e.Day < s.q.From || e.Day > s.q.To {
			continue
		}
		g := s.group(r.Shop, r.Currency)
		g.Totals.add(r, e)
		if p := s.period(g, e.Day); p != nil {
			p.Totals.add(r, e)
		}
		g.dimension(r.Warehouse, r.CostCenter).add(r, e)
		g.addTaxes(r, e)
		g.addMethod(r, e)
	}
}

func (s *Summer) group(shop ledger.ShopID, currency string) *Group {
	if g := s.last; g != nil && g.Shop == shop && g.Currency == currency {
		return g
	}
	k := groupKey{shop, currency}
	g := s.groups[k]
	if g == nil {
		g = &Group{Shop: shop, Currency: currency, Periods: s.periods()}
		s.groups[k] = g
	}
	s.last = g
	return g
}

// periods lays out the query's days or months, all of them, as
// WooCommerce's report does: a quiet day is a row of zeros.
func (s *Summer) periods() []Period {
	var ps []Period
	switch s.q.By {
	case ByDay:
		for d := s.q.From; d <= s.q.To; d++ {
			ps = append(ps, Period{Period: d.String(), From: d, To: d})
		}
	case ByMonth:
		for d := s.q.From; d <= s.q.To; {
			y, m, _ := d.Date().Date()
			end := min(DateDay(y, m+1, 1)-1, s.q.To)
			ps = append(ps, Period{Period: d.Month(), From: d, To: end})
			d = end + 1
		}
	}
	return ps
}

func (s *Summer) period(g *Group, d Day) *Period {
	if len(g.Periods) == 0 {
		return nil
	}
	return &g.Periods[s.periodOf[d-s.q.From]]
}

func (g *Group) dimension(wh ledger.WarehouseID, cc ledger.CostCenterID) *Totals {
	for i := range g.Dimensions {
		if d := &g.Dimensions[i]; d.Warehouse == wh && d.CostCenter == cc {
			return &d.Totals
		}
	}
	g.Dimensions = append(g.Dimensions, Dimension{Warehouse: wh, CostCenter: cc})
	return &g.Dimensions[len(g.Dimensions)-1].Totals
}

func (g *Group) rate(t *Rate) *RateTotals {
	for i := range g.Taxes {
		if g.Taxes[i].ID == t.ID {
			rt := &g.Taxes[i]
			if rt.Label == "" {
				rt.Label = t.Label
			}
			if rt.Percent == 0 {
				rt.Percent = t.Percent
			}
			return rt
		}
	}
	g.Taxes = append(g.Taxes, RateTotals{ID: t.ID, Label: t.Label, Percent: t.Percent})
	return &g.Taxes[len(g.Taxes)-1]
}

func (g *Group) addTaxes(r *Record, e *Event) {
	switch e.Kind {
	case KindSale, KindFullRefund:
		for i := range r.Rates {
			t := &r.Rates[i]
			if t.Tax == 0 && t.ShippingTax == 0 {
				continue
			}
			rt := g.rate(t)
			if e.Kind == KindSale {
				rt.Tax += t.Tax
				rt.ShippingTax += t.ShippingTax
			} else {
				rt.RefundedTax += t.Tax + t.ShippingTax
			}
		}
	case KindRefund:
		for i := range e.Refund.Rates {
			t := &e.Refund.Rates[i]
			if t.Tax == 0 && t.ShippingTax == 0 {
				continue
			}
			g.rate(t).RefundedTax += t.Tax + t.ShippingTax
		}
	}
}

func (g *Group) addMethod(r *Record, e *Event) {
	var m *MethodTotals
	for i := range g.Methods {
		if g.Methods[i].Method == r.Method {
			m = &g.Methods[i]
			break
		}
	}
	if m == nil {
		g.Methods = append(g.Methods, MethodTotals{Method: r.Method})
		m = &g.Methods[len(g.Methods)-1]
	}
	if m.Title == "" {
		m.Title = r.MethodTitle
	}
	switch e.Kind {
	case KindSale:
		m.Sales += r.Total
	case KindFullRefund:
		m.Refunds += r.Total
	case KindRefund:
		m.Refunds += e.Refund.Amount
	}
}

// Groups returns the totals, by shop and currency, with rates, methods and
// dimensions sorted.
func (s *Summer) Groups() []Group {
	out := make([]Group, 0, len(s.groups))
	for _, g := range s.groups {
		slices.SortFunc(g.Taxes, func(a, b RateTotals) int { return cmp.Compare(a.ID, b.ID) })
		slices.SortFunc(g.Methods, func(a, b MethodTotals) int { return cmp.Compare(a.Method, b.Method) })
		slices.SortFunc(g.Dimensions, func(a, b Dimension) int {
			return cmp.Or(cmp.Compare(a.Warehouse, b.Warehouse), cmp.Compare(a.CostCenter, b.CostCenter))
		})
		out = append(out, *g)
	}
	slices.SortFunc(out, func(a, b Group) int {
		return cmp.Or(cmp.Compare(a.Shop, b.Shop), cmp.Compare(a.Currency, b.Currency))
	})
	return out
}
