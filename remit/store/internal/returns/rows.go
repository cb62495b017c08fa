package returns

import "github.com/remit-dev/remit/remit/accounting"

// Rows is what the readers below need of a store's query result (both
// *sql.Rows and pgx.Rows have it); the store closes it.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// ItemColumns are the columns ReadItems reads, in order, over the items
// (alias i) of the view remittance_lines, their remittance (rem) and their
// return (rt, LEFT JOINed).
const ItemColumns = `i.id, i.remittance_id, i.receivable_id, rem.created_at, i.status, i.amount, i.document, i.customer,
		i.name, COALESCE(i.mandate_id, 0), i.rum, i.sequence_type, i.end_to_end_id, i.due_date,
		COALESCE(rt.source, ''), COALESCE(rt.reason, ''), COALESCE(rt.returned_on, ''), COALESCE(rt.bank_msg_id, '')`

// ReadItems reads the rows of a query of ItemColumns.
func ReadItems(rows Rows) ([]Item, error) {
	var out []Item
	for rows.Next() {
		var c Item
		rc := &c.ReturnCandidate
		if err := rows.Scan(&c.ID, &rc.Remittance, &c.Receivable, &rc.RemittanceCreated, &rc.Status, &rc.Amount, &c.Document,
			&c.Customer, &c.Name, &c.Mandate, &rc.RUM, &c.Seq, &c.EndToEndID, &c.Due, &rc.Source, &rc.Reason, &rc.Date, &rc.MsgID); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// PaymentColumns are the columns ReadPayments reads, in order, over the
// payments (alias p) and their remittance (rem).
const PaymentColumns = `p.id, p.remittance_id, rem.created_at, p.status, p.amount, p.end_to_end_id, p.payee,
		p.name, COALESCE((SELECT min(document) FROM payment_lines WHERE payment_id = p.id), ''), p.return_reason, p.returned_on`

// ReadPayments reads the rows of a query of PaymentColumns.
func ReadPayments(rows Rows) ([]Payment, error) {
	var out []Payment
	for rows.Next() {
		var c Payment
		if err := rows.Scan(&c.ID, &c.Remittance, &c.RemittanceCreated, &c.Status, &c.Amount, &c.EndToEndID, &c.Payee, &c.Name,
			&c.First, &c.Reason, &c.Date); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// BookedColumns are the columns ReadBooked reads, in order, over
// entry_lines.
const BookedColumns = `journal, journal_label, account, account_label, aux_account, aux_label, counterpart, piece_ref,
		debit, credit, COALESCE(payable_id, 0)`

// ReadBooked reads the rows of a query of BookedColumns: the lines that
// booked a payment, each with its journal's code and label.
func ReadBooked(rows Rows, payment int64) ([]accounting.Line, [][2]string, error) {
	var lines []accounting.Line
	var journals [][2]string
	for rows.Next() {
		l := accounting.Line{Payment: payment}
		var j [2]string
		if err := rows.Scan(&j[0], &j[1], &l.Account, &l.AccountLabel, &l.Aux, &l.AuxLabel, &l.Counterpart, &l.Piece, &l.Debit, &l.Credit,
			&l.Payable); err != nil {
			return nil, nil, err
		}
		lines, journals = append(lines, l), append(journals, j)
	}
	return lines, journals, rows.Err()
}
