// Package camt053 reads bank statements in ISO 20022 camt.053
// (BankToCustomerStatement) versions camt.053.001.02 and camt.053.001.08,
// told apart by their namespace, into statement.Statement values, the model
// the CFONB 120 reader (cfonb/cfonb120) gives too; and writes them, for
// tests and for whoever needs a statement file.
//
// For each Stmt the Reader takes the account (IBAN, or another
// identification), the currency, the opening (OPBD, else PRCD) and closing
// (CLBD) booked balances with their dates and signs, and each Ntry: amount
// in cents signed by CdtDbtInd, status, booking and value dates, bank
// transaction code (Domn/Fmly/SubFmlyCd and Prtry), AcctSvcrRef, the batch
// booking (NtryDtls/Btch), and each transaction (TxDtls): references
// (MsgId, PmtInfId, InstrId, EndToEndId, MndtId, ChqNb), amount, return
// reason, remittance information, purpose, debtor and creditor with their
// accounts. The differences between the versions (Sts or Sts/Cd, Dbtr/Nm or
// Dbtr/Pty/Nm, AmtDtls or TxDtls/Amt…) are absorbed.
//
// A statement is refused, with every problem located by line and element
// path (*Error), when a value is malformed, a booked balance is missing, an
// amount is in another currency, or the opening balance plus the booked
// entries is not the closing balance (statement.ErrUnbalanced). A batch
// whose transactions do not add up to its entry, or a TxsSummry that
// disagrees with the entries, is only a warning on the statement.
//
//	sts, err := camt053.ReadAll(f) // the good statements, and every problem
//	for _, e := range camt053.Flatten(err) {
//		fmt.Println(e) // line 37, /Document/BkToCstmrStmt/Stmt/Bal: balances do not add up: …
//	}
//
// The file is streamed through encoding/xml: memory holds one statement,
// never more than MaxToken bytes of the file at once, and nesting stops at
// MaxDepth, so a hostile file costs time linear in its size and bounded
// memory. DOCTYPE declarations are refused; ISO-8859-1 is read as well as
// UTF-8.
package camt053
