package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"iter"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/outdir"
)

// WriteBordereau writes the remittance slip of a remittance into w. Its
// dates are the remittance's, so one copy is the very bytes of the slip the
// remittance recorded.
func (s *Store) WriteBordereau(ctx context.Context, w io.Writer, creditorID, id int64, copies int) (pages int, err error) {
	rem, err := loadRemittance(ctx, s.DB, creditorID, id)
	if err != nil {
		return 0, err
	}
	return writeBordereau(ctx, s.DB, w, rem, copies)
}

// writeBordereau prints a remittance's slip dated by the remittance's
// creation (a stored wall-clock time, hence NoZone), never by the clock:
// regenerate and `remit bordereau` give the recorded bytes again.
func writeBordereau(ctx context.Context, q querier, w io.Writer, rem remit.Remittance, copies int) (int, error) {
	cr := rem.Params.Creditor
	slip := bordereau.Slip{Creditor: remit.BordereauParty(cr.Name, cr.Address), IBAN: cr.IBAN, BIC: cr.BIC, Bank: cr.BankName,
		Reference: rem.Ref, Kind: remit.SlipKind(rem), MessageID: rem.MsgID, Created: rem.CreatedAt, Count: rem.Count, Total: rem.Total,
		Cancelled: rem.Status == remit.RemittanceCancelled}
	if rem.Kind == "sdd" {
		slip.ICS = cr.ICS
		slip.DatesLabel = "Dates de prélèvement"
		slip.CollectionDates, slip.DetailTitle = true, "Séquence"
		if rem.Params.CFONB {
			slip.NNE = cr.NNE
		}
	} else {
		slip.NNE = cr.NNE
		slip.DraweeBanks, slip.DetailTitle = true, "Acceptation"
	}
	for _, f := range rem.Files {
		if f.Format != FormatBordereau {
			slip.Files = append(slip.Files, bordereau.File{Name: f.Name, SHA256: f.SHA256})
		}
	}
	seen := map[string]bool{}
	for _, b := range rem.Blocks {
		if !seen[b.Date] && rem.Kind == "sdd" {
			seen[b.Date] = true
			slip.Dates = append(slip.Dates, b.CollectionDate)
		}
	}
	// The range of due dates, and the longest customer code for the Client
	// column: one pass over the items, then their debtors' snapshots (written
	// together by the run, so their ids span a range that holds them).
	var first, last string
	var lo, hi int64
	if err := q.QueryRowContext(ctx, `SELECT COALESCE(min(due_date), ''), COALESCE(max(due_date), ''),
		COALESCE(min(debtor_id), 0), COALESCE(max(debtor_id), 0) FROM remittance_items WHERE remittance_id = ?`,
		rem.ID).Scan(&first, &last, &lo, &hi); err != nil {
		return 0, err
	}
	slip.DueFrom, slip.DueTo = remit.StoredDate(first), remit.StoredDate(last)
	if err := q.QueryRowContext(ctx, `SELECT COALESCE((SELECT customer FROM debtor_snapshots WHERE id BETWEEN ? AND ?
		ORDER BY length(customer) DESC, customer LIMIT 1), '')`, lo, hi).Scan(&slip.LongestCustomer); err != nil {
		return 0, err
	}
	var iterErr error
	// The slip's loop body runs on the pipe's goroutine, while SQLite reads
	// the next items: the PDF costs about as much as the read.
	items := func(yield func(bordereau.SlipItem) bool) {
		iterErr = eachSlipItem(ctx, q, rem.ID, func(it *itemRow) error {
			si := bordereau.SlipItem{Document: it.document, Customer: it.customer, Name: it.name, Account: it.iban, Amount: it.amount,
				Due: remit.StoredDate(it.due)}
			if rem.Kind == "sdd" {
				si.Collection = remit.StoredDate(it.coll)
				si.Block = it.seq + " · " + rem.Scheme + " · prélèvement le " + si.Collection.Format("02/01/2006")
				si.Detail = it.seq
			} else {
				si.Block = "LCR · code entrée " + fmt.Sprint(rem.Params.EntryCode)
				si.Bank, si.Detail = it.bankName, remit.AcceptanceLabel(it.acceptance)
			}
			if !yield(si) {
				return errStopIteration
			}
			return nil
		})
	}
	pages, err := bordereau.WriteSlip(w, slip, items, bordereau.SlipOptions{Copies: copies, Now: rem.CreatedAt, NoZone: true})
	if iterErr != nil && iterErr != errStopIteration {
		return pages, iterErr
	}
	return pages, err
}

var errStopIteration = fmt.Errorf("stop")

// writeRemittanceBordereau writes BORDEREAU.<ref>.pdf beside a new
// remittance's files and records it.
func writeRemittanceBordereau(ctx context.Context, q querier, rem remit.Remittance, outDir string) (remit.FileInfo, error) {
	f, err := slipFile(ctx, q, rem, outDir, remit.BordereauName(rem.Ref), 1, outdir.PendingOf(ctx).Write)
	if err != nil {
		return f, err
	}
	_, err = q.ExecContext(ctx, `INSERT INTO remittance_files (remittance_id, name, format, sha256, size, copies) VALUES (?, ?, ?, ?, ?, ?)`,
		rem.ID, f.Name, f.Format, f.SHA256, f.Size, f.Copies)
	return f, err
}

