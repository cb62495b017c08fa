package pain008

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/internal/initiation/initiationtest"
)

func TestRuleTransaction(t *testing.T) {
	m := exampleMessage()
	pi, h := m.blocks[0].PI, m.h
	base := m.blocks[0].Txs[0]
	early := pi
	early.CollectionDate = initiationtest.Day(2026, 11, 13)
	monaco := pi
	monaco.CreditorIBAN = "MC5811222000010123456789030"
	linesOnly := sepa.Address{Country: "FR", Lines: []string{"3 place des Terreaux", "69001 Lyon"}}

	tests := []struct {
		name   string
		change func(*Transaction)
		pi     *PaymentInfo
		want   []error
	}{
		{"valid", func(*Transaction) {}, nil, nil},
		{"no BIC, no address, no remittance", func(tx *Transaction) {
			tx.DebtorBIC, tx.Debtor.Address, tx.CreditorReference, tx.Purpose, tx.InstrID = "", sepa.Address{}, "", "", ""
		}, nil, nil},
		{"end-to-end id missing", func(tx *Transaction) { tx.EndToEndID = "" }, nil, []error{sepa.ErrIdentifier}},
		{"end-to-end id leading slash", func(tx *Transaction) { tx.EndToEndID = "/INV-1" }, nil, []error{sepa.ErrIdentifier}},
		{"end-to-end id trailing slash", func(tx *Transaction) { tx.EndToEndID = "INV-1/" }, nil, []error{sepa.ErrIdentifier}},
		{"end-to-end id double slash", func(tx *Transaction) { tx.EndToEndID = "INV//1" }, nil, []error{sepa.ErrIdentifier}},
		{"end-to-end id 36 chars", func(tx *Transaction) { tx.EndToEndID = strings.Repeat("A", 36) }, nil, []error{sepa.ErrIdentifier}},
		{"end-to-end id 35 chars", func(tx *Transaction) { tx.EndToEndID = strings.Repeat("A", 35) }, nil, nil},
		{"end-to-end id underscore", func(tx *Transaction) { tx.EndToEndID = "INV_1" }, nil, []error{sepa.ErrIdentifier}},
		{"end-to-end id accent", func(tx *Transaction) { tx.EndToEndID = "FACTURE-É" }, nil, []error{sepa.ErrIdentifier}},
		{"end-to-end id ampersand", func(tx *Transaction) { tx.EndToEndID = "A&B" }, nil, []error{sepa.ErrIdentifier}},
		{"end-to-end id spaces around", func(tx *Transaction) { tx.EndToEndID = " INV-1" }, nil, []error{sepa.ErrIdentifier}},
		{"instruction id invalid", func(tx *Transaction) { tx.InstrID = "A//B" }, nil, []error{sepa.ErrIdentifier}},
		{"amount zero", func(tx *Transaction) { tx.Amount = 0 }, nil, []error{sepa.ErrAmount}},
		{"amount negative", func(tx *Transaction) { tx.Amount = -100 }, nil, []error{sepa.ErrAmount}},
		{"amount too large", func(tx *Transaction) { tx.Amount = sepa.MaxAmount + 1 }, nil, []error{sepa.ErrAmount}},
		{"amount smallest", func(tx *Transaction) { tx.Amount = 1 }, nil, nil},
		{"amount largest", func(tx *Transaction) { tx.Amount = sepa.MaxAmount }, nil, nil},
		{"mandate id missing", func(tx *Transaction) { tx.MandateID = "" }, nil, []error{ErrMandate}},
		{"mandate id invalid", func(tx *Transaction) { tx.MandateID = "RUM_1" }, nil, []error{ident.ErrCharacters}},
		{"signature date missing", func(tx *Transaction) { tx.MandateSigned = time.Time{} }, nil, []error{ErrMandate}},
		{"signature date in the future", func(tx *Transaction) { tx.MandateSigned = initiationtest.Day(2026, 11, 28) }, nil, []error{ErrMandate}},
		{"signed the day the file is made", func(tx *Transaction) { tx.MandateSigned = initiationtest.Day(2026, 11, 27) }, nil, nil},
		{"amendment empty", func(tx *Transaction) { tx.Amendment = &Amendment{} }, nil, []error{ErrAmendment}},
		{"amendment SMNDA", func(tx *Transaction) { tx.Amendment = &Amendment{NewDebtorAccount: true} }, nil, nil},
		{"amendment all but SMNDA", func(tx *Transaction) {
			tx.Amendment = &Amendment{OriginalMandateID: "OLD-1", OriginalCreditorSchemeID: "DE98ZZZ09999999999",
				OriginalCreditorName: "Old name", OriginalDebtorIBAN: "DE89370400440532013000"}
		}, nil, nil},
		{"amendment same mandate id", func(tx *Transaction) { tx.Amendment = &Amendment{OriginalMandateID: tx.MandateID} }, nil, []error{ErrAmendment}},
		{"amendment bad mandate id", func(tx *Transaction) { tx.Amendment = &Amendment{OriginalMandateID: "OLD//1"} }, nil, []error{ident.ErrFormat}},
		{"amendment bad ICS", func(tx *Transaction) { tx.Amendment = &Amendment{OriginalCreditorSchemeID: "FR73ZZZ123456"} }, nil, []error{ident.ErrCheckDigits}},
		{"amendment same ICS", func(tx *Transaction) { tx.Amendment = &Amendment{OriginalCreditorSchemeID: "FR72ZZZ123456"} }, nil, []error{ErrAmendment}},
		{"amendment name only", func(tx *Transaction) { tx.Amendment = &Amendment{OriginalCreditorName: "ACME SA"} }, nil, nil},
		{"amendment unusable name", func(tx *Transaction) { tx.Amendment = &Amendment{OriginalCreditorName: "★☆"} }, nil, []error{ErrAmendment}},
		{"amendment IBAN and SMNDA", func(tx *Transaction) {
			tx.Amendment = &Amendment{OriginalDebtorIBAN: "DE89370400440532013000", NewDebtorAccount: true}
		}, nil, []error{ErrAmendment}},
		{"amendment bad IBAN", func(tx *Transaction) { tx.Amendment = &Amendment{OriginalDebtorIBAN: "DE89370400440532013001"} }, nil, []error{ident.ErrCheckDigits}},
		{"amendment same IBAN", func(tx *Transaction) { tx.Amendment = &Amendment{OriginalDebtorIBAN: tx.DebtorIBAN} }, nil, []error{ErrAmendment}},
		{"debtor BIC invalid", func(tx *Transaction) { tx.DebtorBIC = "BNPAFRP" }, nil, []error{sepa.ErrBIC}},
		{"debtor BIC valid", func(tx *Transaction) { tx.DebtorBIC = "BNPAFRPPXXX" }, nil, nil},
		{"debtor IBAN missing", func(tx *Transaction) { tx.DebtorIBAN = "" }, nil, []error{sepa.ErrIBAN}},
		{"debtor IBAN check digits", func(tx *Transaction) { tx.DebtorIBAN = "FR1520041010050500013M02606" }, nil, []error{ident.ErrCheckDigits}},
		{"debtor IBAN RIB key", func(tx *Transaction) {
			tx.DebtorIBAN = ident.RIB{Bank: "30006", Branch: "00001", Account: "12345678901", Key: "88"}.IBAN()
		}, nil, []error{ident.ErrRIBKey}},
		{"debtor IBAN with spaces", func(tx *Transaction) { tx.DebtorIBAN = "FR14 2004 1010 0505 0001 3M02 606" }, nil, []error{sepa.ErrIBAN}},
		{"debtor name missing", func(tx *Transaction) { tx.Debtor.Name = "" }, nil, []error{sepa.ErrName}},
		{"debtor name without letters", func(tx *Transaction) { tx.Debtor.Name = "★☆" }, nil, []error{sepa.ErrName}},
		{"debtor name blank", func(tx *Transaction) { tx.Debtor.Name = " \t " }, nil, []error{sepa.ErrName}},
		{"debtor address lines only", func(tx *Transaction) { tx.Debtor.Address = linesOnly }, nil, []error{sepa.ErrAddress}},
		{"debtor address lines only, before 15 Nov 2026", func(tx *Transaction) { tx.Debtor.Address = linesOnly }, &early, nil},
		{"debtor address structured", func(tx *Transaction) {
			tx.Debtor.Address = sepa.Address{StreetName: "Rue X", BuildingNumber: "1", PostCode: "69001", TownName: "Lyon", Country: "FR"}
		}, nil, nil},
		{"debtor address town and country only", func(tx *Transaction) { tx.Debtor.Address = sepa.Address{TownName: "Lyon", Country: "FR"} }, nil, nil},
		{"debtor address 3 lines", func(tx *Transaction) { tx.Debtor.Address.Lines = []string{"a", "b", "c"} }, nil, []error{sepa.ErrAddress}},
		{"debtor address empty lines ignored", func(tx *Transaction) { tx.Debtor.Address.Lines = []string{"a", "", "  ", "b"} }, nil, nil},
		{"debtor address no country", func(tx *Transaction) { tx.Debtor.Address.Country = "" }, nil, []error{sepa.ErrAddress}},
		{"debtor address bad country", func(tx *Transaction) { tx.Debtor.Address.Country = "XX" }, nil, []error{ident.ErrCountry}},
		{"debtor address lower-case country", func(tx *Transaction) { tx.Debtor.Address.Country = "fr" }, nil, []error{sepa.ErrAddress}},
		{"debtor address no town", func(tx *Transaction) { tx.Debtor.Address.TownName = "" }, nil, []error{sepa.ErrAddress}},
		{"debtor address town without letters", func(tx *Transaction) { tx.Debtor.Address.TownName = "★☆" }, nil, []error{sepa.ErrAddress}},
		{"debtor address town only", func(tx *Transaction) { tx.Debtor.Address = sepa.Address{TownName: "Lyon"} }, nil, []error{sepa.ErrAddress}},
		{"Swiss debtor without address", func(tx *Transaction) {
			tx.DebtorIBAN, tx.Debtor.Address = "CH9300762011623852957", sepa.Address{}
		}, nil, []error{sepa.ErrAddress}},
		{"Swiss debtor with address", func(tx *Transaction) {
			tx.DebtorIBAN, tx.Debtor.Address = "CH9300762011623852957", sepa.Address{TownName: "Zurich", Country: "CH"}
		}, nil, nil},
		{"Monaco creditor, debtor without address", func(tx *Transaction) { tx.Debtor.Address = sepa.Address{} }, &monaco, []error{sepa.ErrAddress}},
		{"ultimate debtor without name", func(tx *Transaction) {
			tx.UltimateDebtor = sepa.Party{Address: sepa.Address{TownName: "Lyon", Country: "FR"}}
		}, nil, []error{sepa.ErrName}},
		{"ultimate debtor lines only", func(tx *Transaction) { tx.UltimateDebtor = sepa.Party{Name: "X", Address: linesOnly} }, nil, []error{sepa.ErrAddress}},
		{"ultimate debtor name only", func(tx *Transaction) { tx.UltimateDebtor = sepa.Party{Name: "X"} }, nil, nil},
		{"party id bad", func(tx *Transaction) { tx.Debtor.ID = sepa.PartyID{ID: "/X"} }, nil, []error{sepa.ErrIdentifier}},
		{"party id scheme code and proprietary", func(tx *Transaction) {
			tx.Debtor.ID = sepa.PartyID{ID: "X", SchemeCode: "SREN", SchemeProprietary: "Y"}
		}, nil, []error{sepa.ErrCode}},
		{"party id bad scheme code", func(tx *Transaction) { tx.Debtor.ID = sepa.PartyID{ID: "X", SchemeCode: "siren"} }, nil, []error{sepa.ErrCode}},
		{"party id scheme without id", func(tx *Transaction) { tx.Debtor.ID = sepa.PartyID{SchemeCode: "SREN"} }, nil, []error{sepa.ErrIdentifier}},
		{"purpose lower case", func(tx *Transaction) { tx.Purpose = "othr" }, nil, []error{sepa.ErrCode}},
		{"purpose too long", func(tx *Transaction) { tx.Purpose = "OTHRX" }, nil, []error{sepa.ErrCode}},
		{"remittance text and reference", func(tx *Transaction) { tx.RemittanceInfo = "Facture 1" }, nil, []error{sepa.ErrRemittance}},
		{"remittance text only", func(tx *Transaction) { tx.RemittanceInfo, tx.CreditorReference = "Facture 1", "" }, nil, nil},
		{"RF check digits", func(tx *Transaction) { tx.CreditorReference = "RF99INV2026000123" }, nil, []error{sepa.ErrRemittance}},
		{"RF with spaces", func(tx *Transaction) { tx.CreditorReference = "RF98 INV2 0260 0012 3" }, nil, []error{sepa.ErrRemittance}},
		{"RF lower case", func(tx *Transaction) { tx.CreditorReference = "rf98inv2026000123" }, nil, []error{sepa.ErrRemittance}},
		{"RF too long", func(tx *Transaction) { tx.CreditorReference = "RF98" + strings.Repeat("1", 22) }, nil, []error{sepa.ErrRemittance}},
		{"not an RF reference", func(tx *Transaction) { tx.CreditorReference = "INV2026000123" }, nil, []error{sepa.ErrRemittance}},
		{"RF ISO example", func(tx *Transaction) { tx.CreditorReference = "RF18539007547034" }, nil, nil},
		{"RF shortest", func(tx *Transaction) { tx.CreditorReference = "RF741" }, nil, nil},
		{"every problem reported", func(tx *Transaction) {
			tx.EndToEndID, tx.Amount, tx.DebtorIBAN, tx.Debtor = "A//B", 0, "FR00", sepa.Party{}
		}, nil, []error{sepa.ErrIdentifier, sepa.ErrAmount, sepa.ErrIBAN, sepa.ErrName}},
	}
	for _, tt := range tests {
		tx := base
		tt.change(&tx)
		p := pi
		if tt.pi != nil {
			p = *tt.pi
		}
		initiationtest.WantErrs(t, tt.name, CheckTransaction(tx, p, h), tt.want...)
	}
}

