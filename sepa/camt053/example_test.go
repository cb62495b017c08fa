package camt053_test

import (
	"fmt"
	"strings"

	"github.com/remit-dev/remit/remit/statement"
	"github.com/remit-dev/remit/sepa/camt053"
)

func ExampleReadAll() {
	doc := `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
<GrpHdr><MsgId>BQ-1</MsgId><CreDtTm>2026-12-02T06:00:00Z</CreDtTm></GrpHdr>
<Stmt><Id>S-1</Id><Acct><Id><IBAN>FR7630004008280001012345691</IBAN></Id></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">100.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-01</Dt></Dt></Bal>
<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">20.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-12-01</Dt></Dt></Bal>
<Ntry><Amt Ccy="EUR">80.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2026-12-01</Dt></BookgDt>
<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>IDDT</Cd><SubFmlyCd>UPDD</SubFmlyCd></Fmly></Domn></BkTxCd>
<NtryDtls><TxDtls><Refs><EndToEndId>F2026-0042</EndToEndId><MndtId>RUM-0042</MndtId></Refs>
<RtrInf><Rsn><Cd>AM04</Cd></Rsn></RtrInf></TxDtls></NtryDtls></Ntry>
</Stmt></BkToCstmrStmt></Document>`
	sts, err := camt053.ReadAll(strings.NewReader(doc))
	for _, e := range camt053.Flatten(err) {
		fmt.Println(e)
	}
	for _, s := range sts {
		fmt.Printf("%s %s %s: %s → %s\n", s.Format, s.Account.IBAN, s.Currency, statement.Format(s.Opening.Amount), statement.Format(s.Closing.Amount))
		for _, e := range s.Entries {
			fmt.Printf("%s %s/%s/%s %s\n", e.BookingDate.Format("2006-01-02"), e.Code.Domain, e.Code.Family, e.Code.SubFamily, statement.Format(e.Amount))
			for _, d := range e.Details {
				fmt.Printf("  return of %s (mandate %s): %s\n", d.EndToEndID, d.MandateID, d.ReturnReason)
			}
		}
	}
	// Output:
	// camt.053.001.08 FR7630004008280001012345691 EUR: 100.00 → 20.00
	// 2026-12-01 PMNT/IDDT/UPDD -80.00
	//   return of F2026-0042 (mandate RUM-0042): AM04
}
