package remit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
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
)

// Errors about entry settings and entries.
var (
	ErrMaskedCentralized = errors.New("a counterpart account with the masks AA or MM cannot be centralised (seed 004): use one line per payment or an account without mask")
	ErrUnbalanced        = errors.New("entries do not balance")
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
	if isMasked(o.FeeAccount) || isMasked(o.CustomerAccount) {
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
			errs = append(errs, fmt.Errorf("centralisation with %s: %w", strings.Join(masked, ", "), ErrMaskedCentralized))
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
	a := o.Counterpart
	if j := o.Journals[code]; j.Counterpart != "" {
		a = j.Counterpart
	}
	return fillMask(a, due)
}

// defaultAccountLabels name the usual PCG accounts; longest prefix wins.
var defaultAccountLabels = map[string]string{
	"411": "Clients",
	"413": "Clients - Effets à recevoir",
	"416": "Clients douteux ou litigieux",
	"511": "Valeurs à l'encaissement",
	"512": "Banques",
	"514": "Chèques postaux",
	"53":  "Caisse",
	"58":  "Virements internes",
	"627": "Services bancaires et assimilés",
	"661": "Charges d'intérêts",
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

// expandLabel fills a label template: {JJ} {MM} {AA} {AAAA} the entry date
// (and the literal forms JJ/MM/AAAA and JJ/MM/AA, as seed 004 writes them),
// {doc}, {customer}, {name}, {ref} the remittance, {reason}, {journal}.
func expandLabel(tpl string, f labelFields) string {
	d := f.date
	r := strings.NewReplacer(
		"JJ/MM/AAAA", d.Format("02/01/2006"), "JJ/MM/AA", d.Format("02/01/06"),
		"{JJ}", d.Format("02"), "{MM}", d.Format("01"), "{AAAA}", d.Format("2006"), "{AA}", d.Format("06"),
		"{doc}", f.doc, "{customer}", f.customer, "{name}", f.name, "{ref}", f.ref,
		"{reason}", f.reason, "{journal}", f.journal)
	return strings.TrimSpace(r.Replace(tpl))
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
	var debit, credit int64
	for i, l := range lines {
		if (l.debit > 0) == (l.credit > 0) || l.debit < 0 || l.credit < 0 {
			return 0, fmt.Errorf("line %d (%s %s): debit %s, credit %s: exactly one must be positive", i+1, l.account, l.piece,
				FormatAmount(l.debit), FormatAmount(l.credit))
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
			FormatAmount(debit), FormatAmount(credit), ErrUnbalanced)
	}
	var number int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(max(number), 0) + 1 FROM entries WHERE creditor_id = ? AND journal = ?`,
		creditorID, lines[0].journal).Scan(&number); err != nil {
		return 0, err
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO entries (creditor_id, number, line, kind, remittance_id, item_id, receivable_id,
			return_id, reverses, journal, journal_label, date, account, account_label, aux_account, aux_label, counterpart,
			piece_ref, piece_date, label, debit, credit, lettering, lettered_on, created_on)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	for i, l := range lines {
		if _, err := ins.ExecContext(ctx, creditorID, number, i+1, l.kind, l.remittanceID, nullID(l.itemID), nullID(l.receivableID),
			nullID(l.returnID), l.reverses, l.journal, l.journalLabel, l.date, l.account, l.accountLabel, l.aux, l.auxLabel,
			l.counterpart, l.piece, l.pieceDate, l.label, l.debit, l.credit, l.lettering, l.letteredOn, createdOn); err != nil {
			return 0, err
		}
	}
	return number, nil
}

// checkRemittanceBalanced verifies, from the database, that every écriture
// of the remittance balances.
func checkRemittanceBalanced(ctx context.Context, q querier, remittanceID int64) error {
	rows, err := q.QueryContext(ctx, `SELECT number, journal, date, sum(debit), sum(credit) FROM entries
		WHERE remittance_id = ? GROUP BY journal, number HAVING sum(debit) != sum(credit) ORDER BY journal, number`, remittanceID)
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
			FormatAmount(d), FormatAmount(c), ErrUnbalanced))
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

func init() {
	remittanceHooks = append(remittanceHooks, collectionEntriesHook)
	cancelHooks = append(cancelHooks, reverseEntriesHook)
}

// collectionItem is a remitted item as the entries need it.
type collectionItem struct {
	id, receivableID int64
	amount           int64
	recvAmount       int64
	due, coll        string
	document         string
	customer, name   string
	journal          string
}

// collectionEntriesHook writes a new remittance's écritures, inside its transaction.
func collectionEntriesHook(s *Store, ctx context.Context, tx *sql.Tx, r Remittance) error {
	o, err := s.entryOpts.normalized()
	if err != nil {
		return fmt.Errorf("remittance %s: accounting entries: %w", r.Ref, err)
	}
	if o.Disabled {
		return nil
	}
	if err := writeCollectionEntries(ctx, tx, o, s.now(), r); err != nil {
		return fmt.Errorf("remittance %s: accounting entries: %w", r.Ref, err)
	}
	return nil
}

func writeCollectionEntries(ctx context.Context, tx *sql.Tx, o EntryOptions, now time.Time, r Remittance) error {
	var creditorID int64
	if err := tx.QueryRowContext(ctx, `SELECT creditor_id FROM remittances WHERE id = ?`, r.ID).Scan(&creditorID); err != nil {
		return err
	}
	// What earlier écritures (a collection rejected or cancelled) already
	// booked on these receivables: most have none, and their lettering is
	// written with the line instead of by reletter.
	prior := map[int64]bool{}
	prows, err := tx.QueryContext(ctx, `SELECT DISTINCT e.receivable_id FROM entries e
		JOIN remittance_items i ON i.receivable_id = e.receivable_id WHERE i.remittance_id = ?`, r.ID)
	if err != nil {
		return err
	}
	for prows.Next() {
		var id int64
		if err := prows.Scan(&id); err != nil {
			prows.Close()
			return err
		}
		prior[id] = true
	}
	prows.Close()
	if err := prows.Err(); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT i.id, i.receivable_id, i.amount, r.amount, i.due_date, i.collection_date, i.document,
			i.customer, i.name, r.journal
		FROM remittance_items i JOIN receivables r ON r.id = i.receivable_id
		WHERE i.remittance_id = ? AND i.status = 'remitted' ORDER BY i.block, i.position, i.id`, r.ID)
	if err != nil {
		return err
	}
	type groupKey struct{ date, journal string }
	groups := map[groupKey][]collectionItem{}
	var keys []groupKey
	remDate := dateString(Day(r.CreatedAt))
	for rows.Next() {
		var it collectionItem
		if err := rows.Scan(&it.id, &it.receivableID, &it.amount, &it.recvAmount, &it.due, &it.coll, &it.document, &it.customer,
			&it.name, &it.journal); err != nil {
			rows.Close()
			return err
		}
		k := groupKey{date: remDate, journal: o.journalCode(it.journal)}
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
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].date != keys[j].date {
			return keys[i].date < keys[j].date
		}
		return keys[i].journal < keys[j].journal
	})
	createdOn := dateString(Day(now))
	remPiece := "Remise " + r.Ref
	for _, k := range keys {
		items := groups[k]
		date := parseStored(k.date)
		jl := o.journalLabel(k.journal)
		base := entryLine{kind: EntryCollection, remittanceID: r.ID, journal: k.journal, journalLabel: jl, date: k.date,
			pieceDate: remDate}
		counterLabel := expandLabel(o.Label, labelFields{date: date, ref: r.Ref, journal: k.journal})
		var lines []entryLine
		var total int64
		for _, it := range items {
			contra := o.counterpart(k.journal, parseStored(it.due))
			account, accLabel, aux, auxLabel := o.customerAccount(it.customer, it.name)
			f := labelFields{date: date, doc: it.document, customer: it.customer, name: it.name, ref: r.Ref, journal: k.journal}
			cust := base
			cust.itemID, cust.receivableID = it.id, it.receivableID
			cust.account, cust.accountLabel, cust.aux, cust.auxLabel = account, accLabel, aux, auxLabel
			cust.counterpart, cust.piece, cust.credit = contra, it.document, it.amount
			cust.label = expandLabel(o.CustomerLabel, f)
			if !prior[it.receivableID] {
				cust.lettering, cust.letteredOn = LetteringCode(it.receivableID), k.date
				if it.amount != it.recvAmount {
					cust.lettering = strings.ToLower(cust.lettering)
				}
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
			lines = append([]entryLine{bank}, lines...)
		}
		if _, err := writeEcriture(ctx, tx, creditorID, createdOn, lines); err != nil {
			return err
		}
		var again []int64
		for _, it := range items {
			if prior[it.receivableID] {
				again = append(again, it.receivableID)
			}
		}
		if err := reletter(ctx, tx, again...); err != nil {
			return err
		}
	}
	return checkRemittanceBalanced(ctx, tx, r.ID)
}

