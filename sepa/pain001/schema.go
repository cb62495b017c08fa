package pain001

import "github.com/remit-dev/remit/sepa/internal/schema"

// schemaDocument returns the type of the Document element of version v,
// built with the validator's models when the package starts.
func schemaDocument(v Version) *schema.Type { return verifyMessage.Documents[v.Namespace()] }

// schemaPain001 writes down the CustomerCreditTransferInitiation message
// (ISO 20022 pain.001.001.03, 2009, and pain.001.001.09, 2019) element by
// element, on the components it shares with pain.008 (schema.Components).
// Type names are the ISO ones, so that a type can be looked up in the
// message definition report; CompareXSD checks the model against the
// official schemas in the tests. What is pain.001's own: the payment block
// and the transaction, the amount as a choice (instructed or equivalent),
// the exchange rate, the cheque instruction, instructions for the agents,
// and in 2019 the execution date as a choice of date or date and time,
// several service levels, UETR and the cheque's signatures.
func schemaPain001(v Version) *schema.Type {
	v09 := v == V09
	c := schema.NewComponents(v09)
	seq, choice := schema.Seq, schema.Choice
	one, opt, many := schema.One, schema.Opt, schema.Many
	const unbounded = schema.Unbounded

	groupHeader := c.GroupHeader("GroupHeader32")
	if v09 {
		groupHeader = c.GroupHeader("GroupHeader85")
	}

	paymentType := seq("PaymentTypeInformation19",
		opt("InstrPrty", c.Priority),
		opt("SvcLvl", c.ServiceLevel),
		opt("LclInstrm", c.LocalInstrument),
		opt("CtgyPurp", c.CategoryPurpose))
	if v09 {
		paymentType = seq("PaymentTypeInformation26",
			opt("InstrPrty", c.Priority),
			many("SvcLvl", c.ServiceLevel, 0, unbounded),
			opt("LclInstrm", c.LocalInstrument),
			opt("CtgyPurp", c.CategoryPurpose))
	}

	amountName := "AmountType3Choice"
	if v09 {
		amountName = "AmountType4Choice"
	}
	amount := choice(amountName,
		one("InstdAmt", c.Amount),
		one("EqvtAmt", seq("EquivalentAmount2", one("Amt", c.Amount), one("CcyOfTrf", c.CurrencyCode))))

	baseOneRate := schema.DecimalType("BaseOneRate", 11, 10, false)
	rateType := schema.Enum("ExchangeRateType1Code", "SPOT", "SALE", "AGRD")
	exchangeRate := seq("ExchangeRateInformation1",
		opt("XchgRate", baseOneRate), opt("RateTp", rateType), opt("CtrctId", c.Max35))
	if v09 {
		exchangeRate = seq("ExchangeRate1",
			opt("UnitCcy", c.CurrencyCode), opt("XchgRate", baseOneRate), opt("RateTp", rateType), opt("CtrctId", c.Max35))
	}

	cheque := []schema.Elem{
		opt("ChqTp", schema.Enum("ChequeType2Code", "CCHQ", "CCCH", "BCHQ", "DRFT", "ELDR")),
		opt("ChqNb", c.Max35),
		opt("ChqFr", c.NameAndAddress),
		opt("DlvryMtd", choice("ChequeDeliveryMethod1Choice",
			one("Cd", schema.Enum("ChequeDelivery1Code",
				"MLDB", "MLCD", "MLFA", "CRDB", "CRCD", "CRFA", "PUDB", "PUCD", "PUFA", "RGDB", "RGCD", "RGFA")),
			one("Prtry", c.Max35))),
		opt("DlvrTo", c.NameAndAddress),
		opt("InstrPrty", c.Priority),
		opt("ChqMtrtyDt", c.ISODate),
		opt("FrmsCd", c.Max35),
		many("MemoFld", c.Max35, 0, 2),
		opt("RgnlClrZone", c.Max35),
		opt("PrtLctn", c.Max35),
	}
	chequeName := "Cheque6"
	if v09 {
		cheque = append(cheque, many("Sgntr", c.Max70, 0, 5))
		chequeName = "Cheque11"
	}

	instructionForCreditorAgent := seq("InstructionForCreditorAgent1",
		opt("Cd", schema.Enum("Instruction3Code", "CHQB", "HOLD", "PHOB", "TELB")),
		opt("InstrInf", c.Max140))

	transaction := []schema.Elem{
		one("PmtId", c.PaymentID),
		opt("PmtTpInf", paymentType),
		one("Amt", amount),
		opt("XchgRateInf", exchangeRate),
		opt("ChrgBr", c.ChargeBearer),
		opt("ChqInstr", seq(chequeName, cheque...)),
		opt("UltmtDbtr", c.Party),
		opt("IntrmyAgt1", c.Agent),
		opt("IntrmyAgt1Acct", c.CashAccount),
		opt("IntrmyAgt2", c.Agent),
		opt("IntrmyAgt2Acct", c.CashAccount),
		opt("IntrmyAgt3", c.Agent),
		opt("IntrmyAgt3Acct", c.CashAccount),
		opt("CdtrAgt", c.Agent),
		opt("CdtrAgtAcct", c.CashAccount),
		opt("Cdtr", c.Party),
		opt("CdtrAcct", c.CashAccount),
		opt("UltmtCdtr", c.Party),
		many("InstrForCdtrAgt", instructionForCreditorAgent, 0, unbounded),
		opt("InstrForDbtrAgt", c.Max140),
		opt("Purp", c.Purpose),
		many("RgltryRptg", c.Regulatory, 0, 10),
		opt("Tax", c.Tax),
		many("RltdRmtInf", c.RemittanceLoc, 0, 10),
		opt("RmtInf", c.Remittance),
	}
	transactionName := "CreditTransferTransactionInformation10"
	if v09 {
		transaction = append(transaction, many("SplmtryData", c.Supplementary, 0, unbounded))
		transactionName = "CreditTransferTransaction34"
	}

	executionDate := c.ISODate
	if v09 {
		executionDate = choice("DateAndDateTime2Choice", one("Dt", c.ISODate), one("DtTm", c.ISODateTime))
	}
	payment := []schema.Elem{
		one("PmtInfId", c.Max35),
		one("PmtMtd", schema.Enum("PaymentMethod3Code", "CHK", "TRF", "TRA")),
		opt("BtchBookg", c.BatchBooking),
		opt("NbOfTxs", c.Max15Numeric),
		opt("CtrlSum", c.DecimalNumber),
		opt("PmtTpInf", paymentType),
		one("ReqdExctnDt", executionDate),
		opt("PoolgAdjstmntDt", c.ISODate),
		one("Dbtr", c.Party),
		one("DbtrAcct", c.CashAccount),
		one("DbtrAgt", c.Agent),
		opt("DbtrAgtAcct", c.CashAccount),
	}
	if v09 {
		payment = append(payment, opt("InstrForDbtrAgt", c.Max140))
	}
	payment = append(payment,
		opt("UltmtDbtr", c.Party),
		opt("ChrgBr", c.ChargeBearer),
		opt("ChrgsAcct", c.CashAccount),
		opt("ChrgsAcctAgt", c.Agent),
		many("CdtTrfTxInf", seq(transactionName, transaction...), 1, unbounded))
	paymentName := "PaymentInstructionInformation3"
	if v09 {
		paymentName = "PaymentInstruction30"
	}

	initiation := seq("CustomerCreditTransferInitiationV03",
		one("GrpHdr", groupHeader), many("PmtInf", seq(paymentName, payment...), 1, unbounded))
	if v09 {
		initiation = seq("CustomerCreditTransferInitiationV09",
			one("GrpHdr", groupHeader), many("PmtInf", seq(paymentName, payment...), 1, unbounded),
			many("SplmtryData", c.Supplementary, 0, unbounded))
	}
	return seq("Document", one("CstmrCdtTrfInitn", initiation))
}
