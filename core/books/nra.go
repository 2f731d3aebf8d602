package books

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"codeberg.org/shopledger/shopledger/core/ledger"
	"codeberg.org/shopledger/shopledger/core/nra"
	"codeberg.org/shopledger/shopledger/core/sales"
	"codeberg.org/shopledger/shopledger/core/store"
)

// NRAQuery asks for one shop's audit file of one month.
type NRAQuery struct {
	Shop  ledger.ShopID
	Year  int
	Month time.Month
	// CreationDate is written as creation_date (today when zero); a fixed
	// one makes a closed month's file the same bytes every time.
	CreationDate time.Time
	// scanAll reads every order of the shop instead of those the sales
	// records point at (the tests compare the two).
	scanAll bool
}

// NRAFile builds the month's audit file from the stored orders and
// refunds. It always returns the file when it can read the books: its
// Problems (missing settings, an unmapped payment method…) keep WriteXML
// from writing it, and the preview shows them.
func (b *Books) NRAFile(q NRAQuery) (*nra.File, ledger.Shop, error) {
	sh, err := b.Store.Shop(q.Shop)
	if err != nil {
		return nil, sh, err
	}
	st, _, err := b.Store.NRASettings(q.Shop)
	if err != nil {
		return nil, sh, err
	}
	created := q.CreationDate
	if created.IsZero() {
		created = time.Now()
	}
	in := nra.Input{
		Settings: st, Location: sh.Location(), Year: q.Year, Month: q.Month,
		CreationDate: created.In(sh.Location()),
		Meta: func(o *ledger.Order, key string) string {
			if o.Raw != nil {
				return orderMeta(o.Raw, key)
			}
			full, err := b.Store.Order(o.Key())
			if err != nil {
				return ""
			}
			return orderMeta(full.Raw, key)
		},
	}
	nb := nra.NewBuilder(in)
	if err := b.eachNRAOrder(sh, q, q.scanAll, nb.Add); err != nil {
		return nil, sh, fmt.Errorf("read the orders of %q: %w", sh.Name, err)
	}
	return nb.File(), sh, nil
}

