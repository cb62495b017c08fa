// Package statement is the one model of a bank statement (relevé de
// compte) that every statement format is read into: package
// cfonb/cfonb120 reads CFONB 120 files and package sepa/camt053 reads
// camt.053.001.02 and .08 messages, and both give []statement.Statement,
// so that what comes after (matching entries to remittances, returns,
// cheque deposits; the validated balance) is written once.
//
// Why here: the model is a plain value with no format in it, so it sits
// beside remit/ident and remit/text, the other leaf packages the formats
// share. cfonb and sepa do not import each other, and this package imports
// nothing of remit's (no store, no database): it depends on the standard
// library only.
//
// Amounts are int64 cents, signed: an entry is positive when it credits
// the account, a balance negative when the account is overdrawn. Dates are
// midnight UTC. Each format fills what it has and leaves the rest empty;
// the field comments say where each value comes from in both.
//
// The rule both readers apply once a statement is read, and the writers
// before they write one, is Check:
//
//	if err := s.Check(); errors.Is(err, statement.ErrUnbalanced) {
//		// opening balance 10234.56 + movements 1997.50 = 12232.06, but the closing balance is 12233.06 (difference 1.00)
//	}
package statement
