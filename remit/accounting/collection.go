package accounting

import (
	"fmt"
	"sort"

	"github.com/remit-dev/remit/remit"
)

// Collection entries (seed 004, "Génération des écritures").
//
// When a remittance is created, its collection is booked in one écriture
// per journal and entry date: every item credits the customer (collective
// account 411000 with the customer's code as auxiliary account, or the
// customer's own account), and the journal's counterpart account is
// debited, one line per payment or one centralised line: the journal's
// own counterpart, else the account of the remittance's bank when the
// configured counterpart is a bank's, else the configured one (or the
// account the remittance's kind books it on, Banking.BookedOn). The
// counterpart may carry the masks AA and MM, filled from each item's due
// date (09AAMM00 → 09261200); such an account cannot be centralised.

// ItemGroup counts the remitted items of a remittance that share a journal
// (as the receivables give it) and, when entries are dated by collection,
// a collection date. The store sums them; Collection plans the écritures
// from them without reading an item.
type ItemGroup struct {
	Journal    string // the receivables' journal column, as recorded
	Collection string // the items' collection date; "" unless Options.Date is DateCollection
	Count      int64
	Total      int64 // cents
}

// CollectionItem is a remitted item as its collection entries need it.
type CollectionItem struct {
	ID, Receivable int64
	Amount         int64  // cents
	Due            string // due date (fills the masks AA and MM)
	Collection     string // collection date (the entry date under DateCollection)
	Document       string
	Customer, Name string // the debtor's code and name
	Journal        string // the receivable's journal column
	// Booked: the receivable has earlier entries (a collection rejected,
	// returned or cancelled). Its customer line is then left unlettered:
	// once the écriture is recorded, its receivable is lettered again from
	// all its lines (Letter).
	Booked bool
}

// Banking is where a remittance's money goes, beside the settings.
type Banking struct {
	Bank    string // the code of the bank it went to, for messages
	Account string // that bank's account; "" for a remittance made before banks
	// BookedOn is the account the remittance is booked on instead of its
	// bank's, as its kind says (a remise de chèques: 511… until the bank
	// credits it, Deposit); "" none.
	BookedOn string
}

// CollectionEcriture is one écriture of a remittance's collection,
// described once for all its items: the store may keep it as such, its
// lines being those Collection.Lines gives for each of its items.
type CollectionEcriture struct {
	Header
	Index       int   // its place among the remittance's écritures, from 0
	Items       int64 // how many items it books
	Total       int64 // what they add up to, cents
	Centralized bool  // one counterpart line (line 1) for all the items
	// Counterpart is the account debited: with the masks AA and MM filled
	// from each item's due date when it carries them (never when
	// centralised).
	Counterpart string
	Label       string // the counterpart lines' EcritureLib
	// The customer lines: the collective account (Direct: the customer's
	// code is the account), and their EcritureLib.
	Direct        bool
	Account       string
	AccountLabel  string
	CustomerLabel ItemLabel
	Piece         string // the centralised line's PieceRef: "Remise <ref>"
	PieceDate     string // the remittance's date

	o           *Options
	contraLabel string            // the counterpart's label when it is not masked
	labels      map[string]string // masked: label by filled account
	seen        int64             // items given to Lines so far
}

// Masked tells whether the counterpart account differs by due date.
func (e *CollectionEcriture) Masked() bool { return IsMasked(e.Counterpart) }

// Lines is how many lines the écriture has.
func (e *CollectionEcriture) Lines() int64 {
	if e.Centralized {
		return e.Items + 1
	}
	return 2 * e.Items
}

// CounterpartFor is the counterpart account and its CompteLib for an item
// due on due.
func (e *CollectionEcriture) CounterpartFor(due string) (account, label string) {
	if !e.Masked() {
		return e.Counterpart, e.contraLabel
	}
	account = FillMask(e.Counterpart, remit.StoredDate(due))
	label, ok := e.labels[account]
	if !ok {
		label = e.o.AccountLabel(account)
		e.labels[account] = label
	}
	return account, label
}

// CentralLine is the centralised counterpart line, line 1.
func (e *CollectionEcriture) CentralLine() Line {
	return Line{Kind: KindCollection, Seq: 1, Account: e.Counterpart, AccountLabel: e.contraLabel, Piece: e.Piece,
		PieceDate: e.PieceDate, Label: e.Label, Debit: e.Total}
}

// Collection books a remittance's collection: its écritures, one per
// journal and entry date, in date then journal order (the order they are
// numbered in), then each item's lines in the remittance's order. Errors
// are sticky: Err reports the first line that cannot be written.
type Collection struct {
	o         Options
	remDate   string // the remittance's date, a stored date
	ecritures []*CollectionEcriture
	byKey     map[collectionKey]*CollectionEcriture
	journals  map[string]string // journal code by receivables' journal column
	err       error
	errAt     [2]int64 // écriture index and line of err
}

// collectionKey identifies an écriture: entry date and journal code.
type collectionKey struct{ date, journal string }

