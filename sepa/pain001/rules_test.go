package pain001

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
	m := suppliersMessage()
	pi, h := m.blocks[0].PI, m.h
	base := m.blocks[0].Txs[1]
	early := pi
	early.ExecutionDate = initiationtest.Day(2026, 11, 13)
	noAddress := pi
	noAddress.Debtor.Address = sepa.Address{}
	v03 := h
	v03.Version = V03
	lines := sepa.Address{Country: "FR", Lines: []string{"3 place des Terreaux", "69001 Lyon"}}

	tests := []struct {
		name   string
		change func(*Transaction)
		pi     *PaymentInfo
		h      *GroupHeader
		want   []error
	}{
		{"valid", func(*Transaction) {}, nil, nil, nil},
		{"minimal: no BIC, no address, no remittance", func(tx *Transaction) {
			tx.CreditorBIC, tx.Creditor.Address, tx.Creditor.ID, tx.RemittanceInfo = "", sepa.Address{}, sepa.PartyID{}, ""
		}, nil, nil, nil},
		{"end-to-end id missing", func(tx *Transaction) { tx.EndToEndID = "" }, nil, nil, []error{sepa.ErrIdentifier}},
		{"end-to-end id 36 characters", func(tx *Transaction) { tx.EndToEndID = strings.Repeat("E", 36) }, nil, nil, []error{sepa.ErrIdentifier}},
		{"end-to-end id 35 characters", func(tx *Transaction) { tx.EndToEndID = strings.Repeat("E", 35) }, nil, nil, nil},
		{"end-to-end id double slash", func(tx *Transaction) { tx.EndToEndID = "P//1" }, nil, nil, []error{sepa.ErrIdentifier}},
		{"end-to-end id leading slash", func(tx *Transaction) { tx.EndToEndID = "/P1" }, nil, nil, []error{sepa.ErrIdentifier}},
		{"end-to-end id accent", func(tx *Transaction) { tx.EndToEndID = "FACTURE-É" }, nil, nil, []error{sepa.ErrIdentifier}},
		{"end-to-end id underscore", func(tx *Transaction) { tx.EndToEndID = "P_1" }, nil, nil, []error{sepa.ErrIdentifier}},
		{"instruction id bad", func(tx *Transaction) { tx.InstrID = "I 1 " }, nil, nil, []error{sepa.ErrIdentifier}},
		{"amount zero", func(tx *Transaction) { tx.Amount = 0 }, nil, nil, []error{sepa.ErrAmount}},
		{"amount negative (a credit note alone)", func(tx *Transaction) { tx.Amount = -15000 }, nil, nil, []error{sepa.ErrAmount}},
		{"amount smallest", func(tx *Transaction) { tx.Amount = 1 }, nil, nil, nil},
		{"amount largest", func(tx *Transaction) { tx.Amount = sepa.MaxAmount }, nil, nil, nil},
		{"amount too large", func(tx *Transaction) { tx.Amount = sepa.MaxAmount + 1 }, nil, nil, []error{sepa.ErrAmount}},
		{"currency EUR", func(tx *Transaction) { tx.Currency = "EUR" }, nil, nil, nil},
		{"currency CHF", func(tx *Transaction) { tx.Currency = "CHF" }, nil, nil, []error{sepa.ErrCurrency}},
		{"currency lower case", func(tx *Transaction) { tx.Currency = "eur" }, nil, nil, []error{sepa.ErrCurrency}},
		{"creditor BIC bad", func(tx *Transaction) { tx.CreditorBIC = "SOGEFRP" }, nil, nil, []error{ident.ErrLength}},
		{"creditor BIC test in 09", func(tx *Transaction) { tx.CreditorBIC = "SOGEFR0P" }, nil, nil, nil},
		{"creditor BIC test in 03", func(tx *Transaction) { tx.CreditorBIC = "SOGEFR0P" }, nil, &v03, []error{sepa.ErrBIC}},
		{"creditor BIC location O in 03", func(tx *Transaction) { tx.CreditorBIC = "SOGEFRPO" }, nil, &v03, []error{sepa.ErrBIC}},
		{"creditor name missing", func(tx *Transaction) { tx.Creditor.Name = "" }, nil, nil, []error{sepa.ErrName}},
		{"creditor name folds to nothing", func(tx *Transaction) { tx.Creditor.Name = "??? ###" }, nil, nil, []error{sepa.ErrName}},
		{"creditor address lines only", func(tx *Transaction) { tx.Creditor.Address = lines }, nil, nil, []error{sepa.ErrAddress}},
		{"creditor address lines only before 15 Nov 2026", func(tx *Transaction) { tx.Creditor.Address = lines }, &early, nil, nil},
		{"creditor address hybrid", func(tx *Transaction) {
			tx.Creditor.Address = sepa.Address{TownName: "Lyon", PostCode: "69001", Country: "FR", Lines: []string{"3 place des Terreaux"}}
		}, nil, nil, nil},
		{"creditor address three lines", func(tx *Transaction) {
			tx.Creditor.Address = sepa.Address{TownName: "Lyon", Country: "FR", Lines: []string{"a", "b", "c"}}
		}, nil, nil, []error{sepa.ErrAddress}},
		{"creditor address without country", func(tx *Transaction) { tx.Creditor.Address.Country = "" }, nil, nil, []error{sepa.ErrAddress}},
		{"creditor address bad country", func(tx *Transaction) { tx.Creditor.Address.Country = "FX" }, nil, nil, []error{sepa.ErrAddress}},
		{"creditor bad id scheme", func(tx *Transaction) { tx.Creditor.ID.SchemeCode = "SIREN" }, nil, nil, []error{sepa.ErrCode}},
		{"creditor IBAN missing", func(tx *Transaction) { tx.CreditorIBAN = "" }, nil, nil, []error{ident.ErrEmpty}},
		{"creditor IBAN check digits", func(tx *Transaction) { tx.CreditorIBAN = "FR7630003036200002001234518" }, nil, nil, []error{ident.ErrCheckDigits}},
		{"creditor IBAN RIB key", func(tx *Transaction) { tx.CreditorIBAN = "FR7630003036200002001234517"[:25] + "18" }, nil, nil, []error{sepa.ErrIBAN}},
		{"creditor IBAN Turkey", func(tx *Transaction) { tx.CreditorIBAN = "TR330006100519786457841326" }, nil, nil, []error{ident.ErrNotSEPA}},
		{"creditor IBAN Brazil", func(tx *Transaction) { tx.CreditorIBAN = "BR1800360305000010009795493C1" }, nil, nil, []error{sepa.ErrIBAN}},
		{"creditor IBAN Monaco", func(tx *Transaction) { tx.CreditorIBAN = "MC5811222000010123456789030" }, nil, nil, nil},
		{"creditor IBAN Switzerland, debtor without address", func(tx *Transaction) { tx.CreditorIBAN = "CH9300762011623852957" },
			&noAddress, nil, []error{sepa.ErrAddress}},
		{"creditor IBAN Belgium, debtor without address", func(tx *Transaction) { tx.CreditorIBAN = "BE68539007547034" }, &noAddress, nil, nil},
		{"creditor IBAN is the debtor's", func(tx *Transaction) { tx.CreditorIBAN = pi.DebtorIBAN }, nil, nil, []error{sepa.ErrIBAN}},
		{"ultimate creditor without name", func(tx *Transaction) {
			tx.UltimateCreditor = sepa.Party{ID: sepa.PartyID{ID: "401MARTIN"}}
		}, nil, nil, []error{sepa.ErrName}},
		{"ultimate creditor lines only", func(tx *Transaction) {
			tx.UltimateCreditor = sepa.Party{Name: "Groupe Martin", Address: lines}
		}, nil, nil, []error{sepa.ErrAddress}},
		{"purpose SUPP", func(tx *Transaction) { tx.Purpose = "SUPP" }, nil, nil, nil},
		{"purpose lower case", func(tx *Transaction) { tx.Purpose = "supp" }, nil, nil, []error{sepa.ErrCode}},
		{"purpose too long", func(tx *Transaction) { tx.Purpose = "SUPPL" }, nil, nil, []error{sepa.ErrCode}},
		{"remittance 140 characters", func(tx *Transaction) { tx.RemittanceInfo = strings.Repeat("F", 140) }, nil, nil, nil},
		{"remittance 141 characters", func(tx *Transaction) { tx.RemittanceInfo = strings.Repeat("F", 141) }, nil, nil, []error{sepa.ErrRemittance}},
		{"remittance 140 after squeezing spaces", func(tx *Transaction) {
			tx.RemittanceInfo = "  " + strings.Repeat("F", 70) + "    " + strings.Repeat("G", 69) + "  "
		}, nil, nil, nil},
		{"remittance 139 runes, 141 once converted", func(tx *Transaction) {
			tx.RemittanceInfo = strings.Repeat("F", 137) + "€€" // € becomes EUR
		}, nil, nil, []error{sepa.ErrRemittance}},
		{"remittance 140 runes of accents", func(tx *Transaction) { tx.RemittanceInfo = strings.Repeat("é", 140) }, nil, nil, nil},
		{"creditor reference", func(tx *Transaction) { tx.RemittanceInfo, tx.CreditorReference = "", "RF18539007547034" }, nil, nil, nil},
		{"creditor reference bad check digits", func(tx *Transaction) { tx.RemittanceInfo, tx.CreditorReference = "", "RF19539007547034" },
			nil, nil, []error{sepa.ErrRemittance}},
		{"text and creditor reference", func(tx *Transaction) { tx.CreditorReference = "RF18539007547034" }, nil, nil, []error{sepa.ErrRemittance}},
		{"everything wrong at once", func(tx *Transaction) {
			tx.EndToEndID, tx.Amount, tx.Currency, tx.Creditor.Name, tx.CreditorIBAN = "", 0, "USD", "", "XX00"
		}, nil, nil, []error{sepa.ErrIdentifier, sepa.ErrAmount, sepa.ErrCurrency, sepa.ErrName, sepa.ErrIBAN}},
	}
	for _, tt := range tests {
		tx := base
		tt.change(&tx)
		p, hh := pi, h
		if tt.pi != nil {
			p = *tt.pi
		}
		if tt.h != nil {
			hh = *tt.h
		}
		initiationtest.WantErrs(t, tt.name, CheckTransaction(tx, p, hh), tt.want...)
	}
}

