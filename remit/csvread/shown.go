package csvread

import (
	"errors"
	"strings"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/ident"
)

// Shown is a problem as remit prints it on stderr, in JSON logs and in
// --json: the account of a problem in the iban column masked
// (FR76***…2971), as every IBAN remit prints (a cron job's mail, a log
// collector). The line and the column say where it is; the rejects file
// keeps the line whole, for the correction.
func Shown(p *remit.LineError) *remit.LineError {
	if p.Column != "iban" {
		return p
	}
	return &remit.LineError{Line: p.Line, Column: p.Column, Value: ident.MaskIBAN(strings.ReplaceAll(p.Value, " ", "")),
		Err: errors.New(ident.MaskIBANs(p.Err.Error()))}
}
