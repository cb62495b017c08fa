package sepa_test

import (
	"fmt"
	"os"
	"time"

	"github.com/remit-dev/remit/sepa"
)

func ExampleNewWriter() {
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 11, 27, 10, 15, 0, 0, paris)
	w, err := sepa.NewWriter(os.Stdout, sepa.GroupHeader{
		Version: sepa.V08, MsgID: "ACME-SDD-20261201-0001", CreatedAt: now,
		NbOfTxs: 1, CtrlSum: 4050, InitiatingParty: sepa.Party{Name: "ACME SAS"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = w.StartPaymentInfo(sepa.PaymentInfo{
		ID: "ACME-SDD-20261201-0001-RCUR", NbOfTxs: 1, CtrlSum: 4050,
		Scheme: "CORE", SeqType: "RCUR",
		CollectionDate: sepa.CollectionDate(time.Date(2026, 11, 28, 0, 0, 0, 0, paris), now, 1, 16*time.Hour),
		Creditor: sepa.Party{Name: "ACME SAS", Address: sepa.Address{
			StreetName: "Rue de la Paix", BuildingNumber: "12", PostCode: "75002", TownName: "Paris", Country: "FR"}},
		CreditorIBAN: "FR7630006000011234567890189", CreditorSchemeID: "FR72ZZZ123456",
	})
	if err == nil {
		err = w.WriteTransaction(sepa.Transaction{
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

func ExampleText() {
	fmt.Println(sepa.Text("Société Générale & Fils — «Œuvres» <SARL>", 70))
	fmt.Println(sepa.Text("Établissements Dupont", 12))
	// Output:
	// Societe Generale + Fils - 'OEuvres' SARL
	// Etablissemen
}

func ExampleCheckTransaction() {
	h := sepa.GroupHeader{Version: sepa.V08, CreatedAt: time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)}
	pi := sepa.PaymentInfo{CollectionDate: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), CreditorIBAN: "FR7630006000011234567890189"}
	tx := sepa.Transaction{
		EndToEndID: "F2026-0042", Amount: 0, MandateID: "RUM-1", MandateSigned: time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC),
		Debtor:     sepa.Party{Name: "Jean Dupont", Address: sepa.Address{Country: "FR", Lines: []string{"3 place des Terreaux", "69001 Lyon"}}},
		DebtorIBAN: "FR7630006000011234567890188",
	}
	for _, err := range sepa.CheckTransaction(tx, pi, h) {
		fmt.Println(err)
	}
	// Output:
	// transaction "F2026-0042": amount "0.00 EUR": must be between 0.01 and 999999999.99
	// transaction "F2026-0042": mandate signature date (DtOfSgntr) "2026-12-24": in the future (file created 2026-11-27)
	// transaction "F2026-0042": debtor IBAN: IBAN FR7630006000011234567890188: bad check digits
	// transaction "F2026-0042": debtor address town name "3 place des Terreaux | 69001 Lyon": missing: from 15 November 2026 an address must be structured or hybrid (town name and country, at most 2 address lines)
}

func ExampleCollectionDate() {
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 12, 24, 17, 30, 0, 0, paris) // after a 16:00 cut-off
	due := time.Date(2026, 12, 25, 0, 0, 0, 0, paris)
	fmt.Println(sepa.EarliestCollectionDate(now, 1, 16*time.Hour).Format(time.DateOnly))
	fmt.Println(sepa.CollectionDate(due, now, 1, 16*time.Hour).Format(time.DateOnly))
	fmt.Println(sepa.CollectionDate(due, now, 3, 16*time.Hour).Format(time.DateOnly))
	// Output:
	// 2026-12-29
	// 2026-12-29
	// 2026-12-31
}
