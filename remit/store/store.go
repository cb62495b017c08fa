// Package store says what remit's use cases (remit/collect) and commands
// need from a database, as interfaces on the domain's values: a read side
// for lists and documents, a transaction for the commands that change a
// remittance, and the transaction of a remittance run, which plans from
// cursors over the pointed receivables, records, writes files and commits.
// remit/store/sqlite implements them; a PostgreSQL store can sit beside it.
//
// The hot paths keep their shape behind the interfaces: a run reads the
// pointed receivables once through a cursor (never a slice), records its
// items in one statement (RecordItems), and its files read them back in
// file order (Items); memory stays flat whatever the size of the run.
package store

import (
	"context"
	"errors"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/importcsv"
	"github.com/remit-dev/remit/remit/treasury"
)

// Errors a store returns when it is opened.
var (
	ErrNoDatabase = errors.New("no database")
	ErrSchemaOld  = errors.New("database schema is older than this remit")
	ErrSchemaNew  = errors.New("database schema is newer than this remit")
	// ErrNotRemitDB means the database is another program's: remit neither
	// reads nor changes it.
	ErrNotRemitDB = errors.New("not a remit database")
	// ErrBusy means another remit holds the database's run lock.
	ErrBusy = errors.New("busy: another remit run holds the database")
	// ErrReadOnly means nothing can be changed: the database can only be read.
	ErrReadOnly = errors.New("the database's folder cannot be written")
)

// Store is an open remit database.
type Store interface {
	Creditors
	Banks
	Forecasts
	Receivables
	Mandates
	Remittances
	Accounting
	Treasury
	// Imports apply the checked lines of a receivables import file
	// (importcsv.Import reads and checks it).
	importcsv.Store
	// ApplyReturns records a batch of bank returns in one transaction.
	ApplyReturns(ctx context.Context, cr remit.Creditor, b remit.ReturnBatch) (*remit.ReturnsResult, error)
	// Update runs fn in a write transaction, committed when fn returns nil.
	Update(ctx context.Context, fn func(Tx) error) error
	// Run runs fn in the write transaction of a remittance run, committed
	// when fn returns nil (see RunTx).
	Run(ctx context.Context, fn func(RunTx) error) error
	// Now is the store's clock.
	Now() time.Time
	Close() error
}

// Creditors are the companies that collect.
type Creditors interface {
	Creditors(ctx context.Context) ([]remit.Creditor, error)
	// Creditor is the creditor with that code, or the only one when code is
	// empty (remit.ErrCreditorChoice when there are several).
	Creditor(ctx context.Context, code string) (remit.Creditor, error)
	SaveCreditor(ctx context.Context, c remit.Creditor) (remit.Creditor, error)
	SetTraiteOffset(ctx context.Context, creditorID int64, o remit.Offset) error
}

// Banks are a creditor's bank accounts (journaux de banque), as
// remit/treasury's rules keep them: one default bank once there is any,
// the creditor's own account the default bank's.
type Banks interface {
	// Banks lists a creditor's banks by code.
	Banks(ctx context.Context, creditorID int64) ([]remit.Bank, error)
	// UpdateBanks changes a creditor's banks in one transaction: fn gets
	// them as they are and returns them as they are to be (a code that is
	// gone is removed: refused if a remittance was made to it); nothing
	// changes when fn or the change fails. The creditor takes the default
	// bank's account (treasury.CreditorWithBank). It returns the banks as
	// saved.
	UpdateBanks(ctx context.Context, creditorID int64, fn func([]remit.Bank) ([]remit.Bank, error)) ([]remit.Bank, error)
}

// Forecasts are what a cash forecast reads (soldes prévisionnels): the
// money a bank is still to credit, remitted or not yet.
type Forecasts interface {
	// PendingLots streams what the creditor's remittances not cancelled
	// are still to be credited: per remittance, block and collection date
	// (an SDD block's requested date, an LCR's due date, a remise de
	// chèques' deposit day), the items still remitted that no statement
	// credited yet.
	PendingLots(ctx context.Context, creditorID int64, fn func(PendingLot) error) error
	// OpenReceivables streams the creditor's receivables not remitted
	// (open, pointed or rejected), with what remains due of each.
	OpenReceivables(ctx context.Context, creditorID int64, fn func(treasury.Receivable) error) error
}

