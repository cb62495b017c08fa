package cfonb

import (
	"fmt"
	"time"

	"github.com/remit-dev/remit/remit/ident"
)

// BlankEmitter as an LCRHeader's Emitter writes spaces in the numéro
// d'émetteur, as some software does when the cédant has no NNE; the
// Reader returns it for such a zone.
const BlankEmitter = "      "

// Zones of the LCR record 03, enregistrement émetteur (CFONB160.md §2.1).
var (
	lcrHeaderSeq        = zone{"numéro d'enregistrement", 5, 12}
	lcrHeaderEmitter    = zone{"numéro d'émetteur", 13, 18}
	lcrHeaderConvention = zone{"type de convention", 19, 24}
	lcrHeaderDate       = zone{"date de remise", 25, 30}
	lcrHeaderName       = zone{"raison sociale", 31, 54}
	lcrHeaderBankName   = zone{"domiciliation", 55, 78}
	lcrHeaderEntry      = zone{"code entrée", 79, 79}
	lcrHeaderDailly     = zone{"code Dailly", 80, 80}
	lcrHeaderCurrency   = zone{"code monnaie", 81, 81}
	lcrHeaderBank       = zone{"code banque", 82, 86}
	lcrHeaderBranch     = zone{"code guichet", 87, 91}
	lcrHeaderNumber     = zone{"numéro de compte", 92, 102}
	lcrHeaderReserved1  = zone{"réservée", 103, 118}
	lcrHeaderValueDate  = zone{"date de valeur", 119, 124}
	lcrHeaderReserved2  = zone{"réservée", 125, 134}
	lcrHeaderSIREN      = zone{"SIREN", 135, 149}
	lcrHeaderReference  = zone{"référence de la remise", 150, 160}
)

// LCRHeader is the record 03 of an LCR remise (operation 60), the
// enregistrement émetteur: the cédant, who draws the bills, and the
// account to credit. Text fields go through Text when written.
type LCRHeader struct {
	Seq        int       // 5-12 numéro d'enregistrement, 1; set by the writer
	Emitter    string    // 13-18 numéro d'émetteur, 6 digits; "" writes 000000, see BlankEmitter
	Convention string    // 19-24 type de convention, for Dailly; usually empty
	Date       time.Time // 25-30 date de remise, JJMMAA; required
	Name       string    // 31-54 raison sociale du cédant; required
	BankName   string    // 55-78 domiciliation bancaire du cédant
	Entry      EntryCode // 79 code entrée, 1-4; required
	Dailly     Dailly    // 80 code Dailly: blank (the zero value) or 0-3
	// 81 code monnaie: always E (euro).
	Account Account // 82-86 code banque, 87-91 code guichet, 92-102 numéro de compte
	// 103-118 zone réservée.
	ValueDate time.Time // 119-124 date de valeur, JJMMAA: required for an escompte (entry 1 or 2), blank otherwise
	// 125-134 zone réservée.
	SIREN     string // 135-149 SIREN du cédant: empty or 9 digits
	Reference string // 150-160 référence de la remise
}

func (*LCRHeader) Code() string  { return "03" }
func (*LCRHeader) Op() Operation { return OpLCR }

func (h *LCRHeader) MarshalRecord() ([RecordLen]byte, error) { return marshalRecord(h) }
func (h *LCRHeader) Validate() error                         { return validate(h) }

func (h *LCRHeader) check(c *fieldErrs, keyRequired bool) {
	if h.Emitter != "" && h.Emitter != BlankEmitter && !isDigits(h.Emitter, 6) {
		c.fail(lcrHeaderEmitter, h.Emitter, fmt.Errorf("%w: want 6 digits", ErrFormat))
	}
	if h.Date.IsZero() {
		c.fail(lcrHeaderDate, "", ErrRequired)
	}
	if blankText(h.Name) {
		c.fail(lcrHeaderName, h.Name, ErrRequired)
	}
	if !h.Entry.valid() {
		c.fail(lcrHeaderEntry, fmt.Sprint(uint8(h.Entry)), fmt.Errorf("%w: want 1, 2, 3 or 4", ErrCode))
	}
	if !h.Dailly.valid() {
		c.fail(lcrHeaderDailly, string(rune(h.Dailly)), fmt.Errorf("%w: want blank, 0, 1, 2 or 3", ErrCode))
	}
	h.Account.check(c, lcrHeaderBank, lcrHeaderBranch, lcrHeaderNumber, keyRequired)
	switch {
	case h.Entry.needsValueDate() && h.ValueDate.IsZero():
		c.fail(lcrHeaderValueDate, "", fmt.Errorf("%w for an escompte (code entrée %d)", ErrRequired, h.Entry))
	case h.Entry.valid() && !h.Entry.needsValueDate() && !h.ValueDate.IsZero():
		// Dolibarr and OpenFire always fill it; banks ignore it.
		c.tolerate(lcrHeaderValueDate, h.ValueDate.Format(time.DateOnly),
			fmt.Errorf("%w for an encaissement (code entrée %d)", ErrNotBlank, h.Entry))
	}
	checkSIREN(c, lcrHeaderSIREN, h.SIREN)
}

