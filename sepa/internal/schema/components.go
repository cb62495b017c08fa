package schema

// Components are the ISO 20022 message components that the customer payment
// initiations share: pain.001.001.03 and pain.008.001.02 (2009) are built
// from the same definitions, and so are pain.001.001.09 and pain.008.001.08
// (2019). Each is written here once, under its ISO name, so that a message
// model only adds what is its own (the transaction, the payment block, the
// mandate or the cheque). CompareXSD checks every model built on them
// against its official schema.
type Components struct {
	Y2019 bool // the 2019 definitions (pain.001.001.09, pain.008.001.08)

	Max35, Max70, Max128, Max140, Max350 *Type
	Max15Numeric                         *Type // NbOfTxs
	CountryCode, CurrencyCode            *Type
	ISODate, ISODateTime, TrueFalse      *Type
	BatchBooking                         *Type
	DecimalNumber                        *Type // CtrlSum
	Amount                               *Type // ActiveOrHistoricCurrencyAndAmount, with its Ccy attribute
	Priority, ChargeBearer               *Type // Priority2Code, ChargeBearerType1Code

	Authorisation   *Type // Authorisation1Choice (GrpHdr/Authstn)
	PostalAddress   *Type // PostalAddress6 / 24
	NameAndAddress  *Type // NameAndAddress10 / 16
	Agent           *Type // BranchAndFinancialInstitutionIdentification4 / 6
	CashAccount     *Type // CashAccount16 / 38
	Party           *Type // PartyIdentification32 / 135
	PaymentID       *Type // PaymentIdentification1 / 6
	ServiceLevel    *Type // ServiceLevel8Choice
	LocalInstrument *Type // LocalInstrument2Choice
	CategoryPurpose *Type // CategoryPurpose1Choice
	Purpose         *Type // Purpose2Choice
	Regulatory      *Type // RegulatoryReporting3
	Tax             *Type // TaxInformation3 / 8, at transaction level
	RemittanceLoc   *Type // RemittanceLocation2 / 7
	Remittance      *Type // RemittanceInformation5 / 16
	Supplementary   *Type // SupplementaryData1 (2019 only)
}

