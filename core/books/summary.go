package books

import (
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/shopledger/shopledger/core/journal"
	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/sales"
)

// SummaryQuery asks for period totals: From through To in each shop's
// own time zone.
type SummaryQuery struct {
	From, To sales.Day
	// Shop limits the totals to one shop (0: every shop).
	Shop ledger.ShopID
	// By cuts the range into days or months (empty: no periods).
	By         sales.Grouping
	Warehouse  ledger.WarehouseID
	CostCenter ledger.CostCenterID
}

// Summary is the totals per shop and currency, with what the bookkeeper
// must know to read them.
type Summary struct {
	From, To sales.Day
	// Basis is the shops' books basis, "mixed" when they differ.
	Basis  string
	Groups []sales.Group
	Shops  map[ledger.ShopID]ledger.Shop
	// Notes say where a figure is defined differently from WooCommerce's
	// report.
	Notes []string
}

// Summary adds up the sales records of the query's shops by WooCommerce's
// sales-report definitions (see core/sales).
func (b *Books) Summary(q SummaryQuery) (Summary, error) {
	if q.To < q.From {
		return Summary{}, &InputError{Problems: []string{fmt.Sprintf("the period ends (%s) before it starts (%s)", q.To, q.From)}}
	}
	shops, err := b.shopsOf(q.Shop)
	if err != nil {
		return Summary{}, err
	}
	s := Summary{From: q.From, To: q.To, Shops: map[ledger.ShopID]ledger.Shop{}, Notes: []string{sales.DiscountNote, sales.FeesNote}}
	sum := sales.NewSummer(sales.Query{From: q.From, To: q.To, By: q.By, Warehouse: q.Warehouse, CostCenter: q.CostCenter})
	bases := map[ledger.BooksBasis]bool{}
	for _, sh := range shops {
		s.Shops[sh.ID] = sh
		basis, loc := sales.Basis(sh.BooksBasis), sh.Location()
		bases[basis] = true
		err := b.Store.EachSalesRecord(sh.ID, func(r *sales.Record) error {
			sum.Add(r, basis, loc)
			return nil
		})
		if err != nil {
			return Summary{}, err
		}
	}
	s.Groups = sum.Groups()
	s.Basis = string(ledger.BasisCreated)
	if len(bases) > 1 {
		s.Basis = "mixed"
	}
	for basis := range bases {
		if len(bases) == 1 {
			s.Basis = string(basis)
		}
	}
	return s, nil
}

// shopsOf is the one shop asked for, or every shop.
func (b *Books) shopsOf(id ledger.ShopID) ([]ledger.Shop, error) {
	if id != 0 {
		sh, err := b.Store.Shop(id)
		if err != nil {
			return nil, err
		}
		return []ledger.Shop{sh}, nil
	}
	return b.Store.Shops()
}

// JournalQuery asks for the journal From through To.
type JournalQuery struct {
	From, To sales.Day
	Shop     ledger.ShopID // 0: every shop
	Per      journal.Per
}

