package pain001_test

import (
	"fmt"
	"os"
	"time"

	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/pain001"
)

func ExampleNewWriter() {
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 12, 2, 9, 30, 0, 0, paris)
	w, err := pain001.NewWriter(os.Stdout, pain001.GroupHeader{
		Version: pain001.V09, MsgID: "ACME-SCT-20261215-0014", CreatedAt: now,
		NbOfTxs: 1, CtrlSum: 135000, InitiatingParty: sepa.Party{Name: "ACME SAS"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = w.StartPaymentInfo(pain001.PaymentInfo{
		ID: "ACME-SCT-20261215-0014-BNP", NbOfTxs: 1, CtrlSum: 135000,
		ExecutionDate: time.Date(2026, 12, 15, 0, 0, 0, 0, paris),
		Debtor: sepa.Party{Name: "ACME SAS", Address: sepa.Address{
			StreetName: "Rue de la Paix", BuildingNumber: "12", PostCode: "75002", TownName: "Paris", Country: "FR"}},
		DebtorIBAN: "FR7630004008280001012345691", DebtorBIC: "BNPAFRPP",
	})
	if err == nil {
		// Two invoices less a credit note, paid in one transfer.
		err = w.WriteTransaction(pain001.Transaction{
			EndToEndID: "ACME-P-000118", Amount: 135000,
			Creditor:       sepa.Party{Name: "Quincaillerie Durand & Fils", Address: sepa.Address{TownName: "Lyon", Country: "FR"}},
			CreditorIBAN:   "FR7617515900000801234567849",
			RemittanceInfo: "FA-2026-118 1200,00 FA-2026-119 300,00 AV-2026-007 -150,00",
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
	// <Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">
	//   <CstmrCdtTrfInitn>
	//     <GrpHdr>
	//       <MsgId>ACME-SCT-20261215-0014</MsgId>
	//       <CreDtTm>2026-12-02T09:30:00</CreDtTm>
	//       <NbOfTxs>1</NbOfTxs>
	//       <CtrlSum>1350.00</CtrlSum>
	//       <InitgPty>
	//         <Nm>ACME SAS</Nm>
	//       </InitgPty>
	//     </GrpHdr>
	//     <PmtInf>
	//       <PmtInfId>ACME-SCT-20261215-0014-BNP</PmtInfId>
	//       <PmtMtd>TRF</PmtMtd>
	//       <NbOfTxs>1</NbOfTxs>
	//       <CtrlSum>1350.00</CtrlSum>
	//       <PmtTpInf>
	//         <SvcLvl><Cd>SEPA</Cd></SvcLvl>
	//       </PmtTpInf>
	//       <ReqdExctnDt><Dt>2026-12-15</Dt></ReqdExctnDt>
	//       <Dbtr>
	//         <Nm>ACME SAS</Nm>
	//         <PstlAdr>
	//           <StrtNm>Rue de la Paix</StrtNm>
	//           <BldgNb>12</BldgNb>
	//           <PstCd>75002</PstCd>
	//           <TwnNm>Paris</TwnNm>
	//           <Ctry>FR</Ctry>
	//         </PstlAdr>
	//       </Dbtr>
	//       <DbtrAcct><Id><IBAN>FR7630004008280001012345691</IBAN></Id></DbtrAcct>
	//       <DbtrAgt><FinInstnId><BICFI>BNPAFRPP</BICFI></FinInstnId></DbtrAgt>
	//       <ChrgBr>SLEV</ChrgBr>
	//       <CdtTrfTxInf>
	//         <PmtId><EndToEndId>ACME-P-000118</EndToEndId></PmtId>
	//         <Amt><InstdAmt Ccy="EUR">1350.00</InstdAmt></Amt>
	//         <Cdtr>
	//           <Nm>Quincaillerie Durand + Fils</Nm>
	//           <PstlAdr>
	//             <TwnNm>Lyon</TwnNm>
	//             <Ctry>FR</Ctry>
	//           </PstlAdr>
	//         </Cdtr>
	//         <CdtrAcct><Id><IBAN>FR7617515900000801234567849</IBAN></Id></CdtrAcct>
	//         <RmtInf><Ustrd>FA-2026-118 1200,00 FA-2026-119 300,00 AV-2026-007 -150,00</Ustrd></RmtInf>
	//       </CdtTrfTxInf>
	//     </PmtInf>
	//   </CstmrCdtTrfInitn>
	// </Document>
}

func ExampleChecker() {
	paris, _ := time.LoadLocation("Europe/Paris")
	h := pain001.GroupHeader{Version: pain001.V09, MsgID: "ACME-SCT-0015", CreatedAt: time.Date(2026, 12, 2, 9, 30, 0, 0, paris),
		NbOfTxs: 2, CtrlSum: 30000, InitiatingParty: sepa.Party{Name: "ACME SAS"}}
	pi := pain001.PaymentInfo{ID: "ACME-SCT-0015-1", NbOfTxs: 2, CtrlSum: 30000,
		ExecutionDate: time.Date(2026, 12, 25, 0, 0, 0, 0, paris),
		Debtor:        sepa.Party{Name: "ACME SAS"}, DebtorIBAN: "FR7630004008280001012345691"}
	c, errs := pain001.NewChecker(h)
	errs = append(errs, c.PaymentInfo(pi)...)
	for _, tx := range []pain001.Transaction{
		{EndToEndID: "P-1", Amount: 10000, Creditor: sepa.Party{Name: "Fournisseur Un"}, CreditorIBAN: "DE89370400440532013000"},
		{EndToEndID: "P-1", Amount: 20000, Currency: "CHF", Creditor: sepa.Party{Name: "Fournisseur Deux"}, CreditorIBAN: "CH9300762011623852957"},
	} {
		errs = append(errs, c.Transaction(tx, pi)...)
	}
	for _, err := range errs {
		fmt.Println(err)
	}
	// Output:
	// payment info "ACME-SCT-0015-1": execution date (ReqdExctnDt) "2026-12-25": not a TARGET2 business day (next: 2026-12-28)
	// transaction "P-1": currency "CHF": SEPA credit transfers are in euro only: pay it by an international transfer, or convert the amount to euro first
	// transaction "P-1": debtor address: missing: a transfer to a bank in CH, a SEPA country outside the EEA, carries the payer's town name and country
	// transaction "P-1": end-to-end id (EndToEndId) "P-1": already used by an earlier transaction of the message; each must be unique
}