func TestRuleErrorMessage(t *testing.T) {
	m := exampleMessage()
	tx := m.blocks[0].Txs[0]
	tx.DebtorIBAN = "FR1520041010050500013M02606"
	tx.Debtor.Address.TownName = ""
	errs := CheckTransaction(tx, m.blocks[0].PI, m.h)
	want := []string{
		`transaction "INV-2026-000123": debtor IBAN: IBAN FR1520041010050500013M02606: bad check digits`,
		`transaction "INV-2026-000123": debtor address town name "3 place des Terreaux": missing: from 15 November 2026 an address must be structured or hybrid (town name and country, at most 2 address lines)`,
	}
	if len(errs) != len(want) {
		t.Fatalf("errors %v", errs)
	}
	for i := range want {
		if errs[i].Error() != want[i] {
			t.Errorf("message\n got %s\nwant %s", errs[i], want[i])
		}
	}
	if !errors.Is(errs[0], sepa.ErrIBAN) || !errors.Is(errs[0], ident.ErrCheckDigits) {
		t.Errorf("%v does not wrap both sepa.ErrIBAN and ident.ErrCheckDigits", errs[0])
	}
}

func TestRulePaymentInfo(t *testing.T) {
	m := exampleMessage()
	base, h := m.blocks[1].PI, m.h
	tests := []struct {
		name   string
		change func(*PaymentInfo)
		want   []error
	}{
		{"valid", func(*PaymentInfo) {}, nil},
		{"id missing", func(pi *PaymentInfo) { pi.ID = "" }, []error{sepa.ErrIdentifier}},
		{"id too long", func(pi *PaymentInfo) { pi.ID = strings.Repeat("P", 36) }, []error{sepa.ErrIdentifier}},
		{"no transactions", func(pi *PaymentInfo) { pi.NbOfTxs, pi.CtrlSum = 0, 0 }, []error{sepa.ErrCount}},
		{"control sum below count", func(pi *PaymentInfo) { pi.CtrlSum = 1 }, []error{sepa.ErrCount}},
		{"control sum above maximum", func(pi *PaymentInfo) { pi.CtrlSum = 2*sepa.MaxAmount + 1 }, []error{sepa.ErrCount}},
		{"scheme COR1", func(pi *PaymentInfo) { pi.Scheme = "COR1" }, []error{sepa.ErrCode}},
		{"scheme B2B", func(pi *PaymentInfo) { pi.Scheme = "B2B" }, nil},
		{"sequence RPRE", func(pi *PaymentInfo) { pi.SeqType = "RPRE" }, []error{sepa.ErrCode}},
		{"sequence ALL", func(pi *PaymentInfo) { pi.SeqType = "ALL" }, []error{sepa.ErrCode}},
		{"sequence OOFF", func(pi *PaymentInfo) { pi.SeqType = "OOFF" }, nil},
		{"sequence FNAL", func(pi *PaymentInfo) { pi.SeqType = "FNAL" }, nil},
		{"collection date missing", func(pi *PaymentInfo) { pi.CollectionDate = time.Time{} }, []error{sepa.ErrDate}},
		{"collection on Saturday", func(pi *PaymentInfo) { pi.CollectionDate = initiationtest.Day(2026, 12, 5) }, []error{sepa.ErrDate}},
		{"collection on Christmas", func(pi *PaymentInfo) { pi.CollectionDate = initiationtest.Day(2026, 12, 25) }, []error{sepa.ErrDate}},
		{"collection on creation day", func(pi *PaymentInfo) { pi.CollectionDate = initiationtest.Day(2026, 11, 27) }, []error{sepa.ErrDate}},
		{"collection the next day", func(pi *PaymentInfo) { pi.CollectionDate = initiationtest.Day(2026, 11, 30) }, nil},
		{"creditor name missing", func(pi *PaymentInfo) { pi.Creditor.Name = "" }, []error{sepa.ErrName}},
		{"creditor address missing", func(pi *PaymentInfo) { pi.Creditor.Address = sepa.Address{} }, []error{sepa.ErrAddress}},
		{"creditor address lines only", func(pi *PaymentInfo) {
			pi.Creditor.Address = sepa.Address{Country: "FR", Lines: []string{"12 rue de la Paix", "75002 Paris"}}
		}, []error{sepa.ErrAddress}},
		{"creditor address hybrid", func(pi *PaymentInfo) {
			pi.Creditor.Address = sepa.Address{TownName: "Paris", PostCode: "75002", Country: "FR", Lines: []string{"12 rue de la Paix"}}
		}, nil},
		{"creditor IBAN", func(pi *PaymentInfo) { pi.CreditorIBAN = "FR7630006000011234567890188" }, []error{sepa.ErrIBAN}},
		{"creditor BIC", func(pi *PaymentInfo) { pi.CreditorBIC = "AGRIFRPPXX" }, []error{sepa.ErrBIC}},
		{"creditor BIC omitted", func(pi *PaymentInfo) { pi.CreditorBIC = "" }, nil},
		{"ICS missing", func(pi *PaymentInfo) { pi.CreditorSchemeID = "" }, []error{ErrCreditorID}},
		{"ICS check digits", func(pi *PaymentInfo) { pi.CreditorSchemeID = "FR73ZZZ123456" }, []error{ident.ErrCheckDigits}},
		{"ultimate creditor lines only", func(pi *PaymentInfo) {
			pi.UltimateCreditor.Address = sepa.Address{Country: "FR", Lines: []string{"Paris"}}
		}, []error{sepa.ErrAddress}},
		{"ultimate creditor without name", func(pi *PaymentInfo) { pi.UltimateCreditor = sepa.Party{ID: sepa.PartyID{ID: "X"}} }, []error{sepa.ErrName}},
	}
	for _, tt := range tests {
		pi := base
		tt.change(&pi)
		initiationtest.WantErrs(t, tt.name, CheckPaymentInfo(pi, h), tt.want...)
	}
}