// Journal builds the summary journal: each shop's records on its accounts,
// its closed days as they were closed, and its changes after closing as
// adjustments on the first open day after the closing they arrived in.
func (b *Books) Journal(q JournalQuery) ([]journal.Entry, error) {
	if q.To < q.From {
		return nil, &InputError{Problems: []string{fmt.Sprintf("the period ends (%s) before it starts (%s)", q.To, q.From)}}
	}
	shops, err := b.shopsOf(q.Shop)
	if err != nil {
		return nil, err
	}
	jb := journal.NewBuilder(journal.Query{From: q.From, To: q.To, Per: q.Per})
	for _, sh := range shops {
		acc, _, err := b.Store.Accounts(sh.ID)
		if err != nil {
			return nil, err
		}
		closing, err := b.Store.Closing(sh.ID)
		if err != nil {
			return nil, err
		}
		changes, err := b.Store.ClosedChanges(sh.ID)
		if err != nil {
			return nil, err
		}
		jb.AddShop(&journal.Shop{ID: sh.ID, Basis: sales.Basis(sh.BooksBasis), Location: sh.Location(),
			Accounts: acc, Closing: closing, Changes: changes})
		err = b.Store.EachSalesRecord(sh.ID, func(r *sales.Record) error {
			jb.Add(r)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return jb.Entries(), nil
}

// JournalNames resolves the shops, warehouses and cost centers on journal
// lines to their names and codes.
func (b *Books) JournalNames() (journal.Names, error) {
	shops, err := b.Store.Shops()
	if err != nil {
		return journal.Names{}, err
	}
	whs, err := b.Store.Warehouses()
	if err != nil {
		return journal.Names{}, err
	}
	ccs, err := b.Store.CostCenters()
	if err != nil {
		return journal.Names{}, err
	}
	shopNames := map[ledger.ShopID]string{}
	for _, s := range shops {
		shopNames[s.ID] = s.Name
	}
	whCodes := map[ledger.WarehouseID]string{}
	for _, w := range whs {
		whCodes[w.ID] = w.Code
	}
	ccCodes := map[ledger.CostCenterID]string{}
	for _, c := range ccs {
		ccCodes[c.ID] = c.Code
	}
	return journal.Names{
		Shop:       func(id ledger.ShopID) string { return shopNames[id] },
		Warehouse:  func(id ledger.WarehouseID) string { return whCodes[id] },
		CostCenter: func(id ledger.CostCenterID) string { return ccCodes[id] },
	}, nil
}

// ExportJournal writes the journal of q as "csv" (with opt) or "xlsx".
func (b *Books) ExportJournal(w io.Writer, q JournalQuery, format string, opt journal.CSVOptions) error {
	entries, err := b.Journal(q)
	if err != nil {
		return err
	}
	names, err := b.JournalNames()
	if err != nil {
		return err
	}
	switch strings.ToLower(format) {
	case "csv":
		return journal.WriteCSV(w, entries, names, opt)
	case "xlsx":
		return journal.WriteXLSX(w, entries, names)
	}
	return &InputError{Problems: []string{fmt.Sprintf("unknown journal format %q: use csv or xlsx", format)}}
}

// CloseBooks closes a shop's books through a day. by says who closed them.
func (b *Books) CloseBooks(shop ledger.ShopID, through sales.Day, by string) (sales.Closing, error) {
	return b.Store.CloseBooks(shop, through, by, time.Now())
}

// ReopenBooks moves a shop's closing back to through (zero: nothing stays
// closed); the reopening is kept in the closing's history.
func (b *Books) ReopenBooks(shop ledger.ShopID, through sales.Day, by string) (sales.Closing, error) {
	return b.Store.ReopenBooks(shop, through, by, time.Now())
}

// SetBooksBasis sets the date a shop's sales are booked on. While any of
// its books are closed the basis stays: a new one would move sales in and
// out of closed days.
func (b *Books) SetBooksBasis(shop ledger.ShopID, basis ledger.BooksBasis) (ledger.Shop, error) {
	switch basis {
	case ledger.BasisCreated, ledger.BasisPaid, ledger.BasisCompleted:
	default:
		return ledger.Shop{}, &InputError{Problems: []string{fmt.Sprintf("%q is no books basis: use created, paid or completed", basis)}}
	}
	sh, err := b.Store.Shop(shop)
	if err != nil {
		return sh, err
	}
	if sales.Basis(sh.BooksBasis) == basis {
		return sh, nil
	}
	c, err := b.Store.Closing(shop)
	if err != nil {
		return sh, err
	}
	if c.Through != 0 {
		return sh, &InputError{Problems: []string{fmt.Sprintf(
			"the books of %q are closed through %s: another basis would move sales in and out of closed days; reopen them first", sh.Name, c.Through)}}
	}
	sh.BooksBasis = basis
	if err := b.Store.UpdateShop(sh); err != nil {
		return sh, err
	}
	return sh, nil
}
