package pain008

import "github.com/remit-dev/remit/sepa/internal/schema"

// schemaDocument returns the type of the Document element of version v,
// built with the validator's models when the package starts.
func schemaDocument(v Version) *schema.Type { return verifyMessage.Documents[v.Namespace()] }

// schemaPain008 writes down the CustomerDirectDebitInitiation message
// (ISO 20022 pain.008.001.02, 2009, and pain.008.001.08, 2019) element by
// element, on the components it shares with pain.001 (schema.Components:
// parties, addresses, agents, accounts, remittance, tax…). Type names are
// the ISO ones, so that a type can be looked up in the message definition
// report; the tests hold the model to the official schemas (CompareXSD).
// What is pain.008's own: the group header, the payment block, the
// transaction, the mandate and its amendment; in 2019 several SvcLvl, SeqTp
// RPRE, Frequency and mandate setup reason as choices, TrckgDays.
func schemaPain008(v Version) *schema.Type {
	v08 := v == V08
	c := schema.NewComponents(v08)
	seq, choice := schema.Seq, schema.Choice
	one, opt, many := schema.One, schema.Opt, schema.Many
	const unbounded = schema.Unbounded

	exact2Numeric := schema.Pattern("Exact2NumericText", `[0-9]{2}`)
	max1025 := schema.Text("Max1025Text", 1025)
	paymentMethod := schema.Enum("PaymentMethod2Code", "DD")
	frequencyCode := schema.Enum("Frequency1Code", "YEAR", "MNTH", "QURT", "MIAN", "WEEK", "DAIL", "ADHO", "INDA")
	sequenceType := schema.Enum("SequenceType1Code", "FRST", "RCUR", "FNAL", "OOFF")
	if v08 {
		frequencyCode = schema.Enum("Frequency6Code", "YEAR", "MNTH", "QURT", "MIAN", "WEEK", "DAIL", "ADHO", "INDA", "FRTN")
		sequenceType = schema.Enum("SequenceType3Code", "FRST", "RCUR", "FNAL", "OOFF", "RPRE")
	}

	groupHeader := c.GroupHeader("GroupHeader39")
	if v08 {
		groupHeader = c.GroupHeader("GroupHeader83")
	}

	paymentType := seq("PaymentTypeInformation20",
		opt("InstrPrty", c.Priority),
		opt("SvcLvl", c.ServiceLevel),
		opt("LclInstrm", c.LocalInstrument),
		opt("SeqTp", sequenceType),
		opt("CtgyPurp", c.CategoryPurpose))
	if v08 {
		paymentType = seq("PaymentTypeInformation29",
			opt("InstrPrty", c.Priority),
			many("SvcLvl", c.ServiceLevel, 0, unbounded),
			opt("LclInstrm", c.LocalInstrument),
			opt("SeqTp", sequenceType),
			opt("CtgyPurp", c.CategoryPurpose))
	}

	// Mandate.
	var amendment, mandate *schema.Type
	if !v08 {
		amendment = seq("AmendmentInformationDetails6",
			opt("OrgnlMndtId", c.Max35),
			opt("OrgnlCdtrSchmeId", c.Party),
			opt("OrgnlCdtrAgt", c.Agent),
			opt("OrgnlCdtrAgtAcct", c.CashAccount),
			opt("OrgnlDbtr", c.Party),
			opt("OrgnlDbtrAcct", c.CashAccount),
			opt("OrgnlDbtrAgt", c.Agent),
			opt("OrgnlDbtrAgtAcct", c.CashAccount),
			opt("OrgnlFnlColltnDt", c.ISODate),
			opt("OrgnlFrqcy", frequencyCode))
		mandate = seq("MandateRelatedInformation6",
			opt("MndtId", c.Max35),
			opt("DtOfSgntr", c.ISODate),
			opt("AmdmntInd", c.TrueFalse),
			opt("AmdmntInfDtls", amendment),
			opt("ElctrncSgntr", max1025),
			opt("FrstColltnDt", c.ISODate),
			opt("FnlColltnDt", c.ISODate),
			opt("Frqcy", frequencyCode))
	} else {
		frequency := choice("Frequency36Choice",
			one("Tp", frequencyCode),
			one("Prd", seq("FrequencyPeriod1", one("Tp", frequencyCode), one("CntPerPrd", c.DecimalNumber))),
			one("PtInTm", seq("FrequencyAndMoment1", one("Tp", frequencyCode), one("PtInTm", exact2Numeric))))
		setupReason := choice("MandateSetupReason1Choice",
			one("Cd", schema.Code("ExternalMandateSetupReason1Code", 1, 4)), one("Prtry", c.Max70))
		amendment = seq("AmendmentInformationDetails13",
			opt("OrgnlMndtId", c.Max35),
			opt("OrgnlCdtrSchmeId", c.Party),
			opt("OrgnlCdtrAgt", c.Agent),
			opt("OrgnlCdtrAgtAcct", c.CashAccount),
			opt("OrgnlDbtr", c.Party),
			opt("OrgnlDbtrAcct", c.CashAccount),
			opt("OrgnlDbtrAgt", c.Agent),
			opt("OrgnlDbtrAgtAcct", c.CashAccount),
			opt("OrgnlFnlColltnDt", c.ISODate),
			opt("OrgnlFrqcy", frequency),
			opt("OrgnlRsn", setupReason),
			opt("OrgnlTrckgDays", exact2Numeric))
		mandate = seq("MandateRelatedInformation14",
			opt("MndtId", c.Max35),
			opt("DtOfSgntr", c.ISODate),
			opt("AmdmntInd", c.TrueFalse),
			opt("AmdmntInfDtls", amendment),
			opt("ElctrncSgntr", max1025),
			opt("FrstColltnDt", c.ISODate),
			opt("FnlColltnDt", c.ISODate),
			opt("Frqcy", frequency),
			opt("Rsn", setupReason),
			opt("TrckgDays", exact2Numeric))
	}
	directDebitName := "DirectDebitTransaction6"
	if v08 {
		directDebitName = "DirectDebitTransaction10"
	}
	directDebit := seq(directDebitName,
		opt("MndtRltdInf", mandate),
		opt("CdtrSchmeId", c.Party),
		opt("PreNtfctnId", c.Max35),
		opt("PreNtfctnDt", c.ISODate))

	// Transaction.
	transaction := []schema.Elem{
		one("PmtId", c.PaymentID),
		opt("PmtTpInf", paymentType),
		one("InstdAmt", c.Amount),
		opt("ChrgBr", c.ChargeBearer),
		opt("DrctDbtTx", directDebit),
		opt("UltmtCdtr", c.Party),
		one("DbtrAgt", c.Agent),
		opt("DbtrAgtAcct", c.CashAccount),
		one("Dbtr", c.Party),
		one("DbtrAcct", c.CashAccount),
		opt("UltmtDbtr", c.Party),
		opt("InstrForCdtrAgt", c.Max140),
		opt("Purp", c.Purpose),
		many("RgltryRptg", c.Regulatory, 0, 10),
		opt("Tax", c.Tax),
		many("RltdRmtInf", c.RemittanceLoc, 0, 10),
		opt("RmtInf", c.Remittance),
	}
	transactionName := "DirectDebitTransactionInformation9"
	if v08 {
		transaction = append(transaction, many("SplmtryData", c.Supplementary, 0, unbounded))
		transactionName = "DirectDebitTransactionInformation23"
	}

	// Payment information block.
	paymentName := "PaymentInstructionInformation4"
	if v08 {
		paymentName = "PaymentInstruction29"
	}
	payment := seq(paymentName,
		one("PmtInfId", c.Max35),
		one("PmtMtd", paymentMethod),
		opt("BtchBookg", c.BatchBooking),
		opt("NbOfTxs", c.Max15Numeric),
		opt("CtrlSum", c.DecimalNumber),
		opt("PmtTpInf", paymentType),
		one("ReqdColltnDt", c.ISODate),
		one("Cdtr", c.Party),
		one("CdtrAcct", c.CashAccount),
		one("CdtrAgt", c.Agent),
		opt("CdtrAgtAcct", c.CashAccount),
		opt("UltmtCdtr", c.Party),
		opt("ChrgBr", c.ChargeBearer),
		opt("ChrgsAcct", c.CashAccount),
		opt("ChrgsAcctAgt", c.Agent),
		opt("CdtrSchmeId", c.Party),
		many("DrctDbtTxInf", seq(transactionName, transaction...), 1, unbounded))

	initiation := seq("CustomerDirectDebitInitiationV02", one("GrpHdr", groupHeader), many("PmtInf", payment, 1, unbounded))
	if v08 {
		initiation = seq("CustomerDirectDebitInitiationV08",
			one("GrpHdr", groupHeader), many("PmtInf", payment, 1, unbounded), many("SplmtryData", c.Supplementary, 0, unbounded))
	}
	return seq("Document", one("CstmrDrctDbtInitn", initiation))
}
