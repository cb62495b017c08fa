package sepa_test

import (
	"fmt"
	"log"
	"os"

	"github.com/remit-dev/remit/sepa"
)

// Verify checks a pain.008 against its ISO schema and the SEPA rules in one
// pass; each problem says where it is.
func ExampleVerify() {
	f, err := os.Open("testdata/verify/invalid/generator-bugs.v08.xml")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	report, err := sepa.Verify(f)
	if err != nil {
		log.Fatal(err) // reading failed; malformed XML is a Problem, not an error
	}
	fmt.Printf("%s, %d transaction(s), %d cents, OK: %v\n", report.Version, report.Transactions, report.Total, report.OK())
	for _, p := range report.Problems {
		fmt.Printf("[%s] %s\n", p.Kind, p)
	}
	// Output:
	// pain.008.001.08, 1 transaction(s), 1250 cents, OK: false
	// [rule] line 11, /Document/CstmrDrctDbtInitn/GrpHdr/CtrlSum: CtrlSum is 10.00 but the transactions of the file add up to 12.50
	// [rule] line 12, /Document/CstmrDrctDbtInitn/GrpHdr/InitgPty/Nm: character "&" (U+0026) is not in the EPC basic Latin set (a-z A-Z 0-9 / - ? : ( ) . , ' + and space)
	// [rule] line 28, /Document/CstmrDrctDbtInitn/PmtInf[1]/DrctDbtTxInf[1]/Dbtr/PstlAdr: Dbtr address has only AdrLine: collections from 2026-11-15 (this one 2026-12-15) need a structured or hybrid address with at least TwnNm and Ctry
	// [schema] line 31, /Document/CstmrDrctDbtInitn/PmtInf[1]/DrctDbtTxInf[1]/RmtInf/Strd[1]/CdtrRefInf/Tp/CdorPrtry: unknown element CdorPrtry in Tp; expected one of CdOrPrtry, Issr
	// [schema] line 31, /Document/CstmrDrctDbtInitn/PmtInf[1]/DrctDbtTxInf[1]/RmtInf/Strd[1]/CdtrRefInf/Tp: missing mandatory element CdOrPrtry
	// [schema] line 33, /Document/CstmrDrctDbtInitn/PmtInf[1]/DrctDbtTxInf[1]/Purp: element not expected here (after RmtInf)
}

// ReadReturns lists the rejected and returned collections of a bank file.
func ExampleReadReturns() {
	f, err := os.Open("testdata/returns/pain.002.001.03.payment-reject.xml")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	rf, err := sepa.ReadReturns(f)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rf.Kind, rf.Version, "about", rf.OriginalMsgID)
	for _, it := range rf.Items {
		switch {
		case it.GroupLevel:
			fmt.Printf("all of %s: %s %s\n", it.OriginalMsgID, it.Reason, sepa.ReasonLabel(it.Reason))
		case it.PaymentLevel:
			fmt.Printf("all of %s: %s %s\n", it.OriginalPmtInfID, it.Reason, sepa.ReasonLabel(it.Reason))
		default:
			fmt.Printf("%s (mandate %s, %d cents): %s %s\n", it.EndToEndID, it.MandateID, it.Amount, it.Reason, sepa.ReasonLabel(it.Reason))
		}
	}
	// Output:
	// pain.002 pain.002.001.03 about ACME-SDD-20261201-0003
	// all of ACME-SDD-20261201-0003-FRST-CORE: BE05 Identifiant créancier (ICS) non reconnu (creditor identifier unrecognised)
	// INV-2026-000042 (mandate RUM-2025-0042, 7500 cents): MD01 Pas de mandat valide (no valid mandate)
}
