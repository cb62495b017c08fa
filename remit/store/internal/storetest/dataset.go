// Package storetest holds what the tests of several store packages share:
// a small dataset written as plain SQL that both SQLite and PostgreSQL
// accept, chosen to go through every branch of the entries and
// remittance_lines views.
package storetest

import (
	"fmt"
	"strings"
)

// LetteringIDs are receivable ids around the lengths of the lettering code
// (the id - 1 in base 26, at least three letters): 1 is AAA, 26^3 + 1 the
// first of four letters, up to seven.
var LetteringIDs = []int64{1, 2, 26, 27, 676, 677, 17576, 17577, 456976, 456977, 11881376, 11881377, 308915776, 308915777}

// Dataset returns INSERT statements, in dependency order, for two
// creditors with customers (names with leading and trailing white space of
// every kind strings.TrimSpace removes), mandates and their history,
// receivables numbered LetteringIDs, and remittances whose collection
// écritures take each form: counterpart lines or a centralised one,
// counterparts masked with AA and MM or not, customer lines on the
// customer's account or a collective one, labels with no field or up to
// three, a counterpart label or none, a lettering changed after a return,
// reversals kept as one row whose labels name the document up to three
// times; plus the stored lines of a return, its fee and a reversal.
func Dataset() []string {
	var d dataset
	d.parties()
	recvs := d.receivables()
	d.remittances(recvs)
	d.storedLines()
	return d.stmts
}

// dataset gathers the statements.
type dataset struct{ stmts []string }

func (d *dataset) add(format string, args ...any) {
	d.stmts = append(d.stmts, fmt.Sprintf(format, args...))
}

const ts = "2026-12-02T09:00:00"

// Every character unicode.IsSpace accepts, as the views trim them.
const spaces = "\t\n\v\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

var customers = []struct{ account, name string }{
	{"411DUPONT", "Dupont SA"},
	{"411ZOLA", "Émile Zola " + spaces},
	{"411TAB", spaces + "Tab\tinside"},
	{"411BLANK", "\u3000\u00a0"},
	{"411O'BRIEN", "O'Brien Ltd — ölçü 東京"},
	{"411AA", "AA MM"},
}

type receivable struct {
	id, customer, mandate, amount int64
	due, doc                      string
}

// parties are the creditors, customers, mandates and their history.
func (d *dataset) parties() {
	add := d.add
	add(`INSERT INTO creditors (id, code, name, ics, nne, iban, bic, created_at, updated_at, rcur_only, traite_offset_x, traite_offset_y)
		VALUES (1, 'ACME', 'ACME OUTILLAGE SARL', 'FR72ZZZ123456', '123456', 'FR7630004008280001012345691', 'BNPAFRPP', '%s', '%s', 0, -15, 20)`, ts, ts)
	add(`INSERT INTO creditors (id, code, name, created_at, updated_at, rcur_only) VALUES (2, 'BETA', 'Bêta & Cie', '%s', '%s', 1)`, ts, ts)

	for i, c := range customers {
		add(`INSERT INTO customers (id, creditor_id, account, name, street, postcode, town, country, priority, iban, bic)
			VALUES (%d, 1, %s, %s, '1 rue des Lilas', '75011', 'Paris', 'FR', %d, 'FR76300040082800010123456%02d', 'BNPAFRPP')`,
			i+1, quote(c.account), quote(c.name), i*10, 10+i)
	}
	add(`INSERT INTO customers (id, creditor_id, account, name) VALUES (7, 2, '411DUPONT', 'Dupont chez Bêta')`)
	for i := range 3 {
		add(`INSERT INTO mandates (id, creditor_id, customer_id, rum, signed_on, iban, bic, status, original_rum)
			VALUES (%d, 1, %d, 'RUM-%d', '2024-0%d-15', 'FR76300040082800010123456%02d', 'BNPAFRPP', 'active', %s)`,
			i+1, i+1, i+1, i+1, 10+i, quote(map[bool]string{true: "OLD-RUM", false: ""}[i == 2]))
	}
	add(`INSERT INTO mandate_history (mandate_id, collected_on, iban, sequence_type) VALUES (1, '2025-10-05', 'FR7630004008280001012345610', 'FRST')`)
	add(`INSERT INTO mandate_history (mandate_id, collected_on, iban) VALUES (1, '2025-11-05', 'FR7630004008280001012345610')`)
	add(`INSERT INTO mandate_history (mandate_id, collected_on, iban) VALUES (1, '2025-11-05', 'FR7630004008280001012345610')`)
}

