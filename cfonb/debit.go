package cfonb

// Debit is a record 06 of a prélèvement remise, the enregistrement
// destinataire: one direct debit on one debtor. Zones: see national.go.
// Text fields go through Text when written.
type Debit struct {
	Operation Operation // 3-4, the header's; set by the writer
	// 5-12 zone réservée.
	Emitter   string  // 13-18 numéro national d'émetteur, the header's; set by the writer
	Reference string  // 19-30 référence (invoice or debit number)
	Name      string  // 31-54 nom du débiteur; required
	BankName  string  // 55-78 domiciliation
	BOP       string  // 79-86 déclaration balance des paiements; usually empty
	Account   Account // 150-154 code banque, 87-91 code guichet, 92-102 numéro de compte
	Amount    int64   // 103-118 montant in cents, 1 to MaxAmount
	Label     string  // 119-149 libellé shown to the debtor
	// 155-160 zone réservée.
}

func (*Debit) Code() string    { return "06" }
func (d *Debit) Op() Operation { return orDefault(d.Operation, OpDebit) }

func (d *Debit) MarshalRecord() ([RecordLen]byte, error) { return marshalRecord(d) }
func (d *Debit) Validate() error                         { return validate(d) }

func (d *Debit) check(c *fieldErrs, keyRequired bool) {
	checkOp(c, d.Operation, KindDebit)
	checkEmitter(c, d.Emitter, true)
	if blankText(d.Name) {
		c.fail(natDetailName, d.Name, ErrRequired)
	}
	checkNatAccount(c, d.Account, keyRequired)
	checkAmount(c, natDetailAmount, d.Amount, MaxAmount)
}

func (d *Debit) nat() natDetail {
	return natDetail{emitter: d.Emitter, reference: d.Reference, name: d.Name, bankName: d.BankName,
		bop: d.BOP, account: d.Account, amount: d.Amount, label: d.Label}
}

func (d *Debit) encode(e encoder) {
	n := d.nat()
	n.encode(e)
}

func (d *Debit) decode(dec decoder) {
	var n natDetail
	n.decode(dec)
	d.Emitter, d.Reference, d.Name, d.BankName, d.BOP = n.emitter, n.reference, n.name, n.bankName, n.bop
	d.Account, d.Amount, d.Label = n.account, n.amount, n.label
}
