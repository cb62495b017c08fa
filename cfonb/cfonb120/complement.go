package cfonb120

import (
	"strings"
	"time"
)

// Zones of the record 05 (CFONB120.md §7) besides those of every record.
// 41-45 and 119-120 are reserved: not read, written blank.
var (
	zQualifier = zone{"qualifiant", 46, 48}
	zInfo      = zone{"informations complémentaires", 49, 118}
)

// Complement is the record 05, complément d'information: one piece of
// information about the movement 04 it follows, named by its qualifiant
// (NPY, RCN, REF, RUM, LIB…). Its code opération and date repeat the
// movement's.
type Complement struct {
	Account             // 3-7, 12-16, 17-19, 20, 22-32
	Internal  string    // 8-11 code opération interne
	OpCode    string    // 33-34 code opération interbancaire, the movement's
	Date      time.Time // 35-40 date de comptabilisation, the movement's; may be blank
	Qualifier string    // 46-48 qualifiant
	Info      string    // 49-118 informations complémentaires, laid out by the qualifiant
}

func (*Complement) Code() string                              { return "05" }
func (r *Complement) MarshalRecord() ([RecordLen]byte, error) { return marshalRecord(r) }

func (r *Complement) encode(e encoder) {
	r.Account.encode(e)
	e.text(zInternal, r.Internal)
	e.text(zOpCode, r.OpCode)
	e.date6(zDate, r.Date, false)
	e.text(zQualifier, r.Qualifier)
	e.text(zInfo, r.Info)
}

func (r *Complement) decode(d decoder) {
	r.Account.decode(d)
	r.Internal = d.text(zInternal)
	r.OpCode = d.text(zOpCode)
	r.Date = d.date6(zDate, false)
	r.Qualifier = d.text(zQualifier)
	r.Info = d.text(zInfo)
}

// Field returns the part of Info at positions from..to of the record
// (49 is Info's first character), without its trailing blanks: for an RCN,
// Field(49, 83) is the EndToEndId and Field(84, 118) the nature du paiement.
func (r *Complement) Field(from, to int) string { return infoField(r.Info, from, to) }

func infoField(info string, from, to int) string {
	runes := []rune(info)
	lo, hi := from-zInfo.from, to-zInfo.from+1
	if lo < 0 || hi > zInfo.len() || lo >= hi {
		return ""
	}
	if lo >= len(runes) {
		return ""
	}
	hi = min(hi, len(runes))
	return strings.TrimRight(string(runes[lo:hi]), " ")
}
