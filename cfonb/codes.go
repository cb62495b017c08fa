package cfonb

import (
	"fmt"
	"strings"
)

// Kind is the family of a remise, decided by its code opération.
type Kind uint8

const (
	KindUnknown  Kind = iota
	KindLCR           // lettres de change relevé / billets à ordre relevé, operation 60
	KindDebit         // prélèvement national, operations 08, 85, 89
	KindTransfer      // virement national, operations 02, 22, 27, 28, 29, 76
)

func (k Kind) String() string {
	switch k {
	case KindLCR:
		return "LCR"
	case KindDebit:
		return "prélèvement"
	case KindTransfer:
		return "virement"
	}
	return "unknown"
}

// Operation is the code opération, positions 3-4 of every record.
type Operation uint8

const (
	OpTransfer         Operation = 2  // virement ordinaire
	OpDebit            Operation = 8  // prélèvement ordinaire
	OpTransferSpecial  Operation = 22 // virement particulier (APL)
	OpTransferE3       Operation = 27 // virement à échéance, exchanged 3 business days before
	OpTransferE2       Operation = 28 // virement à échéance, exchanged 2 business days before
	OpTransferToVerify Operation = 29 // virement à vérifier: amounts are zero
	OpLCR              Operation = 60 // remise de LCR / BOR
	OpTransferTreasury Operation = 76 // virement de trésorerie
	OpDebitAccelerated Operation = 85 // prélèvement accéléré
	OpDebitVerified    Operation = 89 // prélèvement vérifié
)

// Kind returns the family of the operation, KindUnknown for a code the
// CFONB 160 remittance formats do not use.
func (o Operation) Kind() Kind {
	switch o {
	case OpLCR:
		return KindLCR
	case OpDebit, OpDebitAccelerated, OpDebitVerified:
		return KindDebit
	case OpTransfer, OpTransferSpecial, OpTransferE3, OpTransferE2, OpTransferToVerify, OpTransferTreasury:
		return KindTransfer
	}
	return KindUnknown
}

// String returns the code as written in the file, two digits.
func (o Operation) String() string { return fmt.Sprintf("%02d", uint8(o)) }

// EntryCode is the code entrée of an LCR remise (position 79 of the 03):
// what the bank is asked to do with the bills.
type EntryCode uint8

const (
	EntryDiscount             EntryCode = 1 // escompte; needs a date de valeur
	EntryDiscountValue        EntryCode = 2 // escompte en valeur; needs a date de valeur
	EntryCollection           EntryCode = 3 // encaissement, crédit forfaitaire après l'échéance
	EntryCollectionAfterDelay EntryCode = 4 // encaissement, crédit après expiration d'un délai forfaitaire
)

func (c EntryCode) valid() bool { return c >= 1 && c <= 4 }

// needsValueDate reports whether the remise is an escompte, whose header
// carries a date de valeur.
func (c EntryCode) needsValueDate() bool { return c == EntryDiscount || c == EntryDiscountValue }

// Dailly is the code Dailly of an LCR remise (position 80 of the 03). Its
// values are the characters written in the file; the zero value (or
// Dailly(' ')) writes a space, the usual "no indication", and the Reader
// returns a space as the zero value.
type Dailly byte

const (
	DaillyBlank        Dailly = 0   // space: no indication (default)
	DaillyNone         Dailly = '0' // 0: no indication, as some software writes it
	DaillyCession      Dailly = '1' // cession escompte under a Dailly agreement
	DaillyPledge       Dailly = '2' // nantissement under a Dailly agreement
	DaillyOutsideTerms Dailly = '3' // cession or nantissement outside a Dailly agreement
)

func (d Dailly) valid() bool { return d == DaillyBlank || d == ' ' || (d >= '0' && d <= '3') }

func (d Dailly) char() byte {
	if d == DaillyBlank || d == ' ' {
		return ' '
	}
	return byte(d)
}

// Acceptance is the code acceptation of an LCR bill (position 79 of the 06).
type Acceptance uint8

const (
	NotAccepted    Acceptance = 0 // LCR non acceptée (LCR directe)
	Accepted       Acceptance = 1 // LCR acceptée
	PromissoryNote Acceptance = 2 // billet à ordre relevé (BOR)
)

// EOL is the record separator of a file.
type EOL uint8

const (
	CRLF EOL = iota // "\r\n" after every record, the last one included (default)
	LF              // "\n" after every record
	None            // records back to back, 160 bytes each
)

func (e EOL) String() string {
	switch e {
	case CRLF:
		return "crlf"
	case LF:
		return "lf"
	case None:
		return "none"
	}
	return fmt.Sprintf("EOL(%d)", uint8(e))
}

func (e EOL) bytes() string {
	switch e {
	case LF:
		return "\n"
	case None:
		return ""
	}
	return "\r\n"
}

// ParseEOL reads a separator name: "crlf", "lf" or "none" (any case).
func ParseEOL(s string) (EOL, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "crlf":
		return CRLF, nil
	case "lf":
		return LF, nil
	case "none":
		return None, nil
	}
	return CRLF, fmt.Errorf("record separator %q: want crlf, lf or none", s)
}
