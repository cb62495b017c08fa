package remit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/sepa"
)

// ErrCreditorChoice means several creditors share the database and none was chosen.
var ErrCreditorChoice = errors.New("several creditors in the database: choose one with --creditor CODE")

// ErrNoCreditor means the database has no creditor yet.
var ErrNoCreditor = errors.New("no creditor yet: run `remit creditor set` first")

// ErrUnknownCreditor means no creditor has the code asked for.
var ErrUnknownCreditor = errors.New("no creditor")

// Address is a structured postal address.
type Address struct {
	Street   string `json:"street,omitempty"`
	Building string `json:"building,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	Town     string `json:"town,omitempty"`
	Country  string `json:"country,omitempty"`
}

// Creditor is the company collecting (créancier, cédant, tireur).
type Creditor struct {
	ID       int64   `json:"-"`
	Code     string  `json:"code"`
	Name     string  `json:"name"`
	ICS      string  `json:"ics,omitempty"`
	NNE      string  `json:"nne,omitempty"`
	SIREN    string  `json:"siren,omitempty"`
	IBAN     string  `json:"iban,omitempty"`
	BIC      string  `json:"bic,omitempty"`
	BankName string  `json:"bank_name,omitempty"`
	Address  Address `json:"address"`
	RCUROnly bool    `json:"rcur_only,omitempty"`

	// TraiteOffset moves the traites printed for this creditor right and
	// down, in tenths of a millimetre, to fit its printer's paper.
	TraiteOffset Offset `json:"traite_offset,omitzero"`
}

// Offset is a printing offset in tenths of a millimetre: X to the right,
// Y downwards.
type Offset struct {
	X int `json:"x_tenths_mm"`
	Y int `json:"y_tenths_mm"`
}

// MM returns the offset in millimetres.
func (o Offset) MM() (x, y float64) { return float64(o.X) / 10, float64(o.Y) / 10 }

// String prints the offset the way people say it: "1.5 mm right, 2 mm up".
func (o Offset) String() string {
	part := func(v int, pos, neg string) string {
		dir := pos
		if v < 0 {
			v, dir = -v, neg
		}
		s := strconv.Itoa(v / 10)
		if v%10 != 0 {
			s += "." + strconv.Itoa(v%10)
		}
		return s + " mm " + dir
	}
	if o == (Offset{}) {
		return "none"
	}
	return part(o.X, "right", "left") + ", " + part(o.Y, "down", "up")
}

// ParseOffset reads millimetres with at most one decimal, "1.5", "-2" or
// "1,5", into tenths, within ±30 mm.
func ParseOffset(s string) (int, error) {
	v := strings.TrimSpace(strings.Replace(s, ",", ".", 1))
	neg := strings.HasPrefix(v, "-")
	v = strings.TrimPrefix(strings.TrimPrefix(v, "-"), "+")
	whole, frac, dot := strings.Cut(v, ".")
	if whole == "" && dot {
		whole = "0"
	}
	if !isDigits(whole, len(whole)) || whole == "" || len(whole) > 2 || (dot && (len(frac) != 1 || !isDigits(frac, 1))) {
		return 0, errors.New("want millimetres with at most one decimal, e.g. 1.5 or -2")
	}
	n, _ := strconv.Atoi(whole)
	n *= 10
	if dot {
		n += int(frac[0] - '0')
	}
	if n > 300 {
		return 0, errors.New("at most 30 mm either way")
	}
	if neg {
		n = -n
	}
	return n, nil
}

// SetTraiteOffset records where the creditor's printer needs the traites.
func (s *Store) SetTraiteOffset(ctx context.Context, creditorID int64, o Offset) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE creditors SET traite_offset_x = ?, traite_offset_y = ?, updated_at = ? WHERE id = ?`,
			o.X, o.Y, s.now().Format("2006-01-02T15:04:05"), creditorID)
		return err
	})
}

// Validate checks every field that is set and returns all problems.
func (c Creditor) Validate() []error {
	var errs []error
	add := func(field string, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", field, err))
		}
	}
	if strings.TrimSpace(c.Name) == "" {
		add("name", ident.ErrEmpty)
	}
	if !validCode(c.Code) {
		add("code", fmt.Errorf("%q: letters, digits, - or _ only", c.Code))
	}
	if c.ICS != "" {
		add("ics", ident.ValidateICS(c.ICS))
	}
	if c.NNE != "" && !isDigits(c.NNE, 6) {
		add("nne", fmt.Errorf("%q: want the 6-digit numéro national d'émetteur", c.NNE))
	}
	if c.SIREN != "" {
		add("siren", ident.ValidateSIREN(c.SIREN))
	}
	if c.IBAN != "" {
		add("iban", ident.ValidateSEPAIBAN(c.IBAN)) // the account SEPA debits credit
	}
	if c.BIC != "" {
		add("bic", ident.ValidateBIC(c.BIC))
	}
	if c.Address.Country != "" {
		add("country", ident.ValidateCountry(c.Address.Country))
	}
	// The SEPA files carry these in fields they would not fit: refused, never cut.
	for _, f := range [...]struct {
		name, value string
		max         int
	}{{"postcode", c.Address.Postcode, sepa.MaxPostCode}, {"building", c.Address.Building, sepa.MaxPostCode},
		{"town", c.Address.Town, sepa.MaxTownName}} {
		if n := sepa.TextLen(f.value); n > f.max {
			add(f.name, fmt.Errorf("%q: %d characters, at most %d in a SEPA file", f.value, n, f.max))
		}
	}
	return errs
}

