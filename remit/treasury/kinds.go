package treasury

import (
	"fmt"
	"strings"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/remit/statement"
)

// What each type of operation needs of a bank and how statements show it:
// one entry per type, read by CheckOperation and by the statement matching.
// A type that is not here needs nothing and is never recognised on a
// statement.

// opRule is the registry entry of one type of operation.
type opRule struct {
	// usable returns what bank b lacks for the operation.
	usable func(b remit.Bank, n Needs) []string
	// credit and returned are the codes of a statement entry that credits
	// the operation, or debits it back (a reject, a return, an unpaid),
	// on the account of the company: CFONB 120 operation codes
	// (CFONB120.md §9) and ISO bank transaction codes Domain/Family/
	// SubFamily, "*" for any subfamily (camt053.md §7).
	credit, returned []string
}

var opRules = map[remit.BankOperation]opRule{
	remit.OpSDD: {
		usable: func(b remit.Bank, n Needs) []string {
			var p []string
			if err := ident.ValidateICS(n.ICS); err != nil {
				p = append(p, "an SDD needs the creditor's identifier (ICS): "+err.Error())
			}
			if n.National {
				p = append(p, french(b, "the national direct-debit file (CFONB 160)")...)
				if b.NNE == "" {
					p = append(p, "the national direct-debit file (CFONB 160) needs the bank's numéro national d'émetteur (NNE)")
				}
			}
			return p
		},
		// A1/A2 prélèvements SEPA (CORE/B2B) émis; 09, 25 national.
		credit: []string{"A1", "A2", "09", "25", "PMNT/IDDT/ESDD", "PMNT/IDDT/BBDD", "PMNT/IDDT/PMDD", "PMNT/IDDT/OODD", "PMNT/IDDT/XBDD"},
		// B3/B4 rejetés/impayés reçus par le créancier; A5/A6 reversements
		// émis; 10, 27 national rejetés/impayés.
		returned: []string{"B3", "B4", "A5", "A6", "10", "27", "PMNT/IDDT/UPDD", "PMNT/IDDT/PRDD", "PMNT/IDDT/RCDD"},
	},
	remit.OpLCR: {
		usable: func(b remit.Bank, _ Needs) []string { return french(b, "an LCR remise (CFONB 160)") },
		// 31 remise d'effets à l'encaissement, 32 remise à l'escompte
		// (papier commercial or cheques), 35/37 remises de LCR/BOR à
		// l'encaissement / à l'escompte; DRFT (drafts) for camt.053.
		credit: []string{"31", "32", "35", "37", "PMNT/DRFT/STAM", "PMNT/DRFT/STLR", "PMNT/DRFT/DDFT"},
		// 33 effets impayés, 34 incidents sur effets.
		returned: []string{"33", "34", "PMNT/DRFT/UDFT"},
	},
	remit.OpCheque: {
		usable: func(b remit.Bank, _ Needs) []string { return french(b, "a remise de chèques") },
		// 02 remises de chèques, 15/16/17 sur caisse / sur rayon / hors
		// rayon, 32 remise à l'escompte (papier commercial or cheques).
		credit: []string{"02", "15", "16", "17", "32", "PMNT/RCHQ/CCHQ", "PMNT/RCHQ/URCQ"},
		// 03 chèques impayés.
		returned: []string{"03", "PMNT/RCHQ/UPCQ", "PMNT/RCHQ/CQRV"},
	},
	remit.OpTransfer: {
		// 05 virements reçus, 13 de trésorerie, 18 autres, 39 d'origine
		// extérieure, 40 EDI, 45 internationaux, 78 référencés, C2 SEPA
		// instantané reçu.
		credit: []string{"05", "13", "18", "39", "40", "45", "78", "C2", "PMNT/RCDT/*", "PMNT/RRCT/*"},
	},
	remit.OpCash: {
		credit: []string{"04", "PMNT/CNTR/CDPT"},
	},
	remit.OpCard: {
		credit:   []string{"30", "PMNT/CCRD/*"},
		returned: []string{"38"},
	},
}

// feeCodes are bank charges: CFONB 61 agios, 62 commissions et frais, 64-67
// commissions and taxes, 70 charges financières, 88 droits de garde; ISO
// MDOP (miscellaneous debit operations) fees, charges, commissions, taxes.
var feeCodes = []string{"61", "62", "64", "65", "66", "67", "70", "88",
	"PMNT/MDOP/FEES", "PMNT/MDOP/CHRG", "PMNT/MDOP/COMM", "PMNT/MDOP/TAXE",
	"ACMT/MDOP/FEES", "ACMT/MDOP/CHRG", "ACMT/MDOP/COMM", "ACMT/MDOP/TAXE"}

