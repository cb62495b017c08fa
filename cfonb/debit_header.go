package cfonb

import (
	"fmt"
	"time"
)

// DebitHeader is the record 03 of a prélèvement remise (operations 08, 85,
// 89), the enregistrement émetteur: the creditor, its NNE and the account
// to credit. Zones: see national.go. Text fields go through Text when
// written.
type DebitHeader struct {
	Operation Operation // 3-4: OpDebit (the zero value), OpDebitAccelerated or OpDebitVerified
	// 5-12 zone réservée.
	Emitter string // 13-18 numéro national d'émetteur (NNE), 6 digits; required
	// 19-25 zone réservée.
	Due       time.Time // 26-30 date d'échéance, JJMMA; required
	Name      string    // 31-54 raison sociale du créancier; required
	Reference string    // 55-61 référence de la remise
	// 62-80 zone réservée; 81 code monnaie, always E; 82-86 zone réservée.
	Account Account // 150-154 code banque, 87-91 code guichet, 92-102 numéro de compte
	// 103-149 and 155-160 zones réservées.
}

func (*DebitHeader) Code() string    { return "03" }
func (h *DebitHeader) Op() Operation { return orDefault(h.Operation, OpDebit) }

func (h *DebitHeader) MarshalRecord() ([RecordLen]byte, error) { return marshalRecord(h) }
func (h *DebitHeader) Validate() error                         { return validate(h) }

func (h *DebitHeader) check(c *fieldErrs, keyRequired bool) {
	checkOp(c, h.Operation, KindDebit)
	checkEmitter(c, h.Emitter, true)
	if h.Due.IsZero() {
		c.fail(natHeaderDate, "", fmt.Errorf("%w: the date d'échéance", ErrRequired))
	}
	if blankText(h.Name) {
		c.fail(natHeaderName, h.Name, ErrRequired)
	}
	checkNatAccount(c, h.Account, keyRequired)
}

func (h *DebitHeader) encode(e encoder) {
	n := natHeader{emitter: h.Emitter, date: h.Due, name: h.Name, reference: h.Reference, account: h.Account}
	n.encode(e)
}

func (h *DebitHeader) decode(d decoder) {
	var n natHeader
	n.decode(d)
	if n.ccd != 0 {
		d.fail(natHeaderCCD, string(n.ccd), ErrNotBlank)
	}
	if n.orderer != "" {
		d.fail(natHeaderOrderer, natHeaderOrderer.str(d.b), ErrNotBlank)
	}
	h.Emitter, h.Due, h.Name, h.Reference, h.Account = n.emitter, n.date, n.name, n.reference, n.account
}
