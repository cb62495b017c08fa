package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/treasury"
)

// Accounting entries (seed 004, "Génération des écritures").
//
// When a remittance is created, its hook writes one écriture per journal and
// entry date: every receivable credits the customer (collective account
// 411000 with the customer's code as auxiliary account, or the customer's
// own account), and the journal's counterpart account is debited, one line
// per payment or one centralised line. The counterpart may carry the masks
// AA and MM, filled from each receivable's due date (09AAMM00 → 09261200);
// such an account cannot be centralised.
//
// A reject or return writes the reverse écriture (debit customer, credit
// counterpart) and the bank fee (debit fee account, credit counterpart). A
// cancelled remittance's écritures are reversed, never deleted: they may
// already be in the accounting software.
//
// Lettering: each receivable has one code, its customer lines carry it, in
// upper case when they settle the receivable exactly (complete), in lower
// case otherwise (partial: after a reject, the lines no longer settle it).

// Entry kinds.
const (
	EntryCollection = "collection"
	EntryReturn     = "return"
	EntryFee        = "fee"
	EntryReversal   = "reversal"
	// The treasury écritures, which belong to no remittance.
	EntrySuspense   = "suspense"   // a credit no remittance explains, to the suspense account
	EntryAllocation = "allocation" // vidage du compte d'attente
	EntryPayment    = "payment"    // a transfer paying receivables; a supplier payment (payment_id set, payment_entries.go)
	EntryWriteOff   = "writeoff"   // abandon de créance
)

// Entry date policies.
const (
	EntryDateRemittance = "remittance" // the day the remittance was created (the default)
	EntryDateCollection = "collection" // each item's collection date (SDD) or due date (LCR)
)

// Default entry settings, used for every option left empty.
const (
	DefaultJournal         = "BQ"
	DefaultCounterpart     = "512000"
	DefaultCustomerAccount = "411000"
	DefaultFeeAccount      = "627000"
	DefaultEntryLabel      = "Recettes au {JJ}/{MM}/{AA}"
	DefaultCustomerLabel   = "{doc} {name}"
	DefaultReturnLabel     = "Rejet {doc} {reason}"
	DefaultFeeLabel        = "Frais rejet {doc}"
	DefaultReversalLabel   = "Annulation remise {ref}"
	DefaultSupplierAccount = "401000"
	DefaultDiscountAccount = "765000"
	DefaultSupplierLabel   = "{doc} {name}"
	DefaultPaymentLabel    = "Paiement {doc} {name}"
	DefaultDiscountLabel   = "Escompte {doc}"
)

// JournalOptions are one treasury journal's settings.
type JournalOptions struct {
	Label       string // JournalLib; default the journal code ("Banque" for BQ)
	Counterpart string // default EntryOptions.Counterpart
}

// EntryOptions control the accounting entries. The zero value is valid:
// every empty field takes its default.
type EntryOptions struct {
	Disabled        bool                      // write no entries for new remittances and returns
	Journal         string                    // journal of receivables without one; default BQ
	Counterpart     string                    // counterpart account of every journal without its own; default 512000
	Journals        map[string]JournalOptions // per journal code (the receivables' journal column)
	Centralize      bool                      // one counterpart line per écriture instead of one per payment
	Date            string                    // EntryDateRemittance (default) or EntryDateCollection
	Label           string                    // counterpart lines; default "Recettes au {JJ}/{MM}/{AA}"
	CustomerLabel   string                    // customer lines; default "{doc} {name}"
	CustomerAccount string                    // collective account; default 411000
	Direct          bool                      // the customer's code is the account (no auxiliary account)
	FeeAccount      string                    // bank fees; default 627000
	FeeCounterpart  string                    // account the fee is taken from; default the journal's counterpart
	ReturnLabel     string                    // default "Rejet {doc} {reason}"
	FeeLabel        string                    // default "Frais rejet {doc}"
	ReversalLabel   string                    // default "Annulation remise {ref}"
	AccountLabels   map[string]string         // CompteLib by account or account prefix (longest prefix wins)

	// bankAccount is the account of the bank a remittance went to: the
	// counterpart of its journals that have none of their own, in place
	// of a Counterpart that is a bank's account too.
	bankAccount string
	// bookedOn is the account a remittance's parameters book it on (a
	// remise de chèques: 511…): the counterpart of every journal.
	bookedOn string

	// Supplier payments (payment_entries.go).
	SupplierAccount string // collective account of suppliers; default 401000 (the supplier's code is the account when Direct)
	DiscountAccount string // escomptes obtenus; default 765000
	SupplierLabel   string // supplier lines; default "{doc} {name}"
	PaymentLabel    string // bank lines; default "Paiement {doc} {name}" ({doc}: the payment's reference)
	DiscountLabel   string // discount lines; default "Escompte {doc}"
}

// normalized returns the options with defaults filled in and journal codes
// in upper case, or every problem found.
func (o EntryOptions) normalized() (EntryOptions, error) {
	def := func(s *string, d string) {
		*s = strings.TrimSpace(*s)
		if *s == "" {
			*s = d
		}
	}
	def(&o.Journal, DefaultJournal)
	o.Journal = strings.ToUpper(o.Journal)
	def(&o.Counterpart, DefaultCounterpart)
	def(&o.Date, EntryDateRemittance)
	def(&o.Label, DefaultEntryLabel)
	def(&o.CustomerLabel, DefaultCustomerLabel)
	def(&o.CustomerAccount, DefaultCustomerAccount)
	def(&o.FeeAccount, DefaultFeeAccount)
	def(&o.ReturnLabel, DefaultReturnLabel)
	def(&o.FeeLabel, DefaultFeeLabel)
	def(&o.ReversalLabel, DefaultReversalLabel)
	def(&o.SupplierAccount, DefaultSupplierAccount)
	def(&o.DiscountAccount, DefaultDiscountAccount)
	def(&o.SupplierLabel, DefaultSupplierLabel)
	def(&o.PaymentLabel, DefaultPaymentLabel)
	def(&o.DiscountLabel, DefaultDiscountLabel)
	o.FeeCounterpart = strings.TrimSpace(o.FeeCounterpart)
	var errs []error
	check := func(what, account string) {
		if err := checkAccount(account); err != nil {
			errs = append(errs, fmt.Errorf("%s %q: %w", what, account, err))
		}
	}
	check("counterpart account", o.Counterpart)
	check("customer account", o.CustomerAccount)
	check("fee account", o.FeeAccount)
	check("supplier account", o.SupplierAccount)
	check("discount account", o.DiscountAccount)
	if isMasked(o.FeeAccount) || isMasked(o.CustomerAccount) || isMasked(o.SupplierAccount) || isMasked(o.DiscountAccount) {
		errs = append(errs, errors.New("only counterpart accounts may carry the masks AA and MM"))
	}
	if o.FeeCounterpart != "" {
		check("fee counterpart account", o.FeeCounterpart)
	}
	switch o.Date {
	case EntryDateRemittance, EntryDateCollection:
	default:
		errs = append(errs, fmt.Errorf("entry date %q: want remittance or collection", o.Date))
	}
	journals := make(map[string]JournalOptions, len(o.Journals))
	for code, j := range o.Journals {
		code = strings.ToUpper(strings.TrimSpace(code))
		j.Counterpart, j.Label = strings.TrimSpace(j.Counterpart), strings.TrimSpace(j.Label)
		if j.Counterpart != "" {
			check("journal "+code+" counterpart account", j.Counterpart)
		}
		journals[code] = j
	}
	o.Journals = journals
	if o.Centralize {
		var masked []string
		if isMasked(o.Counterpart) {
			masked = append(masked, o.Counterpart)
		}
		for _, code := range sortedJournalCodes(journals) {
			if isMasked(journals[code].Counterpart) {
				masked = append(masked, journals[code].Counterpart+" (journal "+code+")")
			}
		}
		if len(masked) > 0 {
			errs = append(errs, fmt.Errorf("centralisation with %s: %w", strings.Join(masked, ", "), accounting.ErrMaskedCentralized))
		}
	}
	labels := make(map[string]string, len(o.AccountLabels))
	for k, v := range o.AccountLabels {
		labels[strings.ToUpper(strings.TrimSpace(k))] = v
	}
	o.AccountLabels = labels
	return o, errors.Join(errs...)
}

