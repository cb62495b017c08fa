package cfonb

import (
	"fmt"
	"io"
	"time"
)

// MaxVerifyErrors is the number of problems Verify keeps; it counts the
// others and says how many there were.
const MaxVerifyErrors = 1000

// Verify reads a whole CFONB 160 file and returns what it holds and every
// problem found, each a *FieldError saying where (or a read error). It
// checks the separators and the length of every record, the order of the
// records, the record and operation codes, every zone (digits in numeric
// zones, real dates, the CFONB character set and left alignment in text
// zones, blanks in reserved zones), the content (amounts > 0, required
// zones, RIB formats, SIREN, codes, the date de valeur of an escompte),
// the LCR numbering, the numéro d'émetteur, and each total against the sum
// of its details. The clé RIB is not in the file, so it cannot be checked.
//
// An empty errs means the file is well formed. What banks accept though a
// writer must not write it (a date de valeur on an encaissement) is not in
// errs but in the Summary's Warnings.
func Verify(r io.Reader) (Summary, []error) {
	return verify(r, time.Time{})
}

func verify(r io.Reader, pivot time.Time) (Summary, []error) {
	rd := NewReader(r)
	rd.Pivot = pivot
	var errs, warnings []error
	more := 0
	for {
		_, err := rd.Next()
		if err == io.EOF {
			break
		}
		for _, w := range rd.Warnings() {
			if len(warnings) < MaxVerifyErrors {
				warnings = append(warnings, w)
			}
		}
		for _, e := range Flatten(err) {
			if len(errs) < MaxVerifyErrors {
				errs = append(errs, e)
			} else {
				more++
			}
		}
	}
	if more > 0 {
		errs = append(errs, fmt.Errorf("cfonb: %d more problems not listed", more))
	}
	s := rd.Summary()
	s.Warnings = warnings
	return s, errs
}
