package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/remit-dev/remit/remit"
)

// countedCollection is the SQL condition an item of remit's own (table or
// view alias i) meets when it counts as a collection of its mandate, items
// holding the mandate's other items: the SQLite store's rule
// (sqlite.countedCollection), word for word.
func countedCollection(i, items string) string {
	return i + `.status IN ('remitted', 'returned') AND NOT (` + i + `.sequence_type = 'RCUR' AND EXISTS (
		SELECT 1 FROM ` + items + ` f WHERE f.mandate_id = ` + i + `.mandate_id AND f.status = 'rejected' AND f.sequence_type = 'FRST'
			AND f.collection_date < ` + i + `.collection_date
			AND NOT EXISTS (SELECT 1 FROM ` + items + ` a WHERE a.mandate_id = f.mandate_id AND a.status IN ('remitted', 'returned')
				AND a.sequence_type = 'FRST' AND a.collection_date > f.collection_date)))`
}

// mandate_collections holds a row per mandate with items: its collection
// summary, what a direct-debit run reads of its history (debitsQuery),
// kept as the SQLite store keeps it (sqlite.noteCollections and
// sqlite.refreshCollections). As there, no index begins with the mandate
// (its upkeep grew with the history): a mandate's items are found through
// each direct-debit remittance, or by one pass over the items
// (gatherCollections).

// refreshCollections computes again from their items the summary rows of
// the mandates that query lists (a column mandate_id; its arguments args):
// the latest counted collection (countedCollection) as date || IBAN of its
// snapshot, the greatest, the latest FRST still at the bank, and whether a
// FRST was rejected before settlement.
func refreshCollections(ctx context.Context, q querier, query string, args ...any) error {
	if err := gatherCollections(ctx, q, query, args...); err != nil {
		return fmt.Errorf("mandate_collections: %w", err)
	}
	_, err := q.Exec(ctx, `INSERT INTO mandate_collections AS s (mandate_id, last_on, last_iban, first_on, rejected_first)
		SELECT p.mandate_id, COALESCE(substr(x.k, 1, 10), ''), COALESCE(substr(x.k, 11), ''), COALESCE(x.frst, ''),
			CASE WHEN EXISTS (SELECT 1 FROM refresh_items f WHERE f.mandate_id = p.mandate_id AND f.status = 'rejected'
				AND f.sequence_type = 'FRST') THEN 1 ELSE 0 END
		FROM refresh_mandates p
		LEFT JOIN LATERAL (SELECT max(i.collection_date || i.iban) AS k,
				max(CASE WHEN i.sequence_type = 'FRST' AND i.status = 'remitted' THEN i.collection_date ELSE '' END) AS frst
			FROM refresh_items i WHERE i.mandate_id = p.mandate_id AND `+countedCollection("i", "refresh_items")+`) x ON true
		ON CONFLICT (mandate_id) DO UPDATE SET last_on = excluded.last_on, last_iban = excluded.last_iban,
			first_on = excluded.first_on, rejected_first = excluded.rejected_first, undo_remittance = NULL`)
	if err != nil {
		return fmt.Errorf("mandate_collections: %w", err)
	}
	return nil
}

