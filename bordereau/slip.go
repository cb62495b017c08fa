package bordereau

import (
	"fmt"
	"io"
	"iter"
	"strings"
	"time"
)

// Address is a postal address as printed on the documents; empty lines are
// left out, and the country too when it is France.
type Address struct {
	Street   string // numéro et voie
	Building string // complément: bâtiment, lieu-dit, BP
	Postcode string
	Town     string
	Country  string // ISO code or name; "FR" and "France" are not printed
}

// Party is a company or person with its address: the creditor of a slip, the
// drawer (tireur) or the drawee (tiré) of a traite.
type Party struct {
	Name    string
	Address Address
}

// File names one bank file the slip accompanies, with its SHA-256 (hex) so
// the bank and the accountant can tell which file the paper goes with.
type File struct {
	Name   string
	SHA256 string
}

// Slip is the header of a bordereau de remise: who remits what to which bank.
// Count and Total are the figures the caller announces (from the same query
// that produced the bank file); WriteSlip checks the items against them.
type Slip struct {
	Creditor   Party       // créancier (SEPA) or cédant (LCR); the donneur d'ordre with Payments
	ICS        string      // identifiant créancier SEPA, printed when set
	NNE        string      // numéro national d'émetteur (CFONB), printed when set
	IBAN       string      // account credited, printed in full (it is the creditor's own)
	BIC        string      // optional
	Bank       string      // bank name, e.g. "BNP Paribas – Agence Lyon Bellecour"
	Journal    string      // the bank's treasury journal in the company's books, e.g. "BQ2", printed when set
	Reference  string      // référence de la remise
	Kind       string      // e.g. "Prélèvement SEPA CORE", "LCR – code entrée 3 (encaissement)"
	Files      []File      // the bank file(s) sent, e.g. the pain.008 and its CFONB twin
	MessageID  string      // pain.008 MsgId, optional
	Created    time.Time   // creation date and time of the bank file
	DueFrom    time.Time   // the first and last due dates of the items, printed "Échéances du … au …"
	DueTo      time.Time   // (one date when they are the same day); zero: not printed
	DatesLabel string      // caption for Dates, e.g. "Dates de prélèvement"
	Dates      []time.Time // other dates (e.g. each collection date), listed in the given order
	Count      int         // number of items announced
	Total      int64       // sum of the items announced, in cents

	// The table's columns beside Pièce, Client, Nom, Compte, Échéance and
	// Montant: CollectionDates adds each item's collection date beside its
	// due date (SDD), DraweeBanks each drawee's bank (domiciliation, LCR).
	// DetailTitle captions the Detail column ("Type" when empty).
	CollectionDates bool
	DraweeBanks     bool
	DetailTitle     string

	// LongestCustomer is the longest customer code of the items (or one
	// as long): the Client column widens to show it whole, taking room
	// from the names. Empty: the column fits 10 characters.
	LongestCustomer string

	// Payments makes it the slip of a remittance of payments to
	// suppliers (transfers, cheques): the company is the ordering party
	// (donneur d'ordre), its account is debited, and each item is a
	// payment to a supplier, whose account code goes in the Customer
	// field (captioned Fournisseur).
	Payments bool

	// Cancelled marks every page ANNULÉE: the slip of a remittance
	// withdrawn before it was sent, printed again for the record.
	Cancelled bool
}

// slipWords are the words that differ between the slip of a collection
// (the account is credited) and that of supplier payments (debited).
type slipWords struct {
	title, party, account, customer string  // band title, box captions, the Client column
	collection                      string  // the column of CollectionDates
	recap                           string  // fmt: count, total, IBAN
	signer                          string  // caption of the signature box
	kindAt                          float64 // where the kind follows the title in the running header, from the margin
}

var (
	collectionWords = slipWords{title: "BORDEREAU DE REMISE", party: "CRÉANCIER", account: "COMPTE À CRÉDITER", customer: "Client",
		collection: "Prélèvement",
		recap:      "Nous vous remettons %s pour un montant total de %s, à porter au crédit du compte %s.",
		signer:     "CACHET ET SIGNATURE DU REMETTANT", kindAt: 46}
	paymentWords = slipWords{title: "BORDEREAU DE PAIEMENTS", party: "DONNEUR D'ORDRE", account: "COMPTE À DÉBITER", customer: "Fournisseur",
		collection: "Exécution",
		recap:      "Nous vous prions d’exécuter %s pour un montant total de %s, par le débit du compte %s.",
		signer:     "CACHET ET SIGNATURE DU DONNEUR D'ORDRE", kindAt: 53.5}
)

