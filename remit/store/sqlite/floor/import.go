package floor

import (
	"bufio"
	"database/sql"
	"encoding/csv"
	"fmt"
	"hash"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The import floor: the least an import of the CSV asks of SQLite, measured
// in a process of its own on a copy of the database remit's import starts
// from (its schema and every index, the creditor, nothing else). It reads
// the file with encoding/csv on one core while the other inserts; it writes
// the rows remit's import writes (the import's record, customers, mandates,
// the mandates' earlier collections, receivables), value for value, with
// plain multi-row INSERTs in one transaction, and checks nothing: no IBAN,
// date or amount is validated, no line is compared with what the database
// holds, and the line and file hashes remit keeps for re-imports are
// FNV-1a of the same width, not SHA-256.
var ImportSteps = []string{"read", "customers", "mandates", "history", "receivables", "commit"}

// importFloorRows is how many rows one INSERT of the floor writes.
const importFloorRows = 512

// floorLine is what the floor takes from one CSV line.
type floorLine struct {
	document, customer, name, street, building, postcode, town, country, iban, bic, bankName string
	rum, signed, scheme, last                                                                string
	due, method, acceptance, label, status, hash                                             string
	amount                                                                                   int64
}

// Import measures the import floor on the database at path (a copy of the
// one remit's import starts from: it is changed), inserting the CSV file
// at csvPath as imported at importedAt (a stored timestamp). It returns
// each step's time, in the order of ImportSteps, and the whole
// transaction's.
func Import(path, csvPath, importedAt string) ([]Step, time.Duration, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var creditor int64
	if err := db.QueryRow(`SELECT id FROM creditors ORDER BY id LIMIT 1`).Scan(&creditor); err != nil {
		return nil, 0, fmt.Errorf("the floor's database has no creditor: %w", err)
	}
	f, err := os.Open(csvPath)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()

	start := time.Now()
	spent := map[string]time.Duration{}
	lines := make(chan []floorLine, 8)
	type readDone struct {
		busy time.Duration
		err  error
	}
	read := make(chan readDone, 1)
	fileHash := fnv.New64a()
	go func() {
		busy, err := readFloorLines(io.TeeReader(f, fileHash), lines)
		read <- readDone{busy, err}
	}()
	defer func() {
		for range lines { // what is left to read, when the inserts fail
		}
	}()

	tx, err := db.Begin()
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	res, err := tx.Exec(`INSERT INTO imports (file, sha256, imported_at, lines, inserted, updated, unchanged, rejected)
		VALUES (?, '', ?, 0, 0, 0, 0, 0)`, filepath.Base(csvPath), importedAt)
	if err != nil {
		return nil, 0, err
	}
	importID, _ := res.LastInsertId()
	im, err := newImporter(tx, creditor, importID)
	if err != nil {
		return nil, 0, err
	}
	for batch := range lines {
		for i := range batch {
			if err := im.add(&batch[i]); err != nil {
				return nil, 0, err
			}
		}
	}
	done := <-read
	if done.err != nil {
		return nil, 0, done.err
	}
	spent["read"] = done.busy
	for _, bt := range []*batcher{im.customers, im.mandates, im.history, im.receivables} {
		if err := bt.flush(); err != nil {
			return nil, 0, err
		}
		spent[bt.step()] = bt.spent
	}
	if _, err := tx.Exec(`UPDATE imports SET sha256 = ?, lines = ?, inserted = ? WHERE id = ?`,
		fmt.Sprintf("%064x", fileHash.Sum64()), im.count, im.count, importID); err != nil {
		return nil, 0, err
	}
	commit := time.Now()
	if err := tx.Commit(); err != nil {
		return nil, 0, err
	}
	spent["commit"] = time.Since(commit)
	total := time.Since(start)
	var steps []Step
	for _, s := range ImportSteps {
		steps = append(steps, Step{s, spent[s]})
	}
	return steps, total, nil
}

// importer writes the rows of the CSV's lines: a customer and a mandate
// (with its earlier collection) the first time a line names them, a
// receivable for every line.
type importer struct {
	creditor, importID                        int64
	customers, mandates, history, receivables *batcher
	nextCustomer, nextMandate                 int64
	customerIDs, mandateIDs                   map[string]int64
	count                                     int // lines
}

func newImporter(tx *sql.Tx, creditor, importID int64) (*importer, error) {
	im := &importer{creditor: creditor, importID: importID, customerIDs: map[string]int64{}, mandateIDs: map[string]int64{},
		customers: newBatcher(tx, "customers", "id", "creditor_id", "account", "name", "street", "building", "postcode", "town",
			"country", "priority", "iban", "bic", "bank_name", "siren"),
		mandates: newBatcher(tx, "mandates", "id", "creditor_id", "customer_id", "rum", "signed_on", "scheme", "kind", "iban", "bic"),
		history:  newBatcher(tx, "mandate_history", "mandate_id", "collected_on", "iban"),
		receivables: newBatcher(tx, "receivables", "document", "customer_id", "issue_date", "due_date", "amount", "currency", "method",
			"journal", "mandate_id", "acceptance", "label", "status", "line_hash", "import_id", "creditor_id")}
	for _, q := range []struct {
		table string
		next  *int64
	}{{"customers", &im.nextCustomer}, {"mandates", &im.nextMandate}} {
		if err := tx.QueryRow(`SELECT COALESCE(max(id), 0) + 1 FROM ` + q.table).Scan(q.next); err != nil {
			return nil, err
		}
	}
	return im, nil
}

// add writes the rows of one line.
func (im *importer) add(ln *floorLine) error {
	im.count++
	cust, ok := im.customerIDs[ln.customer]
	if !ok {
		cust = im.nextCustomer
		im.nextCustomer++
		im.customerIDs[ln.customer] = cust
		if err := im.customers.add(cust, im.creditor, ln.customer, ln.name, ln.street, ln.building, ln.postcode, ln.town, ln.country,
			0, ln.iban, ln.bic, ln.bankName, ""); err != nil {
			return err
		}
	}
	var mandate any
	if ln.rum != "" {
		id, ok := im.mandateIDs[ln.rum]
		if !ok {
			id = im.nextMandate
			im.nextMandate++
			im.mandateIDs[ln.rum] = id
			if err := im.mandates.add(id, im.creditor, cust, ln.rum, ln.signed, ln.scheme, "recurrent", ln.iban, ln.bic); err != nil {
				return err
			}
			if ln.last != "" {
				if err := im.history.add(id, ln.last, ln.iban); err != nil {
					return err
				}
			}
		}
		mandate = id
	}
	return im.receivables.add(ln.document, cust, "", ln.due, ln.amount, "EUR", ln.method, "", mandate, ln.acceptance, ln.label,
		ln.status, ln.hash, im.importID, im.creditor)
}

// readFloorLines reads the CSV into lines, 1024 at a time, and returns the
// time it spent reading (not waiting for the inserts).
func readFloorLines(r io.Reader, lines chan<- []floorLine) (time.Duration, error) {
	defer close(lines)
	start := time.Now()
	var waited time.Duration
	cr := csv.NewReader(bufio.NewReaderSize(r, 1<<16))
	cr.ReuseRecord = true
	head, err := cr.Read()
	if err != nil {
		return 0, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, want := range []string{"document", "customer", "name", "amount", "due_date", "method", "iban", "bic", "mandate",
		"mandate_signed", "scheme", "mandate_last_collected", "acceptance", "street", "building", "postcode", "town", "country",
		"bank_name", "label", "pointed"} {
		if _, ok := col[want]; !ok {
			return 0, fmt.Errorf("the floor's CSV has no column %s", want)
		}
	}
	h1, h2 := fnv.New64a(), fnv.New64()
	batch := make([]floorLine, 0, 1024)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
		get := func(c string) string { return rec[col[c]] }
		ln := floorLine{document: get("document"), customer: get("customer"), name: get("name"), street: get("street"),
			building: get("building"), postcode: get("postcode"), town: get("town"), country: get("country"), iban: get("iban"),
			bic: get("bic"), bankName: get("bank_name"), rum: get("mandate"), signed: get("mandate_signed"), scheme: get("scheme"),
			last: get("mandate_last_collected"), due: get("due_date"), method: get("method"), acceptance: get("acceptance"),
			label: get("label"), status: "open"}
		if ln.acceptance == "" {
			ln.acceptance = "not_accepted"
		}
		if ln.rum != "" && ln.scheme == "" {
			ln.scheme = "CORE"
		}
		if get("pointed") == "yes" {
			ln.status = "pointed"
		}
		units, cents, _ := strings.Cut(get("amount"), ".")
		u, _ := strconv.ParseInt(units, 10, 64)
		c, _ := strconv.ParseInt((cents + "00")[:2], 10, 64)
		ln.amount = u*100 + c
		ln.hash = lineHash(h1, h2, rec)
		batch = append(batch, ln)
		if len(batch) == cap(batch) {
			w := time.Now()
			lines <- batch
			waited += time.Since(w)
			batch = make([]floorLine, 0, 1024)
		}
	}
	if len(batch) > 0 {
		lines <- batch
	}
	return time.Since(start) - waited, nil
}

// lineHash is 32 hexadecimal digits over the line's fields, as wide as
// remit's line_hash.
func lineHash(h1, h2 hash.Hash64, rec []string) string {
	h1.Reset()
	h2.Reset()
	for _, f := range rec {
		io.WriteString(h1, f)
		io.WriteString(h2, f)
		h1.Write([]byte{0x1f})
		h2.Write([]byte{0x1f})
	}
	return fmt.Sprintf("%016x%016x", h1.Sum64(), h2.Sum64())
}

// batcher inserts rows into one table, importFloorRows per statement.
type batcher struct {
	tx    *sql.Tx
	table string
	cols  []string
	full  *sql.Stmt
	args  []any
	spent time.Duration // in its INSERTs
}

func newBatcher(tx *sql.Tx, table string, cols ...string) *batcher {
	return &batcher{tx: tx, table: table, cols: cols}
}

// step is the batcher's name in the floor's report.
func (bt *batcher) step() string {
	switch bt.table {
	case "mandate_history":
		return "history"
	}
	return bt.table
}

func (bt *batcher) sql(rows int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(bt.cols)), ", ") + ")"
	return "INSERT INTO " + bt.table + " (" + strings.Join(bt.cols, ", ") + ") VALUES " +
		strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
}

func (bt *batcher) add(values ...any) error {
	bt.args = append(bt.args, values...)
	if len(bt.args) < importFloorRows*len(bt.cols) {
		return nil
	}
	start := time.Now()
	defer func() { bt.spent += time.Since(start) }()
	if bt.full == nil {
		var err error
		if bt.full, err = bt.tx.Prepare(bt.sql(importFloorRows)); err != nil {
			return err
		}
	}
	if _, err := bt.full.Exec(bt.args...); err != nil {
		return fmt.Errorf("floor: insert into %s: %w", bt.table, err)
	}
	bt.args = bt.args[:0]
	return nil
}

// flush inserts the rows left, and closes the statement.
func (bt *batcher) flush() error {
	start := time.Now()
	defer func() { bt.spent += time.Since(start) }()
	if bt.full != nil {
		defer bt.full.Close()
	}
	if len(bt.args) == 0 {
		return nil
	}
	if _, err := bt.tx.Exec(bt.sql(len(bt.args)/len(bt.cols)), bt.args...); err != nil {
		return fmt.Errorf("floor: insert into %s: %w", bt.table, err)
	}
	bt.args = bt.args[:0]
	return nil
}
