// Package sepa holds what the SEPA messages remit writes have in common,
// and reads the bank's reject and return reports. Each message has its own
// package on top of it: sepa/pain008 writes and verifies SEPA Direct Debit
// initiations (pain.008), sepa/pain001 SEPA Credit Transfer initiations
// (pain.001); sepa/camt053 reads bank statements. Both message packages
// run on the streaming schema validator and the ISO 20022 components of
// sepa/internal/schema.
//
// # Text
//
// Free text (names, address elements, remittance information) goes into a
// SEPA file through Text, which folds it to the EPC basic character set
// (é→e, Œ→OE, & → +) and cuts it to the field's length (MaxName,
// MaxRemittance, …); TextLen and HasText say what would be left.
// Identifiers are never changed: IdentifierProblem says why one is invalid.
//
// # Parties and rules
//
// Party, Address and PartyID are the creditor, debtor and initiating party
// of both messages. Checks collects the broken rules of one header, block
// or transaction, each a *RuleError naming the block, the field and the
// value and wrapping a sentinel (ErrIBAN, ErrAddress, ErrIdentifier, …)
// plus the package ident error behind it, so that a caller reports every
// problem in one pass. The rules are the EPC ones both schemes share:
// identifiers, declared totals, IBANs of SEPA countries, BICs, names, and
// the address rule in force from the 15 November 2026 settlement date
// (StrictAddresses: structured or hybrid addresses, town and country, at
// most two address lines; NeedsPayerAddress: the payer's address whenever
// a bank is in a SEPA country outside the EEA).
//
// # XML
//
// AppendParty, AppendElement, AppendTextElement, AppendAmount, AppendDate
// and the other Append functions are the building blocks of the streaming
// writers: they append to a caller's buffer, indent by two spaces in the
// layout of the EPC examples, and format amounts (int64 euro cents) by
// integer arithmetic.
//
// # Dates
//
// IsTARGET2BusinessDay, NextBusinessDay, AddBusinessDays,
// EarliestCollectionDate and CollectionDate compute requested collection
// and execution dates on the TARGET2 calendar with the bank's lead time
// and cut-off:
//
//	date := sepa.CollectionDate(due, now, leadDays, 16*time.Hour)
//
// # Returns
//
// ReadReturns streams a pain.002.001.03 or .10 status report (rejects at
// group, payment or transaction level) or a camt.054.001.02 or .08 debit
// notification (returns after settlement) into ReturnItems matched by
// EndToEndId and original message id, with ISO reason codes (ReasonLabel
// gives their French and English labels).
package sepa