// eachNRAOrder calls add with every order the month's file may hold: one
// completed or paid in the month, or with a refund dated in it or not yet
// dated. A refund can come long after its order, so the orders are found
// by their sales records (a few dates each, read in one scan) and only
// those read; when they are most of the shop's orders (or scanAll), every
// order is read in one pass instead, which is then cheaper.
func (b *Books) eachNRAOrder(sh ledger.Shop, q NRAQuery, scanAll bool, add func(*ledger.Order)) error {
	each := func() error {
		return b.Store.EachOrder(store.OrderFilter{Shop: sh.ID}, func(o *ledger.Order) error {
			add(o)
			return nil
		})
	}
	if scanAll {
		return each()
	}
	from := time.Date(q.Year, q.Month, 1, 0, 0, 0, 0, sh.Location())
	lo, hi := from.Unix(), from.AddDate(0, 1, 0).Unix()
	in := func(t int64) bool { return t != 0 && t >= lo && t < hi }
	type found struct{ created, id int64 }
	var ids []found
	all := 0
	err := b.Store.EachSalesRecord(sh.ID, func(r *sales.Record) error {
		all++
		need := in(r.Completed) || in(r.Paid)
		for i := range r.Refunds {
			need = need || r.Refunds[i].Date == 0 || in(r.Refunds[i].Date)
		}
		if need {
			ids = append(ids, found{r.Created, r.ID})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if 2*len(ids) > all {
		return each()
	}
	// In EachOrder's order (newest first), so that a problem names the
	// same order either way.
	slices.SortFunc(ids, func(x, y found) int { return cmp.Or(cmp.Compare(y.created, x.created), cmp.Compare(y.id, x.id)) })
	for _, f := range ids {
		o, err := b.Store.Order(ledger.OrderKey{Shop: sh.ID, ID: f.id})
		if err != nil {
			return err
		}
		add(&o)
	}
	return nil
}

// orderMeta reads an order meta value from the shop's payload: wc/v3's
// meta_data list or the legacy API's order_meta object.
func orderMeta(raw json.RawMessage, key string) string {
	if len(raw) == 0 {
		return ""
	}
	var p struct {
		MetaData []struct {
			Key   string          `json:"key"`
			Value json.RawMessage `json:"value"`
		} `json:"meta_data"`
		OrderMeta map[string]json.RawMessage `json:"order_meta"`
		Order     *struct {
			OrderMeta map[string]json.RawMessage `json:"order_meta"`
		} `json:"order"`
	}
	if json.Unmarshal(raw, &p) != nil {
		return ""
	}
	for _, m := range p.MetaData {
		if m.Key == key {
			return scalar(m.Value)
		}
	}
	if v, ok := p.OrderMeta[key]; ok {
		return scalar(v)
	}
	if p.Order != nil {
		return scalar(p.Order.OrderMeta[key])
	}
	return ""
}

// scalar is a JSON string or number as text; anything else is empty.
func scalar(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(v, &n) == nil {
		return n.String()
	}
	return ""
}

// SetNRASettings saves the shop's audit-file settings and adds the order
// meta keys they read to the shop's MetaKeys, so that the verification
// compares them with the shop.
func (b *Books) SetNRASettings(shop ledger.ShopID, st nra.Settings) error {
	if err := b.Store.SetNRASettings(shop, st); err != nil {
		return err
	}
	sh, err := b.Store.Shop(shop)
	if err != nil {
		return err
	}
	changed := false
	for _, k := range []string{st.DocNumberMeta, st.TransMeta, st.POSMeta, st.ProcMeta} {
		if k != "" && !slices.Contains(sh.MetaKeys, k) {
			sh.MetaKeys = append(sh.MetaKeys, k)
			changed = true
		}
	}
	if !changed {
		return nil
	}
	return b.UpdateShop(sh)
}

// PaymentMethods lists the payment methods of the shop's orders with the
// title the shop last showed for each, for the settings' confirmation.
func (b *Books) PaymentMethods(shop ledger.ShopID) (map[string]string, error) {
	out := map[string]string{}
	err := b.Store.EachOrder(store.OrderFilter{Shop: shop}, func(o *ledger.Order) error {
		if o.PaymentMethod != "" {
			out[o.PaymentMethod] = o.PaymentMethodTitle
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the payment methods: %w", err)
	}
	return out, nil
}

// NRASettings returns the shop's audit-file settings; set is false until
// the bookkeeper saved some.
func (b *Books) NRASettings(shop ledger.ShopID) (nra.Settings, bool, error) {
	return b.Store.NRASettings(shop)
}

// NRASaved is what SaveNRAFile did: the bytes written and, when the month
// was filed before, what changed since the last file made.
type NRASaved struct {
	Bytes       int
	FiledBefore bool
	Changes     nra.Changes
}

// SaveNRAFile writes f to path (a temporary file beside it, renamed over
// it when complete) and keeps its record, so that the month filed again
// says what changed. A file with Problems is refused before anything is
// written.
func (b *Books) SaveNRAFile(f *nra.File, sh ledger.Shop, path string) (NRASaved, error) {
	var buf bytes.Buffer
	if err := f.WriteXML(&buf, sh.Name); err != nil {
		return NRASaved{}, err
	}
	last, before, err := b.Store.LastNRAFile(sh.ID, f.Year, f.Month)
	if err != nil {
		return NRASaved{}, err
	}
	if err := writeFileAtomic(path, buf.Bytes()); err != nil {
		return NRASaved{}, err
	}
	if err := b.Store.PutNRAFile(sh.ID, f.Year, f.Month, f.Record(time.Now())); err != nil {
		return NRASaved{}, err
	}
	s := NRASaved{Bytes: buf.Len(), FiledBefore: before}
	if before {
		s.Changes = last.Diff(f)
	}
	return s, nil
}

// writeFileAtomic writes data to a temporary file beside path and renames
// it over path, so nothing half-written is left under the name.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".nra-*.xml")
	if err != nil {
		return fmt.Errorf("write the audit file: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write the audit file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write the audit file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write the audit file: %w", err)
	}
	return nil
}
