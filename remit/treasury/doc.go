// Package treasury holds the rules of the company's banks and cash (seed
// 003, the trésorerie module; seed 000, encaissements and the suspense
// account): plain values in, plain values out, no database and no files.
// The store gives it what it knows and applies what it decides.
//
//   - Banks: remit.Bank is the value (remit/bank.go); ValidateBanks checks
//     banks together, BankFor picks the bank of a receivable from its
//     treasury journal (else the default bank), CheckOperation says
//     whether a bank can take an LCR remise, an SDD, a cheque deposit, and
//     BankOf finds the bank a statement is about.
//   - Value dates: ExpectedValueDate adds a bank's value days for a type
//     of operation to its date, in TARGET2 business days.
//   - Statements (constatation en banque): KeyOf gives a statement's
//     identity, the same from CFONB 120 and camt.053; Reconcile decides
//     what each line is — a remittance credited as one line or item by
//     item, a collection returned or an LCR or cheque unpaid, a transfer
//     paying open receivables, bank charges — and what nothing explains,
//     for the suspense account. It never guesses.
//   - Forecast (soldes prévisionnels): Forecast projects each bank's
//     balance day by day from its validated balance; ForecastAccounts
//     gives bordereau.WriteForecast its input.
//   - Suspense and write-off: Allocate empties a suspense line into
//     receivables (vidage du compte d'attente); WriteOffReceivable writes a
//     receivable off (abandon de créance), and Collectable keeps it from
//     ever being collected again.
//
// A statement of bank BQ1, read by cfonb/cfonb120 or sepa/camt053:
//
//	bank, err := treasury.BankOf(banks, st.Account)
//	plan, err := treasury.Reconcile(&st, bank, candidates, treasury.ReconcileOptions{Imported: keys})
//	for _, m := range plan.Matches {
//		fmt.Println(m.Line, m.Outcome, m.Targets, m.Reason) // 5 returned [{R000042 1 … REMIT-2025-0000042-002 8000}]
//	}
//
// Amounts are int64 cents; dates are midnight UTC, like a statement's.
package treasury
