package books

import (
	"context"
	"fmt"

	"codeberg.org/shopledger/shopledger/core/woo"
)

// OrdersLeftOut counts the orders of a shop not added yet that its first
// import from n.ImportFrom would leave out: those created at or before it
// (a sync asks only for later ones). A zero ImportFrom imports everything
// and leaves out none. The shop is reached with n's keys and pinned
// certificate, as the connection test via found it; one request.
func (b *Books) OrdersLeftOut(ctx context.Context, n NewShop, via *woo.Diagnosis) (int, error) {
	if n.ImportFrom.IsZero() {
		return 0, nil
	}
	if via == nil || !via.OK() {
		return 0, fmt.Errorf("count the orders of %s before %s: the connection was not tested", n.URL, n.ImportFrom.Format("2006-01-02"))
	}
	c, err := woo.New(woo.Config{URL: n.URL, Key: n.Key, Secret: n.Secret, Dialect: via.Dialect, Auth: via.Auth,
		CertSHA256: n.CertSHA256, HTTPClient: b.HTTPClient})
	if err != nil {
		return 0, err
	}
	count, err := c.CountOrdersThrough(ctx, n.ImportFrom)
	if err != nil {
		return 0, fmt.Errorf("count the orders of %s before %s: %w", n.URL, n.ImportFrom.Format("2006-01-02"), err)
	}
	return count, nil
}
