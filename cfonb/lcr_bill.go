package cfonb

import (
	"fmt"
	"strconv"
	"time"
)

// MaxLCRAmount is the largest amount of an LCR bill and of an LCR total,
// in cents: the 12 digits of the zone.
const MaxLCRAmount = 999_999_999_999

// Zones of the LCR record 06, enregistrement destinataire, one per bill
// (CFONB160.md §2.3).
var (
	lcrBillSeq        = zone{"numéro d'enregistrement", 5, 12}
	lcrBillReserved1  = zone{"réservée", 13, 20}
	lcrBillDraweeRef  = zone{"référence tiré", 21, 30}
	lcrBillName       = zone{"nom du tiré", 31, 54}
	lcrBillBankName   = zone{"domiciliation", 55, 78}
	lcrBillAcceptance = zone{"code acceptation", 79, 79}
	lcrBillReserved2  = zone{"réservée", 80, 81}
	lcrBillBank       = zone{"code banque", 82, 86}
	lcrBillBranch     = zone{"code guichet", 87, 91}
	lcrBillNumber     = zone{"numéro de compte", 92, 102}
	lcrBillAmount     = zone{"montant", 103, 114}
	lcrBillReserved3  = zone{"réservée", 115, 118}
	lcrBillDue        = zone{"date d'échéance", 119, 124}
	lcrBillCreated    = zone{"date de création", 125, 130}
	lcrBillReserved4  = zone{"réservée", 131, 134}
	lcrBillBOPType    = zone{"type", 135, 135}
	lcrBillBOPNature  = zone{"nature", 136, 138}
	lcrBillBOPCountry = zone{"pays", 139, 141}
	lcrBillSIREN      = zone{"SIREN du tiré", 142, 150}
	lcrBillDrawerRef  = zone{"référence tireur", 151, 160}
)

// LCRBill is a record 06 of an LCR remise (operation 60), the
// enregistrement destinataire: one bill on one drawee (tiré). Text fields
// go through Text when written.
type LCRBill struct {
	Seq int // 5-12 numéro d'enregistrement: 2 for the first bill, then +1; set by the writer
	// 13-20 zone réservée.
	DraweeRef  string     // 21-30 référence tiré, left-aligned
	Name       string     // 31-54 nom du tiré; required
	BankName   string     // 55-78 domiciliation bancaire du tiré
	Acceptance Acceptance // 79 code acceptation: 0 non acceptée, 1 acceptée, 2 BOR
	// 80-81 zone réservée.
	Account Account // 82-86 code banque, 87-91 code guichet, 92-102 numéro de compte du tiré
	Amount  int64   // 103-114 montant in cents, 1 to MaxLCRAmount
	// 115-118 zone réservée.
	Due     time.Time // 119-124 date d'échéance, JJMMAA; required
	Created time.Time // 125-130 date de création, JJMMAA; required, not after Due
	// 131-134 zone réservée.
	BOPType    string // 135 type, balance of payments (non-resident drawee); usually empty
	BOPNature  string // 136-138 code nature économique; usually empty
	BOPCountry string // 139-141 pays; usually empty
	SIREN      string // 142-150 SIREN du tiré: empty or 9 digits
	DrawerRef  string // 151-160 référence tireur, left-aligned
}

func (*LCRBill) Code() string  { return "06" }
func (*LCRBill) Op() Operation { return OpLCR }

func (b *LCRBill) MarshalRecord() ([RecordLen]byte, error) { return marshalRecord(b) }
func (b *LCRBill) Validate() error                         { return validate(b) }

func (b *LCRBill) check(c *fieldErrs, keyRequired bool) {
	if blankText(b.Name) {
		c.fail(lcrBillName, b.Name, ErrRequired)
	}
	if b.Acceptance > PromissoryNote {
		c.fail(lcrBillAcceptance, strconv.Itoa(int(b.Acceptance)), fmt.Errorf("%w: want 0, 1 or 2", ErrCode))
	}
	b.Account.check(c, lcrBillBank, lcrBillBranch, lcrBillNumber, keyRequired)
	checkAmount(c, lcrBillAmount, b.Amount, MaxLCRAmount)
	if b.Due.IsZero() {
		c.fail(lcrBillDue, "", ErrRequired)
	}
	switch {
	case b.Created.IsZero():
		c.fail(lcrBillCreated, "", ErrRequired)
	case !b.Due.IsZero() && day(b.Created).After(day(b.Due)):
		c.fail(lcrBillCreated, b.Created.Format(time.DateOnly), fmt.Errorf("%w: after the date d'échéance %s", ErrDate, b.Due.Format(time.DateOnly)))
	}
	checkSIREN(c, lcrBillSIREN, b.SIREN)
}

func (b *LCRBill) encode(e encoder) {
	e.num(lcrBillSeq, int64(b.Seq))
	e.text(lcrBillDraweeRef, b.DraweeRef)
	e.text(lcrBillName, b.Name)
	e.text(lcrBillBankName, b.BankName)
	e.char(lcrBillAcceptance, '0'+byte(b.Acceptance))
	e.digits(lcrBillBank, b.Account.Bank)
	e.digits(lcrBillBranch, b.Account.Branch)
	e.code(lcrBillNumber, b.Account.Number)
	e.num(lcrBillAmount, b.Amount)
	e.date6(lcrBillDue, b.Due)
	e.date6(lcrBillCreated, b.Created)
	e.text(lcrBillBOPType, b.BOPType)
	e.text(lcrBillBOPNature, b.BOPNature)
	e.text(lcrBillBOPCountry, b.BOPCountry)
	e.code(lcrBillSIREN, b.SIREN)
	e.text(lcrBillDrawerRef, b.DrawerRef)
}

func (b *LCRBill) decode(d decoder) {
	b.Seq = int(d.num(lcrBillSeq))
	d.reserved(lcrBillReserved1)
	b.DraweeRef = d.text(lcrBillDraweeRef)
	b.Name = d.text(lcrBillName)
	b.BankName = d.text(lcrBillBankName)
	if c := d.b[lcrBillAcceptance.from-1]; c >= '0' && c <= '2' {
		b.Acceptance = Acceptance(c - '0')
	} else {
		d.fail(lcrBillAcceptance, string(c), fmt.Errorf("%w: want 0, 1 or 2", ErrCode))
	}
	d.reserved(lcrBillReserved2)
	b.Account = Account{Bank: d.raw(lcrBillBank), Branch: d.raw(lcrBillBranch), Number: d.raw(lcrBillNumber)}
	b.Amount = d.num(lcrBillAmount)
	d.reserved(lcrBillReserved3)
	b.Due = d.date6(lcrBillDue)
	b.Created = d.date6(lcrBillCreated)
	d.reserved(lcrBillReserved4)
	b.BOPType = d.text(lcrBillBOPType)
	b.BOPNature = d.text(lcrBillBOPNature)
	b.BOPCountry = d.text(lcrBillBOPCountry)
	b.SIREN = d.rawTrim(lcrBillSIREN)
	b.DrawerRef = d.text(lcrBillDrawerRef)
}

// checkAmount wants an amount from 1 to max cents.
func checkAmount(c *fieldErrs, z zone, v, max int64) {
	switch {
	case v <= 0:
		c.fail(z, strconv.FormatInt(v, 10), ErrNotPositive)
	case v > max:
		c.fail(z, strconv.FormatInt(v, 10), fmt.Errorf("%w: %d digits at most", ErrOverflow, z.len()))
	}
}
