package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"strings"
	"time"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/crash"
	"github.com/remit-dev/remit/remit/outdir"
)

func checkLCROptions(o *remit.LCROptions, now time.Time) error {
	if o.EntryCode == 0 {
		o.EntryCode = 3
	}
	if o.EntryCode < 1 || o.EntryCode > 4 {
		return fmt.Errorf("code entrée %d: want 1 (escompte), 2 (escompte en valeur), 3 (encaissement) or 4 (encaissement après délai)", o.EntryCode)
	}
	switch o.Dailly {
	case "", "0", "1", "2", "3":
	default:
		return fmt.Errorf("code Dailly %q: want blank, 0, 1, 2 or 3", o.Dailly)
	}
	switch {
	case o.EntryCode <= 2 && o.ValueDate.IsZero():
		return fmt.Errorf("code entrée %d (%s) needs a date de valeur (--value-date)", o.EntryCode, remit.EntryCodeLabel(o.EntryCode))
	case o.EntryCode <= 2 && remit.Day(o.ValueDate).Before(remit.Day(now)):
		return fmt.Errorf("date de valeur %s is in the past", remit.FormatDate(o.ValueDate))
	case o.EntryCode > 2 && !o.ValueDate.IsZero():
		return fmt.Errorf("a date de valeur is only for an escompte (code entrée 1 or 2), not for code %d", o.EntryCode)
	}
	if o.EOL == "" {
		o.EOL = "crlf"
	}
	if _, err := cfonb.ParseEOL(o.EOL); err != nil {
		return err
	}
	if o.OutDir == "" {
		o.OutDir = "out"
	}
	_, err := remit.FileName(o.NameTemplate, "001", "X", "lcr", now)
	return err
}

// RemitLCR turns the creditor's pointed LCR/BOR receivables into one
// remittance (one per creditor account and code entrée) and its CFONB file.
func (s *Store) RemitLCR(ctx context.Context, cr remit.Creditor, o remit.LCROptions) (*remit.RunResult, error) {
	now := s.now()
	if err := checkLCROptions(&o, now); err != nil {
		return nil, err
	}
	if cr.IBAN == "" {
		return nil, fmt.Errorf("creditor %s has no IBAN (remit creditor set --iban)", cr.Code)
	}
	if _, err := cfonb.AccountFromIBAN(cr.IBAN); err != nil {
		return nil, fmt.Errorf("creditor %s: an LCR remittance needs a French account: %w", cr.Code, err)
	}
	res := &remit.RunResult{Kind: "lcr", Creditor: cr.Code, DryRun: o.DryRun, Remittances: []remit.Remittance{}, Refused: []remit.Refusal{}}
	ctx, pend := outdir.Track(ctx, o.RunID)
	err := s.inRemittanceTx(ctx, func(tx *sql.Tx) error {
		if !o.DryRun {
			if err := outdir.Clean(o.OutDir, recordedIn(ctx, tx)); err != nil {
				return err
			}
		}
		plan, err := planLCR(ctx, tx, cr, o, now, res, nil)
		if err != nil {
			return err
		}
		// Bills whose references read the same in the 10-character zones
		// are refused but the first, and the run planned again without them.
		same, err := plan.sameReferences(ctx, tx)
		if err != nil {
			plan.close()
			return err
		}
		if len(same) > 0 {
			plan.close()
			res.Refused, res.Notes = res.Refused[:0], res.Notes[:0]
			if plan, err = planLCR(ctx, tx, cr, o, now, res, same); err != nil {
				return err
			}
		}
		defer plan.close()
		parts := plan.parts
		if len(res.Refused) > 0 && o.Strict {
			return remit.ErrRefusedStrict
		}
		params := remit.Params{Creditor: cr, EOL: o.EOL, EntryCode: o.EntryCode, Dailly: o.Dailly, ValueDate: remit.FormatDate(o.ValueDate), RefTail: true}
		for i, p := range parts {
			if o.DryRun {
				res.Remittances = append(res.Remittances, remit.Remittance{Ref: "(dry run)", Creditor: cr.Code, Kind: "lcr", Status: "planned",
					Count: p.count, Total: p.total, TotalText: remit.FormatAmount(p.total), Params: params, Files: []remit.FileInfo{},
					Blocks: []remit.Block{{Number: 1, Count: p.count, Total: p.total, TotalText: remit.FormatAmount(p.total)}}})
				continue
			}
			rem, err := s.createLCR(ctx, tx, cr, o, params, now, plan, i)
			if err != nil {
				return err
			}
			res.Remittances = append(res.Remittances, rem)
		}
		if len(parts) > 1 {
			res.Notes = append(res.Notes, fmt.Sprintf("the bills add up to more than an LCR remise can carry (%s EUR): %d remittances",
				remit.FormatAmountFR(cfonb.MaxLCRAmount), len(parts)))
		}
		if len(parts) > 0 && !o.DryRun {
			crash.Point("before-commit")
		}
		return nil
	})
	if err != nil {
		// What the transaction wrote goes with it.
		pend.Abandon(recordedIn(context.WithoutCancel(ctx), s.DB))
		if errors.Is(err, remit.ErrRefusedStrict) {
			return res, err
		}
		return nil, err
	}
	if !o.DryRun && len(res.Remittances) > 0 {
		crash.Point("after-commit")
		pend.Commit()
	}
	return res, nil
}