// receivables are one per lettering id, spread over the customers, due
// in several months (the AA and MM masks).
func (d *dataset) receivables() []receivable {
	add := d.add
	var recvs []receivable
	for i, id := range LetteringIDs {
		c := int64(i%6 + 1)
		r := receivable{id: id, customer: c, amount: 1000*int64(i+1) + 7, due: fmt.Sprintf("20%02d-%02d-%02d", 26+i%3, i%12+1, i%28+1), doc: fmt.Sprintf("F2026-%05d", i+1)}
		method, mandate := "lcr", "NULL"
		if c <= 3 {
			method, mandate, r.mandate = "sdd", fmt.Sprint(c), c
		}
		add(`INSERT INTO receivables (id, creditor_id, document, customer_id, issue_date, due_date, amount, method, journal, mandate_id, status, label)
			VALUES (%d, 1, '%s', %d, '2026-11-01', '%s', %d, '%s', 'BQ1', %s, 'remitted', 'Facture %d')`,
			id, r.doc, c, r.due, r.amount, method, mandate, i+1)
		recvs = append(recvs, r)
	}
	add(`INSERT INTO receivables (id, creditor_id, document, customer_id, due_date, amount, status, refusal, refused_at, refusal_todo)
		VALUES (400000000, 1, 'F2026-OPEN', 1, '2027-01-15', 5, 'pointed', 'no mandate', '%s', 'correct')`, ts)
	add(`INSERT INTO receivables (id, creditor_id, document, customer_id, due_date, amount) VALUES (400000001, 2, 'B-1', 7, '2027-01-15', 99)`)
	add(`INSERT INTO imports (id, file, sha256, imported_at, lines, inserted, updated, unchanged, rejected)
		VALUES (1, 'receivables.csv', 'ab12', '%s', 16, 16, 0, 0, 0)`, ts)
	return recvs
}