// Validate reports every problem of the options, so a configuration is
// refused when it is read rather than at the first remittance.
func (o EntryOptions) Validate() error {
	_, err := o.normalized()
	return err
}

func sortedJournalCodes(m map[string]JournalOptions) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// checkAccount accepts account numbers of letters and digits (PCG accounts,
// customer codes such as 411DUPONT), the way FEC CompteNum carries them.
func checkAccount(a string) error {
	if a == "" {
		return errors.New("empty")
	}
	if len(a) > 40 {
		return errors.New("longer than 40 characters")
	}
	for i := 0; i < len(a); i++ {
		c := a[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_' || c == '.') {
			return errors.New("letters, digits, - _ or . only")
		}
	}
	return nil
}

// isMasked tells whether an account carries the year or month mask.
func isMasked(account string) bool {
	return strings.Contains(account, "AA") || strings.Contains(account, "MM")
}

// fillMask replaces AA by the due date's two-digit year and MM by its month:
// 09AAMM00 due 2026-12-15 → 09261200.
func fillMask(account string, due time.Time) string {
	if !isMasked(account) {
		return account
	}
	account = strings.ReplaceAll(account, "AA", due.Format("06"))
	return strings.ReplaceAll(account, "MM", due.Format("01"))
}

// journalCode is the journal a receivable's entries go to.
func (o EntryOptions) journalCode(receivableJournal string) string {
	if j := strings.ToUpper(strings.TrimSpace(receivableJournal)); j != "" {
		return j
	}
	return o.Journal
}

func (o EntryOptions) journalLabel(code string) string {
	if j := o.Journals[code]; j.Label != "" {
		return j.Label
	}
	if code == DefaultJournal {
		return "Banque"
	}
	return code
}

// counterpart returns the journal's counterpart account, masks filled from the due date.
func (o EntryOptions) counterpart(code string, due time.Time) string {
	return fillMask(o.counterpartMask(code), due)
}

// counterpartMask returns the journal's counterpart account, masks not
// filled: the journal's own (entries.journals); else the account of the
// remittance's bank, unless entries.counterpart is not a bank's account
// but an intermediate one the company books its remittances on instead
// (413…, 511…, 09AAMM00: seed 004, "Il n'est pas obligatoire d'utiliser un
// compte de banque"); else entries.counterpart.
func (o EntryOptions) counterpartMask(code string) string {
	if o.bookedOn != "" {
		return o.bookedOn
	}
	if j := o.Journals[code]; j.Counterpart != "" {
		return j.Counterpart
	}
	if o.bankAccount != "" && treasury.IsBankAccount(o.Counterpart) {
		return o.bankAccount
	}
	return o.Counterpart
}

// defaultAccountLabels name the usual PCG accounts; longest prefix wins.
var defaultAccountLabels = map[string]string{
	"411":  "Clients",
	"4457": "TVA collectée",
	"471":  "Compte d'attente",
	"413":  "Clients - Effets à recevoir",
	"416":  "Clients douteux ou litigieux",
	"511":  "Valeurs à l'encaissement",
	"512":  "Banques",
	"514":  "Chèques postaux",
	"53":   "Caisse",
	"58":   "Virements internes",
	"627":  "Services bancaires et assimilés",
	"654":  "Pertes sur créances irrécouvrables",
	"661":  "Charges d'intérêts",
}

// accountLabel is the CompteLib of an account: the configured label of the
// account or of its longest configured prefix, else the PCG default, else
// "Compte <number>".
func (o EntryOptions) accountLabel(account string) string {
	for _, m := range []map[string]string{o.AccountLabels, defaultAccountLabels} {
		best := -1
		label := ""
		for prefix, l := range m {
			if strings.HasPrefix(strings.ToUpper(account), prefix) && len(prefix) > best {
				best, label = len(prefix), l
			}
		}
		if best >= 0 && label != "" {
			return label
		}
	}
	return "Compte " + account
}

// labelFields are what a label template can use.
type labelFields struct {
	date                     time.Time
	doc, customer, name, ref string
	reason, journal          string
}

// labelKeys are the placeholders of a label template, in the order
// expandLabel tries them at each position (the first that matches wins, as
// with strings.NewReplacer: "JJ/MM/AAAA" before "JJ/MM/AA").
var labelKeys = [...]string{"JJ/MM/AAAA", "JJ/MM/AA", "{JJ}", "{MM}", "{AAAA}", "{AA}",
	"{doc}", "{customer}", "{name}", "{ref}", "{reason}", "{journal}"}

// Indexes in labelKeys of the placeholders that differ from item to item.
const (
	labelKeyDoc      = 6
	labelKeyCustomer = 7
	labelKeyName     = 8
)

// labelToken is a run of literal text (key < 0) or a placeholder.
type labelToken struct {
	key int
	lit string
}

// parseLabel splits a label template into literal runs and placeholders,
// scanning left to right without overlapping matches, the way
// strings.NewReplacer(labelKeys...) would replace them.
func parseLabel(tpl string) []labelToken {
	var toks []labelToken
	last := 0
	for i := 0; i < len(tpl); {
		k := -1
		if c := tpl[i]; c == '{' || c == 'J' {
			for j, key := range labelKeys {
				if strings.HasPrefix(tpl[i:], key) {
					k = j
					break
				}
			}
		}
		if k < 0 {
			i++
			continue
		}
		if last < i {
			toks = append(toks, labelToken{key: -1, lit: tpl[last:i]})
		}
		toks = append(toks, labelToken{key: k})
		i += len(labelKeys[k])
		last = i
	}
	if last < len(tpl) {
		toks = append(toks, labelToken{key: -1, lit: tpl[last:]})
	}
	return toks
}