// lcrPart is one remittance of a run: the 12-digit total zone of the CFONB
// 08 record caps a remise at 9 999 999 999,99 €, so larger runs are split.
type lcrPart struct {
	count int
	total int64
}

// lcrPlan is what a run accepted, in file order (due date, receivable).
type lcrPlan struct {
	parts []lcrPart
	items *spill[plannedItem] // by part, then rank
	refs  *spill[plannedItem] // the same bills by the hash of their reference (amount), then rank
	snaps snapshots
}

func (p *lcrPlan) close() {
	p.items.close()
	p.refs.close()
}

// billReference is a bill's document as the 10-character zones référence
// tiré and référence tireur of the CFONB 06 record carry it: whole when it
// fits, else its last 10 characters when tail (Params.RefTail), where the
// numbers of an ERP's documents differ ("FA2026-00123" → "2026-00123"),
// else its first 10 (remittances made before).
func billReference(document string, tail bool) string {
	ref, _ := billReferences(document, tail)
	return ref
}

// billReferences is billReference, and whether the reference differs from
// the first 10 characters older remittances carried.
func billReferences(document string, tail bool) (ref string, moved bool) {
	return zoneReference(document, lcrReferenceLen, tail)
}

// zoneReference is a document as a CFONB text zone of n characters carries
// it: whole when it fits, else its last n characters when tail, else its
// first n; and whether that differs from the first n characters.
func zoneReference(document string, n int, tail bool) (ref string, moved bool) {
	full := document
	if !cfonbClean(document) {
		full = strings.TrimRight(cfonb.Text(document, 4*len(document)+4), " ") // "&" becomes " ET ": 4 bytes for 1
	}
	switch {
	case len(full) <= n:
		return full, false
	case tail:
		ref = strings.TrimLeft(full[len(full)-n:], " ")
		return ref, ref != strings.TrimRight(full[:n], " ")
	}
	return strings.TrimRight(full[:n], " "), false
}

// cfonbClean reports whether cfonb.Text leaves s as it is: upper-case
// letters, digits and the signs of the CFONB set, no space at either end
// nor a run of them, no '&'.
func cfonbClean(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("*().,/+-:", c) >= 0) {
			return false
		}
	}
	return true
}

// lcrReferenceLen is the length of the référence tiré and tireur zones.
const lcrReferenceLen = 10

// byAmountThenPos orders the references: by hash (in amount), then rank.
func byAmountThenPos(a, b plannedItem) int {
	if a.amount != b.amount {
		return cmp.Compare(a.amount, b.amount)
	}
	return cmp.Compare(a.pos, b.pos)
}