// gatherCollections lists in refresh_mandates (temporary) the mandates
// query lists, and copies in refresh_items what refreshCollections reads
// of their items, with their snapshot's IBAN: through each direct-debit
// remittance, a seek for each mandate in each
// (remittance_items_remittance_mandate), or in one pass over the items when
// that makes more seeks than an eighth of the items (sqlite.gatherCollections).
func gatherCollections(ctx context.Context, q querier, query string, args ...any) error {
	for _, s := range []string{`CREATE TEMP TABLE IF NOT EXISTS refresh_mandates (mandate_id bigint PRIMARY KEY) ON COMMIT DROP`,
		`CREATE TEMP TABLE IF NOT EXISTS refresh_items (mandate_id bigint NOT NULL, status text COLLATE "C" NOT NULL,
			collection_date text COLLATE "C" NOT NULL, sequence_type text COLLATE "C" NOT NULL, iban text COLLATE "C" NOT NULL) ON COMMIT DROP`,
		`TRUNCATE refresh_mandates, refresh_items`} {
		if _, err := q.Exec(ctx, s); err != nil {
			return err
		}
	}
	if _, err := q.Exec(ctx, `INSERT INTO refresh_mandates SELECT DISTINCT mandate_id FROM (`+query+`) q
		WHERE mandate_id IS NOT NULL`, args...); err != nil {
		return err
	}
	var mandates, remittances, items int64
	if err := q.QueryRow(ctx, `SELECT (SELECT count(*) FROM refresh_mandates), (SELECT count(*) FROM remittances WHERE kind = 'sdd'),
		(SELECT COALESCE(max(id), 0) FROM remittance_items)`).Scan(&mandates, &remittances, &items); err != nil {
		return err
	}
	from := `refresh_mandates m CROSS JOIN LATERAL (SELECT i.* FROM remittances r JOIN remittance_items i
			ON i.remittance_id = r.id AND i.mandate_id = m.mandate_id WHERE r.kind = 'sdd' OFFSET 0) i`
	if mandates*remittances*8 > items {
		from = `remittance_items i JOIN refresh_mandates m ON m.mandate_id = i.mandate_id`
	}
	if _, err := q.Exec(ctx, `INSERT INTO refresh_items SELECT i.mandate_id, i.status, i.collection_date, i.sequence_type, d.iban
		FROM `+from+` JOIN debtor_snapshots d ON d.id = i.debtor_id`); err != nil {
		return err
	}
	// The index made once the first rows are in (sorted, not inserted one
	// by one); the planner told how many there are, so that it reads them
	// through it and does not compile a plan it thinks costly.
	for _, s := range []string{
		`CREATE INDEX IF NOT EXISTS refresh_items_mandate ON refresh_items (mandate_id, status, collection_date, sequence_type, iban)`,
		`ANALYZE refresh_mandates, refresh_items`} {
		if _, err := q.Exec(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// noteCollections brings up to date the summary rows of the mandates that
// remittance id, just recorded, collects (sqlite.noteCollections).
func noteCollections(ctx context.Context, q querier, id int64) error {
	if _, err := q.Exec(ctx, `INSERT INTO mandate_collections AS s (mandate_id, last_on, last_iban, first_on, rejected_first, undo_remittance,
			debtor_id)
		SELECT i.mandate_id, substr(max(i.collection_date || i.iban), 1, 10), substr(max(i.collection_date || i.iban), 11),
			COALESCE(max(CASE WHEN i.sequence_type = 'FRST' THEN i.collection_date END), ''), 0, $1, max(i.debtor_id)
		FROM remittance_lines i WHERE i.remittance_id = $1 AND i.mandate_id IS NOT NULL GROUP BY i.mandate_id
		ON CONFLICT (mandate_id) DO UPDATE SET
			last_on = substr(greatest(s.last_on || s.last_iban, excluded.last_on || excluded.last_iban), 1, 10),
			last_iban = substr(greatest(s.last_on || s.last_iban, excluded.last_on || excluded.last_iban), 11),
			first_on = greatest(s.first_on, excluded.first_on),
			undo_remittance = $1, undo_last_on = s.last_on, undo_last_iban = s.last_iban, undo_first_on = s.first_on,
			debtor_id = greatest(s.debtor_id, excluded.debtor_id)
		WHERE s.rejected_first = 0`, id); err != nil {
		return fmt.Errorf("remittance %d: mandate_collections: %w", id, err)
	}
	return refreshCollections(ctx, q, `SELECT s.mandate_id FROM mandate_collections s
		WHERE s.rejected_first = 1 AND EXISTS (SELECT 1 FROM remittance_items i WHERE i.remittance_id = $1 AND i.mandate_id = s.mandate_id)`, id)
}

// undoCollections brings up to date, after the cancel of remittance id,
// the summary rows of the mandates it collected (sqlite.undoCollections):
// a row only its run changed is put back, any other computed again.
func undoCollections(ctx context.Context, q querier, id int64) error {
	err := refreshCollections(ctx, q, `SELECT i.mandate_id FROM remittance_items i JOIN mandate_collections s ON s.mandate_id = i.mandate_id
		WHERE i.remittance_id = $1 AND s.undo_remittance IS DISTINCT FROM $1`, id)
	if err != nil {
		return err
	}
	if _, err := q.Exec(ctx, `UPDATE mandate_collections SET last_on = undo_last_on, last_iban = undo_last_iban,
		first_on = undo_first_on, undo_remittance = NULL WHERE undo_remittance = $1`, id); err != nil {
		return fmt.Errorf("remittance %d: mandate_collections: %w", id, err)
	}
	return nil
}

// mandateSelect lists mandates with their latest counted collection: remit's
// own (countedCollection), as its summary row holds it, and those made
// before remit.
var mandateSelect = `SELECT m.id, m.rum, c.account, c.name, m.scheme, m.kind, m.status, m.status_reason, m.signed_on, COALESCE(NULLIF(m.iban, ''), c.iban),
		COALESCE((SELECT max(d) FROM (
			SELECT s.last_on AS d FROM mandate_collections s WHERE s.mandate_id = m.id AND s.last_on <> ''
			UNION ALL SELECT h.collected_on FROM mandate_history h WHERE h.mandate_id = m.id) collections), '')
	FROM mandates m JOIN customers c ON c.id = m.customer_id`

func scanMandate(rows pgx.Rows) (remit.Mandate, error) {
	var m remit.Mandate
	err := rows.Scan(&m.ID, &m.RUM, &m.Customer, &m.Name, &m.Scheme, &m.Kind, &m.Status, &m.StatusReason, &m.Signed, &m.IBAN,
		&m.LastCollection)
	// A one-off mandate allows a single collection: once it has one, it is used.
	m.Used = m.Kind == remit.MandateOneOff && m.LastCollection != ""
	return m, err
}

// walkMandates streams to fn the mandates cond selects, by customer and
// RUM, one at a time: memory stays flat however many there are. fn must
// not use q: the rows hold its connection.
func walkMandates(ctx context.Context, q querier, fn func(*remit.Mandate) error, cond string, args ...any) error {
	rows, err := q.Query(ctx, mandateSelect+" WHERE "+cond+" ORDER BY c.account, m.rum", args...)
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
	var p params
	cond := "m.creditor_id = " + p.add(creditorID)
	switch f.Status {
	case "", "all":
	case remit.MandateActive, remit.MandateBlocked, remit.MandateRevoked, remit.MandateExpired:
		cond += " AND m.status = " + p.add(f.Status)
	default:
		return fmt.Errorf("status %q: want active, blocked, revoked, expired or all", f.Status)
	}
	if f.RUM != "" {
		cond += " AND m.rum = " + p.add(f.RUM)
	}
	return walkMandates(ctx, s.Pool, fn, cond, p...)
}

// ExpireMandates marks expired every active mandate unused for 36 months
// (latest counted collection, else the signature date), then streams to fn
// every expired mandate, those it just marked with NewlyExpired set. The
// listing comes after the commit, so that the database is not held while
// fn writes; what it keeps in memory is the ids of the mandates just marked.
func (s *Store) ExpireMandates(ctx context.Context, creditorID int64, fn func(*remit.Mandate) error) error {
	limit := remit.MandateExpiryLimit(s.now())
	newly := map[int64]bool{}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockCreditor(ctx, tx, creditorID); err != nil {
			return err
		}
		var ids []int64
		var reasons []string
		err := walkMandates(ctx, tx, func(m *remit.Mandate) error {
			if reason, expired := remit.MandateExpiryReason(m.Status, m.LastCollection, m.Signed, limit); expired {
				ids, reasons = append(ids, m.ID), append(reasons, reason)
				newly[m.ID] = true
			}
			return nil
		}, "m.creditor_id = $1 AND m.status = 'active'", creditorID)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE mandates m SET status = 'expired', status_reason = x.reason
			FROM unnest($1::bigint[], $2::text[]) AS x(id, reason) WHERE m.id = x.id`, ids, reasons)
		return err
	})
	if err != nil {
		return err
	}
	return walkMandates(ctx, s.Pool, func(m *remit.Mandate) error {
		m.NewlyExpired = newly[m.ID]
		return fn(m)
	}, "m.creditor_id = $1 AND m.status = 'expired'", creditorID)
}

func (s *Store) changeMandate(ctx context.Context, creditorID int64, rum string, fn func(tx pgx.Tx, m *remit.Mandate) error) (remit.Mandate, error) {
	var m remit.Mandate
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := lockCreditor(ctx, tx, creditorID); err != nil {
			return err
		}
		found := false
		err := walkMandates(ctx, tx, func(got *remit.Mandate) error {
			m, found = *got, true
			return nil
		}, "m.creditor_id = $1 AND m.rum = $2", creditorID, rum)
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
	return s.changeMandate(ctx, creditorID, rum, func(tx pgx.Tx, m *remit.Mandate) error {
		if m.Status == remit.MandateRevoked {
			return fmt.Errorf("mandate %s is already revoked (%s): %w", rum, m.StatusReason, remit.ErrMandateState)
		}
		m.Status, m.StatusReason = remit.MandateRevoked, "revoked on "+remit.FormatDate(remit.Day(date))
		_, err := tx.Exec(ctx, `UPDATE mandates SET status = $1, status_reason = $2 WHERE id = $3`, m.Status, m.StatusReason, m.ID)
		return err
	})
}

// UnblockMandate makes a blocked mandate active again, once the cause is fixed.
func (s *Store) UnblockMandate(ctx context.Context, creditorID int64, rum string) (remit.Mandate, error) {
	return s.changeMandate(ctx, creditorID, rum, func(tx pgx.Tx, m *remit.Mandate) error {
		if m.Status != remit.MandateBlocked {
			return fmt.Errorf("mandate %s is %s, not blocked: %w", rum, m.Status, remit.ErrMandateState)
		}
		m.Status, m.StatusReason = remit.MandateActive, ""
		_, err := tx.Exec(ctx, `UPDATE mandates SET status = 'active', status_reason = '' WHERE id = $1`, m.ID)
		return err
	})
}

// unblockForNewIBAN makes a mandate blocked for an account reason (AC01,
// AC04, AC06, AG01) active again: its debtor gave a new account. A mandate
// blocked for MD01 or MD07 stays blocked. The import calls it when a
// mandate's IBAN changes.
func unblockForNewIBAN(ctx context.Context, q querier, mandateID int64) (bool, error) {
	var status, reason string
	if err := q.QueryRow(ctx, `SELECT status, status_reason FROM mandates WHERE id = $1`, mandateID).Scan(&status, &reason); err != nil {
		return false, err
	}
	code, _, _ := strings.Cut(reason, " ")
	if status != remit.MandateBlocked || !remit.AccountReason(code) {
		return false, nil
	}
	_, err := q.Exec(ctx, `UPDATE mandates SET status = 'active', status_reason = '' WHERE id = $1`, mandateID)
	return err == nil, err
}