// value is what placeholder k stands for.
func (f *labelFields) value(k int) string {
	switch k {
	case 0:
		return f.date.Format("02/01/2006")
	case 1:
		return f.date.Format("02/01/06")
	case 2:
		return f.date.Format("02")
	case 3:
		return f.date.Format("01")
	case 4:
		return f.date.Format("2006")
	case 5:
		return f.date.Format("06")
	case labelKeyDoc:
		return f.doc
	case labelKeyCustomer:
		return f.customer
	case labelKeyName:
		return f.name
	case 9:
		return f.ref
	case 10:
		return f.reason
	case 11:
		return f.journal
	}
	return ""
}

// expandLabel fills a label template: {JJ} {MM} {AA} {AAAA} the entry date
// (and the literal forms JJ/MM/AAAA and JJ/MM/AA, as seed 004 writes them),
// {doc}, {customer}, {name}, {ref} the remittance, {reason}, {journal}.
func expandLabel(tpl string, f labelFields) string {
	return expandTokens(parseLabel(tpl), &f)
}

func expandTokens(toks []labelToken, f *labelFields) string {
	var b strings.Builder
	for _, t := range toks {
		if t.key < 0 {
			b.WriteString(t.lit)
		} else {
			b.WriteString(f.value(t.key))
		}
	}
	return strings.TrimSpace(b.String())
}

// entryLine is one line to write.
type entryLine struct {
	kind          string
	remittanceID  int64
	itemID        int64 // 0: none
	receivableID  int64 // 0: none (set on customer lines only)
	returnID      int64
	reverses      int64
	journal       string
	journalLabel  string
	date          string
	account       string
	accountLabel  string
	aux, auxLabel string
	counterpart   string
	piece         string
	pieceDate     string
	label         string
	debit, credit int64
	lettering     string // set directly when known (a first collection), else by reletter
	letteredOn    string
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// writeEcriture checks that the lines balance and records them as one
// écriture under the journal's next number (FEC: a continuous sequence
// per journal).
func writeEcriture(ctx context.Context, tx *sql.Tx, creditorID int64, createdOn string, lines []entryLine) (int64, error) {
	ins := newEntryInsert(tx)
	defer ins.close()
	return writeEcritureWith(ctx, tx, ins, creditorID, createdOn, lines)
}

// newEntryInsert batches stored entry lines, 26 values each in the order
// of its column list (256 lines per INSERT).
func newEntryInsert(tx *sql.Tx) *batchInsert {
	return newBatchInsert(tx, `entry_lines (id, creditor_id, number, line, kind, remittance_id, item_id, receivable_id, return_id, reverses,
		journal, journal_label, date, account, account_label, aux_account, aux_label, counterpart,
		piece_ref, piece_date, label, debit, credit, lettering, lettered_on, created_on)`, 26)
}

// writeEcritureWith is writeEcriture with a caller's batch, flushed before
// it returns.
func writeEcritureWith(ctx context.Context, tx *sql.Tx, ins *batchInsert, creditorID int64, createdOn string, lines []entryLine) (int64, error) {
	var debit, credit int64
	for i, l := range lines {
		if (l.debit > 0) == (l.credit > 0) || l.debit < 0 || l.credit < 0 {
			return 0, fmt.Errorf("line %d (%s %s): debit %s, credit %s: exactly one must be positive", i+1, l.account, l.piece,
				remit.FormatAmount(l.debit), remit.FormatAmount(l.credit))
		}
		if l.journal != lines[0].journal || l.date != lines[0].date {
			return 0, fmt.Errorf("line %d: an écriture has one journal and one date", i+1)
		}
		debit += l.debit
		credit += l.credit
	}
	if len(lines) == 0 {
		return 0, nil
	}
	if debit != credit {
		return 0, fmt.Errorf("journal %s, %s: debit %s, credit %s: %w", lines[0].journal, lines[0].date,
			remit.FormatAmount(debit), remit.FormatAmount(credit), accounting.ErrUnbalanced)
	}
	number, err := nextEntryNumber(ctx, tx, creditorID, lines[0].journal)
	if err != nil {
		return 0, err
	}
	id, err := lastEntryID(ctx, tx)
	if err != nil {
		return 0, err
	}
	for i := range lines {
		l := &lines[i]
		if err := ins.add(ctx, id+int64(i+1), creditorID, number, int64(i+1), l.kind, nullID(l.remittanceID), nullID(l.itemID), nullID(l.receivableID),
			nullID(l.returnID), l.reverses, l.journal, l.journalLabel, l.date, l.account, l.accountLabel, l.aux, l.auxLabel,
			l.counterpart, l.piece, l.pieceDate, l.label, l.debit, l.credit, l.lettering, l.letteredOn, createdOn); err != nil {
			return 0, err
		}
	}
	return number, ins.flush(ctx)
}

// nextEntryNumber is the journal's next écriture number.
func nextEntryNumber(ctx context.Context, tx *sql.Tx, creditorID int64, journal string) (int64, error) {
	var number int64
	err := tx.QueryRowContext(ctx, `SELECT max(
			(SELECT COALESCE(max(number), 0) FROM entry_lines WHERE creditor_id = ?1 AND journal = ?2),
			(SELECT COALESCE(max(number), 0) FROM collection_ecritures WHERE creditor_id = ?1 AND journal = ?2)) + 1`,
		creditorID, journal).Scan(&number)
	return number, err
}

// lastEntryID is the highest entry id taken, stored or not: new lines
// follow it.
func lastEntryID(ctx context.Context, tx *sql.Tx) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT max((SELECT COALESCE(max(id), 0) FROM entry_lines),
		(SELECT COALESCE(max(last_id), 0) FROM collection_ecritures))`).Scan(&id)
	return id, err
}

// checkRemittanceBalanced verifies, from the database, that every écriture
// of the remittance balances.
func checkRemittanceBalanced(ctx context.Context, q querier, remittanceID int64) error {
	// A collection écriture kept as one row balances line by line, but for
	// its stored centralised line: its items are summed once, not read as
	// lines.
	rows, err := q.QueryContext(ctx, `SELECT number, journal, date, sum(debit), sum(credit) FROM (
			SELECT number, journal, date, debit, credit FROM entry_lines WHERE remittance_id = ?1
			UNION ALL
			SELECT c.number, c.journal, c.date, CASE c.centralized WHEN 0 THEN sum(i.amount) ELSE 0 END, sum(i.amount)
			FROM collection_ecritures c JOIN remittance_items i ON i.remittance_id = c.remittance_id WHERE c.remittance_id = ?1
			GROUP BY c.remittance_id)
		GROUP BY journal, number HAVING sum(debit) != sum(credit) ORDER BY journal, number`, remittanceID)
	if err != nil {
		return err
	}
	defer rows.Close()
	var errs []error
	for rows.Next() {
		var n, d, c int64
		var journal, date string
		if err := rows.Scan(&n, &journal, &date, &d, &c); err != nil {
			return err
		}
		errs = append(errs, fmt.Errorf("écriture %d (journal %s, %s): debit %s, credit %s: %w", n, journal, date,
			remit.FormatAmount(d), remit.FormatAmount(c), accounting.ErrUnbalanced))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return errors.Join(errs...)
}

// customerAccount returns CompteNum, CompteLib, CompAuxNum and CompAuxLib of a customer line.
func (o EntryOptions) customerAccount(code, name string) (account, label, aux, auxLabel string) {
	if o.Direct {
		return code, name, "", ""
	}
	return o.CustomerAccount, o.accountLabel(o.CustomerAccount), code, name
}

// collectionItem is a remitted item as the entries need it.
type collectionItem struct {
	id, receivableID int64
	amount           int64
	due, coll        string
	document         string
	customer, name   string
	journal          string
}

// collectionEntries writes a new remittance's écritures, inside its
// transaction (RunTx.CollectionEntries).
func (s *Store) collectionEntries(ctx context.Context, tx *sql.Tx, r remit.Remittance) error {
	o, err := s.entryOpts.normalized()
	if err != nil {
		return fmt.Errorf("remittance %s: accounting entries: %w", r.Ref, err)
	}
	if o.Disabled {
		return nil
	}
	// The bank's account is debited (a remittance made before banks has none).
	err = tx.QueryRowContext(ctx, `SELECT b.account FROM remittances r JOIN banks b ON b.id = r.bank_id WHERE r.id = ?`, r.ID).Scan(&o.bankAccount)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	o.bookedOn = bookedOn(r)
	if o.Centralize && isMasked(o.bankAccount) {
		return fmt.Errorf("remittance %s: accounting entries: centralisation with bank %s's account %s: %w", r.Ref, r.Bank, o.bankAccount,
			accounting.ErrMaskedCentralized)
	}
	if err := writeCollectionEntries(ctx, tx, o, s.now(), r); err != nil {
		return fmt.Errorf("remittance %s: accounting entries: %w", r.Ref, err)
	}
	return nil
}

// writeCollectionEntries writes a new remittance's écritures: one per
// journal and entry date, numbered in date then journal order, one
// counterpart line per payment (or one centralised line first) and one
// customer line per payment, in the remittance's order.
//
// A remittance with one écriture (one journal and date, the usual case)
// keeps it as a collection_ecritures row whose lines are its items
// (keepAsRow); the entries view shows them. Otherwise the lines of all
// écritures are written by one INSERT … SELECT that SQLite computes from
// the remittance's items (writeSet). The few remittances neither handles
// exactly (an amount that is not positive, a masked counterpart with an
// odd due date or a label per month) are written line by line from Go
// (writeLines), which reports writeEcriture's errors. All three give the
// same lines, ids included.
func writeCollectionEntries(ctx context.Context, tx *sql.Tx, o EntryOptions, now time.Time, r remit.Remittance) error {
	var creditorID int64
	if err := tx.QueryRowContext(ctx, `SELECT creditor_id FROM remittances WHERE id = ?`, r.ID).Scan(&creditorID); err != nil {
		return err
	}
	prior, err := priorEntries(ctx, tx, r.ID)
	if err != nil {
		return err
	}
	c := &collection{o: o, r: r, creditorID: creditorID, prior: prior, remDate: remit.FormatDate(remit.Day(r.CreatedAt)),
		createdOn: remit.FormatDate(remit.Day(now))}
	ok, err := c.writeSet(ctx, tx)
	if err != nil {
		return err
	}
	if !ok {
		if err := c.writeLines(ctx, tx); err != nil {
			return err
		}
	}
	return checkRemittanceBalanced(ctx, tx, r.ID)
}

// priorEntries are the receivables of a remittance that earlier écritures
// (a collection rejected, returned or cancelled) already booked: most have
// none, and their lettering is written with the line; the others are
// relettered afterwards. A receivable is collected again only once its
// earlier item has left the remitted status, so those items find them.
func priorEntries(ctx context.Context, tx *sql.Tx, remittanceID int64) (map[int64]bool, error) {
	prior := map[int64]bool{}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT i.receivable_id
		FROM remittance_items j INDEXED BY remittance_items_again CROSS JOIN remittance_items i ON i.receivable_id = j.receivable_id
		WHERE j.status != 'remitted' AND i.remittance_id = ?`, remittanceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		prior[id] = true
	}
	return prior, rows.Err()
}