// words are the slip's words for its kind of remittance.
func (s Slip) words() slipWords {
	if s.Payments {
		return paymentWords
	}
	return collectionWords
}

// name is the slip's title in running text: "Bordereau de remise".
func (w slipWords) name() string {
	return w.title[:1] + strings.ToLower(w.title[1:])
}

// SlipItem is one receivable on the slip. Items must arrive grouped by Block:
// the slip prints a heading when the block changes and its subtotal when it
// ends, and reports an error if a block comes back later.
type SlipItem struct {
	Block      string    // payment block, e.g. "FRST · CORE · 01/12/2026"
	Document   string    // pièce (invoice number)
	Customer   string    // customer account code
	Name       string    // debtor or drawee name
	Account    string    // debtor's IBAN or RIB; only its last 4 characters are printed
	Bank       string    // the drawee's bank (domiciliation), with Slip.DraweeBanks
	Due        time.Time // échéance: the receivable's due date
	Collection time.Time // date de prélèvement, with Slip.CollectionDates
	Detail     string    // sequence type (FRST, RCUR…) or acceptance ("Acceptée")
	Amount     int64     // cents, > 0
}

// SlipOptions are the printing options.
type SlipOptions struct {
	Copies int       // 1 to 9 full sets of pages, marked "Exemplaire k/n"; 0 means 1
	Now    time.Time // the clock: "Édité le" and the PDF dates; zero means time.Now()
	// NoZone says Now is a wall-clock reading of unknown time zone (a
	// stored timestamp, such as a remittance's creation time): the PDF
	// dates then carry no offset from UT, so the same reading gives the
	// same bytes on any machine.
	NoZone bool

	// Summary prints one line per block (its label, count and total)
	// instead of the items, for a remittance too large to read on paper:
	// the items are still checked and summed; their detail goes to a file
	// the caller writes (a CSV, say) and lists in Slip.Files, so that its
	// SHA-256 ties it to the slip.
	Summary bool
}

// WriteSlip writes the bordereau de remise as a PDF to w.
//
// items is ranged over once per copy, so with Copies > 1 it must yield the
// same items each time (slices.Values does; a database cursor must re-query).
// Neither rows nor pages are kept in memory: each page is written to w when
// it is full.
//
// The items are checked while printing: amounts must be positive, blocks
// contiguous, and their count and sum equal to s.Count and s.Total. On any
// problem WriteSlip returns every problem found (up to 50), and 0 pages,
// and does not finish the document (w may hold its first pages). Otherwise
// it returns the number of pages, all copies included, with any error
// writing to w.
func WriteSlip(w io.Writer, s Slip, items iter.Seq[SlipItem], opts SlipOptions) (pages int, err error) {
	return writeSlip(w, s, items, nil, opts)
}

// SlipBlock is a block of a summary slip: its label, and the count and
// total of its items.
type SlipBlock struct {
	Label string
	Count int
	Total int64 // cents
}

// WriteSlipSummary writes the summary slip (SlipOptions.Summary) of the
// items whose blocks WriteSlipDetail returned, without reading them again:
// the same bytes as WriteSlip with Summary, in one pass over the items for
// the detail and the slip. The blocks are checked: each of at least one
// item and a positive total, each label once, their counts and totals
// summing to s.Count and s.Total.
func WriteSlipSummary(w io.Writer, s Slip, blocks []SlipBlock, opts SlipOptions) (pages int, err error) {
	opts.Summary = true
	if blocks == nil {
		blocks = []SlipBlock{}
	}
	return writeSlip(w, s, nil, blocks, opts)
}

