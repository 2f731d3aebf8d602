package export

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// Where the two sheets live in the workbook excelize makes.
const (
	ordersPart = "xl/worksheets/sheet1.xml"
	linesPart  = "xl/worksheets/sheet2.xml"
)

// WriteXLSX writes an Orders and a Lines sheet, in one pass over the
// orders and with memory that does not grow with their number: excelize
// makes the workbook around the sheets (styles, names, headers, frozen
// header row), and the rows are written into the zip as they are read —
// the Orders sheet straight to w, the Lines sheet to a temporary file
// first, copied in after it. (excelize's own StreamWriter keeps rows in
// temporary files too, but File.WriteTo assembles the whole archive in
// memory: 220 MB for 100,000 orders.)
func WriteXLSX(w io.Writer, src Source, opt Options) (Stats, error) {
	var st Stats
	opt = opt.withDefaults()
	n, err := loadNames(src)
	if err != nil {
		return st, err
	}
	tpl, err := newTemplate()
	if err != nil {
		return st, fmt.Errorf("export orders as xlsx: %w", err)
	}
	zr, err := zip.NewReader(bytes.NewReader(tpl.data), int64(len(tpl.data)))
	if err != nil {
		return st, fmt.Errorf("export orders as xlsx: read the template: %w", err)
	}
	var ordersXML, linesXML []byte
	zw := zip.NewWriter(w)
	for _, f := range zr.File {
		if f.Name == ordersPart || f.Name == linesPart {
			data, err := readPart(f)
			if err != nil {
				return st, err
			}
			if f.Name == ordersPart {
				ordersXML = data
			} else {
				linesXML = data
			}
			continue
		}
		if err := zw.Copy(f); err != nil {
			return st, fmt.Errorf("write xlsx: %w", err)
		}
	}
	if ordersXML == nil || linesXML == nil {
		return st, errors.New("export orders as xlsx: the template has no sheets")
	}
	ordersHead, ordersTail, err := splitSheet(ordersXML)
	if err != nil {
		return st, err
	}
	linesHead, linesTail, err := splitSheet(linesXML)
	if err != nil {
		return st, err
	}

	tmp, err := os.CreateTemp("", "shopledger-lines-*.xml")
	if err != nil {
		return st, fmt.Errorf("export orders as xlsx: %w", err)
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()

	part, err := zw.Create(ordersPart)
	if err != nil {
		return st, fmt.Errorf("write xlsx: %w", err)
	}
	orders := newSheetWriter(part, tpl, len(orderHeader))
	lines := newSheetWriter(tmp, tpl, len(lineHeader))
	orders.raw(ordersHead)
	lines.raw(linesHead)
	orderSums, lineSums := orderTotals(), lineTotals()
	err = src.EachOrder(opt.Filter, func(o *ledger.Order) error {
		st.Orders++
		orderSums.order(o)
		lineSums.order(o)
		r := n.orderRow(o, opt.Location)
		orderSums.row(r)
		if err := orders.row(r); err != nil {
			return err
		}
		for _, r := range n.lineRows(o, opt.Location) {
			st.Lines++
			lineSums.row(r)
			if err := lines.row(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return st, fmt.Errorf("export orders as xlsx: %w", err)
	}
	if opt.Totals {
		for _, sheet := range []struct {
			w    *sheetWriter
			sums *sheetTotals
		}{{orders, orderSums}, {lines, lineSums}} {
			sheet.w.skip() // an empty row sets the totals apart
			for _, r := range sheet.sums.rows() {
				if err := sheet.w.row(r); err != nil {
					return st, fmt.Errorf("export orders as xlsx: %w", err)
				}
			}
		}
	}
	orders.raw(ordersTail)
	lines.raw(linesTail)
	if err := orders.flush(); err != nil {
		return st, fmt.Errorf("write xlsx: %w", err)
	}
	if err := lines.flush(); err != nil {
		return st, fmt.Errorf("export orders as xlsx: %w", err)
	}
	if part, err = zw.Create(linesPart); err != nil {
		return st, fmt.Errorf("write xlsx: %w", err)
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		return st, fmt.Errorf("export orders as xlsx: %w", err)
	}
	if _, err := io.CopyBuffer(part, tmp, make([]byte, 1<<20)); err != nil {
		return st, fmt.Errorf("write xlsx: %w", err)
	}
	if err := zw.Close(); err != nil {
		return st, fmt.Errorf("write xlsx: %w", err)
	}
	return st, nil
}

// template is an empty workbook with both sheets, their header rows and
// the styles the rows use.
type template struct {
	data        []byte
	money, date int
}

func newTemplate() (*template, error) {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", "Orders"); err != nil {
		return nil, err
	}
	if _, err := f.NewSheet("Lines"); err != nil {
		return nil, err
	}
	t := &template{}
	var err error
	if t.money, err = f.NewStyle(&excelize.Style{NumFmt: 4}); err != nil { // #,##0.00
		return nil, err
	}
	if t.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd hh:mm")}); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return nil, err
	}
	for _, s := range []struct {
		name   string
		header []string
	}{{"Orders", orderHeader}, {"Lines", lineHeader}} {
		cells := make([]any, len(s.header))
		for i, h := range s.header {
			cells[i] = h
		}
		if err := f.SetSheetRow(s.name, "A1", &cells); err != nil {
			return nil, err
		}
		last, _ := excelize.CoordinatesToCellName(len(s.header), 1)
		if err := f.SetCellStyle(s.name, "A1", last, bold); err != nil {
			return nil, err
		}
		if err := f.SetPanes(s.name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			return nil, err
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, err
	}
	t.data = buf.Bytes()
	return t, nil
}

func readPart(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("export orders as xlsx: read the template: %w", err)
	}
	defer rc.Close()
	data, err := io.ReadAll(rc)
	if err != nil {
		return nil, fmt.Errorf("export orders as xlsx: read the template: %w", err)
	}
	return data, nil
}

// dimension is the sheet's used range, which the template states for its
// header row only; it is optional, so it goes.
var dimension = regexp.MustCompile(`<dimension ref="[^"]*"\s*/>`)

// splitSheet cuts a sheet's XML where its rows end: the rows written go
// between head (which ends with the header row) and tail.
func splitSheet(data []byte) (head, tail []byte, err error) {
	data = dimension.ReplaceAll(data, nil)
	i := bytes.LastIndex(data, []byte("</sheetData>"))
	if i < 0 {
		return nil, nil, errors.New("export orders as xlsx: the template's sheet has no rows")
	}
	return data[:i], data[i:], nil
}

// sheetWriter writes rows of cells as worksheet XML: text as inline
// strings, amounts as numbers in the money format, dates as Excel serial
// numbers in the date format. Row 1 is the template's header.
type sheetWriter struct {
	w    *bufio.Writer
	tpl  *template
	cols []string // column letters
	n    int      // rows written, the header included
	err  error
	num  []byte
}

func newSheetWriter(w io.Writer, tpl *template, cols int) *sheetWriter {
	s := &sheetWriter{w: bufio.NewWriterSize(w, 256<<10), tpl: tpl, n: 1}
	for i := 1; i <= cols; i++ {
		name, _ := excelize.ColumnNumberToName(i)
		s.cols = append(s.cols, name)
	}
	return s
}

func (s *sheetWriter) raw(b []byte) {
	if s.err == nil {
		_, s.err = s.w.Write(b)
	}
}

func (s *sheetWriter) flush() error {
	if s.err == nil {
		s.err = s.w.Flush()
	}
	return s.err
}

// skip leaves the next row empty.
func (s *sheetWriter) skip() { s.n++ }

// excelEpoch is day 0 of Excel's 1900 date system as it counts from March
// 1900 on (it takes 1900 for a leap year).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

func (s *sheetWriter) row(cells []cell) error {
	if s.err != nil {
		return s.err
	}
	if len(cells) > len(s.cols) {
		return fmt.Errorf("a row of %d cells in a sheet of %d columns", len(cells), len(s.cols))
	}
	s.n++
	r := strconv.Itoa(s.n)
	w := s.w
	w.WriteString(`<row r="`)
	w.WriteString(r)
	w.WriteString(`">`)
	for i, c := range cells {
		open := func(style int, inline bool) {
			w.WriteString(`<c r="`)
			w.WriteString(s.cols[i])
			w.WriteString(r)
			if style != 0 {
				w.WriteString(`" s="`)
				w.WriteString(strconv.Itoa(style))
			}
			if inline {
				w.WriteString(`" t="inlineStr"><is><t xml:space="preserve">`)
			} else {
				w.WriteString(`"><v>`)
			}
		}
		switch v := c.(type) {
		case string:
			if v == "" {
				continue
			}
			open(0, true)
			if err := xml.EscapeText(w, []byte(v)); err != nil {
				s.err = err
				return err
			}
			w.WriteString(`</t></is></c>`)
			continue
		case ledger.Amount:
			open(s.tpl.money, false)
			w.WriteString(v.String())
		case int64:
			open(0, false)
			w.Write(strconv.AppendInt(s.num[:0], v, 10))
		case int:
			open(0, false)
			w.Write(strconv.AppendInt(s.num[:0], int64(v), 10))
		case time.Time:
			// Excel has no time zones: the local wall time, as a serial day.
			wall := time.Date(v.Year(), v.Month(), v.Day(), v.Hour(), v.Minute(), v.Second(), 0, time.UTC)
			open(s.tpl.date, false)
			s.num = strconv.AppendFloat(s.num[:0], float64(wall.Sub(excelEpoch))/float64(24*time.Hour), 'f', -1, 64)
			w.Write(s.num)
		default:
			return fmt.Errorf("cell of type %T", c)
		}
		w.WriteString(`</v></c>`)
	}
	_, err := w.WriteString(`</row>`)
	s.err = err
	return err
}

func ptr[T any](v T) *T { return &v }