func TestRuleGroupHeader(t *testing.T) {
	base := exampleMessage().h
	tests := []struct {
		name   string
		change func(*GroupHeader)
		want   []error
	}{
		{"valid", func(*GroupHeader) {}, nil},
		{"valid 02", func(h *GroupHeader) { h.Version = V02 }, nil},
		{"no version", func(h *GroupHeader) { h.Version = "" }, []error{ErrVersion}},
		{"version 09", func(h *GroupHeader) { h.Version = "pain.008.001.09" }, []error{ErrVersion}},
		{"message id missing", func(h *GroupHeader) { h.MsgID = "" }, []error{sepa.ErrIdentifier}},
		{"message id bad", func(h *GroupHeader) { h.MsgID = "ACME SDD 2026/" }, []error{sepa.ErrIdentifier}},
		{"no creation time", func(h *GroupHeader) { h.CreatedAt = time.Time{} }, []error{sepa.ErrDate}},
		{"no transactions", func(h *GroupHeader) { h.NbOfTxs, h.CtrlSum = 0, 0 }, []error{sepa.ErrCount}},
		{"control sum negative", func(h *GroupHeader) { h.CtrlSum = -1 }, []error{sepa.ErrCount}},
		{"huge count", func(h *GroupHeader) { h.NbOfTxs, h.CtrlSum = 1<<40, 1<<50 }, nil},
		{"control sum over 18 digits", func(h *GroupHeader) { h.NbOfTxs, h.CtrlSum = 1<<40, 1e18 }, []error{sepa.ErrCount}},
		{"initiating party without name", func(h *GroupHeader) { h.InitiatingParty.Name = "" }, []error{sepa.ErrName}},
		{"initiating party id", func(h *GroupHeader) { h.InitiatingParty.ID = sepa.PartyID{ID: "552100554", SchemeCode: "SREN"} }, nil},
		{"initiating party bad id", func(h *GroupHeader) { h.InitiatingParty.ID = sepa.PartyID{ID: "552100554", SchemeCode: "SIREN"} }, []error{sepa.ErrCode}},
		{"initiating party lines-only address", func(h *GroupHeader) {
			h.InitiatingParty.Address = sepa.Address{Country: "FR", Lines: []string{"Paris"}}
		}, []error{sepa.ErrAddress}},
	}
	for _, tt := range tests {
		h := base
		tt.change(&h)
		initiationtest.WantErrs(t, tt.name, CheckGroupHeader(h), tt.want...)
	}
}
