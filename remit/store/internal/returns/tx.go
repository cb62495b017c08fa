// Package returns applies a batch of bank returns (remit.ReturnBatch) the
// same way on every store: each return finds the collections or supplier
// payments it may be about, remit.ChooseReturn picks one, and the return is
// recorded with its effects (the item, the receivable, the remittance sent,
// the mandate blocked, the écritures), all in the store's one transaction.
// The stores keep only their SQL and their scanning, behind Tx.
//
//	res, err := returns.Apply(ctx, myTx, creditor, batch, entryOptions, now)
package returns

import (
	"context"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
)

// Item is a collection (a remittance item) a return may be about, with the
// return recorded on it, if any, in its ReturnCandidate.
type Item struct {
	remit.ReturnCandidate
	ID, Receivable           int64
	Document, Customer, Name string
	Mandate                  int64 // 0: none
	Seq, EndToEndID, Due     string
}

// Payment is a supplier payment a return may be about.
type Payment struct {
	ID, Remittance            int64
	RemittanceCreated, Status string
	Amount                    int64
	EndToEndID, Payee, Name   string
	First                     string // the least document it paid
	Reason, Date              string // its recorded return, if any
}

// Find says which items or payments of the creditor to read: those of
// Document (items only); else those of EndToEndID, within the message
// MsgID when not empty; else those of Remittance, of its payment block
// Block when not 0.
type Find struct {
	Document, EndToEndID, MsgID string
	Remittance                  int64
	Block                       int
}

// Mark is what an applied return changes on its collection: the item's
// status, reason, date and whether it was settled, and the receivable's
// refusal (Why).
type Mark struct {
	Status, Reason, Day string
	Settled             bool
	Why                 string
}

// Row is a row of the table returns: a return applied to a collection.
type Row struct {
	Item                                    int64
	Source, File, SHA256, BankMsgID         string
	EndToEndID, Reason, AdditionalInfo, Day string
	Settled                                 bool
	Fee                                     int64
	MandateEffect, CreatedAt                string
}

// Tx is what applying returns needs of a store's write transaction, for
// one creditor (the store's implementation knows which).
type Tx interface {
	// Items reads the creditor's collections f selects, newest first
	// (by item id, descending).
	Items(ctx context.Context, f Find) ([]Item, error)
	// ReceivableExists says whether the creditor has a receivable of that document.
	ReceivableExists(ctx context.Context, document string) (bool, error)
	// Remittance finds the creditor's remittance of a message id: its id
	// and whether its items are payments (a remittance of supplier
	// payments); ok is false when there is none.
	Remittance(ctx context.Context, msgID string) (id int64, payments, ok bool, err error)
	// MarkItem records m on the item and its receivable.
	MarkItem(ctx context.Context, it *Item, m Mark) error
	// RemittanceSent marks a created remittance sent: the bank had it.
	RemittanceSent(ctx context.Context, remittance int64) error
	// Reannounce says again, on the mandate's next collection, the change
	// of RUM or creditor identifier the item announced.
	Reannounce(ctx context.Context, item int64) error
	// BlockMandate blocks an active mandate with reason; when it was not
	// active, status is its status.
	BlockMandate(ctx context.Context, mandate int64, reason string) (blocked bool, status string, err error)
	// Collected tells whether the mandate has a collection that counts for
	// its sequence type (one the SDD run counts, or in its history), as its
	// collection summary holds it after MarkItem.
	Collected(ctx context.Context, mandate int64) (bool, error)
	// InsertReturn records a return; it returns the new row's id.
	InsertReturn(ctx context.Context, r Row) (int64, error)
	// Booked reads the écriture line that booked the item's collection;
	// nil, with the receivable's journal, when it was not booked.
	Booked(ctx context.Context, it *Item) (b *accounting.Booked, journal string, err error)
	// RecordEcriture records e (numbered, lettered), created on the day
	// on, and checks the remittance's écritures still balance.
	RecordEcriture(ctx context.Context, on string, e *accounting.Ecriture, remittance int64) error
	// Payments reads the creditor's payments f selects (never by
	// document), in file order (block, position).
	Payments(ctx context.Context, f Find) ([]Payment, error)
	// MarkPayment records the payment's status and return, and points its
	// payables again with why (as it paid them: a group when several).
	MarkPayment(ctx context.Context, p *Payment, status, reason, day, why string) error
	// PaymentBooked reads the lines that booked the payment, each with its
	// journal's code and label.
	PaymentBooked(ctx context.Context, payment int64) ([]accounting.Line, [][2]string, error)
	// RecordPaymentReturn writes the écritures of a payment's return,
	// created on the day on, letters its payables again and checks the
	// remittance's écritures still balance.
	RecordPaymentReturn(ctx context.Context, on string, p *Payment, es []*accounting.Ecriture) error
}
