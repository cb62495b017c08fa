package cheque

import (
	"errors"
	"fmt"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
)

// DefaultAccount is the account cheques deposited are booked on until the
// bank credits them: 5112 chèques à encaisser (valeurs à l'encaissement).
const DefaultAccount = "511200"

// Options control a remise de chèques.
type Options struct {
	collect.Common
	Bank    string // only the cheques of this bank (its code); "" every bank, a remise each
	Account string // the account cheques are booked on at deposit; default DefaultAccount
}

// check fills in the defaults and refuses what cannot be.
func (o *Options) check(now time.Time) error {
	if o.NoBordereau {
		return errors.New("a remise de chèques is its slip, the bordereau de versement: it cannot go without it")
	}
	if o.Account == "" {
		o.Account = DefaultAccount
	}
	if len(o.Account) < 3 || o.Account[:2] != "51" {
		return fmt.Errorf("cheque account %q: want an account of class 51 (5112 chèques à encaisser)", o.Account)
	}
	if o.OutDir == "" {
		o.OutDir = "out"
	}
	_, err := remit.FileName(o.NameTemplate, "001", "X", string(Name), now)
	return err
}
