package cfonb

// Zones of the LCR record 08, enregistrement total (CFONB160.md §2.4).
var (
	lcrTotalSeq       = zone{"numéro d'enregistrement", 5, 12}
	lcrTotalReserved1 = zone{"réservée", 13, 102}
	lcrTotalAmount    = zone{"montant total", 103, 114}
	lcrTotalReserved2 = zone{"réservée", 115, 160}
)

// LCRTotal is the record 08 that closes an LCR remise (operation 60). The
// LCRWriter writes it from its own count and sum; the Reader checks it
// against the bills it read.
type LCRTotal struct {
	Seq int // 5-12 numéro d'enregistrement: number of bills + 2
	// 13-102 zone réservée.
	Amount int64 // 103-114 montant total in cents: the sum of the bills
	// 115-160 zone réservée.
}

func (*LCRTotal) Code() string  { return "08" }
func (*LCRTotal) Op() Operation { return OpLCR }

func (t *LCRTotal) MarshalRecord() ([RecordLen]byte, error) { return marshalRecord(t) }
func (t *LCRTotal) Validate() error                         { return validate(t) }

func (t *LCRTotal) check(c *fieldErrs, _ bool) {
	checkAmount(c, lcrTotalAmount, t.Amount, MaxLCRAmount)
}

func (t *LCRTotal) encode(e encoder) {
	e.num(lcrTotalSeq, int64(t.Seq))
	e.num(lcrTotalAmount, t.Amount)
}

func (t *LCRTotal) decode(d decoder) {
	t.Seq = int(d.num(lcrTotalSeq))
	d.reserved(lcrTotalReserved1)
	t.Amount = d.num(lcrTotalAmount)
	d.reserved(lcrTotalReserved2)
}
