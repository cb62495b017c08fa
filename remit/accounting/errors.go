package accounting

import "errors"

// Errors about entry settings and entries.
var (
	ErrMaskedCentralized = errors.New("a counterpart account with the masks AA or MM cannot be centralised (the account differs by due date): use one line per payment or an account without mask")
	ErrUnbalanced        = errors.New("entries do not balance")
)