// reverseEntriesHook reverses the écritures of a cancelled remittance that
// are not reversed yet: same lines, debit and credit swapped.
func reverseEntriesHook(s *Store, ctx context.Context, tx *sql.Tx, r Remittance) error {
	o, err := s.entryOpts.normalized()
	if err != nil {
		o, _ = EntryOptions{}.normalized()
	}
	if err := reverseRemittanceEntries(ctx, tx, o, s.now(), r); err != nil {
		return fmt.Errorf("remittance %s: reversing its entries: %w", r.Ref, err)
	}
	return nil
}

func reverseRemittanceEntries(ctx context.Context, tx *sql.Tx, o EntryOptions, now time.Time, r Remittance) error {
	rows, err := tx.QueryContext(ctx, `SELECT creditor_id, number, line, kind, item_id, receivable_id, return_id, journal, journal_label,
			date, account, account_label, aux_account, aux_label, counterpart, piece_ref, debit, credit
		FROM entries e WHERE remittance_id = ? AND kind != 'reversal'
			AND NOT EXISTS (SELECT 1 FROM entries x WHERE x.remittance_id = e.remittance_id AND x.journal = e.journal AND x.reverses = e.number)
		ORDER BY journal, number, line`, r.ID)
	if err != nil {
		return err
	}
	type ecriture struct {
		number int64
		lines  []entryLine
	}
	var all []ecriture
	var creditorID int64
	today := dateString(Day(now))
	for rows.Next() {
		var l entryLine
		var number, line int64
		var item, recv, ret sql.NullInt64
		if err := rows.Scan(&creditorID, &number, &line, &l.kind, &item, &recv, &ret, &l.journal, &l.journalLabel, &l.date,
			&l.account, &l.accountLabel, &l.aux, &l.auxLabel, &l.counterpart, &l.piece, &l.credit, &l.debit); err != nil {
			rows.Close()
			return err
		}
		l.itemID, l.receivableID, l.returnID = item.Int64, recv.Int64, ret.Int64
		l.kind, l.remittanceID, l.reverses = EntryReversal, r.ID, number
		if l.date < today {
			l.date = today // a reversal is dated when it is decided, never before the écriture it reverses
		}
		l.pieceDate = today
		l.label = expandLabel(o.ReversalLabel, labelFields{date: parseStored(l.date), ref: r.Ref, journal: l.journal, doc: l.piece})
		if len(all) == 0 || all[len(all)-1].number != number || all[len(all)-1].lines[0].journal != l.journal {
			all = append(all, ecriture{number: number})
		}
		all[len(all)-1].lines = append(all[len(all)-1].lines, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	touched := map[int64]bool{}
	for _, e := range all {
		// The lines of one écriture share a date; keep them together.
		date := e.lines[0].date
		for _, l := range e.lines {
			if l.date > date {
				date = l.date
			}
		}
		for i := range e.lines {
			e.lines[i].date = date
			if e.lines[i].receivableID != 0 {
				touched[e.lines[i].receivableID] = true
			}
		}
		if _, err := writeEcriture(ctx, tx, creditorID, today, e.lines); err != nil {
			return err
		}
	}
	if err := reletter(ctx, tx, sortedIDs(touched)...); err != nil {
		return err
	}
	return checkRemittanceBalanced(ctx, tx, r.ID)
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

// reletter sets the lettering of receivables' customer lines: complete
// (upper case) when they settle the receivable exactly, partial (lower
// case) otherwise; the lettering date is that of its latest line.
func reletter(ctx context.Context, tx *sql.Tx, receivableIDs ...int64) error {
	sum, err := tx.PrepareContext(ctx, `SELECT r.amount, COALESCE(sum(e.credit) - sum(e.debit), 0), COALESCE(max(e.date), '')
		FROM receivables r LEFT JOIN entries e ON e.receivable_id = r.id WHERE r.id = ? GROUP BY r.id`)
	if err != nil {
		return err
	}
	defer sum.Close()
	upd, err := tx.PrepareContext(ctx, `UPDATE entries SET lettering = ?, lettered_on = ? WHERE receivable_id = ?`)
	if err != nil {
		return err
	}
	defer upd.Close()
	for _, id := range receivableIDs {
		var amount, paid int64
		var last string
		if err := sum.QueryRowContext(ctx, id).Scan(&amount, &paid, &last); err != nil {
			return err
		}
		code := LetteringCode(id)
		if paid != amount {
			code = strings.ToLower(code)
		}
		if _, err := upd.ExecContext(ctx, code, last, id); err != nil {
			return err
		}
	}
	return nil
}