// PendingLot is what a remittance's bank is still to credit on one date.
type PendingLot struct {
	Remittance int64  // its id
	Block      int    // its block (SDD), else 1
	Date       string // the items' collection date, YYYY-MM-DD
	Count      int
	Total      int64 // cents
}

// Receivables are the échéances, selected and pointed.
type Receivables interface {
	// Receivables streams the receivables the filter selects.
	Receivables(ctx context.Context, creditorID int64, f remit.Filter, fn func(remit.Receivable) error) error
	Point(ctx context.Context, creditorID int64, f remit.Filter, target int64, order string) (*remit.PointResult, error)
	Unpoint(ctx context.Context, creditorID int64, f remit.Filter) (*remit.PointResult, error)
	PointedByMethod(ctx context.Context, creditorID int64) (map[string]int, error)
	Documents(ctx context.Context, creditorID int64, prefix string, limit int) ([]string, error)
	RefusedOutside(ctx context.Context, creditorID int64, f remit.Filter) (int, error)
	// Traites streams the bills of a remittance, or the receivables a
	// filter selects, with their drawees, for the paper traites.
	Traites(ctx context.Context, cr remit.Creditor, src remit.TraiteSource, fn func(*remit.Item) error) error
}

// Mandates are the SEPA mandates.
type Mandates interface {
	// Mandates streams the creditor's mandates the filter selects, by
	// customer and RUM, to fn; an error of fn stops the walk and is returned.
	Mandates(ctx context.Context, creditorID int64, f remit.MandateFilter, fn func(*remit.Mandate) error) error
	// ExpireMandates marks expired every active mandate unused for 36
	// months, then streams every expired mandate to fn, those it just
	// marked with NewlyExpired set.
	ExpireMandates(ctx context.Context, creditorID int64, fn func(*remit.Mandate) error) error
	RevokeMandate(ctx context.Context, creditorID int64, rum string, date time.Time) (remit.Mandate, error)
	UnblockMandate(ctx context.Context, creditorID int64, rum string) (remit.Mandate, error)
}

// Remittances are the remises recorded, read outside a transaction.
type Remittances interface {
	Remittances(ctx context.Context, creditorID int64) ([]remit.Remittance, error)
	Remittance(ctx context.Context, creditorID, id int64) (remit.Remittance, error)
	ItemReader
	// RecordedFile says which remittance records a file of the out folder.
	RecordedFile(ctx context.Context, name string) (ref, format string, ok bool, err error)
	// FileRecorded reports whether a remittance records a file of that name.
	FileRecorded(ctx context.Context, name string) (bool, error)
	// RecordReprint records a slip printed again in place.
	RecordReprint(ctx context.Context, remittanceID int64, f remit.FileInfo, copies int) error
}

// Accounting reads the accounting entries.
type Accounting interface {
	Entries(ctx context.Context, creditorID int64, f accounting.EntryFilter, fn func(accounting.Entry) error) error
	CheckRemittancesExist(ctx context.Context, creditorID int64, ids []int64) error
}

// ItemSet is which of an item's columns a reader asks for: each costs the
// database a conversion and a copy per item.
type ItemSet int

// The item sets.
const (
	ItemsAll    ItemSet = iota // every field of remit.Item
	ItemsSEPA                  // what pain.008 needs: block to label (the others empty)
	ItemsSlip                  // what a bordereau prints
	ItemsCheque                // what a remise de chèques prints: document, customer, name, amount, cheque number, drawer's bank, deposit day
)

// ItemReader reads a remittance's items.
type ItemReader interface {
	// Items streams a remittance's items in file order (block, position).
	// fn may run on another goroutine, so that the store reads the next
	// items while a file is written: it must not keep the item beyond the
	// call, nor use the store.
	Items(ctx context.Context, remittanceID int64, set ItemSet, fn func(*remit.Item) error) error
	// SlipFacts are what a bordereau prints about all the items.
	SlipFacts(ctx context.Context, remittanceID int64) (SlipFacts, error)
}

// SlipFacts are what a bordereau says of a remittance's items as a whole.
type SlipFacts struct {
	DueFrom, DueTo  string // the range of their due dates
	LongestCustomer string // the longest customer code, to size a column
}

