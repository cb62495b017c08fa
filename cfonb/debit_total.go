package cfonb

// DebitTotal is the record 08 that closes a prélèvement remise. The
// DebitWriter writes it from its own sum; the Reader checks it against the
// debits it read. Zones: see national.go.
type DebitTotal struct {
	Operation Operation // 3-4, the header's
	// 5-12 zone réservée.
	Emitter string // 13-18 numéro national d'émetteur, the header's
	// 19-102 zone réservée.
	Amount int64 // 103-118 montant total in cents: the sum of the debits
	// 119-160 zone réservée.
}

func (*DebitTotal) Code() string    { return "08" }
func (t *DebitTotal) Op() Operation { return orDefault(t.Operation, OpDebit) }

func (t *DebitTotal) MarshalRecord() ([RecordLen]byte, error) { return marshalRecord(t) }
func (t *DebitTotal) Validate() error                         { return validate(t) }

func (t *DebitTotal) check(c *fieldErrs, _ bool) {
	checkOp(c, t.Operation, KindDebit)
	checkEmitter(c, t.Emitter, true)
	checkAmount(c, natTotalAmount, t.Amount, MaxAmount)
}

func (t *DebitTotal) encode(e encoder) {
	n := natTotal{emitter: t.Emitter, amount: t.Amount}
	n.encode(e)
}

func (t *DebitTotal) decode(d decoder) {
	var n natTotal
	n.decode(d)
	t.Emitter, t.Amount = n.emitter, n.amount
}