// sameReferences finds the bills of the plan whose reference reads the same
// as an earlier bill's in the 10-character zones (documents cut to 10
// characters, or told apart only by lower case or signs the zone cannot
// carry): the bank and the drawee could not tell them apart, nor match an
// unpaid to its bill. It returns, for each bill but the first of such a
// group, why it is refused. It reads the references in hash order from a
// spill, so its memory does not grow with the run.
func (p *lcrPlan) sameReferences(ctx context.Context, tx *sql.Tx) (map[int64]string, error) {
	var group []plannedItem
	var out map[int64]string
	doc, err := tx.PrepareContext(ctx, `SELECT document FROM receivables WHERE id = ?`)
	if err != nil {
		return nil, err
	}
	defer doc.Close()
	flush := func() error {
		if len(group) < 2 {
			return nil
		}
		first := map[string]string{} // reference → the first document with it
		for _, it := range group {   // by rank
			var d string
			if err := doc.QueryRowContext(ctx, it.id).Scan(&d); err != nil {
				return err
			}
			ref := billReference(d, true)
			if f, ok := first[ref]; ok {
				if out == nil {
					out = map[int64]string{}
				}
				out[it.id] = fmt.Sprintf("its reference reads %q in the 10-character référence tiré and tireur zones, as %s's in "+
					"the same remise: the bank could not tell the bills apart; it goes in the next remise (run remit lcr again)", ref, f)
				continue
			}
			first[ref] = d
		}
		return nil
	}
	err = p.refs.each(nil, nil, func(it plannedItem) error {
		if len(group) > 0 && group[0].amount != it.amount {
			if err := flush(); err != nil {
				return err
			}
			group = group[:0]
		}
		group = append(group, it)
		return nil
	})
	if err == nil {
		err = flush()
	}
	return out, err
}

// part calls fn on part p's items in file order.
func (p *lcrPlan) part(i int, fn func(plannedItem) error) error {
	return p.items.each(&plannedItem{grp: int32(i)}, &plannedItem{grp: int32(i + 1)}, fn)
}

