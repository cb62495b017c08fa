package remit

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/sepa"
)

// Split policies for SEPA files.
const (
	SplitNone     = "none"     // one file per scheme
	SplitSequence = "sequence" // FRST and RCUR in separate files (seed 004: "un fichier par séquence")
	SplitPmtInf   = "pmtinf"   // one payment block per file
)

// SDDOptions control a SEPA direct-debit run.
type SDDOptions struct {
	Version        sepa.Version
	Scheme         string // "" both (never in one file), "CORE" or "B2B"
	Split          string
	MaxTx          int   // per file, 0 = no limit
	MaxAmount      int64 // per file in cents, 0 = no limit
	BatchBooking   *bool // nil omits BtchBookg
	RCUROnly       bool  // RCUR for first collections (EPC allows it since 2016)
	LeadDays       int   // TARGET2 business days the bank needs before the collection date
	Cutoff         time.Duration
	CollectionDate time.Time // forces one requested collection date
	Strict         bool      // any refused receivable refuses the whole run
	DryRun         bool
	CFONB          bool // also write the national direct-debit file (seed 004)
	NoBordereau    bool // do not write the PDF remittance slip
	OutDir         string
	NameTemplate   string
	RunID          string
}

// Refusal is a pointed receivable a run left pointed, with why.
type Refusal struct {
	Document string   `json:"document"`
	Customer string   `json:"customer"`
	Name     string   `json:"name"`
	Amount   string   `json:"amount"`
	Reasons  []string `json:"reasons"`
}

// RunResult is what a remittance run did (or, dry, would do).
type RunResult struct {
	Kind        string       `json:"kind"`
	Creditor    string       `json:"creditor"`
	DryRun      bool         `json:"dry_run,omitempty"`
	Remittances []Remittance `json:"remittances"`
	Refused     []Refusal    `json:"refused"`
	Notes       []string     `json:"notes,omitempty"`
}

// ErrRefusedStrict is returned by a strict run that refused receivables.
var ErrRefusedStrict = errors.New("receivables refused and --strict given: nothing remitted")

// sddCandidate is one pointed SDD receivable with what the plan needs.
type sddCandidate struct {
	id               int64
	document, label  string
	amount           int64
	currency, due    string
	customer, name   string
	addr             Address
	mandateID        sql.NullInt64
	rum, signed      string
	scheme, kind     string
	mstatus          string
	iban, bic        string
	origRUM, origICS string
	lastDate         string // last collection that counts (history or remit), "" if none
	lastIBAN         string
	frstDate         string // latest pending FRST of remit's own, "" if none
}

type blockKey struct {
	scheme string
	seq    string
	date   string
}

type blockAgg struct {
	key   blockKey
	count int
	total int64
}

// RemitSDD turns the creditor's pointed SDD receivables into remittances.
func (s *Store) RemitSDD(ctx context.Context, cr Creditor, o SDDOptions) (*RunResult, error) {
	if err := checkSDDOptions(&o); err != nil {
		return nil, err
	}
	if o.CFONB && cr.NNE == "" {
		return nil, fmt.Errorf("creditor %s has no numéro national d'émetteur: the national direct-debit file needs it (remit creditor set --nne)", cr.Code)
	}
	if errs := creditorSDDProblems(cr); len(errs) > 0 {
		return nil, fmt.Errorf("creditor %s cannot collect SEPA direct debits: %w", cr.Code, errors.Join(errs...))
	}
	now := s.now()
	res := &RunResult{Kind: "sdd", Creditor: cr.Code, DryRun: o.DryRun, Remittances: []Remittance{}, Refused: []Refusal{}}
	rcurOnly := o.RCUROnly || cr.RCUROnly
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		if !o.DryRun {
			if _, err := CleanTemporaryFiles(o.OutDir); err != nil {
				return err
			}
		}
		plan, err := planSDD(ctx, tx, cr, o, now, rcurOnly, res)
		if err != nil {
			return err
		}
		if len(res.Refused) > 0 && o.Strict {
			return ErrRefusedStrict
		}
		if rcurOnly && plan.firstAsRCUR > 0 {
			res.Notes = append(res.Notes, fmt.Sprintf("RCUR-only policy applied: %s sent as RCUR instead of FRST",
				pluralize(plan.firstAsRCUR, "first collection", "first collections")))
		}
		files := planFiles(plan.blocks, o)
		if o.MaxTx > 0 || o.MaxAmount > 0 {
			if files, err = splitFiles(ctx, tx, files, o); err != nil {
				return err
			}
		}
		if o.DryRun {
			res.Remittances = dryRemittances(files, cr)
			return nil
		}
		return s.createSDD(ctx, tx, cr, o, now, rcurOnly, files, res)
	})
	if err != nil {
		if errors.Is(err, ErrRefusedStrict) {
			return res, err
		}
		return nil, err
	}
	if !o.DryRun && len(res.Remittances) > 0 {
		crashPoint("after-commit")
	}
	return res, nil
}

