package ident

import (
	"fmt"
	"strings"
)

// Reason returns err, an error of this package's checks on value, without
// the value it quotes ("IBAN FR76…: bad check digits" → "bad check
// digits"), for a message that shows the value already (line 12, column
// iban "FR76…": bad check digits); errors.Is still finds the sentinel.
func Reason(err error, value string) error {
	msg := err.Error()
	for _, pre := range []string{value + ": ", fmt.Sprintf("%q: ", value)} {
		if i := strings.Index(msg, pre); i >= 0 {
			msg = msg[i+len(pre):]
			break
		}
	}
	return &reasonError{msg: msg, err: err}
}

// reasonError is an error's text cut, with the error kept for errors.Is.
type reasonError struct {
	msg string
	err error
}

func (e *reasonError) Error() string { return e.msg }

func (e *reasonError) Unwrap() error { return e.err }
