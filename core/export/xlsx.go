package export

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// WriteXLSX writes an Orders and a Lines sheet. Both are streamed
// (excelize spills rows to a temporary file beyond a few megabytes), in
// one pass over the orders.
func WriteXLSX(w io.Writer, src Source, opt Options) (Stats, error) {
	var st Stats
	opt = opt.withDefaults()
	n, err := loadNames(src)
	if err != nil {
		return st, err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Orders"); err != nil {
		return st, err
	}
	if _, err := f.NewSheet("Lines"); err != nil {
		return st, err
	}
	money, err := f.NewStyle(&excelize.Style{NumFmt: 4}) // #,##0.00
	if err != nil {
		return st, err
	}
	date, err := f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm")})
	if err != nil {
		return st, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return st, err
	}
	orders, err := newSheet(f, "Orders", orderHeader, bold)
	if err != nil {
		return st, err
	}
	lines, err := newSheet(f, "Lines", lineHeader, bold)
	if err != nil {
		return st, err
	}
	conv := func(cells []cell) []any {
		out := make([]any, len(cells))
		for i, c := range cells {
			switch v := c.(type) {
			case ledger.Amount:
				out[i] = excelize.Cell{StyleID: money, Value: v.Float()}
			case time.Time:
				// Excel has no time zones: write the local wall time.
				out[i] = excelize.Cell{StyleID: date, Value: time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), 0, time.UTC)}
			default:
				out[i] = v
			}
		}
		return out
	}
	err = src.EachOrder(opt.Filter, func(o *ledger.Order) error {
		st.Orders++
		if err := orders.add(conv(n.orderRow(o, opt.Location))); err != nil {
			return err
		}
		for _, r := range n.lineRows(o, opt.Location) {
			st.Lines++
			if err := lines.add(conv(r)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("export orders as xlsx: %w", err)
	}
	for _, s := range []*sheet{orders, lines} {
		if err := s.sw.Flush(); err != nil {
			return st, fmt.Errorf("finish sheet %s: %w", s.name, err)
		}
	}
	if _, err := f.WriteTo(w); err != nil {
		return st, fmt.Errorf("write xlsx: %w", err)
	}
	return st, nil
}

type sheet struct {
	name string
	sw   *excelize.StreamWriter
	row  int
}

func newSheet(f *excelize.File, name string, header []string, bold int) (*sheet, error) {
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return nil, fmt.Errorf("start sheet %s: %w", name, err)
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	s := &sheet{name: name, sw: sw, row: 1}
	return s, s.add(cells)
}

func (s *sheet) add(cells []any) error {
	ref, err := excelize.CoordinatesToCellName(1, s.row)
	if err != nil {
		return err
	}
	s.row++
	return s.sw.SetRow(ref, cells)
}

func ptr[T any](v T) *T { return &v }