// remittances are each with a collection écriture of another form.
func (d *dataset) remittances(recvs []receivable) {
	add := d.add
	type form struct {
		centralized, masked, direct  int
		counterpart, cpLabel, label0 string
		fields                       [3]string // "" for NULL
		labels                       [3]string
	}
	forms := []form{
		{counterpart: "512000", label0: "", fields: [3]string{"doc", "name"}, labels: [3]string{" ", ""}},
		{centralized: 1, direct: 1, counterpart: "512100", cpLabel: "BNP Paris", label0: "Prélèvements du jour"},
		{masked: 1, counterpart: "09AAMM00", label0: " ", fields: [3]string{"customer", "doc", "name"}, labels: [3]string{" - ", " ", spaces}},
		{masked: 1, direct: 1, counterpart: "AA-MM-AA", label0: "  Remise ", fields: [3]string{"name"}, labels: [3]string{"\u00a0"}},
		{direct: 1, counterpart: "512000", cpLabel: "", label0: spaces, fields: [3]string{"name", "", "doc"}, labels: [3]string{"", "", " fin"}},
	}
	item, entryID := int64(1), int64(1000)
	perRem := (len(recvs) + len(forms) - 1) / len(forms)
	for r, f := range forms {
		rem := int64(r + 1)
		kind := "sdd"
		if r%2 == 1 {
			kind = "lcr"
		}
		lo, hi := r*perRem, min((r+1)*perRem, len(recvs))
		var total int64
		var rows []string // the remittance's debtors and items, after its own row
		firstItem := item
		for pos, rc := range recvs[lo:hi] {
			mandate, rum := "NULL", ""
			if rc.mandate > 0 {
				mandate, rum = fmt.Sprint(rc.mandate), fmt.Sprintf("RUM-%d", rc.mandate)
			}
			c := customers[rc.customer-1]
			rows = append(rows, fmt.Sprintf(`INSERT INTO debtor_snapshots (id, customer_id, mandate_id, customer, name, iban, rum, mandate_signed)
				VALUES (%d, %d, %s, %s, %s, 'FR7630004008280001012345691', %s, '2024-01-15')`,
				item, rc.customer, mandate, quote(c.account), quote(c.name), quote(rum)))
			amount := rc.amount
			total += amount
			status, lettering, letteredOn := "remitted", "NULL", "NULL"
			if pos == 0 && r == 0 {
				status, lettering, letteredOn = "returned", "'aab'", "'2026-12-20'"
			}
			e2e, seq := rc.doc, ""
			if pos%3 == 1 {
				e2e = "E2E-" + rc.doc
			}
			if kind == "sdd" {
				seq = "RCUR"
			}
			rows = append(rows, fmt.Sprintf(`INSERT INTO remittance_items (id, remittance_id, receivable_id, position, block, status, amount, due_date,
				collection_date, end_to_end_id, document, label, mandate_id, sequence_type, debtor_id, journal, lettering, lettered_on, settled_before_return)
				VALUES (%d, %d, %d, %d, %d, '%s', %d, '%s', '%s', '%s', '%s', 'Facture', %s, '%s', %d, 'BQ1', %s, %s, %d)`,
				item, rem, rc.id, pos+1, pos%2, status, amount, rc.due, rc.due, e2e, rc.doc, mandate, seq, item, lettering, letteredOn, pos%2))
			item++
		}
		status := "created"
		if r == 0 {
			status = "sent"
		}
		add(`INSERT INTO remittances (id, creditor_id, kind, scheme, status, msg_id, created_at, item_count, total, params, run_id)
			VALUES (%d, 1, '%s', '%s', '%s', 'MSG-%d', '%s', %d, %d, '{"pain":"08","lead_days":1}', 'run-%d')`,
			rem, kind, map[bool]string{true: "CORE", false: ""}[kind == "sdd"], status, rem, ts, hi-lo, total, rem)
		d.stmts = append(d.stmts, rows...)
		add(`INSERT INTO remittance_files (remittance_id, name, format, sha256, size, copies) VALUES (%d, 'PAIEMENT.%03d.xml', 'pain.008.001.08', 'aa%d', %d, 1)`,
			rem, rem, rem, 1000+rem)
		lines := 2 * (hi - lo)
		if f.centralized == 1 {
			lines = hi - lo + 1
			add(`INSERT INTO entry_lines (id, creditor_id, number, line, kind, remittance_id, journal, journal_label, date, account, account_label,
				piece_ref, piece_date, label, debit, created_on) VALUES (%d, 1, %d, 1, 'collection', %d, 'BQ1', 'BNP', '2026-12-02', '512100',
				'BNP Paris', 'R%03d', '2026-12-02', 'Prélèvements du jour', %d, '2026-12-02')`, entryID+1, rem, rem, rem, total)
		}
		cp, fl := "NULL", [3]string{}
		if f.cpLabel != "" || r == 4 { // the fifth: an empty label, not NULL
			cp = quote(f.cpLabel)
		}
		for k := range 3 {
			fl[k] = "NULL"
			if f.fields[k] != "" {
				fl[k] = quote(f.fields[k])
			}
		}
		add(`INSERT INTO collection_ecritures (remittance_id, creditor_id, number, journal, journal_label, date, first_item, first_id, last_id,
			centralized, counterpart, masked, counterpart_label, label, direct, account, account_label, label0, field1, label1, field2, label2,
			field3, label3, piece_date, created_on) VALUES (%d, 1, %d, 'BQ1', 'BNP', '2026-12-02', %d, %d, %d, %d, '%s', %d, %s, 'Recettes',
			%d, '411000', 'Clients', %s, %s, %s, %s, %s, %s, %s, '2026-12-02', '2026-12-03')`,
			rem, rem, firstItem, entryID, entryID+int64(lines), f.centralized, f.counterpart, f.masked, cp, f.direct, quote(f.label0),
			fl[0], quote(f.labels[0]), fl[1], quote(f.labels[1]), fl[2], quote(f.labels[2]))
		if r > 0 { // reversed as one row, its label naming the document r - 1 times
			add(`INSERT INTO collection_reversals (remittance_id, creditor_id, journal, number, reverses, date, first_id, last_id, docs,
				label0, label1, label2, label3, piece_date, created_on) VALUES (%d, 1, 'BQ1', %d, %d, '2026-12-22', %d, %d, %d,
				%s, ' x', '', %s, '2026-12-21', '2026-12-21')`, rem, 20+rem, rem, 2000+100*rem, 2000+100*rem+int64(lines), r-1,
				quote(spaces+"Annul. "), quote(spaces))
		}
		entryID += int64(lines) + 100
	}
}

