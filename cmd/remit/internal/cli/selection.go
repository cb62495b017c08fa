package cli

import (
	"time"

	"github.com/spf13/pflag"

	"github.com/remit-dev/remit/remit"
)

// selectionFlags are the filters of the accounting software's selection
// screen for customer payments, shared by list, point and unpoint.
type selectionFlags struct {
	DueFrom, DueTo           string
	CustomerFrom, CustomerTo string
	Method, Journal, Status  string
	Documents                []string
}

func (s *selectionFlags) register(f *pflag.FlagSet, defaultStatus string) {
	f.StringVar(&s.DueFrom, "due-from", "", "first due date (default: the 1st of the current month)")
	f.StringVar(&s.DueTo, "due-to", "", "last due date (default: the last day of the current month)")
	f.StringVar(&s.CustomerFrom, "customer-from", "", "first customer account")
	f.StringVar(&s.CustomerTo, "customer-to", "", "last customer account (also matches as a prefix: 411M takes 411MARTIN)")
	f.StringVar(&s.Method, "method", "any", "payment method: sdd, lcr, chq, vir, esp, cb, none (no method) or any")
	choices(f, "method", "sdd", "lcr", "chq", "vir", "esp", "cb", "none", "any")
	f.StringVar(&s.Journal, "journal", "any", "treasury journal code, none (no journal) or any")
	f.StringArrayVar(&s.Documents, "document", nil, "a document number (repeatable)")
	f.StringVar(&s.Status, "status", defaultStatus, "open, pointed, remitted, rejected, paid, written_off or all")
	choices(f, "status", remit.StatusOpen, remit.StatusPointed, remit.StatusRemitted, remit.StatusRejected, remit.StatusPaid, remit.StatusWrittenOff, "all")
	valueKind(f, "due-from", "date")
	valueKind(f, "due-to", "date")
}

// filter builds the store filter. Without any date flag the current month is
// selected, as the selection screen does, except when documents are named.
func (s *selectionFlags) filter(now time.Time) (remit.Filter, error) {
	f := remit.Filter{CustomerFrom: s.CustomerFrom, CustomerTo: s.CustomerTo, Method: s.Method,
		Journal: s.Journal, Documents: s.Documents, Status: s.Status}
	if s.DueFrom == "" && s.DueTo == "" && len(s.Documents) == 0 {
		f.DueFrom, f.DueTo = remit.MonthBounds(now)
	}
	var err error
	if s.DueFrom != "" {
		if f.DueFrom, err = remit.ParseDate(s.DueFrom); err != nil {
			return f, usageError("--due-from %q: %v", s.DueFrom, err)
		}
	}
	if s.DueTo != "" {
		if f.DueTo, err = remit.ParseDate(s.DueTo); err != nil {
			return f, usageError("--due-to %q: %v", s.DueTo, err)
		}
	}
	if err := f.Validate(); err != nil {
		return f, usageError("%v", err)
	}
	return f, nil
}
