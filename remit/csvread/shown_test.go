package csvread

import (
	"errors"
	"testing"

	"github.com/remit-dev/remit/remit"
)

// TestShown: a problem of the iban column is printed with the account
// masked, in its value and in its reason; any other problem as it is.
func TestShown(t *testing.T) {
	for _, tc := range []struct {
		p    *remit.LineError
		want string
	}{
		{&remit.LineError{Line: 3, Column: "iban", Value: "FR76 3000 4008 2800 0101 2345 692", Err: errors.New("bad check digits")},
			`line 3, column iban "FR76*******************5692": bad check digits`},
		{&remit.LineError{Line: 4, Column: "iban", Value: "FR7630006000011234567890189",
			Err: errors.New("the mandate's account is FR7630004008280001012345691")},
			`line 4, column iban "FR76*******************0189": the mandate's account is FR76*******************5691`},
		{&remit.LineError{Line: 5, Column: "name", Value: "FR7630004008280001012345691", Err: errors.New("x")},
			`line 5, column name "FR7630004008280001012345691": x`},
		{&remit.LineError{Line: 6, Err: errors.New("3 fields, the header has 5")}, "line 6: 3 fields, the header has 5"},
	} {
		if got := Shown(tc.p).Error(); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}
