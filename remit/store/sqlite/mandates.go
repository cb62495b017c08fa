package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
)

// countedCollection is the SQL condition an item of remit's own (table or
// view alias i) meets when it counts as a collection of its mandate, the one
// rule behind FRST/RCUR, one-off mandates, amendments and expiry:
//   - sent, or pending at the bank: not cancelled, and not rejected before
//     settlement (a return after settlement counts: the debit was made);
//   - and not an RCUR that followed a first collection rejected before
//     settlement, with no first collection made since: it was presented on
//     the strength of a FRST that never happened, so the mandate is new
//     again and its next collection is FRST (remit reject says so).
//
// items is the table holding the mandate's other items (remittance_items,
// or refreshCollections' gathering of them).
func countedCollection(i, items string) string {
	return i + `.status IN ('remitted', 'returned') AND NOT (` + i + `.sequence_type = 'RCUR' AND EXISTS (
		SELECT 1 FROM ` + items + ` f WHERE f.mandate_id = ` + i + `.mandate_id AND f.status = 'rejected' AND f.sequence_type = 'FRST'
			AND f.collection_date < ` + i + `.collection_date
			AND NOT EXISTS (SELECT 1 FROM ` + items + ` a WHERE a.mandate_id = f.mandate_id AND a.status IN ('remitted', 'returned')
				AND a.sequence_type = 'FRST' AND a.collection_date > f.collection_date)))`
}

// mandate_collections holds a row per mandate with items: its collection
// summary, what a direct-debit run reads of its history (debits.go), and
// what remit mandates, their expiry and the returns read of it. A run
// brings the rows of its mandates up to date (noteCollections), its cancel
// puts them back (undoCollections); every other change of an item's status
// (a reject or return) computes the rows of its mandates again from their
// items (refreshCollections).
//
// No index begins with the mandate: a run's items would land all over it,
// one page write each once it outgrows the cache, so that its upkeep grew
// with the history (issue 22, target 4). A mandate's items are found
// through each direct-debit remittance instead (the index on
// remittance_id, mandate_id), or by one pass over the items when many
// mandates are computed again (gatherCollections).

// refreshCollections computes again from their items the summary rows of
// the mandates that query lists (a column mandate_id; its arguments args):
// the date of the latest counted collection (countedCollection) and the
// IBAN of its snapshot (the greatest, when one date has several), the date
// of the latest FRST still at the bank, and whether a FRST was rejected
// before settlement; the latest snapshot stays (no change of status makes
// another).
func refreshCollections(ctx context.Context, q querier, query string, args ...any) error {
	if err := gatherCollections(ctx, q, query, args...); err != nil {
		return fmt.Errorf("mandate_collections: %w", err)
	}
	const items = "temp.refresh_items"
	_, err := q.ExecContext(ctx, `INSERT OR REPLACE INTO mandate_collections (mandate_id, last_on, last_iban, first_on, rejected_first,
			debtor_id)
		SELECT b.mandate_id, COALESCE(b.d, ''),
			COALESCE((SELECT max(d.iban) FROM `+items+` j JOIN debtor_snapshots d ON d.id = j.debtor_id
				WHERE j.mandate_id = b.mandate_id AND j.collection_date = b.d AND `+countedCollection("j", items)+`), ''),
			COALESCE(b.frst, ''), b.rf, (SELECT s.debtor_id FROM mandate_collections s WHERE s.mandate_id = b.mandate_id)
		FROM (SELECT p.mandate_id, p.rf,
				CASE WHEN p.rf
					THEN (SELECT max(i.collection_date) FROM `+items+` i WHERE i.mandate_id = p.mandate_id AND `+countedCollection("i", items)+`)
					-- no rejected FRST: every item remitted or returned counts
					ELSE (SELECT max(i.collection_date) FROM `+items+` i WHERE i.mandate_id = p.mandate_id AND i.status IN ('remitted', 'returned'))
				END AS d,
				(SELECT max(i.collection_date) FROM `+items+` i WHERE i.mandate_id = p.mandate_id AND i.status = 'remitted'
					AND i.sequence_type = 'FRST') AS frst
			FROM (SELECT m.mandate_id, EXISTS (SELECT 1 FROM `+items+` f WHERE f.mandate_id = m.mandate_id AND f.status = 'rejected'
					AND f.sequence_type = 'FRST') AS rf
				FROM temp.refresh_mandates m) p) b`)
	if err != nil {
		return fmt.Errorf("mandate_collections: %w", err)
	}
	return nil
}