// collection is a remittance whose collection entries are being written.
type collection struct {
	o                  EntryOptions
	r                  remit.Remittance
	creditorID         int64
	prior              map[int64]bool // receivables with earlier entries
	remDate, createdOn string
	months             map[string]string // dueMonths' answer
	oddDue             bool
	storeLines         bool // tests: store every line, never a collection_ecritures row
}

// collectionKey identifies an écriture: entries date and journal code.
type collectionKey struct{ date, journal string }

func sortCollectionKeys(keys []collectionKey) {
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].date != keys[j].date {
			return keys[i].date < keys[j].date
		}
		return keys[i].journal < keys[j].journal
	})
}

// collectionGroup is an écriture as writeSet sees it.
type collectionGroup struct {
	collectionKey
	count     int64 // items
	total     int64
	number    int64  // EcritureNum
	firstLine int64  // its lines are ids base+firstLine+1, …
	contraSQL string // counterpart account, masks filled by SQL
}

// writeSet writes the écritures with one INSERT … SELECT that SQLite
// computes from the remittance's items, or keeps a single écriture as a row
// (keepAsRow), then reletters the receivables with earlier entries. It reports false, having written nothing, when the
// remittance needs writeLines: an amount that is not positive
// (writeEcriture's error names the line), a masked counterpart with a due
// date that is not a plain date or whose account label differs from month
// to month (other than "Compte <account>").
func (c *collection) writeSet(ctx context.Context, tx *sql.Tx) (bool, error) {
	o, r := c.o, c.r
	byDate := o.Date == EntryDateCollection
	q := `SELECT i.journal, '', count(*), sum(i.amount), min(i.amount)
		FROM remittance_items i WHERE i.remittance_id = ? AND i.status = 'remitted' GROUP BY i.journal`
	if byDate {
		q = `SELECT i.journal, i.collection_date, count(*), sum(i.amount), min(i.amount)
		FROM remittance_items i WHERE i.remittance_id = ? AND i.status = 'remitted' GROUP BY i.journal, i.collection_date`
	}
	rows, err := tx.QueryContext(ctx, q, r.ID)
	if err != nil {
		return false, err
	}
	type rawKey struct{ journal, coll string }
	var raws []rawKey
	groups := map[collectionKey]*collectionGroup{}
	var keys []collectionKey
	positive := true
	for rows.Next() {
		var rk rawKey
		var n, sum, least int64
		if err := rows.Scan(&rk.journal, &rk.coll, &n, &sum, &least); err != nil {
			rows.Close()
			return false, err
		}
		positive = positive && least > 0
		k := collectionKey{date: c.remDate, journal: o.journalCode(rk.journal)}
		if byDate {
			k.date = rk.coll
		}
		g := groups[k]
		if g == nil {
			g = &collectionGroup{collectionKey: k}
			groups[k] = g
			keys = append(keys, k)
		}
		raws = append(raws, rk)
		g.count += n
		g.total += sum
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return false, err
	}
	if !positive {
		return false, nil
	}
	if len(keys) == 0 {
		return true, nil
	}
	sortCollectionKeys(keys)
	custTpl := parseLabel(o.CustomerLabel)
	// Counterpart accounts: masks are filled by SQL from the due date, the
	// way fillMask does for a plain YYYY-MM-DD date.
	// A masked account's label is the same every month, or (nil) "Compte "
	// and the account; a label per month is rare enough for writeLines.
	contraLabels := make([]any, len(keys))
	for gi, k := range keys {
		g := groups[k]
		raw := o.counterpartMask(k.journal)
		g.contraSQL = raw
		if !isMasked(raw) {
			contraLabels[gi] = o.accountLabel(raw)
			continue
		}
		// Never centralised: refused by normalized.
		months, err := c.dueMonths(ctx, tx)
		if err != nil || months == nil {
			return false, err
		}
		same, plain, label := true, true, ""
		for _, due := range months {
			filled := fillMask(raw, remit.StoredDate(due))
			l := o.accountLabel(filled)
			same = same && (label == "" || l == label)
			plain = plain && l == "Compte "+filled
			label = l
		}
		switch {
		case plain:
			contraLabels[gi] = nil
		case same:
			contraLabels[gi] = label
		default:
			return false, nil
		}
	}
	masked := false
	for _, k := range keys {
		masked = masked || isMasked(groups[k].contraSQL)
	}
	// Numbers, continuous per journal in date order, and ids.
	next := map[string]int64{}
	var line int64
	for _, k := range keys {
		g := groups[k]
		if _, ok := next[k.journal]; !ok {
			n, err := nextEntryNumber(ctx, tx, c.creditorID, k.journal)
			if err != nil {
				return false, err
			}
			next[k.journal] = n
		}
		g.number = next[k.journal]
		next[k.journal]++
		g.firstLine = line
		if o.Centralize {
			line += g.count + 1
		} else {
			line += 2 * g.count
		}
	}
	base, err := lastEntryID(ctx, tx)
	if err != nil {
		return false, err
	}
	// The customer label: literal runs per écriture, item fields from x.
	var itemFields []string
	for _, t := range custTpl {
		if f := itemColumn(t.key); f != "" {
			itemFields = append(itemFields, f)
		}
	}
	if len(keys) == 1 && len(itemFields) <= 3 && !c.storeLines {
		g := groups[keys[0]]
		ok, err := c.keepAsRow(ctx, tx, g, base, contraLabels[0], custTpl)
		if err != nil || ok {
			return ok, err
		}
	}
	// Two keyed temporary tables: entry_group_keys maps the receivables'
	// journal (and collection date) to an écriture gi, entry_groups holds
	// each écriture's values.
	partCols := make([]string, len(itemFields)+1)
	for i := range partCols {
		partCols[i] = "l" + strconv.Itoa(i)
	}
	for _, q := range []string{
		`DROP TABLE IF EXISTS temp.entry_group_keys`,
		`DROP TABLE IF EXISTS temp.entry_groups`,
		`CREATE TEMP TABLE entry_group_keys (journal TEXT NOT NULL, coll TEXT NOT NULL, gi INTEGER NOT NULL,
			PRIMARY KEY (journal, coll)) WITHOUT ROWID`,
		`CREATE TEMP TABLE entry_groups (gi INTEGER PRIMARY KEY, number INTEGER NOT NULL, first INTEGER NOT NULL,
			journal TEXT NOT NULL, journal_label TEXT NOT NULL, date TEXT NOT NULL, counter TEXT NOT NULL, contra TEXT NOT NULL,
			contra_label TEXT, total INTEGER NOT NULL, ` + strings.Join(partCols, " TEXT NOT NULL, ") + ` TEXT NOT NULL)`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return false, err
		}
	}
	keyIns := newBatchInsert(tx, "temp.entry_group_keys", 3)
	defer keyIns.close()
	for _, rk := range raws {
		k := collectionKey{date: c.remDate, journal: o.journalCode(rk.journal)}
		if byDate {
			k.date = rk.coll
		}
		gi := sort.Search(len(keys), func(j int) bool {
			return keys[j].date > k.date || keys[j].date == k.date && keys[j].journal >= k.journal
		})
		if err := keyIns.add(ctx, rk.journal, rk.coll, int64(gi)); err != nil {
			return false, err
		}
	}
	if err := keyIns.flush(ctx); err != nil {
		return false, err
	}
	groupIns := newBatchInsert(tx, "temp.entry_groups", 10+len(partCols))
	defer groupIns.close()
	for gi, k := range keys {
		g := groups[k]
		f := labelFields{date: remit.StoredDate(k.date), ref: r.Ref, journal: k.journal}
		values := []any{int64(gi), g.number, g.firstLine, k.journal, o.journalLabel(k.journal), k.date, expandLabel(o.Label, f),
			g.contraSQL, contraLabels[gi], g.total}
		for _, p := range labelRuns(custTpl, &f) {
			values = append(values, p)
		}
		if err := groupIns.add(ctx, values...); err != nil {
			return false, err
		}
	}
	if err := groupIns.flush(ctx); err != nil {
		return false, err
	}
	var a sqlArgs
	// The customer label expression: l0 || field1 || l1 || … || lN.
	custLabel := "g.l0"
	if len(itemFields) > 0 {
		terms := []string{"g.l0"}
		for i, f := range itemFields {
			terms = append(terms, f, "g.l"+strconv.Itoa(i+1))
		}
		custLabel = "trim(" + strings.Join(terms, " || ") + ", " + a.p(whiteSpace) + ")"
	}
	contra, contraLabel := "g.contra", "g.contra_label"
	if masked {
		contra = "replace(replace(g.contra, 'AA', substr(x.due_date, 3, 2)), 'MM', substr(x.due_date, 6, 2))"
		contraLabel = "COALESCE(g.contra_label, 'Compte ' || " + contra + ")"
	}
	account, accLabel, aux, auxLabel := "x.customer", "x.name", "''", "''"
	if !o.Direct {
		account, accLabel, aux, auxLabel = a.p(o.CustomerAccount), a.p(o.accountLabel(o.CustomerAccount)), "x.customer", "x.name"
	}
	code := letteringSQL("x.n0")
	// s.k = 0: the counterpart line (one per payment, or the centralised
	// line before the first customer line), 1: the customer line.
	var lineSQL, itemSQL, pieceSQL, debitSQL, counterpartSQL, where string
	if o.Centralize {
		lineSQL = "CASE s.k WHEN 0 THEN 1 ELSE 1 + x.n END"
		itemSQL = "CASE s.k WHEN 1 THEN x.id END"
		pieceSQL = "CASE s.k WHEN 0 THEN " + a.p("Remise "+r.Ref) + " ELSE x.document END"
		debitSQL = "CASE s.k WHEN 0 THEN g.total ELSE 0 END"
		counterpartSQL = "g.contra"
		where = "WHERE s.k = 1 OR x.n = 1"
	} else {
		lineSQL = "2 * x.n - 1 + s.k"
		itemSQL = "x.id"
		pieceSQL = "x.document"
		debitSQL = "CASE s.k WHEN 0 THEN x.amount ELSE 0 END"
		counterpartSQL = contra
	}
	partition := ""
	if len(keys) > 1 {
		partition = "PARTITION BY k.gi "
	}
	coll := "''"
	if byDate {
		coll = "i.collection_date"
	}
	pRem := a.p(r.ID)
	q = `INSERT INTO entry_lines (id, creditor_id, number, line, kind, remittance_id, item_id, receivable_id, return_id, reverses,
		journal, journal_label, date, account, account_label, aux_account, aux_label, counterpart,
		piece_ref, piece_date, label, debit, credit, lettering, lettered_on, created_on)
	SELECT ` + a.p(base) + ` + g.first + ` + lineSQL + `, ` + a.p(c.creditorID) + `, g.number, ` + lineSQL + `, ` + a.p(EntryCollection) + `, ` + pRem + `,
		` + itemSQL + `, CASE s.k WHEN 1 THEN x.receivable_id END, NULL, 0, g.journal, g.journal_label, g.date,
		CASE s.k WHEN 0 THEN ` + contra + ` ELSE ` + account + ` END,
		CASE s.k WHEN 0 THEN ` + contraLabel + ` ELSE ` + accLabel + ` END,
		CASE s.k WHEN 0 THEN '' ELSE ` + aux + ` END, CASE s.k WHEN 0 THEN '' ELSE ` + auxLabel + ` END,
		CASE s.k WHEN 0 THEN '' ELSE ` + counterpartSQL + ` END,
		` + pieceSQL + `, ` + a.p(c.remDate) + `,
		CASE s.k WHEN 0 THEN g.counter ELSE ` + custLabel + ` END,
		` + debitSQL + `, CASE s.k WHEN 0 THEN 0 ELSE x.amount END,
		CASE WHEN s.k = 0 THEN '' ELSE ` + code + ` END,
		CASE s.k WHEN 0 THEN '' ELSE g.date END, ` + a.p(c.createdOn) + `
	FROM (SELECT row_number() OVER (` + partition + `ORDER BY i.block, i.position, i.id) AS n, k.gi, i.id, i.receivable_id,
			max(i.receivable_id - 1, 0) AS n0, i.amount, i.due_date, i.document, i.customer, i.name
		FROM remittance_lines i CROSS JOIN temp.entry_group_keys AS k ON k.journal = i.journal AND k.coll = ` + coll + `
		WHERE i.remittance_id = ` + pRem + ` AND i.status = 'remitted') AS x
	CROSS JOIN temp.entry_groups AS g ON g.gi = x.gi
	CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1) AS s ` + where
	if _, err := tx.ExecContext(ctx, q, a...); err != nil {
		return false, err
	}
	keyIns.close()
	groupIns.close()
	for _, q := range []string{`DROP TABLE temp.entry_group_keys`, `DROP TABLE temp.entry_groups`} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return false, err
		}
	}
	return true, reletter(ctx, tx, sortedIDs(c.prior)...)
}

