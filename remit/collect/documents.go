package collect

import (
	"context"
	"io"
	"iter"
	"time"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
)

// Traites returns the traites (paper bills of exchange) for a remittance's
// items or for the receivables a filter selects: a receivable accepted as
// "bor" is a billet à ordre, printed on its own form. The date of creation
// is the document's issue date (for a remittance's item without one, the
// date it was remitted on).
func Traites(ctx context.Context, st store.Store, cr remit.Creditor, src remit.TraiteSource) iter.Seq2[bordereau.Traite, error] {
	reference := ""
	if src.RemittanceID != 0 {
		reference = "Remise " + remit.Ref(src.RemittanceID)
	}
	return func(yield func(bordereau.Traite, error) bool) {
		err := st.Traites(ctx, cr, src, func(it *remit.Item) error {
			t := bordereau.Traite{Document: it.Document, Customer: it.Customer, Reference: reference, Drawee: remit.BordereauParty(it.Name, it.Address),
				SIREN: it.SIREN, IBAN: it.IBAN, Bank: it.BankName, Amount: it.Amount, Due: remit.StoredDate(it.Due),
				Issued: remit.StoredDate(it.Issue), Promissory: it.Acceptance == "bor"}
			if !yield(t, nil) {
				return errStopIteration
			}
			return nil
		})
		if err != nil && err != errStopIteration {
			yield(bordereau.Traite{}, err)
		}
	}
}

// WriteDueList writes the list of due dates the filter selects, grouped by
// customer (seed 001: "éditer la liste des échéances non réglées"), printed
// at now.
func WriteDueList(ctx context.Context, st store.Store, w io.Writer, cr remit.Creditor, f remit.Filter, filters string, now time.Time) (int, error) {
	f.ByCustomer = true
	var iterErr error
	rows := func(yield func(bordereau.DueRow) bool) {
		iterErr = st.Receivables(ctx, cr.ID, f, func(r remit.Receivable) error {
			row := bordereau.DueRow{Customer: r.Customer, CustomerName: r.Name, Document: r.Document, Issued: r.IssueDate,
				Due: r.DueDate, Method: remit.MethodLabel(r.Method), Journal: r.Journal, Status: remit.StatusLabel(r.Status), Amount: r.Amount,
				Currency: r.Currency}
			if !yield(row) {
				return errStopIteration
			}
			return nil
		})
	}
	pages, err := bordereau.WriteDueList(w, bordereau.DueList{Company: cr.Name, Filters: filters}, rows, bordereau.DueListOptions{Now: now})
	if err == nil && iterErr != nil && iterErr != errStopIteration {
		err = iterErr
	}
	return pages, err
}