func checkSDDOptions(o *SDDOptions) error {
	if o.Version == "" {
		o.Version = sepa.V08
	}
	if !o.Version.Valid() {
		return fmt.Errorf("pain version %q: want pain.008.001.08 or pain.008.001.02", o.Version)
	}
	switch o.Split {
	case "":
		o.Split = SplitNone
	case SplitNone, SplitSequence, SplitPmtInf:
	default:
		return fmt.Errorf("split %q: want none, sequence or pmtinf", o.Split)
	}
	switch o.Scheme {
	case "", "CORE", "B2B":
	default:
		return fmt.Errorf("scheme %q: want CORE or B2B", o.Scheme)
	}
	if o.MaxTx < 0 || o.MaxAmount < 0 || o.LeadDays < 0 {
		return errors.New("max-tx, max-amount and lead days cannot be negative")
	}
	if o.OutDir == "" {
		o.OutDir = "out"
	}
	if _, err := FileName(o.NameTemplate, "001", "X", "sdd", time.Now()); err != nil {
		return err
	}
	return nil
}

func creditorSDDProblems(cr Creditor) []error {
	var errs []error
	if cr.ICS == "" {
		errs = append(errs, errors.New("no SEPA creditor identifier (remit creditor set --ics)"))
	}
	if cr.IBAN == "" {
		errs = append(errs, errors.New("no IBAN (remit creditor set --iban)"))
	}
	if cr.Address.Town == "" || cr.Address.Country == "" {
		errs = append(errs, errors.New("no structured address: town and country are required (remit creditor set --town --country)"))
	}
	return errs
}

type sddPlan struct {
	blocks      []blockAgg
	firstAsRCUR int
}

