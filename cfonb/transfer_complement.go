package cfonb

import "fmt"

// TransferComplement is a record 07 of a virement remise: a second libellé
// for the transfer of the 06 it follows. It has the 06's skeleton, a
// montant of zeros, and does not count in the total. Zones: see
// national.go. Text fields go through Text when written.
type TransferComplement struct {
	Operation Operation // 3-4, the header's; set by the writer
	// 5-12 zone réservée.
	Emitter   string // 13-18 numéro d'émetteur, the header's; set by the writer
	Reference string // 19-30 référence
	Name      string // 31-54 nom du bénéficiaire
	BankName  string // 55-78 domiciliation
	// 79-86 zone réservée.
	Account Account // 150-154 code banque, 87-91 code guichet, 92-102 numéro de compte; may be empty
	// 103-118 montant: zeros.
	Label string // 119-149 libellé complémentaire
	// 155-160 zone réservée.
}

func (*TransferComplement) Code() string    { return "07" }
func (t *TransferComplement) Op() Operation { return orDefault(t.Operation, OpTransfer) }

func (t *TransferComplement) MarshalRecord() ([RecordLen]byte, error) { return marshalRecord(t) }
func (t *TransferComplement) Validate() error                         { return validate(t) }

func (t *TransferComplement) check(c *fieldErrs, keyRequired bool) {
	checkOp(c, t.Operation, KindTransfer)
	checkEmitter(c, t.Emitter, false)
	if t.Account != (Account{}) {
		checkNatAccount(c, t.Account, keyRequired)
	}
}

func (t *TransferComplement) encode(e encoder) {
	n := natDetail{emitter: t.Emitter, reference: t.Reference, name: t.Name, bankName: t.BankName,
		account: t.Account, label: t.Label}
	n.encode(e)
}

func (t *TransferComplement) decode(d decoder) {
	var n natDetail
	n.decode(d)
	if n.bop != "" {
		d.fail(natDetailBOP, natDetailBOP.str(d.b), ErrNotBlank)
	}
	if n.amount != 0 {
		d.fail(natDetailAmount, natDetailAmount.str(d.b), fmt.Errorf("%w: a record 07 carries zeros", ErrFormat))
	}
	t.Emitter, t.Reference, t.Name, t.BankName = n.emitter, n.reference, n.name, n.bankName
	t.Account, t.Label = n.account, n.label
}