// validCode: the code goes into file names ({creditor}) and the MsgId.
func validCode(code string) bool {
	if code == "" || len(code) > 35 {
		return false
	}
	for i := 0; i < len(code); i++ {
		c := code[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

const creditorCols = `id, code, name, ics, nne, siren, iban, bic, bank_name, street, building, postcode, town, country, rcur_only,
	traite_offset_x, traite_offset_y`

func scanCreditor(row interface{ Scan(...any) error }) (Creditor, error) {
	var c Creditor
	err := row.Scan(&c.ID, &c.Code, &c.Name, &c.ICS, &c.NNE, &c.SIREN, &c.IBAN, &c.BIC, &c.BankName,
		&c.Address.Street, &c.Address.Building, &c.Address.Postcode, &c.Address.Town, &c.Address.Country, &c.RCUROnly,
		&c.TraiteOffset.X, &c.TraiteOffset.Y)
	return c, err
}

// Creditors lists every creditor, by code.
func (s *Store) Creditors(ctx context.Context) ([]Creditor, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+creditorCols+` FROM creditors ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Creditor
	for rows.Next() {
		c, err := scanCreditor(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// creditorCodes says which codes the database has, for an error message.
func (s *Store) creditorCodes(ctx context.Context) string {
	all, err := s.Creditors(ctx)
	if err != nil || len(all) == 0 {
		return "the database has none yet (remit creditor set)"
	}
	codes := make([]string, len(all))
	for i, c := range all {
		codes[i] = c.Code
	}
	return "the database has " + strings.Join(codes, ", ")
}

// Creditor returns the creditor with that code, or the only one when code is empty.
func (s *Store) Creditor(ctx context.Context, code string) (Creditor, error) {
	if code != "" {
		c, err := scanCreditor(s.DB.QueryRowContext(ctx, `SELECT `+creditorCols+` FROM creditors WHERE code = ?`, code))
		if errors.Is(err, sql.ErrNoRows) {
			return c, fmt.Errorf("%w with code %q: %s", ErrUnknownCreditor, code, s.creditorCodes(ctx))
		}
		return c, err
	}
	all, err := s.Creditors(ctx)
	if err != nil {
		return Creditor{}, err
	}
	switch len(all) {
	case 0:
		return Creditor{}, ErrNoCreditor
	case 1:
		return all[0], nil
	}
	codes := make([]string, len(all))
	for i, c := range all {
		codes[i] = c.Code
	}
	return Creditor{}, fmt.Errorf("%w (%s)", ErrCreditorChoice, strings.Join(codes, ", "))
}

// SaveCreditor inserts or updates the creditor with c.Code.
func (s *Store) SaveCreditor(ctx context.Context, c Creditor) (Creditor, error) {
	if errs := c.Validate(); len(errs) > 0 {
		return c, errors.Join(errs...)
	}
	now := s.now().Format("2006-01-02T15:04:05")
	err := s.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		var oldICS string
		err := tx.QueryRowContext(ctx, `SELECT id, ics FROM creditors WHERE code = ?`, c.Code).Scan(&id, &oldICS)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if oldICS != "" && c.ICS != oldICS {
			// The mandates signed so far name the old creditor identifier:
			// each one's next collection announces it (OrgnlCdtrSchmeId),
			// a first one too (a B2B debtor's bank checks the mandate it
			// registered). The first change before an announcement is the
			// one kept; changing back to it announces nothing.
			if _, err := tx.ExecContext(ctx, `UPDATE mandates SET original_ics = ? WHERE creditor_id = ? AND original_ics = ''`,
				oldICS, id); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO creditors (code, name, ics, nne, siren, iban, bic, bank_name,
			street, building, postcode, town, country, rcur_only, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET name = excluded.name, ics = excluded.ics, nne = excluded.nne,
			siren = excluded.siren, iban = excluded.iban, bic = excluded.bic, bank_name = excluded.bank_name,
			street = excluded.street, building = excluded.building, postcode = excluded.postcode,
			town = excluded.town, country = excluded.country, rcur_only = excluded.rcur_only,
			updated_at = excluded.updated_at`,
			c.Code, c.Name, c.ICS, c.NNE, c.SIREN, c.IBAN, c.BIC, c.BankName,
			c.Address.Street, c.Address.Building, c.Address.Postcode, c.Address.Town, c.Address.Country, c.RCUROnly, now, now)
		return err
	})
	if err != nil {
		return c, err
	}
	return s.Creditor(ctx, c.Code)
}
