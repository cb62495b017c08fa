package treasury

import "errors"

// Sentinel reasons, tested with errors.Is. Every error the package returns
// wraps one of them, or a *remit.BankError.
var (
	// Banks.
	ErrNoBank         = errors.New("no bank")
	ErrBanks          = errors.New("banks do not fit together")
	ErrNotUsable      = errors.New("bank cannot take this operation")
	ErrUnknownAccount = errors.New("no bank has this account")

	// Statements.
	ErrCurrency        = errors.New("not in euro")
	ErrWrongBank       = errors.New("statement of another account")
	ErrBeforeValidated = errors.New("before the validated date: no reconciliation before it (seed 003)")
	ErrImported        = errors.New("statement already imported")
	ErrOverlap         = errors.New("statement overlaps one already imported")

	// Forecast.
	ErrNoBalance = errors.New("no validated balance")
	ErrPeriod    = errors.New("end of the forecast before the validated date")

	// Suspense and write-off.
	ErrOverAllocation = errors.New("more than the suspense line holds")
	ErrOverpayment    = errors.New("more than the receivable's open amount")
	ErrNotOpen        = errors.New("receivable not open")
	ErrWrittenOff     = errors.New("written off: never collected again")
	ErrAmount         = errors.New("amount must be positive")
	ErrUnknown        = errors.New("unknown document")
	ErrDuplicate      = errors.New("given twice")
	ErrReason         = errors.New("a write-off needs its reason")
)
