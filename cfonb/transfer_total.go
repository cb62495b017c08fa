package cfonb

// TransferTotal is the record 08 that closes a virement remise. The
// TransferWriter writes it from its own sum; the Reader checks it against
// the transfers it read. Zones: see national.go.
type TransferTotal struct {
	Operation Operation // 3-4, the header's
	// 5-12 zone réservée.
	Emitter string // 13-18 numéro d'émetteur, the header's
	// 19-102 zone réservée.
	Amount int64 // 103-118 montant total in cents: the sum of the transfers
	// 119-160 zone réservée.
}

func (*TransferTotal) Code() string    { return "08" }
func (t *TransferTotal) Op() Operation { return orDefault(t.Operation, OpTransfer) }

func (t *TransferTotal) MarshalRecord() ([RecordLen]byte, error) { return marshalRecord(t) }
func (t *TransferTotal) Validate() error                         { return validate(t) }

func (t *TransferTotal) check(c *fieldErrs, _ bool) {
	checkOp(c, t.Operation, KindTransfer)
	checkEmitter(c, t.Emitter, false)
	checkTransferAmount(c, natTotalAmount, t.Op(), t.Amount)
}

func (t *TransferTotal) encode(e encoder) {
	n := natTotal{emitter: t.Emitter, amount: t.Amount}
	n.encode(e)
}

func (t *TransferTotal) decode(d decoder) {
	var n natTotal
	n.decode(d)
	t.Emitter, t.Amount = n.emitter, n.amount
}