// seeksPerScannedItem: gatherCollections reads the items in one pass when
// it would make more than this many seeks an item.
var seeksPerScannedItem int64 = 8

// gatherCollections lists in temp.refresh_mandates the mandates query
// lists, and copies in temp.refresh_items what refreshCollections reads of
// their items: through each direct-debit remittance, a seek for each
// mandate in each (remittance_items_remittance_mandate), or, when that
// makes more seeks than an eighth of the items (seeksPerScannedItem), in
// one pass over the items.
func gatherCollections(ctx context.Context, q querier, query string, args ...any) error {
	for _, s := range []string{`DROP TABLE IF EXISTS temp.refresh_mandates`, `DROP TABLE IF EXISTS temp.refresh_items`,
		`CREATE TEMP TABLE refresh_mandates (mandate_id INTEGER PRIMARY KEY)`,
		`CREATE TEMP TABLE refresh_items (id INTEGER PRIMARY KEY, mandate_id INTEGER NOT NULL, status TEXT NOT NULL,
			collection_date TEXT NOT NULL, sequence_type TEXT NOT NULL, debtor_id INTEGER)`} {
		if _, err := q.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	if _, err := q.ExecContext(ctx, `INSERT OR IGNORE INTO temp.refresh_mandates SELECT mandate_id FROM (`+query+`)
		WHERE mandate_id IS NOT NULL`, args...); err != nil {
		return err
	}
	var mandates, remittances, items int64
	if err := q.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM temp.refresh_mandates),
		(SELECT count(*) FROM remittances WHERE kind = 'sdd'), (SELECT COALESCE(max(id), 0) FROM remittance_items)`).Scan(
		&mandates, &remittances, &items); err != nil {
		return err
	}
	from := `temp.refresh_mandates m CROSS JOIN remittances r CROSS JOIN remittance_items i
		INDEXED BY remittance_items_remittance_mandate ON i.remittance_id = r.id AND i.mandate_id = m.mandate_id
		WHERE r.kind = 'sdd'`
	if mandates*remittances*seeksPerScannedItem > items {
		from = `remittance_items i NOT INDEXED CROSS JOIN temp.refresh_mandates m ON m.mandate_id = i.mandate_id`
	}
	for _, s := range []string{`INSERT INTO temp.refresh_items SELECT i.id, i.mandate_id, i.status, i.collection_date, i.sequence_type,
			i.debtor_id FROM ` + from,
		// covering: the rule reads the index alone (a row lookup each made
		// the cancel of 100,000 debits with 13 months of history 9 s slower)
		`CREATE INDEX temp.refresh_items_mandate ON refresh_items(mandate_id, status, collection_date, sequence_type, debtor_id)`} {
		if _, err := q.ExecContext(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// noteCollections brings up to date the summary rows of the mandates that
// remittance id, just recorded, collects. Its items are all remitted: on a
// mandate with no rejected FRST each counts, so the row takes the later
// of its latest collection and theirs, and of its FRST still at the bank
// and theirs; a mandate with a rejected FRST (rare) is computed again from
// its items, the rule of countedCollection being too long to apply by parts.
func noteCollections(ctx context.Context, q querier, id int64) error {
	// Dates are ten characters: the greatest date || IBAN is the latest
	// date with its greatest IBAN, as refreshCollections chooses.
	// The row keeps what it was (a new row: nothing), for the remittance's
	// cancel (undoCollections). The latest snapshot is the greatest: a new
	// one has an id above all.
	if _, err := q.ExecContext(ctx, `INSERT INTO mandate_collections (mandate_id, last_on, last_iban, first_on, rejected_first, undo_remittance,
			debtor_id)
		SELECT i.mandate_id, substr(max(i.collection_date || d.iban), 1, 10), substr(max(i.collection_date || d.iban), 11),
			COALESCE(max(CASE WHEN i.sequence_type = 'FRST' THEN i.collection_date END), ''), 0, ?1, max(i.debtor_id)
		FROM remittance_items i JOIN debtor_snapshots d ON d.id = i.debtor_id
		WHERE i.remittance_id = ?1 AND i.mandate_id IS NOT NULL GROUP BY i.mandate_id
		ON CONFLICT (mandate_id) DO UPDATE SET
			last_on = substr(max(last_on || last_iban, excluded.last_on || excluded.last_iban), 1, 10),
			last_iban = substr(max(last_on || last_iban, excluded.last_on || excluded.last_iban), 11),
			first_on = max(first_on, excluded.first_on),
			undo_remittance = ?1, undo_last_on = last_on, undo_last_iban = last_iban, undo_first_on = first_on,
			debtor_id = max(COALESCE(debtor_id, 0), excluded.debtor_id)
		WHERE rejected_first = 0`, id); err != nil {
		return fmt.Errorf("remittance %d: mandate_collections: %w", id, err)
	}
	return refreshCollections(ctx, q, `SELECT s.mandate_id FROM mandate_collections s INDEXED BY mandate_collections_rejected
		WHERE s.rejected_first = 1 AND EXISTS (SELECT 1 FROM remittance_items i INDEXED BY remittance_items_remittance_mandate
			WHERE i.remittance_id = ? AND i.mandate_id = s.mandate_id)`, id)
}

// undoCollections brings up to date, after the cancel of remittance id,
// the summary rows of the mandates it collected: a row that only its run
// changed since it was computed is put back as it was before it (the run
// kept that, noteCollections); any other is computed again from the items
// (refreshCollections). A cancel of the latest remittance reads no item.
func undoCollections(ctx context.Context, q querier, id int64) error {
	err := refreshCollections(ctx, q, `SELECT i.mandate_id FROM remittance_items i INDEXED BY remittance_items_remittance
		JOIN mandate_collections s ON s.mandate_id = i.mandate_id
		WHERE i.remittance_id = ? AND s.undo_remittance IS NOT ?`, id, id)
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `UPDATE mandate_collections SET last_on = undo_last_on, last_iban = undo_last_iban,
		first_on = undo_first_on, undo_remittance = NULL WHERE undo_remittance = ?`, id); err != nil {
		return fmt.Errorf("remittance %d: mandate_collections: %w", id, err)
	}
	return nil
}

// mandateSelect lists mandates with their latest counted collection: remit's
// own (countedCollection), as its summary row holds it, and those made
// before remit.
var mandateSelect = `SELECT m.id, m.rum, c.account, c.name, m.scheme, m.kind, m.status, m.status_reason, m.signed_on, COALESCE(NULLIF(m.iban, ''), c.iban),
		COALESCE((SELECT max(d) FROM (
			SELECT s.last_on AS d FROM mandate_collections s WHERE s.mandate_id = m.id AND s.last_on != ''
			UNION ALL SELECT h.collected_on FROM mandate_history h WHERE h.mandate_id = m.id)), '')
	FROM mandates m JOIN customers c ON c.id = m.customer_id`

func scanMandate(rows *sql.Rows) (remit.Mandate, error) {
	var m remit.Mandate
	err := rows.Scan(&m.ID, &m.RUM, &m.Customer, &m.Name, &m.Scheme, &m.Kind, &m.Status, &m.StatusReason, &m.Signed, &m.IBAN,
		&m.LastCollection)
	// A one-off mandate allows a single collection: once it has one, it is used.
	m.Used = m.Kind == remit.MandateOneOff && m.LastCollection != ""
	return m, err
}

// walkMandates streams to fn the mandates cond selects, by customer and
// RUM, one at a time: memory stays flat however many there are.
func walkMandates(ctx context.Context, q querier, fn func(*remit.Mandate) error, cond string, args ...any) error {
	rows, err := q.QueryContext(ctx, mandateSelect+" WHERE "+cond+" ORDER BY c.account, m.rum", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMandate(rows)
		if err != nil {
			return err
		}
		if err := fn(&m); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Mandates streams the creditor's mandates by customer and RUM to fn.
func (s *Store) Mandates(ctx context.Context, creditorID int64, f remit.MandateFilter, fn func(*remit.Mandate) error) error {
	cond, args := "m.creditor_id = ?", []any{creditorID}
	switch f.Status {
	case "", "all":
	case remit.MandateActive, remit.MandateBlocked, remit.MandateRevoked, remit.MandateExpired:
		cond, args = cond+" AND m.status = ?", append(args, f.Status)
	default:
		return fmt.Errorf("status %q: want active, blocked, revoked, expired or all", f.Status)
	}
	if f.RUM != "" {
		cond, args = cond+" AND m.rum = ?", append(args, f.RUM)
	}
	return walkMandates(ctx, s.db, fn, cond, args...)
}

// ExpireMandates marks expired every active mandate unused for 36 months
// (latest counted collection, else the signature date), then streams to fn
// every expired mandate, those it just marked with NewlyExpired set. The
// listing comes after the commit, so that the database is not held while
// fn writes; what it keeps in memory is the ids of the mandates just marked.
func (s *Store) ExpireMandates(ctx context.Context, creditorID int64, fn func(*remit.Mandate) error) error {
	limit := remit.MandateExpiryLimit(s.now())
	newly := map[int64]bool{}
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var ids []int64
		var reasons []string
		err := walkMandates(ctx, tx, func(m *remit.Mandate) error {
			if reason, expired := remit.MandateExpiryReason(m.Status, m.LastCollection, m.Signed, limit); expired {
				ids, reasons = append(ids, m.ID), append(reasons, reason)
			}
			return nil
		}, "m.creditor_id = ? AND m.status = 'active'", creditorID)
		if err != nil {
			return err
		}
		for i, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE mandates SET status = 'expired', status_reason = ? WHERE id = ?`, reasons[i], id); err != nil {
				return err
			}
			newly[id] = true
		}
		return nil
	})
	if err != nil {
		return err
	}
	return walkMandates(ctx, s.db, func(m *remit.Mandate) error {
		m.NewlyExpired = newly[m.ID]
		return fn(m)
	}, "m.creditor_id = ? AND m.status = 'expired'", creditorID)
}

