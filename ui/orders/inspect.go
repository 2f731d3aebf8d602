package orders

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"codeberg.org/shopledger/shopledger/core/ledger"
)

// What the shell's tests read of the screen, which they drive through the
// whole window: the list as the table draws it, and a row picked.

// Rows returns how many rows the list has.
func (p *Page) Rows() int { return p.list.rows() }

// Cell returns the text the list shows at row, col, through the callbacks
// the table draws with: a row not held yet shows blank ("…" in the first
// column) and asks for its page.
func (p *Page) Cell(row, col int) string {
	c := p.list.createCell().(*textCell)
	p.list.updateCell(widget.TableCellID{Row: row, Col: col}, c)
	return c.label.Text
}

// Order returns the order of a row, or nil while its page is not held.
func (p *Page) Order(row int) *ledger.Order {
	o, _ := p.list.model.order(row)
	return o
}

// ColumnTitle is the heading of a column (ColNumber, …).
func (p *Page) ColumnTitle(col int) string { return p.list.cols[col].title }

// Count is the sentence under the list: how many orders it shows.
func (p *Page) Count() string { return p.count.Text }

// Table is the list's table, to render.
func (p *Page) Table() fyne.CanvasObject { return p.list.table }

// Select picks a cell of the list, as a click does: its order opens beside
// the list.
func (p *Page) Select(row, col int) { p.list.table.Select(widget.TableCellID{Row: row, Col: col}) }

// Detail is the order the detail pane shows (as last read), nil when the
// pane is closed.
func (p *Page) Detail() *ledger.Order {
	if p.detail == nil {
		return nil
	}
	return &p.detail.order
}

// Split is the divider between the list and the open detail, nil while no
// detail is open.
func (p *Page) Split() *container.Split {
	if p.detail == nil {
		return nil
	}
	return p.split
}
