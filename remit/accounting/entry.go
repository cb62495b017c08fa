package accounting

import "time"

// Entry is one stored entry line, as exported.
type Entry struct {
	Journal      string `json:"journal"`
	JournalLabel string `json:"journal_label"`
	Number       int64  `json:"number"`
	Line         int    `json:"line"`
	Kind         Kind   `json:"kind"`
	Remittance   string `json:"remittance"`
	Date         string `json:"date"`
	Account      string `json:"account"`
	AccountLabel string `json:"account_label"`
	Aux          string `json:"aux_account,omitempty"`
	AuxLabel     string `json:"aux_label,omitempty"`
	Piece        string `json:"piece_ref"`
	PieceDate    string `json:"piece_date"`
	Label        string `json:"label"`
	Debit        int64  `json:"debit"`
	Credit       int64  `json:"credit"`
	Lettering    string `json:"lettering,omitempty"`
	LetteredOn   string `json:"lettered_on,omitempty"`
	ValidDate    string `json:"valid_date"`
}

// EntryFilter selects entries: those of the given remittances (their
// collection, returns, fees and reversals), all when none is given, dated
// From to To inclusive (zero: unbounded).
type EntryFilter struct {
	Remittances []int64
	From, To    time.Time
}