// planSDD reads the pointed receivables once, decides for each its sequence
// type, collection date and amendment, checks every EPC rule, records the
// refusals, and fills the temporary table sdd_plan with the accepted ones.
func planSDD(ctx context.Context, tx *sql.Tx, cr Creditor, o SDDOptions, now time.Time, rcurOnly bool, res *RunResult) (*sddPlan, error) {
	for _, q := range []string{
		`DROP TABLE IF EXISTS temp.sdd_plan`,
		`CREATE TEMP TABLE sdd_plan (receivable_id INTEGER PRIMARY KEY, grp INTEGER NOT NULL, seq TEXT NOT NULL,
			coll TEXT NOT NULL, e2e TEXT NOT NULL, amend_iban TEXT NOT NULL, amend_rum TEXT NOT NULL, amend_ics TEXT NOT NULL)`,
		`CREATE INDEX temp.sdd_plan_grp ON sdd_plan(grp, receivable_id)`,
		`DROP TABLE IF EXISTS temp.mandate_last`,
		// The collections of a mandate that count: remit's own, not cancelled and not
		// rejected before settlement, and those made before remit (mandate_history).
		`CREATE TEMP TABLE mandate_last (mandate_id INTEGER PRIMARY KEY, k TEXT, iban TEXT, frst TEXT)`,
		`INSERT INTO temp.mandate_last
			SELECT mandate_id, max(k) AS k, substr(max(k), 11) AS iban, max(frst) AS frst FROM (
				SELECT i.mandate_id, i.collection_date || i.iban AS k,
					CASE WHEN i.sequence_type = 'FRST' AND i.status = 'remitted' THEN i.collection_date ELSE '' END AS frst
				FROM remittance_items i WHERE i.mandate_id IS NOT NULL AND i.status IN ('remitted', 'returned')
				UNION ALL
				SELECT h.mandate_id, h.collected_on || h.iban, '' FROM mandate_history h)
			GROUP BY mandate_id`,
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return nil, err
		}
	}
	schemeCond := ""
	args := []any{cr.ID}
	if o.Scheme != "" {
		schemeCond = " AND COALESCE(m.scheme, 'CORE') = ?"
		args = append(args, o.Scheme)
	}
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.document, r.label, r.amount, r.currency, r.due_date,
			c.account, c.name, c.street, c.building, c.postcode, c.town, c.country,
			m.id, COALESCE(m.rum, ''), COALESCE(m.signed_on, ''), COALESCE(m.scheme, 'CORE'), COALESCE(m.kind, ''),
			COALESCE(m.status, ''), COALESCE(m.iban, ''), COALESCE(m.bic, ''), COALESCE(m.original_rum, ''), COALESCE(m.original_ics, ''),
			COALESCE(substr(l.k, 1, 10), ''), COALESCE(l.iban, ''), COALESCE(l.frst, ''), c.iban, c.bic
		FROM receivables r JOIN customers c ON c.id = r.customer_id
			LEFT JOIN mandates m ON m.id = r.mandate_id
			LEFT JOIN temp.mandate_last l ON l.mandate_id = r.mandate_id
		WHERE r.creditor_id = ? AND r.status = 'pointed' AND r.method = 'sdd'`+schemeCond+`
		ORDER BY r.due_date, r.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	ins, err := tx.PrepareContext(ctx, `INSERT INTO sdd_plan VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return nil, err
	}
	defer ins.Close()
	refuse, err := tx.PrepareContext(ctx, `UPDATE receivables SET refusal = ? WHERE id = ?`)
	if err != nil {
		return nil, err
	}
	defer refuse.Close()

	earliest := sepa.EarliestCollectionDate(now, o.LeadDays, o.Cutoff)
	var forced time.Time
	if !o.CollectionDate.IsZero() {
		forced = Day(o.CollectionDate)
		if !sepa.IsTARGET2BusinessDay(forced) {
			return nil, fmt.Errorf("collection date %s is not a TARGET2 business day", dateString(forced))
		}
		if forced.Before(earliest) {
			return nil, fmt.Errorf("collection date %s is too early: with %d lead day(s) and the %s cut-off the earliest is %s",
				dateString(forced), o.LeadDays, fmtCutoff(o.Cutoff), dateString(earliest))
		}
	}
	collDates := map[string]string{} // due date → requested collection date
	frstInRun := map[int64]string{}  // mandate → FRST date decided in this run
	expiredMandates := map[int64]bool{}
	amended := map[int64]bool{} // mandates whose change this run already announces
	plan := &sddPlan{}
	groups := map[blockKey]int{}
	hdr := sepa.GroupHeader{Version: o.Version, MsgID: "PLAN", CreatedAt: now, InitiatingParty: sepa.Party{Name: cr.Name}}
	piTemplate := sepa.PaymentInfo{ID: "PLAN", Creditor: creditorParty(cr), CreditorIBAN: cr.IBAN, CreditorBIC: cr.BIC,
		CreditorSchemeID: cr.ICS}
	expiryLimit := Day(now).AddDate(-3, 0, 0)

	for rows.Next() {
		var c sddCandidate
		var custIBAN, custBIC string
		if err := rows.Scan(&c.id, &c.document, &c.label, &c.amount, &c.currency, &c.due, &c.customer, &c.name,
			&c.addr.Street, &c.addr.Building, &c.addr.Postcode, &c.addr.Town, &c.addr.Country,
			&c.mandateID, &c.rum, &c.signed, &c.scheme, &c.kind, &c.mstatus, &c.iban, &c.bic, &c.origRUM, &c.origICS,
			&c.lastDate, &c.lastIBAN, &c.frstDate, &custIBAN, &custBIC); err != nil {
			return nil, err
		}
		if c.iban == "" {
			c.iban, c.bic = custIBAN, custBIC
		}
		var reasons []string
		refuseWith := func(format string, args ...any) { reasons = append(reasons, fmt.Sprintf(format, args...)) }
		if c.currency != "EUR" {
			refuseWith("currency %s: SEPA direct debits are in euros only", c.currency)
		}
		if !c.mandateID.Valid {
			refuseWith("no mandate: a SEPA direct debit needs the customer's signed mandate (import its RUM in the mandate column)")
		} else {
			switch c.mstatus {
			case "active":
			case "blocked":
				refuseWith("mandate %s is blocked (a bank return said the mandate or the account is not valid): fix it, then reactivate it", c.rum)
			default:
				refuseWith("mandate %s is %s", c.rum, c.mstatus)
			}
			if c.signed == "" {
				refuseWith("mandate %s has no signature date", c.rum)
			}
			// EPC: a mandate not used for 36 months expires.
			last := c.lastDate
			if last == "" {
				last = c.signed
			}
			if c.mstatus == "active" && last != "" && parseStored(last).Before(expiryLimit) {
				refuseWith("mandate %s expired: no collection for 36 months (last %s)", c.rum, last)
				expiredMandates[c.mandateID.Int64] = true
			}
		}
		// Sequence type and collection date.
		seq := "FRST"
		switch {
		case c.kind == "oneoff":
			seq = "OOFF"
		case c.lastDate != "" || (c.mandateID.Valid && frstInRun[c.mandateID.Int64] != ""):
			seq = "RCUR"
		case rcurOnly:
			seq = "RCUR"
			plan.firstAsRCUR++
		}
		coll := ""
		if forced.IsZero() {
			var ok bool
			if coll, ok = collDates[c.due]; !ok {
				coll = dateString(sepa.CollectionDate(parseStored(c.due), now, o.LeadDays, o.Cutoff))
				collDates[c.due] = coll
			}
		} else {
			coll = dateString(forced)
		}
		if seq == "RCUR" && c.mandateID.Valid {
			// A recurrent collection follows the pending first one, never on or before its date.
			frst := c.frstDate
			if d := frstInRun[c.mandateID.Int64]; d > frst {
				frst = d
			}
			if frst != "" && coll <= frst {
				next := dateString(sepa.NextBusinessDay(parseStored(frst).AddDate(0, 0, 1)))
				if !forced.IsZero() {
					refuseWith("mandate %s: its first collection is requested for %s; a second one cannot be collected on %s (run again without --collection-date)", c.rum, frst, coll)
				}
				coll = next
			}
		}
		e2e := endToEndID(c.document)
		var amend *sepa.Amendment
		var amendIBAN, amendRUM, amendICS string
		if c.mandateID.Valid && !amended[c.mandateID.Int64] {
			if c.lastIBAN != "" && c.lastIBAN != c.iban {
				amendIBAN = "SMNDA"
			}
			if c.origRUM != "" && c.origRUM != c.rum {
				amendRUM = c.origRUM
			}
			if c.origICS != "" && c.origICS != cr.ICS {
				amendICS = c.origICS
			}
		}
		if amendIBAN != "" || amendRUM != "" || amendICS != "" {
			amend = &sepa.Amendment{NewDebtorAccount: amendIBAN == "SMNDA", OriginalMandateID: amendRUM, OriginalCreditorSchemeID: amendICS}
		}
		pi := piTemplate
		pi.Scheme, pi.SeqType, pi.CollectionDate = c.scheme, seq, parseStored(coll)
		tx := sepa.Transaction{EndToEndID: e2e, Amount: c.amount, MandateID: c.rum, MandateSigned: parseStored(c.signed),
			Amendment: amend, DebtorBIC: c.bic, DebtorIBAN: c.iban, RemittanceInfo: remittanceInfo(c.document, c.label),
			Debtor: sepa.Party{Name: c.name, Address: sepaAddress(c.addr)}}
		if o.CFONB && c.iban != "" && !strings.HasPrefix(c.iban, "FR") && !strings.HasPrefix(c.iban, "MC") {
			refuseWith("IBAN %s is not French: it cannot go in the national direct-debit file (--cfonb)", c.iban)
		}
		if c.mandateID.Valid {
			for _, e := range sepa.CheckTransaction(tx, pi, hdr) {
				reasons = append(reasons, ruleReason(e))
			}
		}
		if len(reasons) > 0 {
			res.Refused = append(res.Refused, Refusal{Document: c.document, Customer: c.customer, Name: c.name,
				Amount: FormatAmount(c.amount), Reasons: reasons})
			if seq == "RCUR" && c.lastDate == "" && rcurOnly {
				plan.firstAsRCUR--
			}
			if _, err := refuse.ExecContext(ctx, strings.Join(reasons, "; "), c.id); err != nil {
				return nil, err
			}
			continue
		}
		if amend != nil {
			amended[c.mandateID.Int64] = true
		}
		if seq == "FRST" {
			frstInRun[c.mandateID.Int64] = coll
		} else if seq == "RCUR" && c.lastDate == "" && frstInRun[c.mandateID.Int64] == "" && !rcurOnly {
			frstInRun[c.mandateID.Int64] = coll
		}
		key := blockKey{c.scheme, seq, coll}
		g, ok := groups[key]
		if !ok {
			g = len(plan.blocks)
			groups[key] = g
			plan.blocks = append(plan.blocks, blockAgg{key: key})
		}
		plan.blocks[g].count++
		plan.blocks[g].total += c.amount
		if _, err := ins.ExecContext(ctx, c.id, g, seq, coll, e2e, amendIBAN, amendRUM, amendICS); err != nil {
			return nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for id := range expiredMandates {
		if _, err := tx.ExecContext(ctx, `UPDATE mandates SET status = 'expired', status_reason = 'no collection for 36 months' WHERE id = ?`, id); err != nil {
			return nil, err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE receivables SET refusal = '' WHERE id IN (SELECT receivable_id FROM sdd_plan)`); err != nil {
		return nil, err
	}
	return plan, nil
}

