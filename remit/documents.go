package remit

import (
	"fmt"
	"strings"

	"github.com/remit-dev/remit/bordereau"
)

// The PDF documents: bordereau de remise, traites, list of unpaid due dates.
// The bordereau package draws them from plain values; this file feeds it
// from the store.

// BordereauParty prints an address the French way: "12 Rue de la Paix" on
// one line (remit keeps the building number apart, as SEPA's BldgNb).
func BordereauParty(name string, a Address) bordereau.Party {
	street := strings.TrimSpace(a.Building + " " + a.Street)
	return bordereau.Party{Name: name, Address: bordereau.Address{Street: street,
		Postcode: a.Postcode, Town: a.Town, Country: a.Country}}
}

// SlipKind is the remittance kind as the bordereau prints it.
func SlipKind(r Remittance) string {
	switch r.Kind {
	case "sdd":
		k := "Prélèvement SEPA " + r.Scheme
		if r.Params.CFONB {
			k += " et prélèvement national (CFONB)"
		}
		return k
	case "lcr":
		k := fmt.Sprintf("LCR – code entrée %d (%s)", r.Params.EntryCode, EntryCodeLabel(r.Params.EntryCode))
		if r.Params.ValueDate != "" {
			k += ", valeur " + StoredDate(r.Params.ValueDate).Format("02/01/2006")
		}
		if r.Params.Dailly != "" && r.Params.Dailly != "0" {
			k += ", Dailly " + r.Params.Dailly
		}
		return k
	}
	return r.Kind
}

// EntryCodeLabel names a CFONB LCR code entrée.
func EntryCodeLabel(code int) string {
	switch code {
	case 1:
		return "escompte"
	case 2:
		return "escompte en valeur"
	case 3:
		return "encaissement, crédit forfaitaire après échéance"
	case 4:
		return "encaissement, crédit après délai de retour des impayés"
	}
	return "inconnu"
}

// AcceptanceLabel is how a slip prints a bill's acceptance.
func AcceptanceLabel(a string) string {
	switch a {
	case "accepted":
		return "Acceptée"
	case "bor":
		return "BOR"
	}
	return "Non acceptée"
}

// BordereauName is the slip's file name for a remittance.
func BordereauName(ref string) string { return "BORDEREAU." + ref + ".pdf" }

// TraiteSource says which receivables get a traite.
type TraiteSource struct {
	RemittanceID int64  // the items of this remittance, or
	Filter       Filter // these receivables (e.g. pointed LCR ones not yet remitted)
}

// DrawerParty is the creditor as the traite prints it.
func DrawerParty(cr Creditor) bordereau.Party { return BordereauParty(cr.Name, cr.Address) }

// MethodLabel is a payment method as people read it.
func MethodLabel(m string) string {
	switch m {
	case "sdd":
		return "Prélèvement"
	case "lcr":
		return "LCR"
	case "chq":
		return "Chèque"
	case "vir":
		return "Virement"
	case "esp":
		return "Espèces"
	case "cb":
		return "Carte"
	}
	return ""
}

// StatusLabel is a receivable status in French, for printed lists.
func StatusLabel(s string) string {
	switch s {
	case StatusOpen:
		return "Non réglée"
	case StatusPointed:
		return "Pointée"
	case StatusRemitted:
		return "Remise"
	case StatusRejected:
		return "Rejetée"
	case StatusPaid:
		return "Réglée"
	}
	return s
}