// NewCollection plans the collection écritures of remittance r, banked as
// b says, from its item groups; o must be normalized. A bank's account
// with the masks AA or MM cannot be centralised.
func NewCollection(o Options, r remit.Remittance, b Banking, groups []ItemGroup) (*Collection, error) {
	if o.Centralize && IsMasked(b.Account) {
		return nil, fmt.Errorf("centralisation with bank %s's account %s: %w", b.Bank, b.Account, ErrMaskedCentralized)
	}
	remDate := remit.FormatDate(remit.Day(r.CreatedAt))
	c := &Collection{o: o, remDate: remDate, byKey: map[collectionKey]*CollectionEcriture{}, journals: map[string]string{}}
	custTpl, counterTpl := ParseLabel(o.CustomerLabel), ParseLabel(o.Label(KindCollection))
	for _, g := range groups {
		k := c.key(g.Journal, g.Collection)
		e := c.byKey[k]
		if e == nil {
			e = &CollectionEcriture{Header: Header{Journal: k.journal, JournalLabel: o.journalLabel(k.journal), Date: k.date, Remittance: r.ID},
				o: &c.o}
			c.byKey[k] = e
			c.ecritures = append(c.ecritures, e)
		}
		e.Items += g.Count
		e.Total += g.Total
	}
	sort.Slice(c.ecritures, func(i, j int) bool {
		a, b := c.ecritures[i], c.ecritures[j]
		if a.Date != b.Date {
			return a.Date < b.Date
		}
		return a.Journal < b.Journal
	})
	for i, e := range c.ecritures {
		f := LabelFields{Date: remit.StoredDate(e.Date), Ref: r.Ref, Journal: e.Journal}
		e.Index = i
		e.Centralized = o.Centralize
		e.Counterpart = o.collectionCounterpart(e.Journal, b)
		if e.Masked() {
			e.labels = map[string]string{}
		} else {
			e.contraLabel = o.AccountLabel(e.Counterpart)
		}
		e.Label = counterTpl.Expand(f)
		e.Direct, e.Account, e.AccountLabel = o.Direct, o.CustomerAccount, o.AccountLabel(o.CustomerAccount)
		e.CustomerLabel = custTpl.ForItems(f)
		e.Piece, e.PieceDate = "Remise "+r.Ref, remDate
		if e.Centralized {
			// Never masked: Normalize refuses it.
			l := e.CentralLine()
			if err := checkSides(&l); err != nil {
				c.fail(e, 1, err)
			}
		}
	}
	return c, nil
}

func (c *Collection) key(journal, collection string) collectionKey {
	code, ok := c.journals[journal]
	if !ok {
		code = c.o.journalCode(journal)
		c.journals[journal] = code
	}
	k := collectionKey{date: c.remDate, journal: code}
	if c.o.Date == DateCollection {
		k.date = collection
	}
	return k
}

// Ecritures are the remittance's écritures, in the order they are
// numbered.
func (c *Collection) Ecritures() []*CollectionEcriture { return c.ecritures }

// Lines appends to dst the lines of the next item of the remittance (items
// come in the remittance's order) and returns the écriture they belong to:
// a counterpart line (2n - 1) and a customer line (2n) for the écriture's
// nth item, or only the customer line (n + 1) after a centralised line.
// A line that cannot be written (an amount not positive) is not appended;
// Err reports it.
func (c *Collection) Lines(dst []Line, it *CollectionItem) (*CollectionEcriture, []Line) {
	e := c.byKey[c.key(it.Journal, it.Collection)]
	if e == nil {
		// The groups did not count this item: the store's error.
		c.fail(nil, 0, fmt.Errorf("item %d (%s): in no écriture of the remittance", it.ID, it.Document))
		return nil, dst
	}
	e.seen++
	contra, contraLabel := e.CounterpartFor(it.Due)
	account, accLabel, aux, auxLabel := e.Account, e.AccountLabel, it.Customer, it.Name
	if e.Direct {
		account, accLabel, aux, auxLabel = it.Customer, it.Name, "", ""
	}
	cust := Line{Kind: KindCollection, Seq: e.seen + 1, Item: it.ID, Receivable: it.Receivable, Account: account,
		AccountLabel: accLabel, Aux: aux, AuxLabel: auxLabel, Counterpart: contra, Piece: it.Document, PieceDate: e.PieceDate,
		Label: e.CustomerLabel.Expand(it.Document, it.Customer, it.Name), Credit: it.Amount}
	if !it.Booked {
		// An item collects its whole receivable (one échéance per
		// document, unchangeable once remitted): complete.
		cust.Lettering = complete(it.Receivable, e.Date)
	}
	if !e.Centralized {
		bank := Line{Kind: KindCollection, Seq: 2*e.seen - 1, Item: it.ID, Account: contra, AccountLabel: contraLabel,
			Piece: it.Document, PieceDate: e.PieceDate, Label: e.Label, Debit: it.Amount}
		cust.Seq = 2 * e.seen
		if err := checkSides(&bank); err != nil {
			c.fail(e, bank.Seq, err)
			return e, dst
		}
		dst = append(dst, bank)
	}
	if err := checkSides(&cust); err != nil {
		c.fail(e, cust.Seq, err)
		return e, dst
	}
	return e, append(dst, cust)
}

// fail keeps the error of the earliest line, in écriture order.
func (c *Collection) fail(e *CollectionEcriture, seq int64, err error) {
	at := [2]int64{-1, 0}
	if e != nil {
		at = [2]int64{int64(e.Index), seq}
	}
	if c.err == nil || at[0] < c.errAt[0] || at[0] == c.errAt[0] && at[1] < c.errAt[1] {
		c.err, c.errAt = err, at
	}
}

// Err is the first line, in écriture order, that cannot be written.
func (c *Collection) Err() error { return c.err }