// planLCR reads the pointed receivables in file order, checks them, records
// the refusals and spills the accepted ones; the caller closes the plan.
// same refuses bills whose reference an earlier bill has (sameReferences).
func planLCR(ctx context.Context, tx *sql.Tx, cr remit.Creditor, o remit.LCROptions, now time.Time, res *remit.RunResult,
	same map[int64]string) (_ *lcrPlan, err error) {
	hint, err := pointedScan(ctx, tx, cr.ID, "lcr")
	if err != nil {
		return nil, err
	}
	plan := &lcrPlan{items: newPlan(byPartThenRank), refs: newPlan(byAmountThenPos)}
	defer func() {
		if err != nil {
			plan.close()
		}
	}()
	seed := maphash.MakeSeed()
	cut, cutExample := 0, ""
	rows, err := tx.QueryContext(ctx, `SELECT r.id, r.document, r.amount, r.currency, r.due_date, r.issue_date, r.refusal, r.refused_at,
			c.id, c.account, c.name, c.iban, c.siren
		FROM receivables r `+hint+` JOIN customers c ON c.id = r.customer_id
		WHERE r.creditor_id = ? AND r.status = 'pointed' AND r.method = 'lcr' ORDER BY r.due_date, r.id`, cr.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var stale []int64 // accepted receivables that still show an earlier run's refusal
	refuse, err := newRefusalBook(ctx, tx, now)
	if err != nil {
		return nil, err
	}
	defer refuse.close()
	policy := remit.BillPolicy{Today: remit.FormatDate(remit.Day(now)), EntryCode: o.EntryCode, ValueDate: remit.FormatDate(o.ValueDate)}
	prog := remit.StartProgress(ctx, remit.StageCheck)
	defer prog.Done()
	for rows.Next() {
		prog.Add()
		var id, amount, custID int64
		var doc, cur, due, issue, prevRefusal, refusedAt, cust, name, iban, siren string
		if err := rows.Scan(&id, &doc, &amount, &cur, &due, &issue, &prevRefusal, &refusedAt, &custID, &cust, &name, &iban, &siren); err != nil {
			return nil, err
		}
		refused := prevRefusal != ""
		why := remit.CheckBill(remit.BillCase{Currency: cur, Amount: amount, Due: due, Issue: issue, IBAN: iban, Name: name, SIREN: siren}, policy)
		if r, ok := same[id]; ok {
			why = append(why, remit.Reason{Code: remit.ReasonSameReference, Todo: remit.TodoLater, Text: r})
		}
		if len(why) > 0 {
			rf := remit.Refusal{Document: doc, Customer: cust, Name: name, Amount: remit.FormatAmount(amount), Currency: cur}
			if err := refuse.record(ctx, id, prevRefusal, refusedAt, &rf, why); err != nil {
				return nil, err
			}
			res.Refused = append(res.Refused, rf)
			continue
		}
		if len(plan.parts) == 0 || plan.parts[len(plan.parts)-1].total+amount > cfonb.MaxLCRAmount {
			plan.parts = append(plan.parts, lcrPart{})
		}
		last := &plan.parts[len(plan.parts)-1]
		if err := plan.items.add(plannedItem{id: id, amount: amount, grp: int32(len(plan.parts) - 1),
			debtor: plan.snaps.of(debtorKey{customer: custID}), pos: int32(plan.items.len())}); err != nil {
			return nil, err
		}
		last.count++
		last.total += amount
		ref, moved := billReferences(doc, true)
		if err := plan.refs.add(plannedItem{id: id, amount: int64(maphash.String(seed, ref)), pos: int32(plan.items.len())}); err != nil {
			return nil, err
		}
		if moved {
			if cut == 0 {
				cutExample = doc + " → " + ref
			}
			cut++
		}
		if refused {
			stale = append(stale, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if cut > 0 {
		what := "1 bill carries the last 10 characters of its document"
		if cut > 1 {
			what = fmt.Sprintf("%d bills carry the last 10 characters of their documents", cut)
		}
		res.Notes = append(res.Notes, fmt.Sprintf("%s in the référence tiré and tireur zones (%s); "+
			"each reads differently from the others of the remise", what, cutExample))
	}
	return plan, clearRefusals(ctx, tx, stale)
}

func (s *Store) createLCR(ctx context.Context, tx *sql.Tx, cr remit.Creditor, o remit.LCROptions, params remit.Params, now time.Time,
	plan *lcrPlan, part int) (remit.Remittance, error) {
	p := plan.parts[part]
	n, total := p.count, p.total
	if part == 0 {
		if err := plan.snaps.write(ctx, tx); err != nil {
			return remit.Remittance{}, err
		}
	}
	pj, _ := json.Marshal(params)
	r, err := tx.ExecContext(ctx, `INSERT INTO remittances (creditor_id, kind, status, created_at, item_count, total, params, run_id)
		VALUES (?, 'lcr', 'created', ?, ?, ?, ?, ?)`, cr.ID, now.Format(remit.TimestampLayout), n, total, string(pj), o.RunID)
	if err != nil {
		return remit.Remittance{}, err
	}
	id, _ := r.LastInsertId()
	stage, err := newItemStage(ctx, tx)
	if err != nil {
		return remit.Remittance{}, err
	}
	defer stage.close()
	block, rank := stage.block("", ""), 0
	prog := remit.StartProgress(ctx, remit.StageRecord)
	err = plan.part(part, func(it plannedItem) error {
		rank++
		prog.Add()
		return stage.add(it, plan.snaps.base, block, rank)
	})
	prog.Done()
	if err != nil {
		return remit.Remittance{}, err
	}
	// An LCR without an issue date is drawn today.
	if err := stage.record(ctx, id, `INSERT INTO remittance_items (remittance_id, block, issue_date, receivable_id,
			position, debtor_id, amount, due_date, collection_date, end_to_end_id, document, label, acceptance, journal)
		SELECT ?, 1, CASE WHEN r.issue_date = '' THEN ? ELSE r.issue_date END, r.id, s.position, s.debtor_id, r.amount,
			r.due_date, r.due_date, r.document, r.document, r.label, r.acceptance, r.journal
		FROM temp.item_stage s CROSS JOIN receivables r ON r.id = s.receivable_id
		ORDER BY s.position`, now.Format(remit.DateLayout)); err != nil {
		return remit.Remittance{}, err
	}
	rem, err := loadRemittance(ctx, tx, cr.ID, id)
	if err != nil {
		return rem, err
	}
	if rem.Count != n || rem.Total != total {
		return rem, fmt.Errorf("remittance %s: planned %d items for %s, recorded %d for %s", rem.Ref, n, remit.FormatAmount(total), rem.Count, remit.FormatAmount(rem.Total))
	}
	// Entries first: a failing hook must leave no file behind.
	if err := s.afterRemittance(ctx, tx, rem); err != nil {
		return rem, err
	}
	files, err := writeRemittanceFiles(ctx, tx, rem, o.OutDir, o.NameTemplate)
	if err != nil {
		return rem, err
	}
	crash.Point("after-file")
	rem.Files = files
	if !o.NoBordereau {
		f, err := writeRemittanceBordereau(ctx, tx, rem, o.OutDir)
		if err != nil {
			return rem, err
		}
		rem.Files = append(rem.Files, f)
	}
	return rem, nil
}
