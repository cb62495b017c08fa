package sqlite

import (
	"context"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/cheque"
	"github.com/remit-dev/remit/remit/collect/lcr"
	"github.com/remit-dev/remit/remit/collect/sdd"
)

// testKinds are the kinds of remittance the tests wire.
var testKinds = collect.NewRegistry(sdd.Kind, lcr.Kind, cheque.Kind)

// reject records a reject entered by hand.
func reject(ctx context.Context, st *Store, cr remit.Creditor, m remit.ManualReject) (*remit.ReturnsResult, error) {
	b, err := m.Batch()
	if err != nil {
		return nil, err
	}
	return st.ApplyReturns(ctx, cr, b)
}