func (h *LCRHeader) encode(e encoder) {
	e.num(lcrHeaderSeq, int64(h.Seq))
	switch h.Emitter {
	case "":
		e.digits(lcrHeaderEmitter, "000000")
	case BlankEmitter:
	default:
		e.digits(lcrHeaderEmitter, h.Emitter)
	}
	e.text(lcrHeaderConvention, h.Convention)
	e.date6(lcrHeaderDate, h.Date)
	e.text(lcrHeaderName, h.Name)
	e.text(lcrHeaderBankName, h.BankName)
	e.char(lcrHeaderEntry, '0'+byte(h.Entry))
	e.char(lcrHeaderDailly, h.Dailly.char())
	e.char(lcrHeaderCurrency, 'E')
	e.digits(lcrHeaderBank, h.Account.Bank)
	e.digits(lcrHeaderBranch, h.Account.Branch)
	e.code(lcrHeaderNumber, h.Account.Number)
	e.date6(lcrHeaderValueDate, h.ValueDate)
	e.text(lcrHeaderSIREN, h.SIREN)
	e.text(lcrHeaderReference, h.Reference)
}

func (h *LCRHeader) decode(d decoder) {
	h.Seq = int(d.num(lcrHeaderSeq))
	h.Emitter = d.emitter(lcrHeaderEmitter)
	h.Convention = d.text(lcrHeaderConvention)
	h.Date = d.date6(lcrHeaderDate)
	h.Name = d.text(lcrHeaderName)
	h.BankName = d.text(lcrHeaderBankName)
	if c := d.b[lcrHeaderEntry.from-1]; c >= '1' && c <= '4' {
		h.Entry = EntryCode(c - '0')
	} else {
		d.fail(lcrHeaderEntry, string(c), fmt.Errorf("%w: want 1, 2, 3 or 4", ErrCode))
	}
	switch c := d.b[lcrHeaderDailly.from-1]; {
	case c == ' ':
		h.Dailly = DaillyBlank
	case c >= '0' && c <= '3':
		h.Dailly = Dailly(c)
	default:
		d.fail(lcrHeaderDailly, string(c), fmt.Errorf("%w: want blank, 0, 1, 2 or 3", ErrCode))
	}
	d.currency(lcrHeaderCurrency)
	h.Account = Account{Bank: d.raw(lcrHeaderBank), Branch: d.raw(lcrHeaderBranch), Number: d.raw(lcrHeaderNumber)}
	d.reserved(lcrHeaderReserved1)
	h.ValueDate = d.date6(lcrHeaderValueDate)
	d.reserved(lcrHeaderReserved2)
	h.SIREN = d.text(lcrHeaderSIREN)
	h.Reference = d.text(lcrHeaderReference)
}

// checkSIREN accepts an empty zone or a valid SIREN (9 digits, Luhn).
func checkSIREN(c *fieldErrs, z zone, s string) {
	if s == "" {
		return
	}
	if err := ident.ValidateSIREN(s); err != nil {
		c.fail(z, s, err)
	}
}

// emitter reads a numéro d'émetteur: 6 digits, or blank (BlankEmitter).
func (d decoder) emitter(z zone) string {
	s := z.str(d.b)
	if s == BlankEmitter || allDigits(s) {
		return s
	}
	d.fail(z, s, ErrNotNumber)
	return ""
}

// currency checks the code monnaie: E, the euro.
func (d decoder) currency(z zone) {
	if !z.is(d.b, "E") {
		d.fail(z, z.str(d.b), fmt.Errorf("%w: want E (euro)", ErrCode))
	}
}