func TestRuleErrorMessage(t *testing.T) {
	m := suppliersMessage()
	tx := m.blocks[0].Txs[0]
	tx.CreditorIBAN = "TR330006100519786457841326"
	tx.Currency = "CHF"
	tx.RemittanceInfo = strings.Repeat("Facture FA-2026-118 ", 8)
	errs := CheckTransaction(tx, m.blocks[0].PI, m.h)
	want := []string{
		`transaction "ACME-P-000118": currency "CHF": SEPA credit transfers are in euro only: pay it by an international transfer, or convert the amount to euro first`,
		`transaction "ACME-P-000118": creditor IBAN: IBAN TR330006100519786457841326: outside SEPA: TR is not a country of the SEPA schemes (EPC409-09): pay it by an international transfer`,
		`transaction "ACME-P-000118": remittance information (Ustrd) "` + strings.Repeat("Facture FA-2026-118 ", 8) +
			`": 159 characters after conversion to the EPC character set, at most 140: shorten it (it is not cut, since the creditor matches the payment with it)`,
	}
	if len(errs) != len(want) {
		t.Fatalf("errors %v", errs)
	}
	for i := range want {
		if errs[i].Error() != want[i] {
			t.Errorf("message\n got %s\nwant %s", errs[i], want[i])
		}
	}
	if !errors.Is(errs[1], sepa.ErrIBAN) || !errors.Is(errs[1], ident.ErrNotSEPA) {
		t.Errorf("%v does not wrap both sepa.ErrIBAN and ident.ErrNotSEPA", errs[1])
	}
}

