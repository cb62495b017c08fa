package accounting

import (
	"strconv"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
)

// Supplier payments (issue 20, part 7), beside the collections: a payment
// remittance is booked in its bank's journal, one écriture per entry date,
// whose lines are, for each payment, a debit of the supplier's account per
// invoice (a credit per credit note), a credit of the discount account per
// discount taken (765, escomptes obtenus), and the credit of the bank's
// account for what is paid (512). The supplier lines carry the payable's
// lettering code, P and its id (letters only are the receivables'): in
// upper case while the payment stands, in lower case once it is rejected,
// returned or cancelled (LetterPayable). Their lines are of kind payment,
// as a transfer paying receivables.

// Default accounts and labels of supplier payments.
const (
	DefaultSupplierAccount = "401000"
	DefaultDiscountAccount = "765000"
	DefaultSupplierLabel   = "{doc} {name}"
	DefaultPaymentLabel    = "Paiement {doc} {name}"
	DefaultDiscountLabel   = "Escompte {doc}"
)

// PayableLettering is a payable's lettering code in upper case: P and its id.
func PayableLettering(payableID int64) string { return "P" + strconv.FormatInt(payableID, 10) }

// LetterPayable letters the supplier lines of a payable of the given amount
// whose lines settle it in all (debits minus credits), the latest dated
// last: upper case when they settle it exactly, lower case otherwise.
func LetterPayable(payableID, amount, settled int64, last string) Lettering {
	if settled == amount {
		return Lettering{Code: PayableLettering(payableID), On: last}
	}
	return Lettering{Code: strings.ToLower(PayableLettering(payableID)), On: last}
}

// PaidDocument is a payable as a payment settles it.
type PaidDocument struct {
	Payable  int64
	Document string
	Supplier string // the supplier's code; a customer's for a refund
	Amount   int64  // cents, negative for a credit note
	Discount int64  // the discount taken, cents
	Refund   bool   // a refund to a customer: its account is the customer's
}

// SupplierPayment is one payment of a payment remittance (a transfer or a
// cheque), as its lines need it.
type SupplierPayment struct {
	ID          int64
	Date        time.Time // its execution date
	EndToEndID  string
	Payee, Name string // the payee's code and name
	Amount      int64  // what is paid, cents
	Documents   []PaidDocument
}

// Disbursement books a payment remittance, payment by payment in the
// remittance's order (Lines). Create it with NewDisbursement.
type Disbursement struct {
	o                             Options
	header                        Header // of the écriture being written
	bankAccount                   string
	remDate                       string
	supplierTpl, paymentTpl, disc Label
}

// NewDisbursement starts booking remittance r, paid from the bank whose
// journal code and account are given (the journal's counterpart when the
// account is empty); o must be normalized.
func NewDisbursement(o Options, r remit.Remittance, bankCode, bankAccount string) *Disbursement {
	d := &Disbursement{o: o, remDate: remit.FormatDate(remit.Day(r.CreatedAt)), supplierTpl: ParseLabel(o.SupplierLabel),
		paymentTpl: ParseLabel(o.PaymentLabel), disc: ParseLabel(o.DiscountLabel)}
	journal := o.journalCode(bankCode)
	d.header = Header{Journal: journal, JournalLabel: o.journalLabel(journal), Remittance: r.ID}
	d.bankAccount = bankAccount
	if d.bankAccount == "" {
		d.bankAccount = o.counterpartMask(journal)
	}
	return d
}

// Date is the entry date of payment p's lines: the remittance's, or the
// payment's execution date when entries are dated by collection. An
// écriture holds the payments of one date.
func (d *Disbursement) Date(p *SupplierPayment) string {
	if d.o.Date == DateCollection {
		return remit.FormatDate(p.Date)
	}
	return d.remDate
}