func (s *Store) changeMandate(ctx context.Context, creditorID int64, rum string, fn func(tx *sql.Tx, m *remit.Mandate) error) (remit.Mandate, error) {
	var m remit.Mandate
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		found := false
		err := walkMandates(ctx, tx, func(got *remit.Mandate) error {
			m, found = *got, true
			return nil
		}, "m.creditor_id = ? AND m.rum = ?", creditorID, rum)
		if err != nil {
			return err
		}
		if !found {
			return fmt.Errorf("mandate %s: %w", rum, remit.ErrNoMandate)
		}
		return fn(tx, &m)
	})
	return m, err
}

// RevokeMandate records that the debtor revoked the mandate on date: its
// receivables are refused from then on.
func (s *Store) RevokeMandate(ctx context.Context, creditorID int64, rum string, date time.Time) (remit.Mandate, error) {
	if date.IsZero() {
		date = s.now()
	}
	return s.changeMandate(ctx, creditorID, rum, func(tx *sql.Tx, m *remit.Mandate) error {
		if m.Status == remit.MandateRevoked {
			return fmt.Errorf("mandate %s is already revoked (%s): %w", rum, m.StatusReason, remit.ErrMandateState)
		}
		m.Status, m.StatusReason = remit.MandateRevoked, "revoked on "+remit.FormatDate(remit.Day(date))
		_, err := tx.ExecContext(ctx, `UPDATE mandates SET status = ?, status_reason = ? WHERE id = ?`, m.Status, m.StatusReason, m.ID)
		return err
	})
}

