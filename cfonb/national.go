package cfonb

import (
	"fmt"
	"time"
)

// MaxAmount is the largest amount of a virement or prélèvement record and
// of their totals, in cents: the 16 digits of the zone.
const MaxAmount = 9_999_999_999_999_999

// Zones of the virement and prélèvement records, which share one skeleton
// (CFONB160.md §3.2-3.5). Note the RIB order: guichet 87-91 and compte
// 92-102, but the code banque at the end, 150-154.
var (
	natReserved5to12 = zone{"réservée", 5, 12}
	natEmitter       = zone{"numéro d'émetteur", 13, 18}

	// Record 03.
	natHeaderCCD       = zone{"code CCD", 19, 19}
	natHeaderReserved1 = zone{"réservée", 20, 25}
	natHeaderDate      = zone{"date", 26, 30}
	natHeaderName      = zone{"raison sociale", 31, 54}
	natHeaderReference = zone{"référence de la remise", 55, 61}
	natHeaderReserved2 = zone{"réservée", 62, 80}
	natHeaderCurrency  = zone{"code monnaie", 81, 81}
	natHeaderReserved3 = zone{"réservée", 82, 86}
	natHeaderOrderer   = zone{"identifiant du donneur d'ordre", 103, 118}
	natHeaderReserved4 = zone{"réservée", 119, 149}

	// Records 03, 06 and 07.
	natBranch    = zone{"code guichet", 87, 91}
	natNumber    = zone{"numéro de compte", 92, 102}
	natBank      = zone{"code banque", 150, 154}
	natReserved6 = zone{"réservée", 155, 160}

	// Records 06 and 07.
	natDetailReference = zone{"référence", 19, 30}
	natDetailName      = zone{"nom du destinataire", 31, 54}
	natDetailBankName  = zone{"domiciliation", 55, 78}
	natDetailBOP       = zone{"déclaration balance des paiements", 79, 86}
	natDetailAmount    = zone{"montant", 103, 118}
	natDetailLabel     = zone{"libellé", 119, 149}

	// Record 08.
	natTotalReserved1 = zone{"réservée", 19, 102}
	natTotalAmount    = zone{"montant total", 103, 118}
	natTotalReserved2 = zone{"réservée", 119, 160}
)

// natDetail is the content of a 06 (or 07) record, shared by Debit,
// Transfer and TransferComplement.
type natDetail struct {
	emitter   string
	reference string
	name      string
	bankName  string
	bop       string
	account   Account
	amount    int64
	label     string
}

func (n *natDetail) encode(e encoder) {
	e.code(natEmitter, n.emitter)
	e.text(natDetailReference, n.reference)
	e.text(natDetailName, n.name)
	e.text(natDetailBankName, n.bankName)
	e.text(natDetailBOP, n.bop)
	encodeNatAccount(e, n.account)
	e.num(natDetailAmount, n.amount)
	e.text(natDetailLabel, n.label)
}

func (n *natDetail) decode(d decoder) {
	d.reserved(natReserved5to12)
	n.emitter = d.natEmitter()
	n.reference = d.text(natDetailReference)
	n.name = d.text(natDetailName)
	n.bankName = d.text(natDetailBankName)
	n.bop = d.text(natDetailBOP)
	n.account = decodeNatAccount(d)
	n.amount = d.num(natDetailAmount)
	n.label = d.text(natDetailLabel)
	d.reserved(natReserved6)
}

func encodeNatAccount(e encoder, a Account) {
	if a.Bank == "" && a.Branch == "" && a.Number == "" {
		return
	}
	e.digits(natBranch, a.Branch)
	e.code(natNumber, a.Number)
	e.digits(natBank, a.Bank)
}

// decodeNatAccount reads the account zones; all blank gives the zero
// Account.
func decodeNatAccount(d decoder) Account {
	if natBranch.blank(d.b) && natNumber.blank(d.b) && natBank.blank(d.b) {
		return Account{}
	}
	return Account{Bank: d.raw(natBank), Branch: d.raw(natBranch), Number: d.raw(natNumber)}
}

func checkNatAccount(c *fieldErrs, a Account, keyRequired bool) {
	a.check(c, natBank, natBranch, natNumber, keyRequired)
}

// natEmitter reads a numéro d'émetteur of a virement or prélèvement:
// 6 digits, or blank (returned as "").
func (d decoder) natEmitter() string {
	if natEmitter.blank(d.b) {
		return ""
	}
	s := natEmitter.str(d.b)
	if !allDigits(s) {
		d.fail(natEmitter, s, ErrNotNumber)
		return ""
	}
	return s
}

// checkEmitter wants 6 digits, or nothing when the emitter is optional.
func checkEmitter(c *fieldErrs, s string, required bool) {
	switch {
	case s == "" && required:
		c.fail(natEmitter, s, fmt.Errorf("%w: the numéro national d'émetteur (NNE) of the creditor", ErrRequired))
	case s != "" && !isDigits(s, 6):
		c.fail(natEmitter, s, fmt.Errorf("%w: want 6 digits", ErrFormat))
	}
}

// checkOp wants an operation of the kind; the zero value is the kind's
// ordinary operation.
func checkOp(c *fieldErrs, op Operation, kind Kind) {
	if op != 0 && op.Kind() != kind {
		c.fail(zOperation, op.String(), fmt.Errorf("%w: not a %s operation", ErrCode, kind))
	}
}

func orDefault(op, def Operation) Operation {
	if op == 0 {
		return def
	}
	return op
}

// natTotal is the content of an 08 record of a virement or prélèvement.
type natTotal struct {
	emitter string
	amount  int64
}

func (n *natTotal) encode(e encoder) {
	e.code(natEmitter, n.emitter)
	e.num(natTotalAmount, n.amount)
}

func (n *natTotal) decode(d decoder) {
	d.reserved(natReserved5to12)
	n.emitter = d.natEmitter()
	d.reserved(natTotalReserved1)
	n.amount = d.num(natTotalAmount)
	d.reserved(natTotalReserved2)
}

// natHeader is the content of a 03 record of a virement or prélèvement.
type natHeader struct {
	emitter   string
	ccd       byte
	date      time.Time
	name      string
	reference string
	account   Account
	orderer   string
}

func (n *natHeader) encode(e encoder) {
	e.code(natEmitter, n.emitter)
	if n.ccd != 0 {
		e.char(natHeaderCCD, n.ccd)
	}
	e.date5(natHeaderDate, n.date)
	e.text(natHeaderName, n.name)
	e.text(natHeaderReference, n.reference)
	e.char(natHeaderCurrency, 'E')
	encodeNatAccount(e, n.account)
	e.text(natHeaderOrderer, n.orderer)
}

func (n *natHeader) decode(d decoder) {
	d.reserved(natReserved5to12)
	n.emitter = d.natEmitter()
	if c := d.b[natHeaderCCD.from-1]; c != ' ' {
		n.ccd = c
	}
	d.reserved(natHeaderReserved1)
	n.date = d.date5(natHeaderDate)
	n.name = d.text(natHeaderName)
	n.reference = d.text(natHeaderReference)
	d.reserved(natHeaderReserved2)
	d.currency(natHeaderCurrency)
	d.reserved(natHeaderReserved3)
	n.account = decodeNatAccount(d)
	n.orderer = d.text(natHeaderOrderer)
	d.reserved(natHeaderReserved4)
	d.reserved(natReserved6)
}