func fmtCutoff(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d.Hours()), int(d.Minutes())%60)
}

// ruleReason keeps a rule error's text without the "transaction "E2E": " prefix.
func ruleReason(err error) string {
	var re *sepa.RuleError
	if errors.As(err, &re) {
		msg := re.Error()
		if i := strings.Index(msg, ": "); i >= 0 && strings.HasPrefix(msg, re.Block) {
			return msg[i+2:]
		}
		return msg
	}
	return err.Error()
}

// endToEndID derives the EndToEndId from the document number, the same on
// every run: the document itself when it is a valid EPC identifier, else its
// EPC transliteration with a short hash that keeps it unique.
func endToEndID(document string) string {
	ok := len(document) <= 35 && document != "" && document[0] != '/' && document[len(document)-1] != '/' &&
		!strings.Contains(document, "//")
	for i := 0; ok && i < len(document); i++ {
		ok = ident.IsEPCBasic(document[i]) && document[i] != ' '
	}
	if ok {
		return document
	}
	clean := strings.Trim(strings.ReplaceAll(strings.ReplaceAll(sepa.Text(document, 200), " ", "-"), "//", "/"), "/-")
	sum := sha256.Sum256([]byte(document))
	h := hex.EncodeToString(sum[:4])
	if len(clean) > 26 {
		clean = clean[:26]
	}
	return strings.TrimRight(clean, "/") + "-" + h
}

