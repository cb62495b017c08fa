package sepa

import "sync"

// schemaModels holds the two pain.008 models, built on first use.
var schemaModels = sync.OnceValue(func() map[Version]*schemaType {
	return map[Version]*schemaType{V02: schemaPain008(V02), V08: schemaPain008(V08)}
})

// schemaDocument returns the type of the Document element of version v.
func schemaDocument(v Version) *schemaType { return schemaModels()[v] }

// schemaPain008 writes down the CustomerDirectDebitInitiation message
// (ISO 20022 pain.008.001.02, 2009, and pain.008.001.08, 2019) element by
// element. Type names are the ISO ones, so that a type can be looked up in
// the message definition report. Where the two versions share a definition
// it is written once; where they differ, the v08 branch says how.
//
// The main differences: PostalAddress6 → 24 (BldgNm, Flr, PstBx, Room,
// TwnLctnNm, DstrctNm; AdrTp becomes a choice), BIC → BICFI with the 2014
// pattern and an LEI beside it, BICOrBEI → AnyBIC + LEI, ContactDetails2 →
// Contact4, CashAccount16 → 38 (Prxy, Tp code list external), UETR, several
// SvcLvl, SeqTp RPRE, Frequency and mandate setup reason as choices, TrckgDays,
// RemittanceLocation7, richer structured remittance (line details, discount
// and tax amount types, TaxRmt, GrnshmtRmt), Tax/AdmstnZn renamed AdmstnZone,
// and SupplementaryData.
func schemaPain008(v Version) *schemaType {
	v08 := v == V08
	seq, choice := schemaSeq, schemaChoiceOf
	one, opt, many := schemaOne, schemaOpt, schemaMany
	const unbounded = schemaUnbounded

	// Simple types.
	max4 := schemaText("Max4Text", 4)
	max10 := schemaText("Max10Text", 10)
	max16 := schemaText("Max16Text", 16)
	max34 := schemaText("Max34Text", 34)
	max35 := schemaText("Max35Text", 35)
	max70 := schemaText("Max70Text", 70)
	max128 := schemaText("Max128Text", 128)
	max140 := schemaText("Max140Text", 140)
	max350 := schemaText("Max350Text", 350)
	max1025 := schemaText("Max1025Text", 1025)
	max2048 := schemaText("Max2048Text", 2048)
	max15Numeric := schemaPattern("Max15NumericText", `[0-9]{1,15}`)
	exact2Numeric := schemaPattern("Exact2NumericText", `[0-9]{2}`)
	exact4AlphaNumeric := schemaPattern("Exact4AlphaNumericText", `[a-zA-Z0-9]{4}`)
	countryCode := schemaPattern("CountryCode", `[A-Z]{2,2}`)
	currencyCode := schemaPattern("ActiveOrHistoricCurrencyCode", `[A-Z]{3,3}`)
	iban := schemaPattern("IBAN2007Identifier", `[A-Z]{2,2}[0-9]{2,2}[a-zA-Z0-9]{1,30}`)
	lei := schemaPattern("LEIIdentifier", `[A-Z0-9]{18,18}[0-9]{2,2}`)
	uuid := schemaPattern("UUIDv4Identifier", `[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}`)
	phone := schemaPattern("PhoneNumber", `\+[0-9]{1,3}-[0-9()+\-]{1,30}`)
	const bic2009, bic2014 = `[A-Z]{6,6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3,3}){0,1}`, `[A-Z0-9]{4,4}[A-Z]{2,2}[A-Z0-9]{2,2}([A-Z0-9]{3,3}){0,1}`
	bic := schemaPattern("BICIdentifier", bic2009)
	anyBIC := schemaPattern("AnyBICIdentifier", bic2009)
	if v08 {
		bic = schemaPattern("BICFIDec2014Identifier", bic2014)
		anyBIC = schemaPattern("AnyBICDec2014Identifier", bic2014)
	}
	isoDate := schemaBuiltin("ISODate", schemaDate)
	isoDateTime := schemaBuiltin("ISODateTime", schemaDateTime)
	trueFalse := schemaBuiltin("TrueFalseIndicator", schemaBoolean)
	batchBooking := schemaBuiltin("BatchBookingIndicator", schemaBoolean)
	decimalNumber := schemaDecimalType("DecimalNumber", 18, 17, false)
	number := schemaDecimalType("Number", 18, 0, false)
	percentageRate := schemaDecimalType("PercentageRate", 11, 10, false)
	amount := schemaWithAttr("ActiveOrHistoricCurrencyAndAmount",
		schemaDecimalType("ActiveOrHistoricCurrencyAndAmount_SimpleType", 18, 5, true),
		"Ccy", currencyCode.facets, true)

	// External code lists: the values live outside the schema, only lengths here.
	extAccountID := schemaCode("ExternalAccountIdentification1Code", 1, 4)
	extCategoryPurpose := schemaCode("ExternalCategoryPurpose1Code", 1, 4)
	extClearingSystem := schemaCode("ExternalClearingSystemIdentification1Code", 1, 5)
	extFinInstnID := schemaCode("ExternalFinancialInstitutionIdentification1Code", 1, 4)
	extLocalInstrument := schemaCode("ExternalLocalInstrument1Code", 1, 35)
	extOrgID := schemaCode("ExternalOrganisationIdentification1Code", 1, 4)
	extPersonID := schemaCode("ExternalPersonIdentification1Code", 1, 4)
	extPurpose := schemaCode("ExternalPurpose1Code", 1, 4)
	extServiceLevel := schemaCode("ExternalServiceLevel1Code", 1, 4)

	// Code sets defined in the schema.
	addressType := schemaEnum("AddressType2Code", "ADDR", "PBOX", "HOME", "BIZZ", "MLTO", "DLVY")
	authorisationCode := schemaEnum("Authorisation1Code", "AUTH", "FDET", "FSUM", "ILEV")
	chargeBearer := schemaEnum("ChargeBearerType1Code", "DEBT", "CRED", "SHAR", "SLEV")
	creditDebit := schemaEnum("CreditDebitCode", "CRDT", "DBIT")
	documentType3 := schemaEnum("DocumentType3Code", "RADM", "RPIN", "FXDR", "DISP", "PUOR", "SCOR")
	paymentMethod := schemaEnum("PaymentMethod2Code", "DD")
	priority := schemaEnum("Priority2Code", "HIGH", "NORM")
	regulatoryReportingType := schemaEnum("RegulatoryReportingType1Code", "CRED", "DEBT", "BOTH")
	remittanceLocationMethod := schemaEnum("RemittanceLocationMethod2Code", "FAXI", "EDIC", "URID", "EMAL", "POST", "SMSM")
	taxRecordPeriod := schemaEnum("TaxRecordPeriod1Code",
		"MM01", "MM02", "MM03", "MM04", "MM05", "MM06", "MM07", "MM08", "MM09", "MM10", "MM11", "MM12",
		"QTR1", "QTR2", "QTR3", "QTR4", "HLF1", "HLF2")
	frequencyCode := schemaEnum("Frequency1Code", "YEAR", "MNTH", "QURT", "MIAN", "WEEK", "DAIL", "ADHO", "INDA")
	namePrefix := schemaEnum("NamePrefix1Code", "DOCT", "MIST", "MISS", "MADM")
	sequenceType := schemaEnum("SequenceType1Code", "FRST", "RCUR", "FNAL", "OOFF")
	documentTypeReferred := schemaEnum("DocumentType5Code",
		"MSIN", "CNFA", "DNFA", "CINV", "CREN", "DEBN", "HIRI", "SBIN", "CMCN", "SOAC", "DISP", "BOLD", "VCHR", "AROI", "TSUT")
	if v08 {
		frequencyCode = schemaEnum("Frequency6Code", "YEAR", "MNTH", "QURT", "MIAN", "WEEK", "DAIL", "ADHO", "INDA", "FRTN")
		namePrefix = schemaEnum("NamePrefix2Code", "DOCT", "MADM", "MISS", "MIST", "MIKS")
		sequenceType = schemaEnum("SequenceType3Code", "FRST", "RCUR", "FNAL", "OOFF", "RPRE")
		documentTypeReferred = schemaEnum("DocumentType6Code",
			"MSIN", "CNFA", "DNFA", "CINV", "CREN", "DEBN", "HIRI", "SBIN", "CMCN", "SOAC", "DISP", "BOLD", "VCHR", "AROI", "TSUT", "PUOR")
	}

	// Accounts.
	accountSchemeName := choice("AccountSchemeName1Choice", one("Cd", extAccountID), one("Prtry", max35))
	genericAccountID := seq("GenericAccountIdentification1",
		one("Id", max34), opt("SchmeNm", accountSchemeName), opt("Issr", max35))
	accountID := choice("AccountIdentification4Choice", one("IBAN", iban), one("Othr", genericAccountID))
	cashAccount := seq("CashAccount16",
		one("Id", accountID),
		opt("Tp", choice("CashAccountType2", one("Cd", schemaEnum("CashAccountType4Code",
			"CASH", "CHAR", "COMM", "TAXE", "CISH", "TRAS", "SACC", "CACC", "SVGS", "ONDP", "MGLD", "NREX", "MOMA", "LOAN", "SLRY", "ODFT")),
			one("Prtry", max35))),
		opt("Ccy", currencyCode),
		opt("Nm", max70))
	if v08 {
		proxy := seq("ProxyAccountIdentification1",
			opt("Tp", choice("ProxyAccountType1Choice", one("Cd", schemaCode("ExternalProxyAccountType1Code", 1, 4)), one("Prtry", max35))),
			one("Id", max2048))
		cashAccount = seq("CashAccount38",
			one("Id", accountID),
			opt("Tp", choice("CashAccountType2Choice", one("Cd", schemaCode("ExternalCashAccountType1Code", 1, 4)), one("Prtry", max35))),
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
	if v08 {
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
	if v08 {
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
	agent := seq(agentName, one("FinInstnId", finInstnID), opt("BrnchId", branch))

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
	if v08 {
		birthName = "DateAndPlaceOfBirth1"
	}
	birth := seq(birthName,
		one("BirthDt", isoDate), opt("PrvcOfBirth", max35), one("CityOfBirth", max35), one("CtryOfBirth", countryCode))
	var orgID, personID, partyChoice, contact *schemaType
	partyName := "PartyIdentification32"
	if !v08 {
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
			opt("PrefrdMtd", schemaEnum("PreferredContactMethod1Code", "LETT", "MAIL", "PHON", "FAXX", "CELL")))
		partyName = "PartyIdentification135"
	}
	party := seq(partyName,
		opt("Nm", max140),
		opt("PstlAdr", postalAddress),
		opt("Id", partyChoice),
		opt("CtryOfRes", countryCode),
		opt("CtctDtls", contact))

	// Group header.
	groupHeaderName := "GroupHeader39"
	if v08 {
		groupHeaderName = "GroupHeader83"
	}
	groupHeader := seq(groupHeaderName,
		one("MsgId", max35),
		one("CreDtTm", isoDateTime),
		many("Authstn", choice("Authorisation1Choice", one("Cd", authorisationCode), one("Prtry", max128)), 0, 2),
		one("NbOfTxs", max15Numeric),
		opt("CtrlSum", decimalNumber),
		one("InitgPty", party),
		opt("FwdgAgt", agent))

	// Payment type.
	serviceLevel := choice("ServiceLevel8Choice", one("Cd", extServiceLevel), one("Prtry", max35))
	localInstrument := choice("LocalInstrument2Choice", one("Cd", extLocalInstrument), one("Prtry", max35))
	categoryPurpose := choice("CategoryPurpose1Choice", one("Cd", extCategoryPurpose), one("Prtry", max35))
	paymentType := seq("PaymentTypeInformation20",
		opt("InstrPrty", priority),
		opt("SvcLvl", serviceLevel),
		opt("LclInstrm", localInstrument),
		opt("SeqTp", sequenceType),
		opt("CtgyPurp", categoryPurpose))
	if v08 {
		paymentType = seq("PaymentTypeInformation29",
			opt("InstrPrty", priority),
			many("SvcLvl", serviceLevel, 0, unbounded),
			opt("LclInstrm", localInstrument),
			opt("SeqTp", sequenceType),
			opt("CtgyPurp", categoryPurpose))
	}

	paymentID := seq("PaymentIdentification1", opt("InstrId", max35), one("EndToEndId", max35))
	if v08 {
		paymentID = seq("PaymentIdentification6", opt("InstrId", max35), one("EndToEndId", max35), opt("UETR", uuid))
	}

	// Mandate.
	var amendment, mandate *schemaType
	if !v08 {
		amendment = seq("AmendmentInformationDetails6",
			opt("OrgnlMndtId", max35),
			opt("OrgnlCdtrSchmeId", party),
			opt("OrgnlCdtrAgt", agent),
			opt("OrgnlCdtrAgtAcct", cashAccount),
			opt("OrgnlDbtr", party),
			opt("OrgnlDbtrAcct", cashAccount),
			opt("OrgnlDbtrAgt", agent),
			opt("OrgnlDbtrAgtAcct", cashAccount),
			opt("OrgnlFnlColltnDt", isoDate),
			opt("OrgnlFrqcy", frequencyCode))
		mandate = seq("MandateRelatedInformation6",
			opt("MndtId", max35),
			opt("DtOfSgntr", isoDate),
			opt("AmdmntInd", trueFalse),
			opt("AmdmntInfDtls", amendment),
			opt("ElctrncSgntr", max1025),
			opt("FrstColltnDt", isoDate),
			opt("FnlColltnDt", isoDate),
			opt("Frqcy", frequencyCode))
	} else {
		frequency := choice("Frequency36Choice",
			one("Tp", frequencyCode),
			one("Prd", seq("FrequencyPeriod1", one("Tp", frequencyCode), one("CntPerPrd", decimalNumber))),
			one("PtInTm", seq("FrequencyAndMoment1", one("Tp", frequencyCode), one("PtInTm", exact2Numeric))))
		setupReason := choice("MandateSetupReason1Choice",
			one("Cd", schemaCode("ExternalMandateSetupReason1Code", 1, 4)), one("Prtry", max70))
		amendment = seq("AmendmentInformationDetails13",
			opt("OrgnlMndtId", max35),
			opt("OrgnlCdtrSchmeId", party),
			opt("OrgnlCdtrAgt", agent),
			opt("OrgnlCdtrAgtAcct", cashAccount),
			opt("OrgnlDbtr", party),
			opt("OrgnlDbtrAcct", cashAccount),
			opt("OrgnlDbtrAgt", agent),
			opt("OrgnlDbtrAgtAcct", cashAccount),
			opt("OrgnlFnlColltnDt", isoDate),
			opt("OrgnlFrqcy", frequency),
			opt("OrgnlRsn", setupReason),
			opt("OrgnlTrckgDays", exact2Numeric))
		mandate = seq("MandateRelatedInformation14",
			opt("MndtId", max35),
			opt("DtOfSgntr", isoDate),
			opt("AmdmntInd", trueFalse),
			opt("AmdmntInfDtls", amendment),
			opt("ElctrncSgntr", max1025),
			opt("FrstColltnDt", isoDate),
			opt("FnlColltnDt", isoDate),
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
		opt("CdtrSchmeId", party),
		opt("PreNtfctnId", max35),
		opt("PreNtfctnDt", isoDate))

	// Regulatory reporting (identical in both versions).
	regulatoryReporting := seq("RegulatoryReporting3",
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
	if v08 {
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
	// taxInformation builds TaxInformation3 (v02, AdmstnZn), 7 (v08 remittance,
	// with UltmtDbtr) and 8 (v08 transaction).
	taxInformation := func(name string, ultimateDebtor bool) *schemaType {
		elems := []schemaElem{opt("Cdtr", taxParty1), opt("Dbtr", taxParty2)}
		if ultimateDebtor {
			elems = append(elems, opt("UltmtDbtr", taxParty2))
		}
		zone := "AdmstnZn"
		if v08 {
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
	tax := taxInformation("TaxInformation3", false)
	if v08 {
		tax = taxInformation("TaxInformation8", false)
	}

	// Related remittance information.
	remittanceLocation := seq("RemittanceLocation2",
		opt("RmtId", max35),
		opt("RmtLctnMtd", remittanceLocationMethod),
		opt("RmtLctnElctrncAdr", max2048),
		opt("RmtLctnPstlAdr", seq("NameAndAddress10", one("Nm", max140), one("Adr", postalAddress))))
	if v08 {
		remittanceLocation = seq("RemittanceLocation7",
			opt("RmtId", max35),
			many("RmtLctnDtls", seq("RemittanceLocationData1",
				one("Mtd", remittanceLocationMethod),
				opt("ElctrncAdr", max2048),
				opt("PstlAdr", seq("NameAndAddress16", one("Nm", max140), one("Adr", postalAddress)))), 0, unbounded))
	}

	// Remittance information.
	creditorReference := seq("CreditorReferenceInformation2",
		opt("Tp", seq("CreditorReferenceType2",
			one("CdOrPrtry", choice("CreditorReferenceType1Choice", one("Cd", documentType3), one("Prtry", max35))),
			opt("Issr", max35))),
		opt("Ref", max35))
	adjustment := seq("DocumentAdjustment1",
		one("Amt", amount), opt("CdtDbtInd", creditDebit), opt("Rsn", max4), opt("AddtlInf", max140))
	var structured *schemaType
	if !v08 {
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
			opt("Tp", choice("DiscountAmountType1Choice", one("Cd", schemaCode("ExternalDiscountAmountType1Code", 1, 4)), one("Prtry", max35))),
			one("Amt", amount))
		taxAmountAndType := seq("TaxAmountAndType1",
			opt("Tp", choice("TaxAmountType1Choice", one("Cd", schemaCode("ExternalTaxAmountType1Code", 1, 4)), one("Prtry", max35))),
			one("Amt", amount))
		remittanceAmount := func(name string) *schemaType {
			return seq(name,
				opt("DuePyblAmt", amount),
				many("DscntApldAmt", discount, 0, unbounded),
				opt("CdtNoteAmt", amount),
				many("TaxAmt", taxAmountAndType, 0, unbounded),
				many("AdjstmntAmtAndRsn", adjustment, 0, unbounded),
				opt("RmtdAmt", amount))
		}
		lineType := seq("DocumentLineType1",
			one("CdOrPrtry", choice("DocumentLineType1Choice", one("Cd", schemaCode("ExternalDocumentLineType1Code", 1, 4)), one("Prtry", max35))),
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
				one("CdOrPrtry", choice("GarnishmentType1Choice", one("Cd", schemaCode("ExternalGarnishmentType1Code", 1, 4)), one("Prtry", max35))),
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
	if v08 {
		remittanceName = "RemittanceInformation16"
	}
	remittance := seq(remittanceName, many("Ustrd", max140, 0, unbounded), many("Strd", structured, 0, unbounded))

	supplementary := seq("SupplementaryData1",
		opt("PlcAndNm", max350),
		one("Envlp", schemaAnyElement("SupplementaryDataEnvelope1")))

	// Transaction.
	transaction := []schemaElem{
		one("PmtId", paymentID),
		opt("PmtTpInf", paymentType),
		one("InstdAmt", amount),
		opt("ChrgBr", chargeBearer),
		opt("DrctDbtTx", directDebit),
		opt("UltmtCdtr", party),
		one("DbtrAgt", agent),
		opt("DbtrAgtAcct", cashAccount),
		one("Dbtr", party),
		one("DbtrAcct", cashAccount),
		opt("UltmtDbtr", party),
		opt("InstrForCdtrAgt", max140),
		opt("Purp", choice("Purpose2Choice", one("Cd", extPurpose), one("Prtry", max35))),
		many("RgltryRptg", regulatoryReporting, 0, 10),
		opt("Tax", tax),
		many("RltdRmtInf", remittanceLocation, 0, 10),
		opt("RmtInf", remittance),
	}
	transactionName := "DirectDebitTransactionInformation9"
	if v08 {
		transaction = append(transaction, many("SplmtryData", supplementary, 0, unbounded))
		transactionName = "DirectDebitTransactionInformation23"
	}

	// Payment information block.
	paymentName := "PaymentInstructionInformation4"
	if v08 {
		paymentName = "PaymentInstruction29"
	}
	payment := seq(paymentName,
		one("PmtInfId", max35),
		one("PmtMtd", paymentMethod),
		opt("BtchBookg", batchBooking),
		opt("NbOfTxs", max15Numeric),
		opt("CtrlSum", decimalNumber),
		opt("PmtTpInf", paymentType),
		one("ReqdColltnDt", isoDate),
		one("Cdtr", party),
		one("CdtrAcct", cashAccount),
		one("CdtrAgt", agent),
		opt("CdtrAgtAcct", cashAccount),
		opt("UltmtCdtr", party),
		opt("ChrgBr", chargeBearer),
		opt("ChrgsAcct", cashAccount),
		opt("ChrgsAcctAgt", agent),
		opt("CdtrSchmeId", party),
		many("DrctDbtTxInf", seq(transactionName, transaction...), 1, unbounded))

	initiation := seq("CustomerDirectDebitInitiationV02", one("GrpHdr", groupHeader), many("PmtInf", payment, 1, unbounded))
	if v08 {
		initiation = seq("CustomerDirectDebitInitiationV08",
			one("GrpHdr", groupHeader), many("PmtInf", payment, 1, unbounded), many("SplmtryData", supplementary, 0, unbounded))
	}
	return seq("Document", one("CstmrDrctDbtInitn", initiation))
}