func writeSlip(w io.Writer, s Slip, items iter.Seq[SlipItem], blocks []SlipBlock, opts SlipOptions) (pages int, err error) {
	copies, err := checkCopies(opts.Copies)
	if err != nil {
		return 0, err
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	sw := &slipWriter{
		d:       newDoc(w, now, opts.NoZone, s.words().name()+" "+s.Reference),
		s:       s,
		now:     now,
		copies:  copies,
		summary: opts.Summary,
		blocks:  blocks,
	}
	sw.cols = sw.columns()
	if sw.summary {
		sw.cols = sw.summaryColumns()
	}
	sw.d.footer = sw.footer
	for c := 1; c <= copies; c++ {
		sw.writeCopy(c, items)
		if sw.d.failed() {
			return sw.d.finish() // the write error, not the items it left unread
		}
		if c == 1 {
			if err := sw.probs.err(); err != nil {
				return 0, err
			}
			sw.pagesPerCopy = sw.d.pageNo()
			sw.d.setPageCount(sw.pagesPerCopy)
			sw.first = sw.sums
		} else if sw.sums != sw.first || sw.d.pageNo() != c*sw.pagesPerCopy {
			return 0, fmt.Errorf("copy %d: %w", c, ErrChanged)
		}
	}
	return sw.d.finish()
}

// pagesAlias stands for the number of pages of one copy; the page number
// text holding it is written at the end of the file, once the count is known.
const pagesAlias = "{nb}"

// slipColumn is one column of the slip table.
type slipColumn struct {
	title string
	w     float64 // millimetres
	kind  cellKind
}

// cellKind says what a column shows of an item.
type cellKind int

const (
	cellDocument cellKind = iota
	cellCustomer
	cellName
	cellBank
	cellAccount
	cellDue
	cellCollection
	cellDetail
	cellAmount
	cellBlock // a block's label, on a summary slip
	cellCount // a block's count, on a summary slip
)

// Column widths in millimetres: those that hold dates, masked accounts and
// sequence types fit their widest value at the row font, the amounts the
// slip's total (no item is larger); the names (and banks) take what is left.
const (
	colDocument  = 22.0
	colCustomer  = 20.0 // at least: ten characters
	colAccount   = 14.0
	colDate      = 17.0
	colCollect   = 19.0 // "Prélèvement"
	colDetail    = 20.0 // "Non acceptée"
	colDetailSDD = 16.0 // "Séquence"
	minName      = 28.0
	minBank      = 22.0
	rowFont      = 7.5
)

// columns lays out the table of this slip: the optional columns it asked
// for, and a Client column wide enough for its longest customer code as
// long as the names keep minName millimetres (and the banks minBank).
func (sw *slipWriter) columns() []slipColumn {
	s := sw.s
	detailTitle, detailW := s.DetailTitle, colDetail
	if detailTitle == "" {
		detailTitle = "Type"
	}
	if s.CollectionDates {
		detailW = colDetailSDD
	}
	d := sw.d
	d.font("B", rowFont)
	amountW := d.width("Montant")
	d.font("", rowFont)
	amountW = max(amountW, d.width(formatEUR(s.Total)), d.width(formatEUR(-s.Total))) + 2*padX + 0.5
	fixed := colDocument + colAccount + colDate + detailW + amountW
	if s.CollectionDates {
		fixed += colCollect
	}
	customer := max(colCustomer, d.width(s.LongestCustomer)+2*padX+0.5)
	free := contentW - fixed // for the customer code, the names and the banks
	least := minName
	if s.DraweeBanks {
		least += minBank
	}
	customer = min(customer, free-least)
	names := free - customer
	name, bank := names, 0.0
	if s.DraweeBanks {
		name = names * 0.55
		bank = names - name
	}
	cols := []slipColumn{{"Pièce", colDocument, cellDocument}, {s.words().customer, customer, cellCustomer}, {"Nom", name, cellName}}
	if s.DraweeBanks {
		cols = append(cols, slipColumn{"Domiciliation", bank, cellBank})
	}
	cols = append(cols, slipColumn{"Compte", colAccount, cellAccount}, slipColumn{"Échéance", colDate, cellDue})
	if s.CollectionDates {
		cols = append(cols, slipColumn{s.words().collection, colCollect, cellCollection})
	}
	return append(cols, slipColumn{detailTitle, detailW, cellDetail}, slipColumn{"Montant", amountW, cellAmount})
}

const (
	rowH   = 4.4 // table row
	headH  = 6.0 // table header and block heading
	sumH   = 5.6 // subtotal, carry and report lines
	totalH = 8.0 // grand total
	sigGap = 5.0 // between the total and the signature box
	sigH   = 30.0
	padX   = 1.5 // cell padding
)

type slipSums struct {
	count int
	total int64
}

type slipWriter struct {
	d          *doc
	s          Slip
	cols       []slipColumn
	due        lastDate // the dates of the last row, formatted
	collection lastDate
	now        time.Time
	copies     int
	copy       int
	summary    bool        // one line per block (SlipOptions.Summary)
	blocks     []SlipBlock // the blocks of WriteSlipSummary, summed already; nil: the items

	firstPage    int // first page of the current copy
	pagesPerCopy int
	y            float64
	probs        problems

	sums, first slipSums // running sums of this copy; those of copy 1

	block      string // current block label
	inBlock    bool
	blockSums  slipSums
	zebra      bool
	seenBlocks map[string]bool
}

func (sw *slipWriter) writeCopy(c int, items iter.Seq[SlipItem]) {
	sw.sums, sw.blockSums = slipSums{}, slipSums{}
	sw.inBlock, sw.block = false, ""
	sw.seenBlocks = map[string]bool{}
	sw.d.addPage() // the footer of the previous copy's last page runs here
	sw.copy, sw.firstPage = c, sw.d.pageNo()
	sw.y = sw.firstHeader()
	sw.tableHeader()
	i := 0
	if sw.blocks != nil {
		i = sw.writeBlocks()
		items = func(func(SlipItem) bool) {} // read already
	}
	for it := range items {
		if sw.d.failed() {
			break // the output failed: reading on would be for nothing
		}
		i++
		if sw.copy == 1 {
			sw.check(i, it)
		}
		if !sw.inBlock || it.Block != sw.block {
			if sw.inBlock {
				sw.endBlock()
			}
			if sw.seenBlocks[it.Block] && sw.copy == 1 {
				sw.probs.add(&ItemError{Index: i, Document: it.Document, Field: "Block", Value: it.Block, Err: ErrNotGrouped})
			}
			sw.seenBlocks[it.Block] = true
			sw.startBlock(it.Block)
		}
		if !sw.summary {
			sw.ensure(rowH)
			sw.row(it)
		}
		sw.sums.count++
		sw.sums.total += it.Amount
		sw.blockSums.count++
		sw.blockSums.total += it.Amount
	}
	if sw.inBlock {
		sw.endBlock()
	}
	if i == 0 {
		sw.ensure(rowH)
		sw.d.font("I", 8)
		sw.d.color(colMuted)
		sw.d.text(marginL+padX, sw.y+3.1, "Aucune opération.")
		sw.d.color(colInk)
		sw.y += rowH
	}
	// The total never goes without the signature box: a page holding only
	// a signature would not say what is being signed.
	sw.ensure(totalH + sigGap + sigH)
	sw.grandTotal()
	sw.signature()
	if sw.copy == 1 {
		if sw.sums.count != sw.s.Count {
			sw.probs.add(fmt.Errorf("%d items, header says %d: %w", sw.sums.count, sw.s.Count, ErrCount))
		}
		if sw.sums.total != sw.s.Total {
			sw.probs.add(fmt.Errorf("items sum to %s, header says %s: %w",
				plainEUR(sw.sums.total), plainEUR(sw.s.Total), ErrTotal))
		}
	}
}

// writeBlocks writes the lines of the blocks of WriteSlipSummary as
// writeCopy writes those of the items it sums, and returns how many.
func (sw *slipWriter) writeBlocks() int {
	for i, b := range sw.blocks {
		if sw.d.failed() {
			break
		}
		if sw.copy == 1 {
			if b.Count <= 0 || b.Total <= 0 {
				sw.probs.add(&ItemError{Index: i + 1, Document: b.Label, Field: "Total",
					Value: fmt.Sprintf("%d items, %s", b.Count, plainEUR(b.Total)), Err: ErrAmount})
			}
			if sw.seenBlocks[b.Label] {
				sw.probs.add(&ItemError{Index: i + 1, Field: "Block", Value: b.Label, Err: ErrNotGrouped})
			}
		}
		sw.seenBlocks[b.Label] = true
		sw.startBlock(b.Label)
		sw.sums.count += b.Count
		sw.sums.total += b.Total
		sw.blockSums = slipSums{count: b.Count, total: b.Total}
		sw.endBlock()
	}
	return len(sw.blocks)
}

// plainEUR is formatEUR with ordinary spaces, for error messages.
func plainEUR(c int64) string { return strings.ReplaceAll(formatEUR(c), nbsp, " ") }

func (sw *slipWriter) check(i int, it SlipItem) {
	if it.Amount <= 0 {
		sw.probs.add(&ItemError{Index: i, Document: it.Document, Field: "Amount",
			Value: plainEUR(it.Amount), Err: ErrAmount})
	}
}

// ensure breaks the page when h more millimetres of table do not fit above
// the carry line, carrying the running total over.
func (sw *slipWriter) ensure(h float64) {
	if sw.y+h <= bodyEnd-sumH {
		return
	}
	sw.carryLine("À reporter")
	sw.d.addPage()
	sw.y = sw.nextHeader()
	sw.tableHeader()
	sw.carryLine("Report")
	if sw.inBlock && !sw.summary {
		sw.blockHeading(sw.block + " (suite)")
	}
}

func (sw *slipWriter) carryLine(caption string) {
	carryLine(sw.d, sw.y, caption+" — "+plural(sw.sums.count, "opération"), sw.sums.total)
	sw.y += sumH
}

func (sw *slipWriter) tableHeader() {
	d := sw.d
	d.fill(colBrand)
	d.rect(marginL, sw.y, contentW, headH, "F")
	d.font("B", 7.5)
	d.color(colWhite)
	x := marginL
	for _, c := range sw.cols {
		if c.kind == cellAmount || c.kind == cellCount {
			d.textRight(x+c.w-padX, sw.y+4.1, c.title)
		} else {
			d.text(x+padX, sw.y+4.1, c.title)
		}
		x += c.w
	}
	d.color(colInk)
	sw.y += headH
}

func (sw *slipWriter) startBlock(label string) {
	sw.ensure(headH + rowH) // never a heading alone at the foot of a page
	sw.block, sw.inBlock = label, true
	sw.blockSums = slipSums{}
	if sw.summary {
		return // its line comes when it ends, with its sums
	}
	sw.zebra = false
	sw.blockHeading(label)
}

func (sw *slipWriter) blockHeading(label string) {
	d := sw.d
	d.fill(colTint)
	d.rect(marginL, sw.y+0.6, contentW, headH-0.6, "F")
	d.fill(colBrand)
	d.rect(marginL, sw.y+0.6, 1.2, headH-0.6, "F")
	d.font("B", 8)
	d.color(colBrand)
	d.textFit(marginL+3, sw.y+4.5, contentW-6, label)
	d.color(colInk)
	sw.y += headH
	sw.zebra = false
}

func (sw *slipWriter) row(it SlipItem) {
	d := sw.d
	if sw.zebra {
		d.fill(colZebra)
		d.rect(marginL, sw.y, contentW, rowH, "F")
	}
	sw.zebra = !sw.zebra
	base := sw.y + 3.1
	x := marginL
	d.font("", rowFont)
	for _, c := range sw.cols {
		w := c.w - 2*padX
		switch c.kind {
		case cellDocument, cellCustomer:
			// Documents and customer codes are identifiers: smaller rather than cut.
			id := it.Document
			if c.kind == cellCustomer {
				id = it.Customer
			}
			if d.width(id) > w {
				d.shrinkToFit("", rowFont, w, id)
			}
			d.textFit(x+padX, base, w, id)
			d.font("", rowFont)
		case cellName:
			d.textFit(x+padX, base, w, it.Name)
		case cellBank:
			d.textFit(x+padX, base, w, it.Bank)
		case cellAccount:
			d.textFit(x+padX, base, w, maskAccount(it.Account))
		case cellDue:
			d.textFit(x+padX, base, w, sw.due.format(it.Due))
		case cellCollection:
			d.textFit(x+padX, base, w, sw.collection.format(it.Collection))
		case cellDetail:
			d.textFit(x+padX, base, w, it.Detail)
		case cellAmount:
			d.textFitRight(x+c.w-padX, base, w, formatEUR(it.Amount))
		}
		x += c.w
	}
	sw.y += rowH
}

// lastDate keeps the last date formatted: on a slip, consecutive items
// mostly share their dates.
type lastDate struct {
	t time.Time
	s string
}

func (l *lastDate) format(t time.Time) string {
	if !t.Equal(l.t) || l.s == "" {
		l.t, l.s = t, formatDate(t)
	}
	return l.s
}

func (sw *slipWriter) endBlock() {
	if sw.summary {
		sw.summaryRow()
		return
	}
	sw.ensure(sumH)
	d := sw.d
	d.draw(colBrand)
	d.lineW(0.3)
	d.line(marginL+contentW-60, sw.y, marginL+contentW, sw.y)
	d.font("B", 7.5)
	d.textFit(marginL+padX, sw.y+3.9, contentW-50,
		"Sous-total "+sw.block+" — "+plural(sw.blockSums.count, "opération"))
	d.textRight(marginL+contentW-padX, sw.y+3.9, formatEUR(sw.blockSums.total))
	sw.y += sumH + 1.5
	sw.inBlock = false
}

func (sw *slipWriter) grandTotal() {
	sw.ensure(totalH)
	totalBand(sw.d, sw.y, "TOTAL DE LA REMISE — "+plural(sw.sums.count, "opération"), sw.sums.total)
	sw.y += totalH
}

// signature closes the slip: a recap sentence and the box for the stamp and
// signature of the remitter.
func (sw *slipWriter) signature() {
	const h = sigH
	sw.y += sigGap
	d := sw.d
	d.font("", 8.5)
	recap := fmt.Sprintf(sw.s.words().recap,
		plural(sw.sums.count, "opération"), formatEUR(sw.sums.total), strings.ReplaceAll(groupIBAN(sw.s.IBAN), " ", nbsp))
	for i, l := range d.wrap(recap, 92, 4) {
		d.rawText(marginL, sw.y+4+float64(i)*4.2, l)
	}
	d.font("", 8.5)
	d.textFit(marginL, sw.y+21, 92, doneAt(sw.s.Creditor.Address.Town, sw.now))
	signatureBox(d, marginL+contentW-88, sw.y, 88, h-4, sw.s.words().signer)
	sw.y += h
}

// firstHeader draws the band, the parties, the totals and the summary of
// page 1 of each copy and returns where the table starts.
func (sw *slipWriter) firstHeader() float64 {
	d, s := sw.d, sw.s
	// Band: title and kind on the left, reference on the right.
	y := marginT + titleBand(d, s.words().title, s.Kind, "RÉFÉRENCE DE LA REMISE", s.Reference, copyLabel(sw.copy, sw.copies)) + 4
	if s.Cancelled {
		y = sw.cancelledStamp(y)
	}
	y = sw.partyBoxes(y)
	return sw.summaryBox(y)
}

// partyBoxes draws, at y, the creditor's box, the account's and the
// totals', and returns where they end.
func (sw *slipWriter) partyBoxes(y float64) float64 {
	d, s := sw.d, sw.s
	// Three boxes: creditor, account, totals.
	const gap, w1, w2 = 4.0, 64.0, 68.0
	w3 := contentW - w1 - w2 - 2*gap
	x1, x2, x3 := marginL, marginL+w1+gap, marginL+w1+w2+2*gap

	var cred []string
	cred = append(cred, addressLines(s.Creditor.Address)...)
	if s.ICS != "" {
		cred = append(cred, "ICS "+s.ICS)
	}
	if s.NNE != "" {
		cred = append(cred, "N° émetteur "+s.NNE)
	}
	var acct []string
	if s.IBAN != "" {
		acct = append(acct, "IBAN "+groupIBAN(s.IBAN))
	}
	if s.BIC != "" {
		acct = append(acct, "BIC "+s.BIC)
	}
	if s.Journal != "" {
		acct = append(acct, "Journal "+s.Journal)
	}
	// Names wrap on two lines rather than lose their end.
	d.font("B", 9.5)
	credName, bankName := d.wrap(s.Creditor.Name, w1-6, 2), d.wrap(s.Bank, w2-6, 2)
	lines := max(len(credName)+len(cred), len(bankName)+len(acct), 4)
	h := 7.6 + float64(lines)*3.9
	d.draw(colRule)
	d.lineW(0.25)
	d.rect(x1, y, w1, h, "D")
	d.rect(x2, y, w2, h, "D")
	d.fill(colTint)
	d.rect(x3, y, w3, h, "F")

	box := func(x float64, caption string, name, rest []string, w float64) {
		d.label(x+3, y+4, caption)
		yy := y + 9
		d.font("B", 9.5)
		for _, l := range name {
			d.rawText(x+3, yy, l)
			yy += 4.1
		}
		d.font("", 8)
		for _, l := range rest {
			d.textFit(x+3, yy+0.1, w-6, l)
			yy += 3.9
		}
	}
	box(x1, s.words().party, credName, cred, w1)
	box(x2, s.words().account, bankName, acct, w2)

	d.label(x3+3, y+4, "NOMBRE D'OPÉRATIONS")
	d.shrinkToFit("B", 12, w3-6, formatInt(s.Count))
	d.color(colBrand)
	d.text(x3+3, y+9.8, formatInt(s.Count))
	d.label(x3+3, y+h/2+2.5, "MONTANT TOTAL")
	d.shrinkToFit("B", 14, w3-6, formatEUR(s.Total))
	d.color(colBrand)
	d.text(x3+3, y+h/2+9, formatEUR(s.Total))
	d.color(colInk)
	return y + h + gap
}

// summaryBox draws, at y, the label / value pairs that sum the remittance
// up (kind, dates, message, files) and returns where the table starts.
func (sw *slipWriter) summaryBox(y float64) float64 {
	d, s := sw.d, sw.s
	// Summary: label / value pairs.
	type pair struct{ k, v string }
	var pairs []pair
	pairs = append(pairs, pair{"Type de remise", s.Kind})
	if sw.summary {
		pairs = append(pairs, pair{"Présentation", "Récapitulatif : une ligne par bloc, le détail des opérations dans le fichier joint"})
	}
	if !s.Created.IsZero() {
		pairs = append(pairs, pair{"Fichier créé le", formatDateTime(s.Created)})
	}
	if s.MessageID != "" {
		pairs = append(pairs, pair{"Identifiant du message", s.MessageID})
	}
	if !s.DueFrom.IsZero() {
		due := formatDate(s.DueFrom)
		if !s.DueTo.IsZero() && daysBetween(s.DueFrom, s.DueTo) != 0 {
			due = "du " + due + " au " + formatDate(s.DueTo)
		}
		pairs = append(pairs, pair{"Échéances", due})
	}
	label := s.DatesLabel
	if label == "" {
		label = "Dates"
	}
	if len(s.Dates) > 0 {
		ds := make([]string, len(s.Dates))
		for i, t := range s.Dates {
			ds[i] = formatDate(t)
		}
		pairs = append(pairs, pair{label, strings.Join(ds, ", ")})
	}
	const lw, lineH = 40.0, 4.3
	vw := contentW - lw - 6
	nlines := len(pairs) + 2*len(s.Files)
	d.font("", 8)
	dateLines := 1
	if len(s.Dates) > 0 {
		dateLines = len(d.wrap(pairs[len(pairs)-1].v, vw, 3))
		nlines += dateLines - 1
	}
	h := 3 + float64(nlines)*lineH
	d.draw(colRule)
	d.rect(marginL, y, contentW, h, "D")
	yy := y + 4.9
	for i, p := range pairs {
		d.font("", 7.5)
		d.color(colMuted)
		d.text(marginL+3, yy, p.k)
		d.color(colInk)
		d.font("", 8)
		if i == len(pairs)-1 && len(s.Dates) > 0 {
			for j, l := range d.wrap(p.v, vw, 3) {
				d.rawText(marginL+3+lw, yy+float64(j)*lineH, l)
			}
			yy += float64(dateLines) * lineH
			continue
		}
		d.textFit(marginL+3+lw, yy, vw, p.v)
		yy += lineH
	}
	for i, f := range s.Files {
		d.font("", 7.5)
		d.color(colMuted)
		if i == 0 {
			name := "Fichier"
			if len(s.Files) > 1 {
				name = "Fichiers"
			}
			d.text(marginL+3, yy, name)
		}
		d.color(colInk)
		d.font("", 8)
		d.textFit(marginL+3+lw, yy, vw, f.Name)
		d.courier(7)
		d.color(colMuted)
		d.textFit(marginL+3+lw, yy+lineH, vw, "SHA-256 "+f.SHA256)
		d.color(colInk)
		yy += 2 * lineH
	}
	return y + h + 5
}

// nextHeader is the compact header of the following pages.
// cancelledStamp draws, at y, the band that says the remittance was
// cancelled, and returns where the page goes on.
func (sw *slipWriter) cancelledStamp(y float64) float64 {
	d := sw.d
	d.draw(colAlert)
	d.lineW(0.8)
	d.rect(marginL, y, contentW, 11, "D")
	d.font("B", 15)
	d.color(colAlert)
	d.textCenter(marginL+contentW/2, y+6.4, "ANNULÉE")
	d.font("B", 7.5)
	d.textCenter(marginL+contentW/2, y+9.7, "Remise annulée avant envoi : ne pas remettre ce bordereau ni son fichier à la banque")
	d.color(colInk)
	return y + 15
}

func (sw *slipWriter) nextHeader() float64 {
	d, s := sw.d, sw.s
	y := marginT
	d.font("B", 10)
	d.color(colBrand)
	ref := "Réf. " + s.Reference
	if s.Cancelled {
		d.color(colAlert)
		ref += " — ANNULÉE"
	}
	d.text(marginL, y+4, s.words().title)
	x := marginL + s.words().kindAt
	d.font("", 8.5)
	d.color(colInk)
	d.textFit(x, y+4, marginL+126-x, s.Kind)
	d.font("B", 9)
	if s.Cancelled {
		d.color(colAlert)
	}
	d.textFitRight(marginL+contentW, y+4, 60, ref)
	d.color(colInk)
	d.font("", 8)
	d.color(colMuted)
	d.textFit(marginL, y+8.5, 120, s.Creditor.Name)
	if sw.copies > 1 {
		d.textRight(marginL+contentW, y+8.5, fmt.Sprintf("Exemplaire %d/%d", sw.copy, sw.copies))
	}
	d.color(colInk)
	d.draw(colBrand)
	d.lineW(0.4)
	d.line(marginL, y+10.5, marginL+contentW, y+10.5)
	return y + 13
}

func (sw *slipWriter) footer() {
	page := fmt.Sprintf("Page %d/%s", sw.d.pageNo()-sw.firstPage+1, pagesAlias)
	if sw.copies > 1 {
		page = copyLabel(sw.copy, sw.copies) + " · " + page
	}
	footerLine(sw.d, sw.s.words().name()+" "+sw.s.Reference+" · "+sw.s.Creditor.Name+" · édité le "+formatDateTime(sw.now), page, nil)
}

// pageNumber writes "Page p/{nb}" ending at the right margin. The page
// count is known only at the end of the file, so the text is written then.
func pageNumber(d *doc, s string) {
	d.p.deferText(marginL+contentW, footerY, cp1252(s))
}

// summaryColumns are the columns of a summary slip: the block, its count
// and its total.
func (sw *slipWriter) summaryColumns() []slipColumn {
	amount := sw.cols[len(sw.cols)-1]
	const count = 30.0
	return []slipColumn{{"Bloc", contentW - count - amount.w, cellBlock}, {"Opérations", count, cellCount}, amount}
}

// summaryRow is the line of the block that ends, on a summary slip.
func (sw *slipWriter) summaryRow() {
	sw.ensure(rowH)
	d := sw.d
	if sw.zebra {
		d.fill(colZebra)
		d.rect(marginL, sw.y, contentW, rowH, "F")
	}
	sw.zebra = !sw.zebra
	base := sw.y + 3.1
	x := marginL
	d.font("", rowFont)
	for _, c := range sw.cols {
		switch c.kind {
		case cellBlock:
			d.textFit(x+padX, base, c.w-2*padX, sw.block)
		case cellCount:
			d.textRight(x+c.w-padX, base, formatInt(sw.blockSums.count))
		case cellAmount:
			d.textFitRight(x+c.w-padX, base, c.w-2*padX, formatEUR(sw.blockSums.total))
		}
		x += c.w
	}
	sw.y += rowH
	sw.inBlock = false
}