func remittanceInfo(document, label string) string {
	if label == "" {
		return document
	}
	return document + " " + label
}

func creditorParty(cr Creditor) sepa.Party {
	return sepa.Party{Name: cr.Name, Address: sepaAddress(cr.Address)}
}

func sepaAddress(a Address) sepa.Address {
	return sepa.Address{StreetName: a.Street, BuildingNumber: a.Building, PostCode: a.Postcode, TownName: a.Town, Country: a.Country}
}

func pluralize(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

// fileSegment is a run of one block's items (ranks lo..hi, 1-based, in
// receivable order) that goes into one file.
type fileSegment struct {
	grp    int
	key    blockKey
	lo, hi int
	count  int
	total  int64
}

type plannedFile struct {
	scheme   string
	segments []fileSegment
}

func (f plannedFile) totals() (int, int64) {
	n, t := 0, int64(0)
	for _, s := range f.segments {
		n += s.count
		t += s.total
	}
	return n, t
}

func seqOrder(seq string) int {
	switch seq {
	case "FRST":
		return 0
	case "RCUR":
		return 1
	case "OOFF":
		return 2
	}
	return 3
}

// planFiles groups the blocks into files: CORE and B2B never share one.
func planFiles(blocks []blockAgg, o SDDOptions) []plannedFile {
	idx := make([]int, len(blocks))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool {
		x, y := blocks[idx[a]].key, blocks[idx[b]].key
		if x.scheme != y.scheme {
			return x.scheme < y.scheme
		}
		if o.Split == SplitSequence && seqOrder(x.seq) != seqOrder(y.seq) {
			return seqOrder(x.seq) < seqOrder(y.seq)
		}
		if x.date != y.date {
			return x.date < y.date
		}
		return seqOrder(x.seq) < seqOrder(y.seq)
	})
	var files []plannedFile
	fileKey := func(k blockKey) string {
		switch o.Split {
		case SplitSequence:
			return k.scheme + "/" + k.seq
		case SplitPmtInf:
			return k.scheme + "/" + k.seq + "/" + k.date
		}
		return k.scheme
	}
	last := ""
	for _, i := range idx {
		b := blocks[i]
		seg := fileSegment{grp: i, key: b.key, lo: 1, hi: b.count, count: b.count, total: b.total}
		if k := fileKey(b.key); k != last || len(files) == 0 {
			files = append(files, plannedFile{scheme: b.key.scheme})
			last = k
		}
		f := &files[len(files)-1]
		f.segments = append(f.segments, seg)
	}
	return files
}

