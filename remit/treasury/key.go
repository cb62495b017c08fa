package treasury

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/remit/statement"
)

// Key is the identity of a statement, to know a statement already
// imported whatever file it came in: the same day's relevé read from a
// CFONB 120 file and from a camt.053 message, or sent twice under two
// message identifiers, has the same ID.
//
// The ID is made of what the bank states, in both formats: the account,
// the currency, the closing balance's date, the opening and closing
// balances, and the booked amounts (their number and, in increasing
// order, their values). Neither the camt.053 Stmt/Id nor its sequence
// number is in it: CFONB 120 has neither, and a bank that sends the same
// relevé again may renumber it. The opening balance's date is not in it
// either: CFONB 120 dates it the day before the period (the previous
// closing), camt.053 (OPBD) the period's first day. Two statements with
// the same ID state the same balances and the same movements: importing
// the second would add nothing but double counts.
type Key struct {
	Account  string    `json:"account"`  // IBAN; else the other identification; else "RIB banque guichet compte"
	Currency string    `json:"currency"` // ISO 4217
	Date     time.Time `json:"date"`     // the closing balance's date
	Opening  int64     `json:"opening"`  // cents
	Closing  int64     `json:"closing"`  // cents
	Booked   int       `json:"booked"`   // number of booked entries
	Digest   string    `json:"digest"`   // hex SHA-256 of the booked amounts in increasing order

	// From is the first day of the statement's period, which ends on
	// Date: the day after the opening balance's date, or Date itself when
	// both balances have the same date. A CFONB 120 ancien solde is dated
	// the day before the period; a camt.053 opening balance (OPBD) the
	// period's first day by ISO's definition, the day before by some
	// banks: a daily statement's period is its one day either way.
	From time.Time `json:"from"`

	// Ref and Sequence are camt.053's Stmt/Id and ElctrncSeqNb, for the
	// record; not part of the ID.
	Ref      string `json:"ref,omitempty"`
	Sequence string `json:"sequence,omitempty"`
}

// KeyOf returns the identity of a statement.
func KeyOf(st *statement.Statement) Key {
	k := Key{Account: accountKey(st.Account), Currency: strings.ToUpper(st.Currency), Date: day(st.Closing.Date),
		Opening: st.Opening.Amount, Closing: st.Closing.Amount, Ref: st.ID, Sequence: st.Sequence}
	var amounts []int64
	for i := range st.Entries {
		e := &st.Entries[i]
		if !e.Booked() {
			continue
		}
		amounts = append(amounts, e.Amount)
	}
	k.From = k.Date
	if o := day(st.Opening.Date); o.Before(k.Date) {
		k.From = o.AddDate(0, 0, 1)
	}
	k.Booked = len(amounts)
	slices.Sort(amounts)
	h := sha256.New()
	var buf []byte
	for _, a := range amounts {
		buf = strconv.AppendInt(buf[:0], a, 10)
		buf = append(buf, ',')
		h.Write(buf)
	}
	k.Digest = hex.EncodeToString(h.Sum(nil))
	return k
}

// ID is the key as one string: the account and closing date, readable,
// then a digest of the whole identity.
func (k Key) ID() string {
	h := sha256.New()
	for _, s := range []string{k.Account, k.Currency, formatDay(k.Date), strconv.FormatInt(k.Opening, 10),
		strconv.FormatInt(k.Closing, 10), strconv.Itoa(k.Booked), k.Digest} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return k.Account + "/" + formatDay(k.Date) + "/" + hex.EncodeToString(h.Sum(nil))[:24]
}

// Overlaps reports whether k and o are statements of the same account
// whose periods share a day: importing both would count that day's
// movements twice, unless they are the same statement (same ID).
func (k Key) Overlaps(o Key) bool {
	return k.Account == o.Account && !k.Date.Before(o.From) && !o.Date.Before(k.From)
}

// accountKey is the account part of a key.
func accountKey(a statement.Account) string {
	switch {
	case a.IBAN != "":
		return ident.NormalizeIBAN(a.IBAN)
	case a.Other != "":
		return strings.TrimSpace(a.Other)
	}
	return "RIB " + a.Bank + " " + a.Branch + " " + strings.ToUpper(a.Number)
}

// bookedOn is the day an entry was booked: its booking date (date de
// comptabilisation, the date de constatation), else its value date, else
// the statement's closing date.
func bookedOn(st *statement.Statement, e *statement.Entry) time.Time {
	switch {
	case !e.BookingDate.IsZero():
		return day(e.BookingDate)
	case !e.ValueDate.IsZero():
		return day(e.ValueDate)
	}
	return day(st.Closing.Date)
}
