package journal

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Names turns the ids on entries into what the bookkeeper reads: shop
// names, warehouse and cost center codes. A nil func prints the id.
type Names struct {
	Shop       func(ledger.ShopID) string
	Warehouse  func(ledger.WarehouseID) string
	CostCenter func(ledger.CostCenterID) string
}

// Header is the journal's columns, in CSV and XLSX alike.
var Header = []string{
	"entry", "date", "date_to", "shop", "currency", "account", "account_name", "debit", "credit",
	"kind", "what", "rate_id", "rate", "payment_method", "warehouse", "cost_center",
}

// row is the line's cells; amounts as decimal strings.
func (n *Names) row(no int, e *Entry, l *Line) []string {
	amount := func(a ledger.Amount) string {
		if a == 0 {
			return ""
		}
		return a.String()
	}
	rate := ""
	if l.RateID != 0 {
		rate = strconv.FormatInt(l.RateID, 10)
	}
	return []string{
		strconv.Itoa(no), e.From.String(), e.To.String(), name(n.Shop, e.Shop), e.Currency,
		l.Account.Code, l.Account.Name, amount(l.Debit), amount(l.Credit),
		l.Kind, l.What, rate, l.RateLabel, l.Method, name(n.Warehouse, l.Warehouse), name(n.CostCenter, l.CostCenter),
	}
}

func name[T ~uint64](f func(T) string, id T) string {
	if id == 0 {
		return ""
	}
	if f != nil {
		if s := f(id); s != "" {
			return s
		}
	}
	return strconv.FormatUint(uint64(id), 10)
}

// CSVOptions are how a spreadsheet expects its CSV. Excel set up for
// Bulgaria reads ";" between fields and a decimal comma, and shows Cyrillic
// right only after a byte order mark.
type CSVOptions struct {
	Semicolon bool // ";" between fields and a decimal comma in amounts
	BOM       bool
}

// WriteCSV writes the entries, one row per line, numbered from 1.
func WriteCSV(w io.Writer, entries []Entry, n Names, opt CSVOptions) error {
	if opt.BOM {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return fmt.Errorf("write the journal as csv: %w", err)
		}
	}
	cw := csv.NewWriter(w)
	if opt.Semicolon {
		cw.Comma = ';'
	}
	if err := cw.Write(Header); err != nil {
		return fmt.Errorf("write the journal as csv: %w", err)
	}
	for i := range entries {
		e := &entries[i]
		for j := range e.Lines {
			row := n.row(i+1, e, &e.Lines[j])
			if opt.Semicolon {
				row[7], row[8] = strings.Replace(row[7], ".", ",", 1), strings.Replace(row[8], ".", ",", 1)
			}
			if err := cw.Write(row); err != nil {
				return fmt.Errorf("write the journal as csv: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write the journal as csv: %w", err)
	}
	return nil
}

// WriteXLSX writes the entries to a Journal sheet with excelize's stream
// writer, amounts as numbers with two decimals. The rows are a journal's
// (days × accounts × dimensions), not the orders', so they stay few.
func WriteXLSX(w io.Writer, entries []Entry, n Names) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Journal"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return fmt.Errorf("write the journal as xlsx: %w", err)
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	if err != nil {
		return fmt.Errorf("write the journal as xlsx: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return fmt.Errorf("write the journal as xlsx: %w", err)
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return fmt.Errorf("write the journal as xlsx: %w", err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return fmt.Errorf("write the journal as xlsx: %w", err)
	}
	head := make([]any, len(Header))
	for i, h := range Header {
		head[i] = excelize.Cell{Value: h, StyleID: bold}
	}
	if err := sw.SetRow("A1", head); err != nil {
		return fmt.Errorf("write the journal as xlsx: %w", err)
	}
	row := 2
	cells := make([]any, len(Header))
	for i := range entries {
		e := &entries[i]
		for j := range e.Lines {
			l := &e.Lines[j]
			for k, s := range n.row(i+1, e, l) {
				cells[k] = s
			}
			cells[0] = i + 1
			for k, a := range map[int]ledger.Amount{7: l.Debit, 8: l.Credit} {
				if a == 0 {
					cells[k] = nil
					continue
				}
				v, _ := strconv.ParseFloat(a.String(), 64) // a cell's number; the amount itself stays exact above
				cells[k] = excelize.Cell{Value: v, StyleID: money}
			}
			cell, _ := excelize.CoordinatesToCellName(1, row)
			if err := sw.SetRow(cell, cells); err != nil {
				return fmt.Errorf("write the journal as xlsx: %w", err)
			}
			row++
		}
	}
	if err := sw.Flush(); err != nil {
		return fmt.Errorf("write the journal as xlsx: %w", err)
	}
	if _, err := f.WriteTo(w); err != nil {
		return fmt.Errorf("write the journal as xlsx: %w", err)
	}
	return nil
}
