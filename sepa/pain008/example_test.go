package pain008_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/pain008"
)

func ExampleNewWriter() {
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 11, 27, 10, 15, 0, 0, paris)
	w, err := pain008.NewWriter(os.Stdout, pain008.GroupHeader{
		Version: pain008.V08, MsgID: "ACME-SDD-20261201-0001", CreatedAt: now,
		NbOfTxs: 1, CtrlSum: 4050, InitiatingParty: sepa.Party{Name: "ACME SAS"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = w.StartPaymentInfo(pain008.PaymentInfo{
		ID: "ACME-SDD-20261201-0001-RCUR", NbOfTxs: 1, CtrlSum: 4050,
		Scheme: "CORE", SeqType: "RCUR",
		CollectionDate: sepa.CollectionDate(time.Date(2026, 11, 28, 0, 0, 0, 0, paris), now, 1, 16*time.Hour),
		Creditor: sepa.Party{Name: "ACME SAS", Address: sepa.Address{
			StreetName: "Rue de la Paix", BuildingNumber: "12", PostCode: "75002", TownName: "Paris", Country: "FR"}},
		CreditorIBAN: "FR7630006000011234567890189", CreditorSchemeID: "FR72ZZZ123456",
	})
	if err == nil {
		err = w.WriteTransaction(pain008.Transaction{
			EndToEndID: "INV-2026-000125", Amount: 4050,
			MandateID: "RUM-2023-0007", MandateSigned: time.Date(2023, 1, 10, 0, 0, 0, 0, paris),
			Debtor:     sepa.Party{Name: "Hélène Müller & Fils", Address: sepa.Address{TownName: "Lyon", Country: "FR"}},
			DebtorIBAN: "FR1420041010050500013M02606", RemittanceInfo: "Facture 2026-000125 — décembre",
		})
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		fmt.Println(err)
	}
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.008.001.08">
	//   <CstmrDrctDbtInitn>
	//     <GrpHdr>
	//       <MsgId>ACME-SDD-20261201-0001</MsgId>
	//       <CreDtTm>2026-11-27T10:15:00</CreDtTm>
	//       <NbOfTxs>1</NbOfTxs>
	//       <CtrlSum>40.50</CtrlSum>
	//       <InitgPty>
	//         <Nm>ACME SAS</Nm>
	//       </InitgPty>
	//     </GrpHdr>
	//     <PmtInf>
	//       <PmtInfId>ACME-SDD-20261201-0001-RCUR</PmtInfId>
	//       <PmtMtd>DD</PmtMtd>
	//       <NbOfTxs>1</NbOfTxs>
	//       <CtrlSum>40.50</CtrlSum>
	//       <PmtTpInf>
	//         <SvcLvl><Cd>SEPA</Cd></SvcLvl>
	//         <LclInstrm><Cd>CORE</Cd></LclInstrm>
	//         <SeqTp>RCUR</SeqTp>
	//       </PmtTpInf>
	//       <ReqdColltnDt>2026-11-30</ReqdColltnDt>
	//       <Cdtr>
	//         <Nm>ACME SAS</Nm>
	//         <PstlAdr>
	//           <StrtNm>Rue de la Paix</StrtNm>
	//           <BldgNb>12</BldgNb>
	//           <PstCd>75002</PstCd>
	//           <TwnNm>Paris</TwnNm>
	//           <Ctry>FR</Ctry>
	//         </PstlAdr>
	//       </Cdtr>
	//       <CdtrAcct><Id><IBAN>FR7630006000011234567890189</IBAN></Id></CdtrAcct>
	//       <CdtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></CdtrAgt>
	//       <ChrgBr>SLEV</ChrgBr>
	//       <CdtrSchmeId>
	//         <Id><PrvtId><Othr><Id>FR72ZZZ123456</Id><SchmeNm><Prtry>SEPA</Prtry></SchmeNm></Othr></PrvtId></Id>
	//       </CdtrSchmeId>
	//       <DrctDbtTxInf>
	//         <PmtId><EndToEndId>INV-2026-000125</EndToEndId></PmtId>
	//         <InstdAmt Ccy="EUR">40.50</InstdAmt>
	//         <DrctDbtTx>
	//           <MndtRltdInf>
	//             <MndtId>RUM-2023-0007</MndtId>
	//             <DtOfSgntr>2023-01-10</DtOfSgntr>
	//             <AmdmntInd>false</AmdmntInd>
	//           </MndtRltdInf>
	//         </DrctDbtTx>
	//         <DbtrAgt><FinInstnId><Othr><Id>NOTPROVIDED</Id></Othr></FinInstnId></DbtrAgt>
	//         <Dbtr>
	//           <Nm>Helene Muller + Fils</Nm>
	//           <PstlAdr>
	//             <TwnNm>Lyon</TwnNm>
	//             <Ctry>FR</Ctry>
	//           </PstlAdr>
	//         </Dbtr>
	//         <DbtrAcct><Id><IBAN>FR1420041010050500013M02606</IBAN></Id></DbtrAcct>
	//         <RmtInf><Ustrd>Facture 2026-000125 - decembre</Ustrd></RmtInf>
	//       </DrctDbtTxInf>
	//     </PmtInf>
	//   </CstmrDrctDbtInitn>
	// </Document>
}

func ExampleCheckTransaction() {
	h := pain008.GroupHeader{Version: pain008.V08, CreatedAt: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)}
	pi := pain008.PaymentInfo{CollectionDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), CreditorIBAN: "FR7630006000011234567890189"}
	tx := pain008.Transaction{
		EndToEndID: "F2026-0042", Amount: 0, MandateID: "RUM-1", MandateSigned: time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC),
		Debtor:     sepa.Party{Name: "Jean Dupont", Address: sepa.Address{Country: "FR", Lines: []string{"3 place des Terreaux", "69001 Lyon"}}},
		DebtorIBAN: "FR7630006000011234567890188",
	}
	for _, err := range pain008.CheckTransaction(tx, pi, h) {
		fmt.Println(err)
	}
	// Output:
	// transaction "F2026-0042": amount "0.00 EUR": must be between 0.01 and 999999999.99
	// transaction "F2026-0042": mandate signature date (DtOfSgntr) "2026-12-24": in the future (file created 2026-11-27)
	// transaction "F2026-0042": debtor IBAN: IBAN FR7630006000011234567890188: bad check digits
	// transaction "F2026-0042": debtor address town name "3 place des Terreaux | 69001 Lyon": missing: from 15 November 2026 an address must be structured or hybrid (town name and country, at most 2 address lines)
}

// Verify checks a pain.008 against its ISO schema and the SEPA rules in one
// pass; each problem says where it is.
func ExampleVerify() {
	f, err := os.Open("testdata/verify/invalid/generator-bugs.v08.xml")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	report, err := pain008.Verify(f)
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