// splitFiles cuts files at --max-tx transactions and --max-amount euros,
// walking the planned items in file order.
func splitFiles(ctx context.Context, tx *sql.Tx, files []plannedFile, o SDDOptions) ([]plannedFile, error) {
	var out []plannedFile
	for _, f := range files {
		cur := plannedFile{scheme: f.scheme}
		n, total := 0, int64(0)
		for _, seg := range f.segments {
			rows, err := tx.QueryContext(ctx, `SELECT r.amount FROM sdd_plan p JOIN receivables r ON r.id = p.receivable_id
				WHERE p.grp = ? ORDER BY p.receivable_id`, seg.grp)
			if err != nil {
				return nil, err
			}
			part := fileSegment{grp: seg.grp, key: seg.key, lo: 1}
			rank := 0
			for rows.Next() {
				var amount int64
				rows.Scan(&amount)
				rank++
				if o.MaxAmount > 0 && amount > o.MaxAmount {
					rows.Close()
					return nil, fmt.Errorf("a receivable of %s is larger than --max-amount %s: it cannot go in any file",
						FormatAmount(amount), FormatAmount(o.MaxAmount))
				}
				if n > 0 && ((o.MaxTx > 0 && n+1 > o.MaxTx) || (o.MaxAmount > 0 && total+amount > o.MaxAmount)) {
					if part.count > 0 {
						part.hi = rank - 1
						cur.segments = append(cur.segments, part)
					}
					out = append(out, cur)
					cur = plannedFile{scheme: f.scheme}
					part = fileSegment{grp: seg.grp, key: seg.key, lo: rank}
					n, total = 0, 0
				}
				part.count++
				part.total += amount
				n++
				total += amount
			}
			rows.Close()
			if part.count > 0 {
				part.hi = rank
				cur.segments = append(cur.segments, part)
			}
		}
		if len(cur.segments) > 0 {
			out = append(out, cur)
		}
	}
	return out, nil
}

func dryRemittances(files []plannedFile, cr Creditor) []Remittance {
	out := make([]Remittance, 0, len(files))
	for _, f := range files {
		n, t := f.totals()
		r := Remittance{Ref: "(dry run)", Creditor: cr.Code, Kind: "sdd", Scheme: f.scheme, Status: "planned",
			Count: n, Total: t, TotalText: FormatAmount(t), Files: []FileInfo{}}
		for i, s := range f.segments {
			r.Blocks = append(r.Blocks, Block{Number: i + 1, SequenceType: s.key.seq, CollectionDate: parseStored(s.key.date),
				Date: s.key.date, Count: s.count, Total: s.total, TotalText: FormatAmount(s.total)})
		}
		out = append(out, r)
	}
	return out
}

