package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/store"
)

// The écritures of supplier payments (issue 20, part 7), beside the
// collections': a payment remittance writes, in its bank's journal, one
// écriture (per execution date with entries.date collection) whose lines
// are, for each payment, a debit of the supplier's account per invoice (a
// credit per credit note), a credit of the discount account per discount
// taken (765, escomptes obtenus), and the credit of the bank's account for
// what is paid (512). The supplier lines carry the payable's lettering
// code, P and its id (letters only are the receivables'): in upper case
// while the payment stands, in lower case once it is rejected, returned or
// cancelled (the reversal's lines carry it too). Lines are written as the
// payments are read, so that a million payments cost a batch of lines in
// memory.

// paymentBank is the bank a payment remittance's parameters name.
type paymentBank struct {
	Bank struct {
		Code    string `json:"code"`
		Account string `json:"account"`
	} `json:"bank"`
}

// PayableLettering is a payable's lettering code in upper case: P and its id.
func PayableLettering(payableID int64) string { return "P" + strconv.FormatInt(payableID, 10) }

// newPaymentEntryInsert batches stored entry lines with their payment
// and payable, 28 values each.
func newPaymentEntryInsert(tx *sql.Tx) *batchInsert {
	return newBatchInsert(tx, `entry_lines (id, creditor_id, number, line, kind, remittance_id, item_id, receivable_id, return_id, reverses,
		journal, journal_label, date, account, account_label, aux_account, aux_label, counterpart,
		piece_ref, piece_date, label, debit, credit, lettering, lettered_on, created_on, payment_id, payable_id)`, 28)
}

// ecritureWriter writes the lines of one écriture as they come, and checks
// that it balances when it ends.
type ecritureWriter struct {
	ins               *batchInsert
	creditorID        int64
	journal, date     string
	number, lastID, n int64
	debit, credit     int64
	createdOn         string
	remittanceID      int64
	journalLabel      string
	kind              string
	reverses          int64
}

func (e *ecritureWriter) add(ctx context.Context, l entryLine, paymentID, payableID int64) error {
	if (l.debit > 0) == (l.credit > 0) || l.debit < 0 || l.credit < 0 {
		return fmt.Errorf("line %d (%s %s): debit %s, credit %s: exactly one must be positive", e.n+1, l.account, l.piece,
			remit.FormatAmount(l.debit), remit.FormatAmount(l.credit))
	}
	e.n++
	e.debit += l.debit
	e.credit += l.credit
	return e.ins.add(ctx, e.lastID+e.n, e.creditorID, e.number, e.n, e.kind, e.remittanceID, nil, nil, nil, e.reverses, e.journal,
		e.journalLabel, e.date, l.account, l.accountLabel, l.aux, l.auxLabel, l.counterpart, l.piece, l.pieceDate, l.label, l.debit,
		l.credit, l.lettering, l.letteredOn, e.createdOn, nullID(paymentID), nullID(payableID))
}

func (e *ecritureWriter) end(ctx context.Context) error {
	if err := e.ins.flush(ctx); err != nil {
		return err
	}
	if e.debit != e.credit {
		return fmt.Errorf("journal %s, %s: debit %s, credit %s: %w", e.journal, e.date, remit.FormatAmount(e.debit),
			remit.FormatAmount(e.credit), accounting.ErrUnbalanced)
	}
	return nil
}

// paymentEntries writes a payment remittance's écritures.
func (s *Store) paymentEntries(ctx context.Context, tx *sql.Tx, rem remit.Remittance) error {
	o, err := s.entryOpts.normalized()
	if err != nil {
		return fmt.Errorf("remittance %s: accounting entries: %w", rem.Ref, err)
	}
	if o.Disabled {
		return nil
	}
	if err := writePaymentEntries(ctx, tx, o, s.now(), rem); err != nil {
		return fmt.Errorf("remittance %s: accounting entries: %w", rem.Ref, err)
	}
	return nil
}

func writePaymentEntries(ctx context.Context, tx *sql.Tx, o EntryOptions, now time.Time, rem remit.Remittance) error {
	var pb paymentBank
	if err := json.Unmarshal(rem.Params, &pb); err != nil {
		return err
	}
	var creditorID int64
	if err := tx.QueryRowContext(ctx, `SELECT creditor_id FROM remittances WHERE id = ?`, rem.ID).Scan(&creditorID); err != nil {
		return err
	}
	journal := o.journalCode(pb.Bank.Code)
	bankAccount := pb.Bank.Account
	if bankAccount == "" {
		bankAccount = o.counterpartMask(journal)
	}
	supplierTpl, paymentTpl, discountTpl := parseLabel(o.SupplierLabel), parseLabel(o.PaymentLabel), parseLabel(o.DiscountLabel)
	ins := newPaymentEntryInsert(tx)
	defer ins.close()
	createdOn := remit.FormatDate(remit.Day(now))
	remDate := remit.FormatDate(remit.Day(rem.CreatedAt))
	var e *ecritureWriter
	err := readPayments(ctx, tx, rem.ID, func(p *store.PaymentRow) error {
		date := remDate
		if o.Date == EntryDateCollection {
			date = remit.FormatDate(p.Date)
		}
		if e == nil || e.date != date {
			if e != nil {
				if err := e.end(ctx); err != nil {
					return err
				}
			}
			number, err := nextEntryNumber(ctx, tx, creditorID, journal)
			if err != nil {
				return err
			}
			last, err := lastEntryID(ctx, tx)
			if err != nil {
				return err
			}
			e = &ecritureWriter{ins: ins, creditorID: creditorID, journal: journal, date: date, number: number, lastID: last,
				createdOn: createdOn, remittanceID: rem.ID, journalLabel: o.journalLabel(journal), kind: EntryPayment}
		}
		return paymentLines(ctx, e, o, p, bankAccount, supplierTpl, paymentTpl, discountTpl)
	})
	if err != nil {
		return err
	}
	if e != nil {
		if err := e.end(ctx); err != nil {
			return err
		}
	}
	return checkRemittanceBalanced(ctx, tx, rem.ID)
}