// UnblockMandate makes a blocked mandate active again, once the cause is fixed.
func (s *Store) UnblockMandate(ctx context.Context, creditorID int64, rum string) (remit.Mandate, error) {
	return s.changeMandate(ctx, creditorID, rum, func(tx *sql.Tx, m *remit.Mandate) error {
		if m.Status != remit.MandateBlocked {
			return fmt.Errorf("mandate %s is %s, not blocked: %w", rum, m.Status, remit.ErrMandateState)
		}
		m.Status, m.StatusReason = remit.MandateActive, ""
		_, err := tx.ExecContext(ctx, `UPDATE mandates SET status = 'active', status_reason = '' WHERE id = ?`, m.ID)
		return err
	})
}

// unblockForNewIBAN makes a mandate blocked for an account reason (AC01,
// AC04, AC06, AG01) active again: its debtor gave a new account. A mandate
// blocked for MD01 or MD07 stays blocked. The import calls it when a
// mandate's IBAN changes.
func unblockForNewIBAN(ctx context.Context, q querier, mandateID int64) (bool, error) {
	var status, reason string
	if err := q.QueryRowContext(ctx, `SELECT status, status_reason FROM mandates WHERE id = ?`, mandateID).Scan(&status, &reason); err != nil {
		return false, err
	}
	code, _, _ := strings.Cut(reason, " ")
	if status != remit.MandateBlocked || !remit.AccountReason(code) {
		return false, nil
	}
	_, err := q.ExecContext(ctx, `UPDATE mandates SET status = 'active', status_reason = '' WHERE id = ?`, mandateID)
	return err == nil, err
}