func TestRulePaymentInfo(t *testing.T) {
	m := suppliersMessage()
	base, h := m.blocks[0].PI, m.h
	v03 := h
	v03.Version = V03
	tests := []struct {
		name   string
		change func(*PaymentInfo)
		h      *GroupHeader
		want   []error
	}{
		{"valid", func(*PaymentInfo) {}, nil, nil},
		{"id missing", func(pi *PaymentInfo) { pi.ID = "" }, nil, []error{sepa.ErrIdentifier}},
		{"id too long", func(pi *PaymentInfo) { pi.ID = strings.Repeat("P", 36) }, nil, []error{sepa.ErrIdentifier}},
		{"no transactions", func(pi *PaymentInfo) { pi.NbOfTxs, pi.CtrlSum = 0, 0 }, nil, []error{sepa.ErrCount}},
		{"control sum below count", func(pi *PaymentInfo) { pi.CtrlSum = 1 }, nil, []error{sepa.ErrCount}},
		{"priority NORM", func(pi *PaymentInfo) { pi.Priority = "NORM" }, nil, nil},
		{"priority URGP", func(pi *PaymentInfo) { pi.Priority = "URGP" }, nil, []error{sepa.ErrCode}},
		{"category purpose SALA", func(pi *PaymentInfo) { pi.CategoryPurpose = "SALA" }, nil, nil},
		{"category purpose bad", func(pi *PaymentInfo) { pi.CategoryPurpose = "Supp" }, nil, []error{sepa.ErrCode}},
		{"execution date missing", func(pi *PaymentInfo) { pi.ExecutionDate = time.Time{} }, nil, []error{sepa.ErrDate}},
		{"execution on Saturday", func(pi *PaymentInfo) { pi.ExecutionDate = initiationtest.Day(2026, 12, 12) }, nil, []error{sepa.ErrDate}},
		{"execution on Christmas", func(pi *PaymentInfo) { pi.ExecutionDate = initiationtest.Day(2026, 12, 25) }, nil, []error{sepa.ErrDate}},
		{"execution on 26 December", func(pi *PaymentInfo) { pi.ExecutionDate = initiationtest.Day(2026, 12, 26) }, nil, []error{sepa.ErrDate}},
		{"execution on Good Friday", func(pi *PaymentInfo) { pi.ExecutionDate = initiationtest.Day(2027, 3, 26) }, nil, []error{sepa.ErrDate}},
		{"execution on Easter Monday", func(pi *PaymentInfo) { pi.ExecutionDate = initiationtest.Day(2027, 3, 29) }, nil, []error{sepa.ErrDate}},
		{"execution on 1 May", func(pi *PaymentInfo) { pi.ExecutionDate = initiationtest.Day(2028, 5, 1) }, nil, []error{sepa.ErrDate}},
		{"execution on the Monday after 1 May", func(pi *PaymentInfo) { pi.ExecutionDate = initiationtest.Day(2027, 5, 3) }, nil, nil},
		{"execution on 1 January", func(pi *PaymentInfo) { pi.ExecutionDate = initiationtest.Day(2027, 1, 1) }, nil, []error{sepa.ErrDate}},
		{"execution yesterday", func(pi *PaymentInfo) { pi.ExecutionDate = initiationtest.Day(2026, 12, 1) }, nil, []error{sepa.ErrDate}},
		{"execution on creation day", func(pi *PaymentInfo) { pi.ExecutionDate = initiationtest.Day(2026, 12, 2) }, nil, nil},
		{"execution at midnight UTC of creation day", func(pi *PaymentInfo) {
			pi.ExecutionDate = time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)
		}, nil, nil},
		{"debtor name missing", func(pi *PaymentInfo) { pi.Debtor.Name = "" }, nil, []error{sepa.ErrName}},
		{"debtor address missing", func(pi *PaymentInfo) { pi.Debtor.Address = sepa.Address{} }, nil, nil},
		{"debtor address lines only", func(pi *PaymentInfo) {
			pi.Debtor.Address = sepa.Address{Country: "FR", Lines: []string{"12 rue de la Paix", "75002 Paris"}}
		}, nil, []error{sepa.ErrAddress}},
		{"debtor account in Monaco without address", func(pi *PaymentInfo) {
			pi.DebtorIBAN, pi.Debtor.Address = "MC5811222000010123456789030", sepa.Address{}
		}, nil, []error{sepa.ErrAddress}},
		{"debtor IBAN bad", func(pi *PaymentInfo) { pi.DebtorIBAN = "FR7630004008280001012345692" }, nil, []error{sepa.ErrIBAN}},
		{"debtor IBAN outside SEPA", func(pi *PaymentInfo) { pi.DebtorIBAN = "TR330006100519786457841326" }, nil, []error{ident.ErrNotSEPA}},
		{"debtor BIC bad", func(pi *PaymentInfo) { pi.DebtorBIC = "BNPAFRP" }, nil, []error{sepa.ErrBIC}},
		{"debtor BIC omitted", func(pi *PaymentInfo) { pi.DebtorBIC = "" }, nil, nil},
		{"debtor BIC passive in 03", func(pi *PaymentInfo) { pi.DebtorBIC = "BNPAFR1P" }, &v03, []error{sepa.ErrBIC}},
		{"ultimate debtor without name", func(pi *PaymentInfo) { pi.UltimateDebtor = sepa.Party{ID: sepa.PartyID{ID: "X"}} }, nil, []error{sepa.ErrName}},
	}
	for _, tt := range tests {
		pi := base
		tt.change(&pi)
		hh := h
		if tt.h != nil {
			hh = *tt.h
		}
		initiationtest.WantErrs(t, tt.name, CheckPaymentInfo(pi, hh), tt.want...)
	}
}

