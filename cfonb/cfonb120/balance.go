package cfonb120

import "time"

// Zones of the balance records 01 and 07 (CFONB120.md §5 and §8) besides
// the account zones. 8-11, 33-34, 41-90 and 105-120 are reserved: not read,
// written blank.
var (
	zOldDate   = zone{"date de l'ancien solde", 35, 40}
	zOldAmount = zone{"montant de l'ancien solde", 91, 104}
	zNewDate   = zone{"date du nouveau solde", 35, 40}
	zNewAmount = zone{"montant du nouveau solde", 91, 104}
)

// OldBalance is the record 01, ancien solde, that opens a statement: the
// balance at the end of the previous period.
type OldBalance struct {
	Account           // 3-7, 12-16, 17-19, 20, 22-32
	Date    time.Time // 35-40 date de l'ancien solde, JJMMAA
	Amount  int64     // 91-104 montant in cents; negative when the account is débiteur
}

// NewBalance is the record 07, nouveau solde, that closes a statement: the
// ancien solde plus the movements.
type NewBalance struct {
	Account           // 3-7, 12-16, 17-19, 20, 22-32
	Date    time.Time // 35-40 date du nouveau solde, JJMMAA
	Amount  int64     // 91-104 montant in cents; negative when the account is débiteur
}

func (*OldBalance) Code() string { return "01" }
func (*NewBalance) Code() string { return "07" }

func (r *OldBalance) MarshalRecord() ([RecordLen]byte, error) { return marshalRecord(r) }
func (r *NewBalance) MarshalRecord() ([RecordLen]byte, error) { return marshalRecord(r) }

func (r *OldBalance) encode(e encoder) {
	encodeBalance(e, &r.Account, r.Date, r.Amount, zOldDate, zOldAmount)
}
func (r *NewBalance) encode(e encoder) {
	encodeBalance(e, &r.Account, r.Date, r.Amount, zNewDate, zNewAmount)
}

func (r *OldBalance) decode(d decoder) {
	decodeBalance(d, &r.Account, &r.Date, &r.Amount, zOldDate, zOldAmount)
}

func (r *NewBalance) decode(d decoder) {
	decodeBalance(d, &r.Account, &r.Date, &r.Amount, zNewDate, zNewAmount)
}

func encodeBalance(e encoder, a *Account, date time.Time, amount int64, zd, za zone) {
	a.encode(e)
	e.date6(zd, date, true)
	e.amount(za, amount, a.Decimals)
}

func decodeBalance(d decoder, a *Account, date *time.Time, amount *int64, zd, za zone) {
	a.decode(d)
	*date = d.date6(zd, true)
	*amount, _ = d.amount(za, a.Decimals) // a bad nombre de décimales is reported on its own zone
}