// Lines appends to dst payment p's lines, numbered from after (the lines
// its écriture already has), and returns the écriture's header: its
// documents, each followed by its discount, then its bank line.
func (d *Disbursement) Lines(dst []Line, p *SupplierPayment, after int64) (Header, []Line) {
	h := d.header
	h.Date = d.Date(p)
	o := &d.o
	pieceDate := remit.FormatDate(p.Date)
	add := func(l Line) {
		after++
		l.Kind, l.Seq, l.Payment, l.PieceDate = KindPayment, after, p.ID, pieceDate
		dst = append(dst, l)
	}
	for _, doc := range p.Documents {
		name := p.Name
		if doc.Supplier != p.Payee {
			name = doc.Supplier
		}
		f := LabelFields{Date: p.Date, Doc: doc.Document, Customer: doc.Supplier, Name: name, Journal: h.Journal}
		l := Line{Payable: doc.Payable, Account: o.SupplierAccount, AccountLabel: o.paymentAccountLabel(o.SupplierAccount),
			Aux: doc.Supplier, AuxLabel: name, Counterpart: d.bankAccount, Piece: doc.Document, Label: d.supplierTpl.Expand(f),
			Lettering: Lettering{Code: PayableLettering(doc.Payable), On: h.Date}}
		switch {
		case o.Direct:
			l.Account, l.AccountLabel, l.Aux, l.AuxLabel = doc.Supplier, name, "", ""
		case doc.Refund:
			// A refund pays a customer back: its account is the customer's.
			l.Account, l.AccountLabel = o.CustomerAccount, o.AccountLabel(o.CustomerAccount)
		}
		if doc.Amount > 0 {
			l.Debit = doc.Amount
		} else {
			l.Credit = -doc.Amount
		}
		add(l)
		if doc.Discount > 0 {
			add(Line{Account: o.DiscountAccount, AccountLabel: o.paymentAccountLabel(o.DiscountAccount), Piece: doc.Document,
				Label: d.disc.Expand(f), Credit: doc.Discount})
		}
	}
	add(Line{Account: d.bankAccount, AccountLabel: o.AccountLabel(d.bankAccount), Piece: p.EndToEndID, Credit: p.Amount,
		Label: d.paymentTpl.Expand(LabelFields{Date: p.Date, Doc: p.EndToEndID, Customer: p.Payee, Name: p.Name, Journal: h.Journal})})
	return h, dst
}

// PaymentReturnInput is a payment rejected or returned by the bank.
type PaymentReturnInput struct {
	Remittance  int64
	Date        string // the return's date, a stored date
	EndToEndID  string
	Payee, Name string
	Reason      string
	Fee         int64 // the bank's fee, cents
	// Booked are the payment's lines as recorded (kind payment), in
	// order: the return undoes them.
	Booked []Line
	// BookedJournals are the journal and label of each of Booked.
	BookedJournals [][2]string
}

// PaymentReturn books a payment rejected or returned: its lines reversed,
// kind return, dated the return's date (the supplier owed again, the
// discount lost, the bank credited back), in one écriture; and the bank's
// fee in another, in the bank line's journal. ok is false for what there
// is nothing to book: a payment not booked gives neither; entries
// disabled, or no fee, no fee.
func PaymentReturn(o Options, in PaymentReturnInput) (ret, fee Ecriture, retOK, feeOK bool) {
	if len(in.Booked) == 0 {
		return Ecriture{}, Ecriture{}, false, false
	}
	f := LabelFields{Date: remit.StoredDate(in.Date), Doc: in.EndToEndID, Customer: in.Payee, Name: in.Name,
		Ref: remit.Ref(in.Remittance), Reason: in.Reason}
	for i, b := range in.Booked {
		f.Journal = in.BookedJournals[i][0]
		l := Line{Kind: KindReturn, Seq: int64(i + 1), Payment: b.Payment, Payable: b.Payable, Account: b.Account,
			AccountLabel: b.AccountLabel, Aux: b.Aux, AuxLabel: b.AuxLabel, Counterpart: b.Counterpart, Piece: b.Piece, PieceDate: in.Date,
			Label: ExpandLabel(o.Label(KindReturn), f), Debit: b.Credit, Credit: b.Debit}
		ret.Lines = append(ret.Lines, l)
	}
	ret.Header = Header{Journal: in.BookedJournals[0][0], JournalLabel: in.BookedJournals[0][1], Date: in.Date, Remittance: in.Remittance}
	if in.Fee == 0 || o.Disabled {
		return ret, Ecriture{}, true, false
	}
	// The bank line is a payment's last.
	last := len(in.Booked) - 1
	bank := in.Booked[last]
	from := o.FeeCounterpart
	if from == "" {
		from = bank.Account
	}
	label := ExpandLabel(o.Label(KindFee), f)
	fee.Header = Header{Journal: in.BookedJournals[last][0], JournalLabel: in.BookedJournals[last][1], Date: in.Date,
		Remittance: in.Remittance}
	fee.Lines = []Line{
		{Kind: KindFee, Seq: 1, Payment: bank.Payment, Account: o.FeeAccount, AccountLabel: o.AccountLabel(o.FeeAccount), Counterpart: from,
			Piece: in.EndToEndID, PieceDate: in.Date, Label: label, Debit: in.Fee},
		{Kind: KindFee, Seq: 2, Payment: bank.Payment, Account: from, AccountLabel: o.AccountLabel(from), Piece: in.EndToEndID,
			PieceDate: in.Date, Label: label, Credit: in.Fee},
	}
	return ret, fee, true, true
}

// paymentAccounts name the accounts only supplier payments use (the
// collections' labels are left as they were: a masked counterpart such as
// 4MMAA may read 401…).
var paymentAccounts = map[string]string{"401": "Fournisseurs", "765": "Escomptes obtenus"}

// paymentAccountLabel is AccountLabel, with the names of paymentAccounts
// where nothing else names the account.
func (o Options) paymentAccountLabel(account string) string {
	label := o.AccountLabel(account)
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