func TestRuleGroupHeader(t *testing.T) {
	base := suppliersMessage().h
	tests := []struct {
		name   string
		change func(*GroupHeader)
		want   []error
	}{
		{"valid", func(*GroupHeader) {}, nil},
		{"valid 03", func(h *GroupHeader) { h.Version = V03 }, nil},
		{"no version", func(h *GroupHeader) { h.Version = "" }, []error{ErrVersion}},
		{"pain.008 version", func(h *GroupHeader) { h.Version = "pain.008.001.08" }, []error{ErrVersion}},
		{"message id missing", func(h *GroupHeader) { h.MsgID = "" }, []error{sepa.ErrIdentifier}},
		{"message id bad", func(h *GroupHeader) { h.MsgID = "ACME SCT 2026/" }, []error{sepa.ErrIdentifier}},
		{"no creation time", func(h *GroupHeader) { h.CreatedAt = time.Time{} }, []error{sepa.ErrDate}},
		{"no transactions", func(h *GroupHeader) { h.NbOfTxs, h.CtrlSum = 0, 0 }, []error{sepa.ErrCount}},
		{"control sum negative", func(h *GroupHeader) { h.CtrlSum = -1 }, []error{sepa.ErrCount}},
		{"initiating party without name", func(h *GroupHeader) { h.InitiatingParty.Name = "" }, []error{sepa.ErrName}},
		{"initiating party bad id", func(h *GroupHeader) { h.InitiatingParty.ID.SchemeCode = "SIREN" }, []error{sepa.ErrCode}},
	}
	for _, tt := range tests {
		h := base
		tt.change(&h)
		initiationtest.WantErrs(t, tt.name, CheckGroupHeader(h), tt.want...)
	}
}