// paymentLines writes one payment's lines: its documents, its discounts,
// its bank line.
func paymentLines(ctx context.Context, e *ecritureWriter, o EntryOptions, p *store.PaymentRow, bankAccount string,
	supplierTpl, paymentTpl, discountTpl []labelToken) error {
	pieceDate := remit.FormatDate(p.Date)
	for _, l := range p.Lines {
		name := p.Name
		if l.Supplier != p.Payee {
			name = l.Supplier
		}
		account, accountLabel, aux, auxLabel := o.supplierAccount(l.Supplier, name)
		if l.Refund {
			// A refund pays a customer back: its account is the customer's.
			account, accountLabel, aux, auxLabel = o.customerAccount(l.Supplier, name)
		}
		line := entryLine{account: account, accountLabel: accountLabel, aux: aux, auxLabel: auxLabel, counterpart: bankAccount,
			piece: l.Document, pieceDate: pieceDate, lettering: PayableLettering(l.PayableID), letteredOn: e.date,
			label: expandTokens(supplierTpl, &labelFields{date: p.Date, doc: l.Document, customer: l.Supplier, name: name, journal: e.journal})}
		if l.Amount > 0 {
			line.debit = l.Amount
		} else {
			line.credit = -l.Amount
		}
		if err := e.add(ctx, line, p.ID, l.PayableID); err != nil {
			return err
		}
		if l.Discount > 0 {
			d := entryLine{account: o.DiscountAccount, accountLabel: o.paymentAccountLabel(o.DiscountAccount), piece: l.Document,
				pieceDate: pieceDate, credit: l.Discount,
				label: expandTokens(discountTpl, &labelFields{date: p.Date, doc: l.Document, customer: l.Supplier, name: name, journal: e.journal})}
			if err := e.add(ctx, d, p.ID, 0); err != nil {
				return err
			}
		}
	}
	bank := entryLine{account: bankAccount, accountLabel: o.accountLabel(bankAccount), piece: p.EndToEndID, pieceDate: pieceDate,
		credit: p.Amount,
		label:  expandTokens(paymentTpl, &labelFields{date: p.Date, doc: p.EndToEndID, customer: p.Payee, name: p.Name, journal: e.journal})}
	return e.add(ctx, bank, p.ID, 0)
}

// supplierAccount returns CompteNum, CompteLib, CompAuxNum and CompAuxLib
// of a supplier line.
func (o EntryOptions) supplierAccount(code, name string) (account, label, aux, auxLabel string) {
	if o.Direct {
		return code, name, "", ""
	}
	return o.SupplierAccount, o.paymentAccountLabel(o.SupplierAccount), code, name
}

// paymentAccounts name the accounts only supplier payments use (the
// collections' labels are left as they were: a masked counterpart such as
// 4MMAA may read 401…).
var paymentAccounts = map[string]string{"401": "Fournisseurs", "765": "Escomptes obtenus"}

// paymentAccountLabel is accountLabel, with the names of paymentAccounts
// where nothing else names the account.
func (o EntryOptions) paymentAccountLabel(account string) string {
	label := o.accountLabel(account)
	if label != "Compte "+account {
		return label
	}
	for prefix, l := range paymentAccounts {
		if strings.HasPrefix(account, prefix) {
			return l
		}
	}
	return label
}

// relinkPaymentReversal gives the reversal lines of a payment remittance
// their payment and payable, from the lines they reverse (a reversal
// copies them line by line), and reletters its payables: their lines now
// net to nothing, lower case.
func relinkPaymentReversal(ctx context.Context, tx *sql.Tx, remittanceID int64) error {
	if _, err := tx.ExecContext(ctx, `UPDATE entry_lines SET payment_id = o.payment_id, payable_id = o.payable_id
		FROM entry_lines AS o WHERE entry_lines.remittance_id = ?1 AND entry_lines.kind = 'reversal' AND entry_lines.payable_id IS NULL
			AND o.remittance_id = ?1 AND o.kind = 'payment' AND o.creditor_id = entry_lines.creditor_id AND o.journal = entry_lines.journal
			AND o.number = entry_lines.reverses AND o.line = entry_lines.line`, remittanceID); err != nil {
		return err
	}
	return reletterPayables(ctx, tx, `p.id IN (SELECT l.payable_id FROM payment_lines l JOIN payments m ON m.id = l.payment_id
		WHERE m.remittance_id = ?)`, remittanceID)
}

// reletterPayables sets the lettering of the supplier lines of the
// payables cond selects: upper case when they settle the payable exactly
// (its amount, debit less credit), lower case otherwise; dated by their
// latest line.
func reletterPayables(ctx context.Context, tx *sql.Tx, cond string, arg any) error {
	_, err := tx.ExecContext(ctx, `UPDATE entry_lines SET lettering = t.code, lettered_on = t.last FROM (
			SELECT p.id, CASE WHEN sum(e.debit) - sum(e.credit) = p.amount THEN 'P' ELSE 'p' END || p.id AS code, max(e.date) AS last
			FROM payables p JOIN entry_lines e ON e.payable_id = p.id WHERE `+cond+` GROUP BY p.id) AS t
		WHERE entry_lines.payable_id = t.id AND (entry_lines.lettering != t.code OR entry_lines.lettered_on != t.last)`, arg)
	return err
}
