package cfonb

import (
	"fmt"
	"strconv"
)

// Transfer is a record 06 of a virement remise, the enregistrement
// destinataire: one credit transfer to one beneficiary. Zones: see
// national.go. Text fields go through Text when written.
type Transfer struct {
	Operation Operation // 3-4, the header's; set by the writer
	// 5-12 zone réservée.
	Emitter   string  // 13-18 numéro d'émetteur, the header's; set by the writer
	Reference string  // 19-30 référence
	Name      string  // 31-54 nom du bénéficiaire; required
	BankName  string  // 55-78 domiciliation
	BOP       string  // 79-86 déclaration balance des paiements; usually empty
	Account   Account // 150-154 code banque, 87-91 code guichet, 92-102 numéro de compte
	Amount    int64   // 103-118 montant in cents, 1 to MaxAmount; 0 for operation 29
	Label     string  // 119-149 libellé shown to the beneficiary
	// 155-160 zone réservée.
}

func (*Transfer) Code() string    { return "06" }
func (t *Transfer) Op() Operation { return orDefault(t.Operation, OpTransfer) }

func (t *Transfer) MarshalRecord() ([RecordLen]byte, error) { return marshalRecord(t) }
func (t *Transfer) Validate() error                         { return validate(t) }

func (t *Transfer) check(c *fieldErrs, keyRequired bool) {
	checkOp(c, t.Operation, KindTransfer)
	checkEmitter(c, t.Emitter, false)
	if blankText(t.Name) {
		c.fail(natDetailName, t.Name, ErrRequired)
	}
	checkNatAccount(c, t.Account, keyRequired)
	checkTransferAmount(c, natDetailAmount, t.Op(), t.Amount)
}

// checkTransferAmount wants a positive amount, or zero for a virement à
// vérifier (operation 29).
func checkTransferAmount(c *fieldErrs, z zone, op Operation, v int64) {
	if op == OpTransferToVerify {
		if v != 0 {
			c.fail(z, strconv.FormatInt(v, 10), fmt.Errorf("%w: zero for operation 29, virement à vérifier", ErrFormat))
		}
		return
	}
	checkAmount(c, z, v, MaxAmount)
}

func (t *Transfer) nat() natDetail {
	return natDetail{emitter: t.Emitter, reference: t.Reference, name: t.Name, bankName: t.BankName,
		bop: t.BOP, account: t.Account, amount: t.Amount, label: t.Label}
}

func (t *Transfer) encode(e encoder) {
	n := t.nat()
	n.encode(e)
}

func (t *Transfer) decode(d decoder) {
	var n natDetail
	n.decode(d)
	t.Emitter, t.Reference, t.Name, t.BankName, t.BOP = n.emitter, n.reference, n.name, n.bankName, n.bop
	t.Account, t.Amount, t.Label = n.account, n.amount, n.label
}
