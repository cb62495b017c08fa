package lcr

import (
	"fmt"
	"time"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
)

// Options control an LCR/BOR remittance run.
type Options struct {
	collect.Common
	EntryCode int       // code entrée 1-4 (default 3: encaissement)
	Dailly    string    // code Dailly: "" (blank) or 0-3
	ValueDate time.Time // date de valeur: required, and not in the past, for codes 1 and 2; none for 3 and 4
	EOL       string    // record separator: crlf (default), lf or none
	Bank      string    // only the bills of this bank (its code); "" every bank
}

// check fills in the defaults and refuses what cannot be.
func (o *Options) check(now time.Time) error {
	if o.EntryCode == 0 {
		o.EntryCode = 3
	}
	if o.EntryCode < 1 || o.EntryCode > 4 {
		return fmt.Errorf("code entrée %d: want 1 (escompte), 2 (escompte en valeur), 3 (encaissement) or 4 (encaissement après délai)", o.EntryCode)
	}
	switch o.Dailly {
	case "", "0", "1", "2", "3":
	default:
		return fmt.Errorf("code Dailly %q: want blank, 0, 1, 2 or 3", o.Dailly)
	}
	switch {
	case o.EntryCode <= 2 && o.ValueDate.IsZero():
		return fmt.Errorf("code entrée %d (%s) needs a date de valeur (--value-date)", o.EntryCode, EntryCodeLabel(o.EntryCode))
	case o.EntryCode <= 2 && remit.Day(o.ValueDate).Before(remit.Day(now)):
		return fmt.Errorf("date de valeur %s is in the past", remit.FormatDate(o.ValueDate))
	case o.EntryCode > 2 && !o.ValueDate.IsZero():
		return fmt.Errorf("a date de valeur is only for an escompte (code entrée 1 or 2), not for code %d", o.EntryCode)
	}
	if o.EOL == "" {
		o.EOL = "crlf"
	}
	if _, err := cfonb.ParseEOL(o.EOL); err != nil {
		return err
	}
	if o.OutDir == "" {
		o.OutDir = "out"
	}
	_, err := remit.FileName(o.NameTemplate, "001", "X", "lcr", now)
	return err
}

// EntryCodeLabel names a CFONB LCR code entrée.
func EntryCodeLabel(code int) string {
	switch code {
	case 1:
		return "escompte"
	case 2:
		return "escompte en valeur"
	case 3:
		return "encaissement, crédit forfaitaire après échéance"
	case 4:
		return "encaissement, crédit après délai de retour des impayés"
	}
	return "inconnu"
}