// keepAsRow records a remittance's only écriture as a collection_ecritures
// row, its lines being its items (see the entries view), when its items
// allow it: all remitted, with consecutive ids (both item inserts write a
// remittance's items in file order) and receivable ids the view can letter.
// It reports false, having written nothing, otherwise.
func (c *collection) keepAsRow(ctx context.Context, tx *sql.Tx, g *collectionGroup, base int64, contraLabel any,
	custTpl []labelToken) (bool, error) {
	o, r := c.o, c.r
	var first, last, n, lowest, highest int64
	if err := tx.QueryRowContext(ctx, `SELECT min(id), max(id), count(*), min(receivable_id), max(receivable_id)
		FROM remittance_items WHERE remittance_id = ?`, r.ID).Scan(&first, &last, &n, &lowest, &highest); err != nil {
		return false, err
	}
	if n != g.count || last-first+1 != n || lowest < 1 || highest > pow26(7) {
		return false, nil
	}
	f := labelFields{date: remit.StoredDate(g.date), ref: r.Ref, journal: g.journal}
	runs := labelRuns(custTpl, &f)
	fields := make([]any, 3)
	labels := []string{runs[0], "", "", ""}
	k := 0
	for _, t := range custTpl {
		switch itemColumn(t.key) {
		case "x.document":
			fields[k] = "doc"
		case "x.customer":
			fields[k] = "customer"
		case "x.name":
			fields[k] = "name"
		default:
			continue
		}
		k++
		labels[k] = runs[k]
	}
	lines := 2 * n
	if o.Centralize {
		lines = n + 1
	}
	counter := expandLabel(o.Label, f)
	if _, err := tx.ExecContext(ctx, `INSERT INTO collection_ecritures (remittance_id, creditor_id, number, journal, journal_label, date,
			first_item, first_id, last_id, centralized, counterpart, masked, counterpart_label, label, direct, account, account_label,
			label0, field1, label1, field2, label2, field3, label3, piece_date, created_on)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, c.creditorID, g.number, g.journal, o.journalLabel(g.journal), g.date, first, base, base+lines, o.Centralize,
		g.contraSQL, isMasked(g.contraSQL), contraLabel, counter, o.Direct, o.CustomerAccount, o.accountLabel(o.CustomerAccount),
		labels[0], fields[0], labels[1], fields[1], labels[2], fields[2], labels[3], c.remDate, c.createdOn); err != nil {
		return false, err
	}
	if o.Centralize {
		// Never masked (refused by normalized): the label is known.
		ins := newEntryInsert(tx)
		defer ins.close()
		if err := ins.add(ctx, base+1, c.creditorID, g.number, int64(1), EntryCollection, r.ID, nil, nil, nil, int64(0),
			g.journal, o.journalLabel(g.journal), g.date, g.contraSQL, contraLabel, "", "", "", "Remise "+r.Ref, c.remDate,
			counter, g.total, int64(0), "", "", c.createdOn); err != nil {
			return false, err
		}
		if err := ins.flush(ctx); err != nil {
			return false, err
		}
	}
	return true, reletter(ctx, tx, sortedIDs(c.prior)...)
}

// itemColumn is the column of x that placeholder k stands for, or "" when
// it is the same for every item of an écriture.
func itemColumn(k int) string {
	switch k {
	case labelKeyDoc:
		return "x.document"
	case labelKeyCustomer:
		return "x.customer"
	case labelKeyName:
		return "x.name"
	}
	return ""
}

// labelRuns expands a parsed label but for its item fields: the literal
// runs before each item field and after the last, N+1 for N item fields.
// With no item field, it is the whole label, trimmed as expandLabel does.
func labelRuns(toks []labelToken, f *labelFields) []string {
	var runs []string
	var b strings.Builder
	for _, t := range toks {
		switch {
		case itemColumn(t.key) != "":
			runs = append(runs, b.String())
			b.Reset()
		case t.key < 0:
			b.WriteString(t.lit)
		default:
			b.WriteString(f.value(t.key))
		}
	}
	if len(runs) == 0 {
		return []string{strings.TrimSpace(b.String())}
	}
	return append(runs, b.String())
}

// dueMonths returns one due date per month of the items' due dates, or nil
// when one is not a plain YYYY-MM-DD date (SQL fills a mask from the
// date's text; fillMask from the parsed date).
func (c *collection) dueMonths(ctx context.Context, tx *sql.Tx) (map[string]string, error) {
	if c.months != nil || c.oddDue {
		return c.months, nil
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT due_date FROM remittance_items WHERE remittance_id = ? AND status = 'remitted'`, c.r.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	months := map[string]string{}
	for rows.Next() {
		var due string
		if err := rows.Scan(&due); err != nil {
			return nil, err
		}
		if due == "" || remit.FormatDate(remit.StoredDate(due)) != due {
			c.oddDue = true
		} else {
			months[due[:7]] = due
		}
	}
	if err := rows.Err(); err != nil || c.oddDue {
		return nil, err
	}
	c.months = months
	return months, nil
}

// sqlArgs collects a statement's arguments as numbered parameters.
type sqlArgs []any

func (a *sqlArgs) p(v any) string {
	*a = append(*a, v)
	return "?" + strconv.Itoa(len(*a))
}

// whiteSpace is every rune unicode.IsSpace accepts: SQLite's
// trim(X, whiteSpace) is strings.TrimSpace(X).
var whiteSpace = func() string {
	var b strings.Builder
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if unicode.IsSpace(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}()

// writeLines writes the écritures line by line through writeEcriture.
func (c *collection) writeLines(ctx context.Context, tx *sql.Tx) error {
	o, r := c.o, c.r
	rows, err := tx.QueryContext(ctx, `SELECT i.id, i.receivable_id, i.amount, i.due_date, i.collection_date, i.document,
			i.customer, i.name, i.journal
		FROM remittance_lines i
		WHERE i.remittance_id = ? AND i.status = 'remitted' ORDER BY i.block, i.position, i.id`, r.ID)
	if err != nil {
		return err
	}
	groups := map[collectionKey][]collectionItem{}
	var keys []collectionKey
	for rows.Next() {
		var it collectionItem
		if err := rows.Scan(&it.id, &it.receivableID, &it.amount, &it.due, &it.coll, &it.document, &it.customer,
			&it.name, &it.journal); err != nil {
			rows.Close()
			return err
		}
		k := collectionKey{date: c.remDate, journal: o.journalCode(it.journal)}
		if o.Date == EntryDateCollection {
			k.date = it.coll
		}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	sortCollectionKeys(keys)
	ins := newEntryInsert(tx)
	defer ins.close()
	custTpl := parseLabel(o.CustomerLabel)
	remPiece := "Remise " + r.Ref
	for _, k := range keys {
		items := groups[k]
		date := remit.StoredDate(k.date)
		jl := o.journalLabel(k.journal)
		base := entryLine{kind: EntryCollection, remittanceID: r.ID, journal: k.journal, journalLabel: jl, date: k.date,
			pieceDate: c.remDate}
		counterLabel := expandLabel(o.Label, labelFields{date: date, ref: r.Ref, journal: k.journal})
		lines := make([]entryLine, 0, 2*len(items)+1)
		if o.Centralize {
			lines = append(lines, entryLine{}) // the centralised line, below
		}
		var total int64
		var again []int64
		for _, it := range items {
			contra := o.counterpart(k.journal, remit.StoredDate(it.due))
			account, accLabel, aux, auxLabel := o.customerAccount(it.customer, it.name)
			f := labelFields{date: date, doc: it.document, customer: it.customer, name: it.name, ref: r.Ref, journal: k.journal}
			cust := base
			cust.itemID, cust.receivableID = it.id, it.receivableID
			cust.account, cust.accountLabel, cust.aux, cust.auxLabel = account, accLabel, aux, auxLabel
			cust.counterpart, cust.piece, cust.credit = contra, it.document, it.amount
			cust.label = expandTokens(custTpl, &f)
			if !c.prior[it.receivableID] {
				// An item collects its whole receivable (one échéance per
				// document, unchangeable once remitted): complete.
				cust.lettering, cust.letteredOn = LetteringCode(it.receivableID), k.date
			} else {
				again = append(again, it.receivableID)
			}
			if !o.Centralize {
				bank := base
				bank.itemID = it.id
				bank.account, bank.accountLabel = contra, o.accountLabel(contra)
				bank.piece, bank.label, bank.debit = it.document, counterLabel, it.amount
				lines = append(lines, bank)
			}
			lines = append(lines, cust)
			total += it.amount
		}
		if o.Centralize {
			contra := o.counterpart(k.journal, time.Time{}) // never masked: refused by normalized
			bank := base
			bank.account, bank.accountLabel = contra, o.accountLabel(contra)
			bank.piece, bank.label, bank.debit = remPiece, counterLabel, total
			lines[0] = bank
		}
		if _, err := writeEcritureWith(ctx, tx, ins, c.creditorID, c.createdOn, lines); err != nil {
			return err
		}
		if err := reletter(ctx, tx, again...); err != nil {
			return err
		}
	}
	return nil
}

// reverseEntries reverses the écritures of a cancelled remittance that
// are not reversed yet: same lines, debit and credit swapped.
func (s *Store) reverseEntries(ctx context.Context, tx *sql.Tx, r remit.Remittance) error {
	o, err := s.entryOpts.normalized()
	if err != nil {
		o, _ = EntryOptions{}.normalized()
	}
	if err := reverseRemittanceEntries(ctx, tx, o, s.now(), r); err != nil {
		return fmt.Errorf("remittance %s: reversing its entries: %w", r.Ref, err)
	}
	return nil
}

func reverseRemittanceEntries(ctx context.Context, tx *sql.Tx, o EntryOptions, now time.Time, r remit.Remittance) error {
	rows, err := tx.QueryContext(ctx, `SELECT creditor_id, number, line, kind, item_id, receivable_id, return_id, journal, journal_label,
			date, account, account_label, aux_account, aux_label, counterpart, piece_ref, debit, credit
		FROM entries WHERE remittance_id = ?1 AND kind != 'reversal'
			AND (journal, number) NOT IN (SELECT journal, reverses FROM entries WHERE remittance_id = ?1)
		ORDER BY journal, number, line`, r.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	// The reversing lines are written as they are read, an écriture at a
	// time, so that cancelling a remittance of a million items holds a
	// batch of lines, not all of them (SQLite sorts them on disk).
	today := remit.FormatDate(remit.Day(now))
	labelTpl := parseLabel(o.ReversalLabel)
	ins := newEntryInsert(tx)
	defer ins.close()
	var e reversal
	for rows.Next() {
		var l entryLine
		var number, line, creditorID int64
		var item, recv, ret sql.NullInt64
		if err := rows.Scan(&creditorID, &number, &line, &l.kind, &item, &recv, &ret, &l.journal, &l.journalLabel, &l.date,
			&l.account, &l.accountLabel, &l.aux, &l.auxLabel, &l.counterpart, &l.piece, &l.credit, &l.debit); err != nil {
			return err
		}
		l.itemID, l.receivableID, l.returnID = item.Int64, recv.Int64, ret.Int64
		l.kind, l.remittanceID, l.reverses = EntryReversal, r.ID, number
		if e.lines == 0 || number != e.reverses || l.journal != e.journal {
			if err := e.end(); err != nil {
				return err
			}
			if err := ins.flush(ctx); err != nil {
				return err
			}
			// A reversal is dated when it is decided, never before the
			// écriture it reverses, whose lines share one date.
			e = reversal{reverses: number, journal: l.journal, date: max(l.date, today)}
			if e.number, err = nextEntryNumber(ctx, tx, creditorID, l.journal); err != nil {
				return err
			}
			if e.lastID, err = lastEntryID(ctx, tx); err != nil {
				return err
			}
		}
		l.date, l.pieceDate = e.date, today
		l.label = expandTokens(labelTpl, &labelFields{date: remit.StoredDate(l.date), ref: r.Ref, journal: l.journal, doc: l.piece})
		e.lines++
		e.debit += l.debit
		e.credit += l.credit
		if err := ins.add(ctx, e.lastID+e.lines, creditorID, e.number, e.lines, l.kind, l.remittanceID, nullID(l.itemID),
			nullID(l.receivableID), nullID(l.returnID), l.reverses, l.journal, l.journalLabel, l.date, l.account, l.accountLabel,
			l.aux, l.auxLabel, l.counterpart, l.piece, l.pieceDate, l.label, l.debit, l.credit, "", "", today); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := e.end(); err != nil {
		return err
	}
	if err := ins.flush(ctx); err != nil {
		return err
	}
	if err := reletterWhere(ctx, tx, `r.id IN (SELECT receivable_id FROM remittance_items WHERE remittance_id = ?)`, r.ID); err != nil {
		return err
	}
	return checkRemittanceBalanced(ctx, tx, r.ID)
}

// reversal is the écriture reverseRemittanceEntries is writing.
type reversal struct {
	reverses, number int64 // the écriture reversed, and this one's number
	journal, date    string
	lastID, lines    int64 // its lines are lastID+1 …
	debit, credit    int64
}

// end checks the écriture written.
func (e reversal) end() error {
	if e.debit != e.credit {
		return fmt.Errorf("journal %s, %s: debit %s, credit %s: %w", e.journal, e.date, remit.FormatAmount(e.debit), remit.FormatAmount(e.credit),
			accounting.ErrUnbalanced)
	}
	return nil
}

func sortedIDs(m map[int64]bool) []int64 {
	ids := make([]int64, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// LetteringCode is a receivable's lettering code in upper case: its id
// minus one in base 26 written with letters, at least three (AAA, AAB, …
// ZZZ, then BAAA: a longer code never repeats a shorter one).
func LetteringCode(receivableID int64) string {
	n := receivableID - 1
	if n < 0 {
		n = 0
	}
	var b []byte
	for n > 0 || len(b) < 3 {
		b = append(b, byte('A'+n%26))
		n /= 26
	}
	for i, j := 0, len(b)-1; i < j; i, j = i+1, j-1 {
		b[i], b[j] = b[j], b[i]
	}
	return string(b)
}

// letteringSQL is LetteringCode as an SQL expression of n, a column worth
// max(receivable id - 1, 0): its base-26 digits as letters, at least three.
func letteringSQL(n string) string {
	var b strings.Builder
	b.WriteString("CASE")
	for digits := 3; digits <= 14; digits++ {
		// 26^14 > max int64: 14 digits is the last case.
		if digits < 14 {
			b.WriteString(" WHEN " + n + " < " + strconv.FormatInt(pow26(digits), 10) + " THEN char(")
		} else {
			b.WriteString(" ELSE char(")
		}
		for d := digits - 1; d >= 0; d-- {
			b.WriteString("65 + " + n + " / " + strconv.FormatInt(pow26(d), 10) + " % 26")
			if d > 0 {
				b.WriteString(", ")
			}
		}
		b.WriteString(")")
	}
	b.WriteString(" END")
	return b.String()
}

func pow26(k int) int64 {
	p := int64(1)
	for ; k > 0; k-- {
		p *= 26
	}
	return p
}

// jsonIDs is a JSON array of ids, for json_each.
func jsonIDs(ids []int64) string {
	b := make([]byte, 0, 8*len(ids)+2)
	b = append(b, '[')
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}

// reletter sets the lettering of receivables' customer lines: complete
// (upper case) when they settle the receivable exactly, partial (lower
// case) otherwise; the lettering date is that of its latest line. Lines
// kept on items (collection_ecritures) get theirs on the item.
func reletter(ctx context.Context, tx *sql.Tx, receivableIDs ...int64) error {
	if len(receivableIDs) == 0 {
		return nil
	}
	return reletterWhere(ctx, tx, `r.id IN (SELECT value FROM json_each(?))`, jsonIDs(receivableIDs))
}

// reletterWhere reletters the receivables r that cond (with its argument)
// selects.
func reletterWhere(ctx context.Context, tx *sql.Tx, cond string, arg any) error {
	for _, q := range []string{
		`DROP TABLE IF EXISTS temp.reletter`,
		`CREATE TEMP TABLE reletter AS SELECT id, CASE WHEN paid = amount THEN code ELSE lower(code) END AS code, last FROM (
			SELECT r.id, ` + letteringSQL("max(r.id - 1, 0)") + ` AS code, r.amount,
				COALESCE((SELECT sum(e.credit) - sum(e.debit) FROM entry_lines e WHERE e.receivable_id = r.id), 0)
					+ COALESCE((SELECT sum(i.amount) FROM remittance_items i JOIN collection_ecritures c ON c.remittance_id = i.remittance_id
						WHERE i.receivable_id = r.id), 0) AS paid,
				max(COALESCE((SELECT max(e.date) FROM entry_lines e WHERE e.receivable_id = r.id), ''),
					COALESCE((SELECT max(c.date) FROM remittance_items i JOIN collection_ecritures c ON c.remittance_id = i.remittance_id
						WHERE i.receivable_id = r.id), '')) AS last
			FROM receivables r WHERE ` + cond + `)`,
		// Lines that already carry their lettering are left alone.
		`UPDATE entry_lines SET lettering = t.code, lettered_on = t.last FROM temp.reletter AS t
			WHERE entry_lines.receivable_id = t.id AND (entry_lines.lettering != t.code OR entry_lines.lettered_on != t.last)`,
		`UPDATE remittance_items SET lettering = t.code, lettered_on = t.last FROM temp.reletter AS t
			WHERE remittance_items.receivable_id = t.id
				AND remittance_items.remittance_id IN (SELECT remittance_id FROM collection_ecritures)
				AND (remittance_items.lettering IS NOT t.code OR remittance_items.lettered_on IS NOT t.last)`,
		`DROP TABLE temp.reletter`,
	} {
		var args []any
		if strings.HasPrefix(q, "CREATE") {
			args = append(args, arg)
		}
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}
