package cfonb

import (
	"fmt"
	"time"
)

// TransferHeader is the record 03 of a virement remise (operation 02 and
// its variants), the enregistrement émetteur: the payer (donneur d'ordre)
// and the account to debit. Zones: see national.go. Text fields go through
// Text when written.
type TransferHeader struct {
	Operation Operation // 3-4: OpTransfer (the zero value), 22, 27, 28, 29 or 76
	// 5-12 zone réservée.
	Emitter string // 13-18 numéro d'émetteur given by the bank: 6 digits, or empty (blank)
	CCD     byte   // 19 code CCD, operation 27 only: 0 (blank), '0', '6' or '7'
	// 20-25 zone réservée.
	Date      time.Time // 26-30 requested settlement date, JJMMA; optional, required for 27 and 28
	Name      string    // 31-54 raison sociale du donneur d'ordre; required
	Reference string    // 55-61 référence de la remise
	// 62-80 zone réservée; 81 code monnaie, always E; 82-86 zone réservée.
	Account   Account // 150-154 code banque, 87-91 code guichet, 92-102 numéro de compte
	OrdererID string  // 103-118 identifiant du donneur d'ordre: ")" then 1 (SIRET) or 2, then 14 characters; optional
	// 119-149 and 155-160 zones réservées.
}

func (*TransferHeader) Code() string    { return "03" }
func (h *TransferHeader) Op() Operation { return orDefault(h.Operation, OpTransfer) }

func (h *TransferHeader) MarshalRecord() ([RecordLen]byte, error) { return marshalRecord(h) }
func (h *TransferHeader) Validate() error                         { return validate(h) }

func (h *TransferHeader) check(c *fieldErrs, keyRequired bool) {
	checkOp(c, h.Operation, KindTransfer)
	checkEmitter(c, h.Emitter, false)
	switch {
	case h.CCD == 0:
	case h.Op() != OpTransferE3:
		c.fail(natHeaderCCD, string(rune(h.CCD)), fmt.Errorf("%w: the code CCD is for operation 27 only", ErrNotBlank))
	case h.CCD != '0' && h.CCD != '6' && h.CCD != '7':
		c.fail(natHeaderCCD, string(rune(h.CCD)), fmt.Errorf("%w: want blank, 0, 6 or 7", ErrCode))
	}
	if h.Date.IsZero() && (h.Op() == OpTransferE3 || h.Op() == OpTransferE2) {
		c.fail(natHeaderDate, "", fmt.Errorf("%w for operation %s", ErrRequired, h.Op()))
	}
	if blankText(h.Name) {
		c.fail(natHeaderName, h.Name, ErrRequired)
	}
	checkNatAccount(c, h.Account, keyRequired)
}

func (h *TransferHeader) encode(e encoder) {
	n := natHeader{emitter: h.Emitter, ccd: h.CCD, date: h.Date, name: h.Name, reference: h.Reference,
		account: h.Account, orderer: h.OrdererID}
	n.encode(e)
}

func (h *TransferHeader) decode(d decoder) {
	var n natHeader
	n.decode(d)
	h.Emitter, h.CCD, h.Date, h.Name, h.Reference = n.emitter, n.ccd, n.date, n.name, n.reference
	h.Account, h.OrdererID = n.account, n.orderer
}