// slipFile writes a remittance's slip with write (see fileWriter).
func slipFile(ctx context.Context, q querier, rem remit.Remittance, outDir, name string, copies int, write fileWriter) (remit.FileInfo, error) {
	f, err := write(outDir, name, FormatBordereau, func(w io.Writer) error {
		_, err := writeBordereau(ctx, q, w, rem, copies)
		return err
	})
	if err != nil {
		return f, fmt.Errorf("bordereau of remittance %s: %w", rem.Ref, err)
	}
	f.Copies = copies
	return f, nil
}

// Traites returns the traites (paper bills of exchange) for a remittance's
// items or for the receivables a filter selects: a receivable accepted as
// "bor" is a billet à ordre, printed on its own form. The date of creation
// is the document's issue date (for a remittance's item without one, the
// date it was remitted on).
func (s *Store) Traites(ctx context.Context, cr remit.Creditor, src remit.TraiteSource) iter.Seq2[bordereau.Traite, error] {
	return func(yield func(bordereau.Traite, error) bool) {
		var rows *sql.Rows
		var err error
		if src.RemittanceID != 0 {
			rows, err = s.DB.QueryContext(ctx, `SELECT i.document, i.customer, ?, i.name, i.street, i.building, i.postcode, i.town,
				i.country, i.siren, i.iban, i.bank_name, i.amount, i.due_date, i.issue_date, i.acceptance
				FROM remittance_lines i JOIN remittances r ON r.id = i.remittance_id
				WHERE i.remittance_id = ? AND r.creditor_id = ? ORDER BY i.block, i.position`, "Remise "+remit.Ref(src.RemittanceID), src.RemittanceID, cr.ID)
		} else {
			where, args := filterWhere(src.Filter, cr.ID)
			rows, err = s.DB.QueryContext(ctx, `SELECT r.document, c.account, '', c.name, c.street, c.building, c.postcode, c.town,
				c.country, c.siren, c.iban, c.bank_name, r.amount, r.due_date, r.issue_date, r.acceptance
				FROM receivables r JOIN customers c ON c.id = r.customer_id WHERE `+where+` ORDER BY r.due_date, c.account, r.document`, args...)
		}
		if err != nil {
			yield(bordereau.Traite{}, err)
			return
		}
		defer rows.Close()
		for rows.Next() {
			var t bordereau.Traite
			var a remit.Address
			var due, issued, acceptance string
			if err := rows.Scan(&t.Document, &t.Customer, &t.Reference, &t.Drawee.Name, &a.Street, &a.Building, &a.Postcode, &a.Town,
				&a.Country, &t.SIREN, &t.IBAN, &t.Bank, &t.Amount, &due, &issued, &acceptance); err != nil {
				yield(t, err)
				return
			}
			t.Drawee = remit.BordereauParty(t.Drawee.Name, a)
			t.Due, t.Issued = remit.StoredDate(due), remit.StoredDate(issued)
			t.Promissory = acceptance == "bor"
			if !yield(t, nil) {
				return
			}
		}
		if err := rows.Err(); err != nil {
			yield(bordereau.Traite{}, err)
		}
	}
}

// WriteDueList writes the list of due dates the filter selects, grouped by
// customer (seed 001: "éditer la liste des échéances non réglées").
func (s *Store) WriteDueList(ctx context.Context, w io.Writer, cr remit.Creditor, f remit.Filter, filters string) (int, error) {
	f.ByCustomer = true
	var iterErr error
	rows := func(yield func(bordereau.DueRow) bool) {
		iterErr = s.Receivables(ctx, cr.ID, f, func(r remit.Receivable) error {
			row := bordereau.DueRow{Customer: r.Customer, CustomerName: r.Name, Document: r.Document, Issued: r.IssueDate,
				Due: r.DueDate, Method: remit.MethodLabel(r.Method), Journal: r.Journal, Status: remit.StatusLabel(r.Status), Amount: r.Amount,
				Currency: r.Currency}
			if !yield(row) {
				return errStopIteration
			}
			return nil
		})
	}
	pages, err := bordereau.WriteDueList(w, bordereau.DueList{Company: cr.Name, Filters: filters}, rows, bordereau.DueListOptions{Now: s.now()})
	if err == nil && iterErr != nil && iterErr != errStopIteration {
		err = iterErr
	}
	return pages, err
}

// RecordReprint records a remittance's slip after `remit bordereau` printed
// it again in place with copies copies: its sha256, size and copies, which
// regenerate needs to print it again byte for byte.
func (s *Store) RecordReprint(ctx context.Context, remittanceID int64, f remit.FileInfo, copies int) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE remittance_files SET sha256 = ?, size = ?, copies = ? WHERE remittance_id = ? AND name = ? AND format = ?`,
			f.SHA256, f.Size, copies, remittanceID, f.Name, FormatBordereau)
		return err
	})
}
