package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/treasury"
)

func bankBQ2() remit.Bank {
	return remit.Bank{Code: "BQ2", Name: "CIC LYON", IBAN: "FR7610096000502468013579016", BIC: "CMCIFRPP", Account: "512200", NNE: "654321",
		ValueDays: remit.ValueDays{remit.OpSDD: 1, remit.OpLCR: 2, remit.OpCheque: 1}, Limit: -500000, Substitute: "BQ",
		Balance: -152000, BalanceDate: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)}
}

// TestBanksRoundTrip: a bank's every field is kept as saved; a creditor's
// account is its default bank's, either way.
func TestBanksRoundTrip(t *testing.T) {
	st, cr := newTestStore(t)
	ctx := context.Background()
	// The creditor's account made the default bank.
	banks, err := st.Banks(ctx, cr.ID)
	if err != nil || len(banks) != 1 {
		t.Fatalf("banks of a new creditor: %+v %v", banks, err)
	}
	if b := banks[0]; b.Code != "BQ" || b.IBAN != cr.IBAN || b.BIC != cr.BIC || b.Name != "" || b.Account != "512000" ||
		b.NNE != "123456" || !b.Default || !b.BalanceDate.IsZero() || b.Limit != 0 {
		t.Errorf("default bank: %+v", b)
	}
	saved, err := st.UpdateBanks(ctx, cr.ID, func(banks []remit.Bank) ([]remit.Bank, error) {
		return treasury.PutBank(banks, bankBQ2())
	})
	if err != nil || len(saved) != 2 {
		t.Fatalf("UpdateBanks: %+v %v", saved, err)
	}
	got, _ := st.Banks(ctx, cr.ID)
	if want := bankBQ2(); !sameBank(got[1], want) {
		t.Errorf("BQ2 read back:\n%+v\nwant\n%+v", got[1], want)
	}
	// A limit of 0 and no balance are stored as NULL.
	var nulls int
	st.db.QueryRow(`SELECT count(*) FROM banks WHERE limit_cents IS NULL AND balance_cents IS NULL AND balance_date IS NULL`).Scan(&nulls)
	if nulls != 1 {
		t.Errorf("%d banks with NULL limit and balance, want 1 (BQ)", nulls)
	}
	// BQ2 the default: the creditor names its account.
	if _, err := st.UpdateBanks(ctx, cr.ID, func(banks []remit.Bank) ([]remit.Bank, error) {
		b := bankBQ2()
		b.Default = true
		return treasury.PutBank(banks, b)
	}); err != nil {
		t.Fatal(err)
	}
	c, _ := st.Creditor(ctx, "ACME")
	if c.IBAN != "FR7610096000502468013579016" || c.BIC != "CMCIFRPP" || c.BankName != "CIC LYON" || c.NNE != "654321" {
		t.Errorf("creditor after BQ2 made the default: %+v", c)
	}
	// remit creditor set --iban: the default bank follows.
	c.IBAN = "FR7630006000011234567890189"
	if _, err := st.SaveCreditor(ctx, c); err != nil {
		t.Fatal(err)
	}
	got, _ = st.Banks(ctx, cr.ID)
	if got[0].IBAN != cr.IBAN || got[1].IBAN != "FR7630006000011234567890189" || !got[1].Default {
		t.Errorf("after creditor set --iban: %+v", got)
	}
	// A failing change changes nothing.
	boom := errors.New("boom")
	if _, err := st.UpdateBanks(ctx, cr.ID, func(banks []remit.Bank) ([]remit.Bank, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Errorf("failing fn: %v", err)
	}
	again, _ := st.Banks(ctx, cr.ID)
	if len(again) != 2 || !sameBank(again[1], got[1]) {
		t.Errorf("after a failing change: %+v", again)
	}
}

func sameBank(a, b remit.Bank) bool {
	return a.Code == b.Code && a.Name == b.Name && a.IBAN == b.IBAN && a.BIC == b.BIC && a.Account == b.Account && a.NNE == b.NNE &&
		a.ValueDays.String() == b.ValueDays.String() && a.Limit == b.Limit && a.Substitute == b.Substitute && a.Default == b.Default &&
		a.Balance == b.Balance && a.BalanceDate.Equal(b.BalanceDate)
}

// TestBankWithRemittancesStays: a bank remittances were made to cannot be
// removed; another can.
func TestBankWithRemittancesStays(t *testing.T) {
	st, cr := newTestStore(t)
	ctx := context.Background()
	if _, err := st.UpdateBanks(ctx, cr.ID, func(banks []remit.Bank) ([]remit.Bank, error) {
		b := bankBQ2()
		b.Substitute = ""
		return treasury.PutBank(banks, b)
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.db.Exec(`INSERT INTO remittances (creditor_id, kind, created_at, item_count, total, bank_id)
		VALUES (?, 'lcr', '2026-11-22T10:00:00', 0, 0, (SELECT id FROM banks WHERE code = 'BQ2'))`, cr.ID); err != nil {
		t.Fatal(err)
	}
	remove := func(code string) error {
		_, err := st.UpdateBanks(ctx, cr.ID, func(banks []remit.Bank) ([]remit.Bank, error) { return treasury.RemoveBank(banks, code) })
		return err
	}
	err := remove("BQ2")
	if !errors.Is(err, treasury.ErrBankInUse) || err.Error() != "bank BQ2: remittances were made to it (1 remittance): it stays, for them to be regenerated and reconciled" {
		t.Errorf("remove BQ2: %v", err)
	}
	if err := remove("BQ"); !errors.Is(err, treasury.ErrDefaultBank) {
		t.Errorf("remove the default: %v", err)
	}
	if _, err := st.db.Exec(`UPDATE remittances SET bank_id = NULL`); err != nil {
		t.Fatal(err)
	}
	if err := remove("BQ2"); err != nil {
		t.Errorf("remove BQ2 once free: %v", err)
	}
}

// TestMigrationMakesTheDefaultBank: a database of version 7 upgraded gets
// its creditor's account as bank BQ, the default; its remittances name no
// bank (their files keep the creditor's account as written).
func TestMigrationMakesTheDefaultBank(t *testing.T) {
	path := filepath.Join(t.TempDir(), "v7.db")
	db := oldDatabase(t, path, 7)
	if _, err := db.Exec(`INSERT INTO creditors (id, code, name, iban, bank_name, nne, created_at, updated_at)
		VALUES (2, 'OTHER', 'OTHER SA', '', '', '', '', ''), (3, 'THIRD', 'THIRD SA', 'FR7610096000502468013579016', 'CIC LYON', '654321', '', '2026-01-02T03:04:05')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if from, to, err := Init(path, Options{}); err != nil || from != 7 || to != SchemaVersion() {
		t.Fatalf("Init = %d, %d, %v", from, to, err)
	}
	st, err := Open(path, Options{Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	for _, tt := range []struct {
		id   int64
		want []remit.Bank
	}{
		{1, []remit.Bank{{Code: "BQ", Name: "", IBAN: "FR7630004008280001012345691", BIC: "BNPAFRPP", Account: "512000", Default: true,
			ValueDays: remit.ValueDays{}}}},
		{2, nil}, // no account: no bank
		{3, []remit.Bank{{Code: "BQ", Name: "CIC LYON", IBAN: "FR7610096000502468013579016", Account: "512000", NNE: "654321", Default: true,
			ValueDays: remit.ValueDays{}}}},
	} {
		got, err := st.Banks(ctx, tt.id)
		if err != nil || len(got) != len(tt.want) {
			t.Fatalf("creditor %d: %+v %v", tt.id, got, err)
		}
		for i := range got {
			if !sameBank(got[i], tt.want[i]) {
				t.Errorf("creditor %d:\n%+v\nwant\n%+v", tt.id, got[i], tt.want[i])
			}
			if err := treasury.ValidateBanks(got); err != nil {
				t.Errorf("creditor %d: %v", tt.id, err)
			}
		}
	}
	var created string
	st.db.QueryRow(`SELECT created_at FROM banks WHERE creditor_id = 3`).Scan(&created)
	if created != "2026-01-02T03:04:05" {
		t.Errorf("created_at %q: want the creditor's updated_at", created)
	}
	var nulls int
	st.db.QueryRow(`SELECT count(*) FROM remittances WHERE bank_id IS NULL`).Scan(&nulls)
	if nulls != 1 {
		t.Errorf("remittances without a bank: %d, want 1", nulls)
	}
	// Exactly one default bank per creditor, as the index keeps it.
	if _, err := st.db.Exec(`INSERT INTO banks (creditor_id, code, iban, name, account, is_default, created_at)
		VALUES (1, 'BQ2', 'FR7610096000502468013579016', 'CIC', '512200', 1, '')`); err == nil {
		t.Error("a second default bank was accepted")
	}
}

// TestUpgradeBooksTheDefaultBankOnTheCounterpart: `remit init` upgrading a
// database made before banks books each default bank on entries.counterpart
// when that is a bank's account, so that the next entries debit what the
// earlier ones did; an intermediate account (413…) leaves 512000.
func TestUpgradeBooksTheDefaultBankOnTheCounterpart(t *testing.T) {
	for counterpart, want := range map[string]string{"512100": "512100", "": "512000", "413AAMM": "512000", "511200": "512000"} {
		path := filepath.Join(t.TempDir(), "v7.db")
		oldDatabase(t, path, 7).Close()
		if _, _, err := Init(path, Options{BankAccount: counterpart}); err != nil {
			t.Fatal(err)
		}
		st, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		banks, err := st.Banks(context.Background(), 1)
		st.Close()
		if err != nil || len(banks) != 1 || banks[0].Account != want {
			t.Errorf("entries.counterpart %q: %+v %v, want the bank on %s", counterpart, banks, err, want)
		}
	}
}