// french lists what b lacks for what needs a French account (a RIB): FR,
// or MC whose accounts have the French layout.
func french(b remit.Bank, what string) []string {
	if cc := strings.ToUpper(b.IBAN[:min(2, len(b.IBAN))]); cc != "FR" && cc != "MC" {
		return []string{fmt.Sprintf("%s needs a French account (a RIB): %s is not", what, b.IBAN)}
	}
	return nil
}

// Needs are what the company brings to an operation besides the bank.
type Needs struct {
	ICS      string // the creditor's identifier (ICS): an SDD needs it
	National bool   // the CFONB 160 national direct-debit file is written too
}

// CheckOperation reports whether bank b can take operations of type op:
// an LCR remise (a CFONB 160 file) and a remise de chèques need a French
// account; an SDD needs the creditor's ICS (the bank gives the account),
// and with the national CFONB 160 file a French account and the bank's
// NNE. Every problem comes at once, wrapping ErrNotUsable. The numéro
// d'émetteur is not needed by an LCR remise (CFONB160.md §2.1: "Not needed
// for LCR"): the LCR file writes zeros without it.
func CheckOperation(b remit.Bank, op remit.BankOperation, n Needs) error {
	r, ok := opRules[op]
	if !ok || r.usable == nil {
		return nil
	}
	errs := r.usable(b, n)
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("bank %s, %s: %w: %s", b.Code, op, ErrNotUsable, strings.Join(errs, "; "))
}

// role is what a statement entry's code says it is.
type role int

const (
	roleUnknown  role = iota
	roleCredit        // an operation credited
	roleReturned      // an operation debited back: reject, return, unpaid
	roleFee           // bank charges
)

// class is what a statement entry's code says about it.
type class struct {
	role role
	ops  []remit.BankOperation // the types it may be; empty: unknown
	code string                // the code it was recognised by
	note string                // why a code was not taken
}

var codeClasses = func() map[string]class {
	m := map[string]class{}
	add := func(code string, r role, op remit.BankOperation) {
		c := m[code]
		c.role, c.code = r, code
		if op != "" {
			c.ops = append(c.ops, op)
		}
		m[code] = c
	}
	for _, op := range remit.BankOperations() { // a fixed order: ops lists are stable
		r := opRules[op]
		for _, c := range r.credit {
			add(c, roleCredit, op)
		}
		for _, c := range r.returned {
			add(c, roleReturned, op)
		}
	}
	for _, c := range feeCodes {
		add(c, roleFee, "")
	}
	return m
}()

// classify reads an entry's bank transaction code: the ISO code when there
// is one the registry knows, else the CFONB operation code (CFONB 120, or a
// camt.053 proprietary code issued by the CFONB). The sign of the amount
// has the last word (CFONB120.md §9: "Never derive the sign from the
// code"): a code whose usual direction is not the entry's says nothing.
func classify(st *statement.Statement, e *statement.Entry) class {
	c, ok := class{}, false
	if d := e.Code; d.Domain != "" {
		iso := strings.ToUpper(d.Domain + "/" + d.Family + "/" + d.SubFamily)
		if c, ok = codeClasses[iso]; !ok {
			c, ok = codeClasses[strings.ToUpper(d.Domain+"/"+d.Family+"/*")]
		}
	}
	if p := strings.ToUpper(strings.TrimSpace(e.Code.Proprietary)); !ok && p != "" &&
		(st.Format == statement.CFONB120 || strings.EqualFold(e.Code.Issuer, statement.IssuerCFONB)) {
		c, ok = codeClasses[p]
	}
	if !ok {
		return class{}
	}
	credit := c.role == roleCredit
	if (credit && e.Amount < 0) || (!credit && e.Amount > 0) {
		dir := "a debit"
		if credit {
			dir = "a credit"
		}
		return class{note: fmt.Sprintf("code %s is usually %s, not this entry", c.code, dir)}
	}
	return c
}

// has reports whether op is among the class's types.
func (c class) has(op remit.BankOperation) bool {
	for _, o := range c.ops {
		if o == op {
			return true
		}
	}
	return false
}