// storedLines are a return of the first item, with its fee, and a
// cancelled remittance reversed.
func (d *dataset) storedLines() {
	add := d.add
	add(`INSERT INTO returns (id, creditor_id, item_id, source, file, reason, returned_on, settled, fee, mandate_effect, created_at)
		VALUES (1, 1, 1, 'pain.002', 'rejets.xml', 'AM04', '2026-12-20', 0, 550, '', '%s')`, ts)
	add(`INSERT INTO entry_lines (id, creditor_id, number, line, kind, remittance_id, item_id, receivable_id, return_id, journal, journal_label,
		date, account, account_label, aux_account, aux_label, piece_ref, piece_date, label, debit, lettering, lettered_on, created_on)
		VALUES (5000, 1, 10, 1, 'return', 1, 1, 1, 1, 'BQ1', 'BNP', '2026-12-20', '411000', 'Clients', '411DUPONT', 'Dupont SA', 'F2026-00001',
		'2026-12-20', 'Rejet AM04', 1007, 'aab', '2026-12-20', '2026-12-20')`)
	add(`INSERT INTO entry_lines (id, creditor_id, number, line, kind, remittance_id, item_id, return_id, journal, journal_label, date, account,
		account_label, piece_ref, piece_date, label, credit, created_on) VALUES (5001, 1, 10, 2, 'return', 1, 1, 1, 'BQ1', 'BNP', '2026-12-20',
		'512000', 'Banque', 'F2026-00001', '2026-12-20', 'Rejet AM04', 1007, '2026-12-20')`)
	add(`INSERT INTO entry_lines (id, creditor_id, number, line, kind, remittance_id, return_id, journal, journal_label, date, account,
		account_label, piece_ref, piece_date, label, debit, created_on) VALUES (5002, 1, 11, 1, 'fee', 1, 1, 'BQ1', 'BNP', '2026-12-20',
		'627000', 'Frais', 'F2026-00001', '2026-12-20', 'Frais de rejet', 550, '2026-12-20')`)
	add(`INSERT INTO entry_lines (id, creditor_id, number, line, kind, remittance_id, return_id, journal, journal_label, date, account,
		account_label, piece_ref, piece_date, label, credit, created_on) VALUES (5003, 1, 11, 2, 'fee', 1, 1, 'BQ1', 'BNP', '2026-12-20',
		'512000', 'Banque', 'F2026-00001', '2026-12-20', 'Frais de rejet', 550, '2026-12-20')`)
	add(`INSERT INTO remittances (id, creditor_id, kind, status, created_at, item_count, total) VALUES (6, 1, 'lcr', 'cancelled', '%s', 0, 0)`, ts)
	add(`INSERT INTO entry_lines (id, creditor_id, number, line, kind, remittance_id, reverses, journal, journal_label, date, account,
		account_label, piece_ref, piece_date, label, credit, created_on) VALUES (5004, 1, 12, 1, 'reversal', 6, 2, 'BQ1', 'BNP', '2026-12-21',
		'512100', 'BNP Paris', 'R006', '2026-12-21', 'Annulation', 4014, '2026-12-21')`)
	add(`INSERT INTO entry_lines (id, creditor_id, number, line, kind, remittance_id, reverses, journal, journal_label, date, account,
		account_label, piece_ref, piece_date, label, debit, created_on) VALUES (5005, 1, 12, 2, 'reversal', 6, 2, 'BQ1', 'BNP', '2026-12-21',
		'411000', 'Clients', 'R006', '2026-12-21', 'Annulation', 4014, '2026-12-21')`)
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