// createSDD records the planned remittances and writes their files, inside
// the caller's transaction: the files are renamed into place before the
// commit, so a crash leaves either no remittance or a complete one.
func (s *Store) createSDD(ctx context.Context, tx *sql.Tx, cr Creditor, o SDDOptions, now time.Time, rcurOnly bool,
	files []plannedFile, res *RunResult) error {
	for _, f := range files {
		n, total := f.totals()
		params := Params{Creditor: cr, Pain: string(o.Version), BatchBooking: o.BatchBooking, RCUROnly: rcurOnly, CFONB: o.CFONB}
		pj, _ := json.Marshal(params)
		r, err := tx.ExecContext(ctx, `INSERT INTO remittances (creditor_id, kind, scheme, status, created_at, item_count, total, params, run_id)
			VALUES (?, 'sdd', ?, 'created', ?, ?, ?, ?, ?)`, cr.ID, f.scheme, now.Format(timestampLayout), n, total, string(pj), o.RunID)
		if err != nil {
			return err
		}
		id, _ := r.LastInsertId()
		msgID := messageID(cr.Code, id, now)
		if _, err := tx.ExecContext(ctx, `UPDATE remittances SET msg_id = ? WHERE id = ?`, msgID, id); err != nil {
			return err
		}
		for bi, seg := range f.segments {
			if _, err := tx.ExecContext(ctx, `INSERT INTO remittance_items (remittance_id, receivable_id, position, block, amount,
					due_date, collection_date, end_to_end_id, document, label, customer, name, street, building, postcode, town, country,
					iban, bic, bank_name, siren, issue_date, acceptance, mandate_id, rum, mandate_signed, sequence_type,
					amend_iban, amend_rum, amend_ics)
				SELECT ?, r.id, p.rk, ?, r.amount, r.due_date, p.coll, p.e2e, r.document, r.label, c.account, c.name,
					c.street, c.building, c.postcode, c.town, c.country,
					COALESCE(NULLIF(m.iban, ''), c.iban), CASE WHEN COALESCE(m.iban, '') = '' THEN c.bic ELSE m.bic END,
					c.bank_name, c.siren, r.issue_date, r.acceptance,
					m.id, m.rum, m.signed_on, p.seq, p.amend_iban, p.amend_rum, p.amend_ics
				FROM (SELECT *, ROW_NUMBER() OVER (ORDER BY receivable_id) AS rk FROM sdd_plan WHERE grp = ?) p
					JOIN receivables r ON r.id = p.receivable_id
					JOIN customers c ON c.id = r.customer_id
					JOIN mandates m ON m.id = r.mandate_id
				WHERE p.rk BETWEEN ? AND ?`, id, bi+1, seg.grp, seg.lo, seg.hi); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE receivables SET status = 'remitted', refusal = ''
			WHERE id IN (SELECT receivable_id FROM remittance_items WHERE remittance_id = ?)`, id); err != nil {
			return err
		}
		// Announced amendments of the RUM or ICS are not repeated.
		if _, err := tx.ExecContext(ctx, `UPDATE mandates SET original_rum = '', original_ics = ''
			WHERE id IN (SELECT mandate_id FROM remittance_items WHERE remittance_id = ? AND (amend_rum != '' OR amend_ics != ''))`, id); err != nil {
			return err
		}
		rem, err := loadRemittance(ctx, tx, cr.ID, id)
		if err != nil {
			return err
		}
		if rem.Count != n || rem.Total != total {
			return fmt.Errorf("remittance %s: planned %d items for %s, recorded %d for %s", rem.Ref, n, FormatAmount(total), rem.Count, FormatAmount(rem.Total))
		}
		// Entries first: a failing hook must leave no file behind.
		if err := s.afterRemittance(ctx, tx, rem); err != nil {
			return err
		}
		written, err := writeRemittanceFiles(ctx, tx, rem, o.OutDir, o.NameTemplate)
		if err != nil {
			return err
		}
		crashPoint("after-file")
		rem.Files = written
		if !o.NoBordereau {
			f, err := writeRemittanceBordereau(ctx, tx, rem, o.OutDir, now)
			if err != nil {
				return err
			}
			rem.Files = append(rem.Files, f)
		}
		res.Remittances = append(res.Remittances, rem)
	}
	crashPoint("before-commit")
	return nil
}

// messageID is the MsgId: creditor code, reference and creation time, at most 35 characters.
func messageID(code string, id int64, now time.Time) string {
	code = strings.ReplaceAll(code, "_", "-")
	suffix := "-" + Ref(id) + "-" + now.Format("20060102150405")
	if len(code)+len(suffix) > 35 {
		code = code[:35-len(suffix)]
	}
	return code + suffix
}