// Tx is a write transaction on the remittances.
type Tx interface {
	ItemReader
	Remittance(ctx context.Context, creditorID, id int64) (remit.Remittance, error)
	FileRecorded(ctx context.Context, name string) (bool, error)
	// RecordedFileOf says which remittance other than except records name.
	RecordedFileOf(ctx context.Context, name string, except int64) (ref, format string, ok bool, err error)
	RecordFile(ctx context.Context, remittanceID int64, f remit.FileInfo) error
	RenameFile(ctx context.Context, remittanceID int64, from, to string) error
	// MarkSent records that a remittance went to the bank.
	MarkSent(ctx context.Context, remittanceID int64) error
	// RecordEcriture records an écriture a rule of remit/accounting gave, of
	// any kind accounting.Rules lists, once Check accepts it: under its
	// journal's next number, which it returns; the receivables and
	// payables its lines name are lettered again from all their lines.
	RecordEcriture(ctx context.Context, creditorID int64, e *accounting.Ecriture) (int64, error)
	// Cancel withdraws a remittance: its receivables go back to pointed,
	// the amendments it announced are to announce again, its écritures are
	// reversed, its status is cancelled.
	Cancel(ctx context.Context, rem remit.Remittance) error
	// CreditDeposit books a remittance booked on an account of its own
	// (a remise de chèques, on 511…) as credited on the bank's account on
	// that day: the bank debited, that account credited. It returns false
	// when it was booked so already (or its entries are not written).
	CreditDeposit(ctx context.Context, rem remit.Remittance, on time.Time) (bool, error)
}

// RunTx is the transaction of a remittance run. A kind plans from a
// cursor over the creditor's pointed receivables, notes its refusals, then
// records each remittance (CreateRemittance, RecordItems), its écritures
// and its files; nothing of it stays unless the whole run commits.
type RunTx interface {
	Tx
	// PointedDebits streams the creditor's pointed direct debits, mandate
	// by mandate, each mandate's by due date.
	PointedDebits(ctx context.Context, creditorID int64) (Cursor[DebitRow], error)
	// PointedBills streams the creditor's pointed LCR bills by due date.
	PointedBills(ctx context.Context, creditorID int64) (Cursor[BillRow], error)
	// PointedCheques streams the creditor's pointed received cheques by
	// due date.
	PointedCheques(ctx context.Context, creditorID int64) (Cursor[ChequeRow], error)
	// Banks lists the creditor's banks by code: a receivable's journal
	// picks its bank (treasury.BankFor).
	Banks(ctx context.Context, creditorID int64) ([]remit.Bank, error)
	// Document is a receivable's document number.
	Document(ctx context.Context, receivableID int64) (string, error)
	// DocumentExists reports whether the creditor has a receivable with that document.
	DocumentExists(ctx context.Context, creditorID int64, document string) (bool, error)
	// EndToEndTaken reports whether an item other than a first
	// presentation carries that EndToEndId.
	EndToEndTaken(ctx context.Context, e2e string) (bool, error)

	// Refuse records why a run leaves a pointed receivable pointed, since
	// when, and what to do about it.
	Refuse(ctx context.Context, receivableID int64, reasons, since string, todo remit.Todo) error
	// ClearRefusals forgets an earlier run's refusal of receivables this run takes.
	ClearRefusals(ctx context.Context, receivableIDs []int64) error
	// ExpireMandates marks the mandates expired (36 months unused).
	ExpireMandates(ctx context.Context, mandateIDs []int64) error
	// NoteDebit records, for RecordItems, a planned debit's EndToEndId
	// when it is not its document, and the amendment it announces.
	NoteDebit(ctx context.Context, receivableID int64, e2e string, a remit.Amendment) error

	// WriteSnapshots gives each debtor of the run a snapshot of itself as
	// its files name it, in ids (as long as debtors): its Latest when it
	// has one, else a new one. New snapshots have increasing ids in the
	// order of debtors.
	WriteSnapshots(ctx context.Context, debtors []DebtorKey, ids []int64) error
	// CreateRemittance records a new remittance (no items yet) and returns its id.
	CreateRemittance(ctx context.Context, r NewRemittance) (int64, error)
	// SetMessageID sets a remittance's MsgId.
	SetMessageID(ctx context.Context, remittanceID int64, msgID string) error
	// RecordItems records a remittance's items, which items yields in file
	// order, and marks their receivables remitted.
	RecordItems(ctx context.Context, remittanceID int64, shape ItemShape, blocks []BlockKey, items func(yield func(ItemRef) error) error) error
	// ClearAnnounced forgets the mandates' changes of RUM and creditor
	// identifier the remittance announces: they are not announced twice.
	ClearAnnounced(ctx context.Context, remittanceID int64) error
	// CollectionEntries writes a new remittance's accounting écritures.
	CollectionEntries(ctx context.Context, rem remit.Remittance) error
}