// TestChecker: the rules spanning a message, and every problem of a
// message in one pass.
func TestChecker(t *testing.T) {
	m := suppliersMessage()
	if errs := m.check(); errs != nil {
		t.Fatalf("valid message: %v", errs)
	}
	// The same EndToEndId in two blocks, the same PmtInfId twice, and one
	// bad transaction: four problems, each on its item.
	m.blocks[2].Txs[1].EndToEndID = m.blocks[0].Txs[0].EndToEndID
	m.blocks[1].PI.ID = m.blocks[0].PI.ID
	m.blocks[1].Txs[0].CreditorIBAN = "TR330006100519786457841326"
	m.blocks[1].Txs[1].Amount = 0
	c, errs := NewChecker(m.h)
	if errs != nil {
		t.Fatal(errs)
	}
	var got []error
	for bi, b := range m.blocks {
		errs := c.PaymentInfo(b.PI)
		if (bi == 1) != (errs != nil) {
			t.Errorf("block %d: %v", bi, errs)
		}
		got = append(got, errs...)
		for _, tx := range b.Txs {
			got = append(got, c.Transaction(tx, b.PI)...)
		}
	}
	initiationtest.WantErrs(t, "message", got, sepa.ErrDuplicate, sepa.ErrIBAN, sepa.ErrAmount, sepa.ErrDuplicate)
	want := `transaction "ACME-P-000118": end-to-end id (EndToEndId) "ACME-P-000118": already used by an earlier transaction of the message; each must be unique`
	if len(got) == 4 && got[3].Error() != want {
		t.Errorf("message\n got %s\nwant %s", got[3], want)
	}
	_, errs = NewChecker(GroupHeader{})
	initiationtest.WantErrs(t, "empty header", errs, ErrVersion, sepa.ErrIdentifier, sepa.ErrDate, sepa.ErrCount, sepa.ErrName)
}

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]Version{"09": V09, "9": V09, " 001.09 ": V09, "pain.001.001.09": V09, "PAIN.001.001.03": V03, "03": V03, "3": V03} {
		if got, err := ParseVersion(in); got != want || err != nil {
			t.Errorf("ParseVersion(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "08", "pain.008.001.08", "10", "001.001.001.09x"} {
		if _, err := ParseVersion(in); !errors.Is(err, ErrVersion) {
			t.Errorf("ParseVersion(%q): %v", in, err)
		}
	}
}
