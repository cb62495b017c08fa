package accounting

import (
	"fmt"

	"github.com/remit-dev/remit/remit"
)

// Header is what the lines of one écriture share. Its number (EcritureNum)
// is given by the store when it records the écriture: each journal numbers
// its écritures in one continuous sequence, in the order they are
// recorded.
type Header struct {
	Journal      string // JournalCode
	JournalLabel string // JournalLib
	Date         string // EcritureDate, a stored date
	Remittance   int64  // the remittance the écriture belongs to; 0: none (a treasury écriture)
	Reverses     int64  // a reversal: the number of the écriture it reverses (same journal); else 0
}

// Line is one line of an écriture.
type Line struct {
	Kind         Kind
	Seq          int64 // its place in the écriture, from 1
	Item         int64 // the remittance item; 0: none (a centralised line)
	Receivable   int64 // set on customer lines only: the lettering follows it
	Return       int64 // the return recorded, on return and fee lines
	Payment      int64 // the supplier payment, on its lines and their return's and fee's (Disbursement)
	Payable      int64 // set on supplier lines: their lettering follows it
	Account      string
	AccountLabel string
	Aux          string // CompAuxNum: the customer's code
	AuxLabel     string
	Counterpart  string // on customer and fee lines: the account the other side uses
	Piece        string // PieceRef
	PieceDate    string // a stored date
	Label        string // EcritureLib
	Debit        int64  // cents; exactly one of Debit and Credit is positive
	Credit       int64
	Lettering    Lettering
}

// Ecriture is an écriture with its lines, for the rules whose écritures are
// small (a return and its fee). A collection streams its lines instead
// (Collection), and so does a reversal (Reversal).
type Ecriture struct {
	Header
	Lines []Line
}

// Check verifies that the lines are numbered from 1 in order, that each is
// of a kind a rule writes with exactly one positive side, and that they
// balance.
func (e *Ecriture) Check() error {
	var t Tally
	for i := range e.Lines {
		if e.Lines[i].Seq != int64(i+1) {
			return fmt.Errorf("line %d (%s %s) is numbered %d: an écriture's lines are numbered 1, 2, … in order", i+1,
				e.Lines[i].Account, e.Lines[i].Piece, e.Lines[i].Seq)
		}
		if err := t.Add(&e.Lines[i]); err != nil {
			return err
		}
	}
	return t.Balanced(e.Header)
}

// Tally checks an écriture's lines as they stream: each is of a known
// kind with exactly one positive side, and together they balance.
type Tally struct {
	Debit, Credit int64
}

// Add counts a line, or says why it cannot be written: a kind no rule
// writes (Rules), or not exactly one positive side.
func (t *Tally) Add(l *Line) error {
	if err := checkKind(l); err != nil {
		return err
	}
	if err := checkSides(l); err != nil {
		return err
	}
	t.Debit += l.Debit
	t.Credit += l.Credit
	return nil
}

// Balanced reports an écriture whose lines do not balance.
func (t *Tally) Balanced(h Header) error {
	if t.Debit != t.Credit {
		return fmt.Errorf("journal %s, %s: debit %s, credit %s: %w", h.Journal, h.Date, remit.FormatAmount(t.Debit),
			remit.FormatAmount(t.Credit), ErrUnbalanced)
	}
	return nil
}

func checkSides(l *Line) error {
	if (l.Debit > 0) == (l.Credit > 0) || l.Debit < 0 || l.Credit < 0 {
		return fmt.Errorf("line %d (%s %s): debit %s, credit %s: exactly one must be positive", l.Seq, l.Account, l.Piece,
			remit.FormatAmount(l.Debit), remit.FormatAmount(l.Credit))
	}
	return nil
}
