package sqlite

import (
	"context"
	"encoding/json"
	"strconv"

	"github.com/remit-dev/remit/remit/importcsv"
)

// lookedUp is what one statement each read of the customers, mandates and
// earlier collections that a batch of lines names and the caches do not
// hold: a file of known customers (next month's, on the same ones) then
// costs three statements per batch, not two or three per line. An entry
// is as the database had it before the batch; a line that writes one
// drops it, and a code or RUM without one is looked for the way a single
// line does (inserted first, then read).
type lookedUp struct {
	customers map[string]knownCustomer
	mandates  map[string]knownMandate
	read      map[int64]bool      // the mandates whose earlier collections were read
	history   map[historyKey]bool // those collections
}

// knownCustomer is a customer's row (knownCustomerCols, read into dest).
type knownCustomer struct {
	id  int64
	cur importcsv.Customer
}

const knownCustomerCols = `id, account, name, street, building, postcode, town, country, priority, iban, bic, bank_name, siren`

func (k *knownCustomer) dest() []any {
	c, d := &k.cur, &k.cur.Address
	return []any{&k.id, &c.Code, &c.Name, &d.Street, &d.Building, &d.Postcode, &d.Town, &d.Country, &c.Priority, &c.IBAN, &c.BIC,
		&c.BankName, &c.SIREN}
}

// knownMandate is a mandate's row and its customer's code
// (knownMandateCols, of mandates m joined to customers c).
type knownMandate struct {
	id, customerID                                int64
	scheme, iban, signed, kind, bic, customerCode string
}

const knownMandateCols = `m.id, m.customer_id, m.scheme, m.iban, m.signed_on, m.kind, m.bic, c.account`

func (m *knownMandate) dest() []any {
	return []any{&m.id, &m.customerID, &m.scheme, &m.iban, &m.signed, &m.kind, &m.bic, &m.customerCode}
}

type historyKey struct {
	mandate int64
	on      string
}

// lookUp reads what the batch's lines name that the caches do not answer
// (while lookCustomers, lookMandates: probing a million new customers,
// none there, cost a first import of them a tenth more).
func (im *importer) lookUp(ctx context.Context) error {
	var codes, rums []string
	seenCode, seenRUM := map[string]bool{}, map[string]bool{}
	for _, p := range im.batch {
		in := &p.ln.Value
		c := &in.Customer
		if im.lookCustomers && !seenCode[c.Code] {
			if cached, ok := im.customers[c.Code]; !ok || cached.hash != im.customerHash(c) {
				seenCode[c.Code] = true
				codes = append(codes, c.Code)
			}
		}
		if rum := in.Mandate.RUM; rum != "" && im.lookMandates && !seenRUM[rum] {
			if cached, ok := im.mandates[rum]; !ok || cached.line != im.mandateHash(in) {
				seenRUM[rum] = true
				rums = append(rums, rum)
			}
		}
	}
	im.ahead = lookedUp{customers: make(map[string]knownCustomer, len(codes)), mandates: make(map[string]knownMandate, len(rums)),
		read: map[int64]bool{}, history: map[historyKey]bool{}}
	if len(codes) > 0 {
		if err := im.lookUpCustomers(ctx, codes); err != nil {
			return err
		}
		im.lookCustomers = len(im.ahead.customers) > 0
	}
	if len(rums) > 0 {
		if err := im.lookUpMandates(ctx, rums); err != nil {
			return err
		}
		im.lookMandates = len(im.ahead.mandates) > 0
	}
	return nil
}

func (im *importer) lookUpCustomers(ctx context.Context, codes []string) error {
	list, err := json.Marshal(codes)
	if err != nil {
		return err
	}
	rows, err := im.tx.QueryContext(ctx, `SELECT `+knownCustomerCols+` FROM customers
		WHERE creditor_id = ? AND account IN (SELECT value FROM json_each(?))`, im.creditorID, string(list))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var k knownCustomer
		if err := rows.Scan(k.dest()...); err != nil {
			return err
		}
		im.ahead.customers[k.cur.Code] = k
	}
	return rows.Err()
}

func (im *importer) lookUpMandates(ctx context.Context, rums []string) error {
	list, err := json.Marshal(rums)
	if err != nil {
		return err
	}
	rows, err := im.tx.QueryContext(ctx, `SELECT m.rum, `+knownMandateCols+`
		FROM mandates m JOIN customers c ON c.id = m.customer_id
		WHERE m.creditor_id = ? AND m.rum IN (SELECT value FROM json_each(?))`, im.creditorID, string(list))
	if err != nil {
		return err
	}
	defer rows.Close()
	ids := make([]int64, 0, len(rums))
	for rows.Next() {
		var rum string
		var m knownMandate
		if err := rows.Scan(append([]any{&rum}, m.dest()...)...); err != nil {
			return err
		}
		im.ahead.mandates[rum] = m
		im.ahead.read[m.id] = true
		ids = append(ids, m.id)
	}
	if err := rows.Close(); err != nil {
		return err
	}
	if len(ids) == 0 {
		return rows.Err()
	}
	hist, err := im.tx.QueryContext(ctx, `SELECT mandate_id, collected_on FROM mandate_history
		WHERE mandate_id IN (SELECT value FROM json_each(?))`, jsonIDs(ids))
	if err != nil {
		return err
	}
	defer hist.Close()
	for hist.Next() {
		var k historyKey
		if err := hist.Scan(&k.mandate, &k.on); err != nil {
			return err
		}
		im.ahead.history[k] = true
	}
	return hist.Err()
}

// customerHash sums what a line says of its customer, for the cache.
func (im *importer) customerHash(c *importcsv.Customer) uint64 {
	a := &c.Address
	return im.hash(c.Name, a.Street, a.Building, a.Postcode, a.Town, a.Country, c.IBAN, c.BIC, c.BankName, c.SIREN, strconv.Itoa(c.Priority))
}

// mandateHash sums what a line says of its mandate, for the cache.
func (im *importer) mandateHash(in *importcsv.Receivable) uint64 {
	m := &in.Mandate
	return im.hash(m.Scheme, in.Customer.IBAN, m.Signed, m.Kind, in.Customer.BIC)
}

// hasCollection says whether mandate id has its collection of the given
// day recorded: from what lookUp read when it read the mandate, else from
// the database.
func (im *importer) hasCollection(ctx context.Context, id int64, on string) (bool, error) {
	if im.ahead.read[id] {
		return im.ahead.history[historyKey{id, on}], nil
	}
	var has bool
	err := im.hasHistory.QueryRowContext(ctx, id, on).Scan(&has)
	return has, err
}