// NewComponents builds the 2009 components, or the 2019 ones when y2019.
// The main differences: PostalAddress6 → 24 (BldgNm, Flr, PstBx, Room,
// TwnLctnNm, DstrctNm; AdrTp becomes a choice), BIC → BICFI with the 2014
// pattern and an LEI beside it, BICOrBEI → AnyBIC + LEI, ContactDetails2 →
// Contact4, CashAccount16 → 38 (Prxy, Tp code list external), UETR,
// RemittanceLocation7, richer structured remittance (line details, discount
// and tax amount types, TaxRmt, GrnshmtRmt), Tax/AdmstnZn renamed
// AdmstnZone, and SupplementaryData.
func NewComponents(y2019 bool) *Components {
	c := &Components{Y2019: y2019}
	seq, choice := Seq, Choice
	one, opt, many := One, Opt, Many
	const unbounded = Unbounded

	// Simple types.
	max4 := Text("Max4Text", 4)
	max10 := Text("Max10Text", 10)
	max16 := Text("Max16Text", 16)
	max34 := Text("Max34Text", 34)
	max35 := Text("Max35Text", 35)
	max70 := Text("Max70Text", 70)
	max128 := Text("Max128Text", 128)
	max140 := Text("Max140Text", 140)
	max350 := Text("Max350Text", 350)
	max2048 := Text("Max2048Text", 2048)
	c.Max35, c.Max70, c.Max128, c.Max140, c.Max350 = max35, max70, max128, max140, max350
	c.Max15Numeric = Pattern("Max15NumericText", `[0-9]{1,15}`)
	exact4AlphaNumeric := Pattern("Exact4AlphaNumericText", `[a-zA-Z0-9]{4}`)
	countryCode := Pattern("CountryCode", `[A-Z]{2,2}`)
	currencyCode := Pattern("ActiveOrHistoricCurrencyCode", `[A-Z]{3,3}`)
	c.CountryCode, c.CurrencyCode = countryCode, currencyCode
	iban := Pattern("IBAN2007Identifier", `[A-Z]{2,2}[0-9]{2,2}[a-zA-Z0-9]{1,30}`)
	lei := Pattern("LEIIdentifier", `[A-Z0-9]{18,18}[0-9]{2,2}`)
	uuid := Pattern("UUIDv4Identifier", `[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}`)
	phone := Pattern("PhoneNumber", `\+[0-9]{1,3}-[0-9()+\-]{1,30}`)
	const bic2009, bic2014 = `[A-Z]{6,6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3,3}){0,1}`, `[A-Z0-9]{4,4}[A-Z]{2,2}[A-Z0-9]{2,2}([A-Z0-9]{3,3}){0,1}`
	bic := Pattern("BICIdentifier", bic2009)
	anyBIC := Pattern("AnyBICIdentifier", bic2009)
	if y2019 {
		bic = Pattern("BICFIDec2014Identifier", bic2014)
		anyBIC = Pattern("AnyBICDec2014Identifier", bic2014)
	}
	isoDate := Builtin("ISODate", Date)
	c.ISODate = isoDate
	c.ISODateTime = Builtin("ISODateTime", DateTime)
	trueFalse := Builtin("TrueFalseIndicator", Boolean)
	c.TrueFalse = trueFalse
	c.BatchBooking = Builtin("BatchBookingIndicator", Boolean)
	c.DecimalNumber = DecimalType("DecimalNumber", 18, 17, false)
	number := DecimalType("Number", 18, 0, false)
	percentageRate := DecimalType("PercentageRate", 11, 10, false)
	amount := WithAttr("ActiveOrHistoricCurrencyAndAmount",
		DecimalType("ActiveOrHistoricCurrencyAndAmount_SimpleType", 18, 5, true),
		"Ccy", currencyCode, true)
	c.Amount = amount

	// External code lists: the values live outside the schema, only lengths here.
	extAccountID := Code("ExternalAccountIdentification1Code", 1, 4)
	extCategoryPurpose := Code("ExternalCategoryPurpose1Code", 1, 4)
	extClearingSystem := Code("ExternalClearingSystemIdentification1Code", 1, 5)
	extFinInstnID := Code("ExternalFinancialInstitutionIdentification1Code", 1, 4)
	extLocalInstrument := Code("ExternalLocalInstrument1Code", 1, 35)
	extOrgID := Code("ExternalOrganisationIdentification1Code", 1, 4)
	extPersonID := Code("ExternalPersonIdentification1Code", 1, 4)
	extPurpose := Code("ExternalPurpose1Code", 1, 4)
	extServiceLevel := Code("ExternalServiceLevel1Code", 1, 4)

	// Code sets defined in the schemas.
	addressType := Enum("AddressType2Code", "ADDR", "PBOX", "HOME", "BIZZ", "MLTO", "DLVY")
	authorisationCode := Enum("Authorisation1Code", "AUTH", "FDET", "FSUM", "ILEV")
	c.ChargeBearer = Enum("ChargeBearerType1Code", "DEBT", "CRED", "SHAR", "SLEV")
	creditDebit := Enum("CreditDebitCode", "CRDT", "DBIT")
	documentType3 := Enum("DocumentType3Code", "RADM", "RPIN", "FXDR", "DISP", "PUOR", "SCOR")
	c.Priority = Enum("Priority2Code", "HIGH", "NORM")
	regulatoryReportingType := Enum("RegulatoryReportingType1Code", "CRED", "DEBT", "BOTH")
	remittanceLocationMethod := Enum("RemittanceLocationMethod2Code", "FAXI", "EDIC", "URID", "EMAL", "POST", "SMSM")
	taxRecordPeriod := Enum("TaxRecordPeriod1Code",
		"MM01", "MM02", "MM03", "MM04", "MM05", "MM06", "MM07", "MM08", "MM09", "MM10", "MM11", "MM12",
		"QTR1", "QTR2", "QTR3", "QTR4", "HLF1", "HLF2")
	namePrefix := Enum("NamePrefix1Code", "DOCT", "MIST", "MISS", "MADM")
	documentTypeReferred := Enum("DocumentType5Code",
		"MSIN", "CNFA", "DNFA", "CINV", "CREN", "DEBN", "HIRI", "SBIN", "CMCN", "SOAC", "DISP", "BOLD", "VCHR", "AROI", "TSUT")
	if y2019 {
		namePrefix = Enum("NamePrefix2Code", "DOCT", "MADM", "MISS", "MIST", "MIKS")
		documentTypeReferred = Enum("DocumentType6Code",
			"MSIN", "CNFA", "DNFA", "CINV", "CREN", "DEBN", "HIRI", "SBIN", "CMCN", "SOAC", "DISP", "BOLD", "VCHR", "AROI", "TSUT", "PUOR")
	}
	c.Authorisation = choice("Authorisation1Choice", one("Cd", authorisationCode), one("Prtry", max128))

	// Accounts.
	accountSchemeName := choice("AccountSchemeName1Choice", one("Cd", extAccountID), one("Prtry", max35))
	genericAccountID := seq("GenericAccountIdentification1",
		one("Id", max34), opt("SchmeNm", accountSchemeName), opt("Issr", max35))
	accountID := choice("AccountIdentification4Choice", one("IBAN", iban), one("Othr", genericAccountID))
	c.CashAccount = seq("CashAccount16",
		one("Id", accountID),
		opt("Tp", choice("CashAccountType2", one("Cd", Enum("CashAccountType4Code",
			"CASH", "CHAR", "COMM", "TAXE", "CISH", "TRAS", "SACC", "CACC", "SVGS", "ONDP", "MGLD", "NREX", "MOMA", "LOAN", "SLRY", "ODFT")),
			one("Prtry", max35))),
		opt("Ccy", currencyCode),
		opt("Nm", max70))
	if y2019 {
		proxy := seq("ProxyAccountIdentification1",
			opt("Tp", choice("ProxyAccountType1Choice", one("Cd", Code("ExternalProxyAccountType1Code", 1, 4)), one("Prtry", max35))),
			one("Id", max2048))
		c.CashAccount = seq("CashAccount38",
			one("Id", accountID),
			opt("Tp", choice("CashAccountType2Choice", one("Cd", Code("ExternalCashAccountType1Code", 1, 4)), one("Prtry", max35))),
			opt("Ccy", currencyCode),
			opt("Nm", max70),
			opt("Prxy", proxy))
	}

	// Postal addresses.
	postalAddress := seq("PostalAddress6",
		opt("AdrTp", addressType),
		opt("Dept", max70),
		opt("SubDept", max70),
		opt("StrtNm", max70),
		opt("BldgNb", max16),
		opt("PstCd", max16),
		opt("TwnNm", max35),
		opt("CtrySubDvsn", max35),
		opt("Ctry", countryCode),
		many("AdrLine", max70, 0, 7))
	if y2019 {
		genericID30 := seq("GenericIdentification30", one("Id", exact4AlphaNumeric), one("Issr", max35), opt("SchmeNm", max35))
		postalAddress = seq("PostalAddress24",
			opt("AdrTp", choice("AddressType3Choice", one("Cd", addressType), one("Prtry", genericID30))),
			opt("Dept", max70),
			opt("SubDept", max70),
			opt("StrtNm", max70),
			opt("BldgNb", max16),
			opt("BldgNm", max35),
			opt("Flr", max70),
			opt("PstBx", max16),
			opt("Room", max70),
			opt("PstCd", max16),
			opt("TwnNm", max35),
			opt("TwnLctnNm", max35),
			opt("DstrctNm", max35),
			opt("CtrySubDvsn", max35),
			opt("Ctry", countryCode),
			many("AdrLine", max70, 0, 7))
	}
	c.PostalAddress = postalAddress
	c.NameAndAddress = seq("NameAndAddress10", one("Nm", max140), one("Adr", postalAddress))
	if y2019 {
		c.NameAndAddress = seq("NameAndAddress16", one("Nm", max140), one("Adr", postalAddress))
	}

	// Financial institutions.
	clearingSystemMember := seq("ClearingSystemMemberIdentification2",
		opt("ClrSysId", choice("ClearingSystemIdentification2Choice", one("Cd", extClearingSystem), one("Prtry", max35))),
		one("MmbId", max35))
	genericFinancialID := seq("GenericFinancialIdentification1",
		one("Id", max35),
		opt("SchmeNm", choice("FinancialIdentificationSchemeName1Choice", one("Cd", extFinInstnID), one("Prtry", max35))),
		opt("Issr", max35))
	finInstnID := seq("FinancialInstitutionIdentification7",
		opt("BIC", bic),
		opt("ClrSysMmbId", clearingSystemMember),
		opt("Nm", max140),
		opt("PstlAdr", postalAddress),
		opt("Othr", genericFinancialID))
	branch := seq("BranchData2", opt("Id", max35), opt("Nm", max140), opt("PstlAdr", postalAddress))
	agentName := "BranchAndFinancialInstitutionIdentification4"
	if y2019 {
		finInstnID = seq("FinancialInstitutionIdentification18",
			opt("BICFI", bic),
			opt("ClrSysMmbId", clearingSystemMember),
			opt("LEI", lei),
			opt("Nm", max140),
			opt("PstlAdr", postalAddress),
			opt("Othr", genericFinancialID))
		branch = seq("BranchData3", opt("Id", max35), opt("LEI", lei), opt("Nm", max140), opt("PstlAdr", postalAddress))
		agentName = "BranchAndFinancialInstitutionIdentification6"
	}
	c.Agent = seq(agentName, one("FinInstnId", finInstnID), opt("BrnchId", branch))

	// Parties.
	genericOrgID := seq("GenericOrganisationIdentification1",
		one("Id", max35),
		opt("SchmeNm", choice("OrganisationIdentificationSchemeName1Choice", one("Cd", extOrgID), one("Prtry", max35))),
		opt("Issr", max35))
	genericPersonID := seq("GenericPersonIdentification1",
		one("Id", max35),
		opt("SchmeNm", choice("PersonIdentificationSchemeName1Choice", one("Cd", extPersonID), one("Prtry", max35))),
		opt("Issr", max35))
	birthName := "DateAndPlaceOfBirth"
	if y2019 {
		birthName = "DateAndPlaceOfBirth1"
	}
	birth := seq(birthName,
		one("BirthDt", isoDate), opt("PrvcOfBirth", max35), one("CityOfBirth", max35), one("CtryOfBirth", countryCode))
	var orgID, personID, partyChoice, contact *Type
	partyName := "PartyIdentification32"
	if !y2019 {
		orgID = seq("OrganisationIdentification4", opt("BICOrBEI", anyBIC), many("Othr", genericOrgID, 0, unbounded))
		personID = seq("PersonIdentification5", opt("DtAndPlcOfBirth", birth), many("Othr", genericPersonID, 0, unbounded))
		partyChoice = choice("Party6Choice", one("OrgId", orgID), one("PrvtId", personID))
		contact = seq("ContactDetails2",
			opt("NmPrfx", namePrefix),
			opt("Nm", max140),
			opt("PhneNb", phone),
			opt("MobNb", phone),
			opt("FaxNb", phone),
			opt("EmailAdr", max2048),
			opt("Othr", max35))
	} else {
		orgID = seq("OrganisationIdentification29", opt("AnyBIC", anyBIC), opt("LEI", lei), many("Othr", genericOrgID, 0, unbounded))
		personID = seq("PersonIdentification13", opt("DtAndPlcOfBirth", birth), many("Othr", genericPersonID, 0, unbounded))
		partyChoice = choice("Party38Choice", one("OrgId", orgID), one("PrvtId", personID))
		contact = seq("Contact4",
			opt("NmPrfx", namePrefix),
			opt("Nm", max140),
			opt("PhneNb", phone),
			opt("MobNb", phone),
			opt("FaxNb", phone),
			opt("EmailAdr", max2048),
			opt("EmailPurp", max35),
			opt("JobTitl", max35),
			opt("Rspnsblty", max35),
			opt("Dept", max70),
			many("Othr", seq("OtherContact1", one("ChanlTp", max4), opt("Id", max128)), 0, unbounded),
			opt("PrefrdMtd", Enum("PreferredContactMethod1Code", "LETT", "MAIL", "PHON", "FAXX", "CELL")))
		partyName = "PartyIdentification135"
	}
	party := seq(partyName,
		opt("Nm", max140),
		opt("PstlAdr", postalAddress),
		opt("Id", partyChoice),
		opt("CtryOfRes", countryCode),
		opt("CtctDtls", contact))
	c.Party = party

	// Payment type and identification.
	c.ServiceLevel = choice("ServiceLevel8Choice", one("Cd", extServiceLevel), one("Prtry", max35))
	c.LocalInstrument = choice("LocalInstrument2Choice", one("Cd", extLocalInstrument), one("Prtry", max35))
	c.CategoryPurpose = choice("CategoryPurpose1Choice", one("Cd", extCategoryPurpose), one("Prtry", max35))
	c.Purpose = choice("Purpose2Choice", one("Cd", extPurpose), one("Prtry", max35))
	c.PaymentID = seq("PaymentIdentification1", opt("InstrId", max35), one("EndToEndId", max35))
	if y2019 {
		c.PaymentID = seq("PaymentIdentification6", opt("InstrId", max35), one("EndToEndId", max35), opt("UETR", uuid))
	}

	// Regulatory reporting (identical in both years).
	c.Regulatory = seq("RegulatoryReporting3",
		opt("DbtCdtRptgInd", regulatoryReportingType),
		opt("Authrty", seq("RegulatoryAuthority2", opt("Nm", max140), opt("Ctry", countryCode))),
		many("Dtls", seq("StructuredRegulatoryReporting3",
			opt("Tp", max35),
			opt("Dt", isoDate),
			opt("Ctry", countryCode),
			opt("Cd", max10),
			opt("Amt", amount),
			many("Inf", max35, 0, unbounded)), 0, unbounded))

	// Tax.
	taxParty1 := seq("TaxParty1", opt("TaxId", max35), opt("RegnId", max35), opt("TaxTp", max35))
	taxParty2 := seq("TaxParty2", opt("TaxId", max35), opt("RegnId", max35), opt("TaxTp", max35),
		opt("Authstn", seq("TaxAuthorisation1", opt("Titl", max35), opt("Nm", max140))))
	periodName, taxPeriodName, taxDetailsName, taxAmountName, taxRecordName := "DatePeriodDetails", "TaxPeriod1", "TaxRecordDetails1", "TaxAmount1", "TaxRecord1"
	if y2019 {
		periodName, taxPeriodName, taxDetailsName, taxAmountName, taxRecordName = "DatePeriod2", "TaxPeriod2", "TaxRecordDetails2", "TaxAmount2", "TaxRecord2"
	}
	taxPeriod := seq(taxPeriodName,
		opt("Yr", isoDate),
		opt("Tp", taxRecordPeriod),
		opt("FrToDt", seq(periodName, one("FrDt", isoDate), one("ToDt", isoDate))))
	taxAmount := seq(taxAmountName,
		opt("Rate", percentageRate),
		opt("TaxblBaseAmt", amount),
		opt("TtlAmt", amount),
		many("Dtls", seq(taxDetailsName, opt("Prd", taxPeriod), one("Amt", amount)), 0, unbounded))
	taxRecord := seq(taxRecordName,
		opt("Tp", max35),
		opt("Ctgy", max35),
		opt("CtgyDtls", max35),
		opt("DbtrSts", max35),
		opt("CertId", max35),
		opt("FrmsCd", max35),
		opt("Prd", taxPeriod),
		opt("TaxAmt", taxAmount),
		opt("AddtlInf", max140))
	// taxInformation builds TaxInformation3 (2009, AdmstnZn), 7 (2019
	// remittance, with UltmtDbtr) and 8 (2019 transaction).
	taxInformation := func(name string, ultimateDebtor bool) *Type {
		elems := []Elem{opt("Cdtr", taxParty1), opt("Dbtr", taxParty2)}
		if ultimateDebtor {
			elems = append(elems, opt("UltmtDbtr", taxParty2))
		}
		zone := "AdmstnZn"
		if y2019 {
			zone = "AdmstnZone"
		}
		elems = append(elems,
			opt(zone, max35),
			opt("RefNb", max140),
			opt("Mtd", max35),
			opt("TtlTaxblBaseAmt", amount),
			opt("TtlTaxAmt", amount),
			opt("Dt", isoDate),
			opt("SeqNb", number),
			many("Rcrd", taxRecord, 0, unbounded))
		return seq(name, elems...)
	}
	c.Tax = taxInformation("TaxInformation3", false)
	if y2019 {
		c.Tax = taxInformation("TaxInformation8", false)
	}

	// Related remittance information.
	c.RemittanceLoc = seq("RemittanceLocation2",
		opt("RmtId", max35),
		opt("RmtLctnMtd", remittanceLocationMethod),
		opt("RmtLctnElctrncAdr", max2048),
		opt("RmtLctnPstlAdr", c.NameAndAddress))
	if y2019 {
		c.RemittanceLoc = seq("RemittanceLocation7",
			opt("RmtId", max35),
			many("RmtLctnDtls", seq("RemittanceLocationData1",
				one("Mtd", remittanceLocationMethod),
				opt("ElctrncAdr", max2048),
				opt("PstlAdr", c.NameAndAddress)), 0, unbounded))
	}

	// Remittance information.
	creditorReference := seq("CreditorReferenceInformation2",
		opt("Tp", seq("CreditorReferenceType2",
			one("CdOrPrtry", choice("CreditorReferenceType1Choice", one("Cd", documentType3), one("Prtry", max35))),
			opt("Issr", max35))),
		opt("Ref", max35))
	adjustment := seq("DocumentAdjustment1",
		one("Amt", amount), opt("CdtDbtInd", creditDebit), opt("Rsn", max4), opt("AddtlInf", max140))
	var structured *Type
	if !y2019 {
		referredDocument := seq("ReferredDocumentInformation3",
			opt("Tp", seq("ReferredDocumentType2",
				one("CdOrPrtry", choice("ReferredDocumentType1Choice", one("Cd", documentTypeReferred), one("Prtry", max35))),
				opt("Issr", max35))),
			opt("Nb", max35),
			opt("RltdDt", isoDate))
		remittanceAmount := seq("RemittanceAmount1",
			opt("DuePyblAmt", amount),
			opt("DscntApldAmt", amount),
			opt("CdtNoteAmt", amount),
			opt("TaxAmt", amount),
			many("AdjstmntAmtAndRsn", adjustment, 0, unbounded),
			opt("RmtdAmt", amount))
		structured = seq("StructuredRemittanceInformation7",
			many("RfrdDocInf", referredDocument, 0, unbounded),
			opt("RfrdDocAmt", remittanceAmount),
			opt("CdtrRefInf", creditorReference),
			opt("Invcr", party),
			opt("Invcee", party),
			many("AddtlRmtInf", max140, 0, 3))
	} else {
		discount := seq("DiscountAmountAndType1",
			opt("Tp", choice("DiscountAmountType1Choice", one("Cd", Code("ExternalDiscountAmountType1Code", 1, 4)), one("Prtry", max35))),
			one("Amt", amount))
		taxAmountAndType := seq("TaxAmountAndType1",
			opt("Tp", choice("TaxAmountType1Choice", one("Cd", Code("ExternalTaxAmountType1Code", 1, 4)), one("Prtry", max35))),
			one("Amt", amount))
		remittanceAmount := func(name string) *Type {
			return seq(name,
				opt("DuePyblAmt", amount),
				many("DscntApldAmt", discount, 0, unbounded),
				opt("CdtNoteAmt", amount),
				many("TaxAmt", taxAmountAndType, 0, unbounded),
				many("AdjstmntAmtAndRsn", adjustment, 0, unbounded),
				opt("RmtdAmt", amount))
		}
		lineType := seq("DocumentLineType1",
			one("CdOrPrtry", choice("DocumentLineType1Choice", one("Cd", Code("ExternalDocumentLineType1Code", 1, 4)), one("Prtry", max35))),
			opt("Issr", max35))
		lineDetails := seq("DocumentLineInformation1",
			many("Id", seq("DocumentLineIdentification1", opt("Tp", lineType), opt("Nb", max35), opt("RltdDt", isoDate)), 1, unbounded),
			opt("Desc", max2048),
			opt("Amt", remittanceAmount("RemittanceAmount3")))
		referredDocument := seq("ReferredDocumentInformation7",
			opt("Tp", seq("ReferredDocumentType4",
				one("CdOrPrtry", choice("ReferredDocumentType3Choice", one("Cd", documentTypeReferred), one("Prtry", max35))),
				opt("Issr", max35))),
			opt("Nb", max35),
			opt("RltdDt", isoDate),
			many("LineDtls", lineDetails, 0, unbounded))
		garnishment := seq("Garnishment3",
			one("Tp", seq("GarnishmentType1",
				one("CdOrPrtry", choice("GarnishmentType1Choice", one("Cd", Code("ExternalGarnishmentType1Code", 1, 4)), one("Prtry", max35))),
				opt("Issr", max35))),
			opt("Grnshee", party),
			opt("GrnshmtAdmstr", party),
			opt("RefNb", max140),
			opt("Dt", isoDate),
			opt("RmtdAmt", amount),
			opt("FmlyMdclInsrncInd", trueFalse),
			opt("MplyeeTermntnInd", trueFalse))
		structured = seq("StructuredRemittanceInformation16",
			many("RfrdDocInf", referredDocument, 0, unbounded),
			opt("RfrdDocAmt", remittanceAmount("RemittanceAmount2")),
			opt("CdtrRefInf", creditorReference),
			opt("Invcr", party),
			opt("Invcee", party),
			opt("TaxRmt", taxInformation("TaxInformation7", true)),
			opt("GrnshmtRmt", garnishment),
			many("AddtlRmtInf", max140, 0, 3))
	}
	remittanceName := "RemittanceInformation5"
	if y2019 {
		remittanceName = "RemittanceInformation16"
	}
	c.Remittance = seq(remittanceName, many("Ustrd", max140, 0, unbounded), many("Strd", structured, 0, unbounded))

	if y2019 {
		c.Supplementary = seq("SupplementaryData1",
			opt("PlcAndNm", max350),
			one("Envlp", Any("SupplementaryDataEnvelope1")))
	}
	return c
}

// GroupHeader returns the GrpHdr of the initiations, the same elements
// under four ISO names: GroupHeader32 (pain.001.001.03), GroupHeader39
// (pain.008.001.02), GroupHeader83 (pain.008.001.08) and GroupHeader85
// (pain.001.001.09).
func (c *Components) GroupHeader(name string) *Type {
	return Seq(name,
		One("MsgId", c.Max35),
		One("CreDtTm", c.ISODateTime),
		Many("Authstn", c.Authorisation, 0, 2),
		One("NbOfTxs", c.Max15Numeric),
		Opt("CtrlSum", c.DecimalNumber),
		One("InitgPty", c.Party),
		Opt("FwdgAgt", c.Agent))
}
