package remit

// Customer is a customer (tiers) as a remittance names it.
type Customer struct {
	Account  string // the customer's code, its account in the ERP
	Name     string
	Address  Address
	IBAN     string
	BIC      string
	BankName string
	SIREN    string
}

// Item is an item of a remittance as its files and its slip read it: the
// receivable, and its debtor as the remittance recorded it (a snapshot:
// the customer may change since, the files do not).
type Item struct {
	Block         int    // its payment block, from 1
	EndToEndID    string // SEPA: the EndToEndId of this presentation
	Amount        int64
	RUM           string // SEPA: the mandate's reference
	MandateSigned string
	Amendment     Amendment // SEPA: the mandate's change it announces (Account "SMNDA", or an older remit's original IBAN)
	BIC, IBAN     string
	Name          string
	Address       Address
	Document      string
	Label         string
	Due           string // YYYY-MM-DD
	Collection    string // the requested collection date (SEPA), the due date (LCR)
	Sequence      string // FRST, RCUR, OOFF; "" for an LCR
	Issue         string // the bill's date of creation (LCR)
	Acceptance    string // LCR: accepted, not_accepted or bor
	BankName      string
	SIREN         string
	Customer      string // the customer's code
	ChequeNumber  string // a cheque deposited: its number
	DrawerBank    string // a cheque deposited: the bank it is drawn on
	// Documents is how many documents a payment to a supplier settles
	// (Document is the first of them); 0 for a receivable.
	Documents int
}