// Cursor streams rows: Next moves to the next row (false at the end or on
// an error, which Err then gives); Row is valid until the next call to Next.
type Cursor[T any] interface {
	Next() bool
	Row() *T
	Err() error
	Close() error
}

// PointedRow is what every pointed receivable a run reads gives.
type PointedRow struct {
	ID       int64
	Document string
	Journal  string // its treasury journal: picks its bank
	Amount   int64
	Currency string
	Due      string
	Customer int64 // the customer's id
	// Refusal and RefusedAt are the refusal an earlier run left, if any.
	Refusal, RefusedAt string
}

// DebitRow is a pointed direct debit as a run decides on it.
type DebitRow struct {
	PointedRow
	Label     string
	MandateID int64 // 0: none
	// Mandate is the mandate with its history (nil: none); it stays the
	// same while the rows are the same mandate's.
	Mandate *remit.MandateHistory
	// Debtor is the customer's data as the files name it (its SIREN aside).
	Debtor remit.Customer
	// Presentations counts its earlier presentations the bank rejected or returned.
	Presentations int
	// Snapshot is its mandate's latest debtor snapshot (mandate_collections)
	// when that snapshot is of its customer and names it as Debtor and
	// Mandate do now (nothing changed since); 0: none.
	Snapshot int64
}

// BillRow is a pointed LCR bill as a run checks it.
type BillRow struct {
	PointedRow
	Issue      string
	Label      string
	Acceptance string
	// Drawee is the customer's data as the file names it (its address and BIC aside).
	Drawee remit.Customer
}

// ChequeRow is a pointed received cheque as a remise de chèques checks it.
type ChequeRow struct {
	PointedRow
	ChequeNumber string
	Drawer       remit.Customer
}

// DebtorKey names a debtor snapshot: the customer and, for a direct
// debit, the mandate (0 for a bill); Latest is the debtor's latest
// snapshot when the run read that it still names the debtor as it is now
// (DebitRow.Snapshot), which the store then takes again; 0: none.
type DebtorKey struct{ Customer, Mandate, Latest int64 }

// NewRemittance is a remittance to record.
type NewRemittance struct {
	CreditorID int64
	Kind       remit.Kind
	Scheme     string
	CreatedAt  time.Time
	Count      int
	Total      int64
	Params     []byte // the kind's parameters, JSON
	RunID      string
	// Bank is the code of the bank it goes to; empty: none (a creditor
	// without banks, whose account the parameters name).
	Bank string
}

// ItemShape is how a remittance's items are made from their receivables.
type ItemShape int

// The item shapes.
const (
	// DebitItems: each block has its collection date and sequence type;
	// the mandate is the receivable's, the EndToEndId and amendment as
	// NoteDebit recorded them (else the document, none).
	DebitItems ItemShape = iota
	// BillItems: one block; collected on its due date, drawn on its issue
	// date or, without one, on the day of the remittance (BlockKey.Collection).
	BillItems
	// ChequeItems: one block, deposited on BlockKey.Collection; each item
	// keeps its cheque's number and the bank it is drawn on.
	ChequeItems
)

// BlockKey is a block of a remittance being recorded (block n is blocks[n-1]).
type BlockKey struct {
	Collection string // DebitItems: the requested collection date; BillItems: the day bills without an issue date are drawn
	Sequence   string // DebitItems: FRST, RCUR or OOFF
}

// ItemRef is an item to record: its receivable, its debtor snapshot, its
// block (from 1) and position in the block (from 1).
type ItemRef struct {
	Receivable int64
	Debtor     int64
	Block      int32
	Position   int32
}
