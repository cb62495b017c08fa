package sepa

import (
	"slices"
	"strings"
)

// ReturnsReason is an ISO 20022 external status or return reason code as
// the SEPA direct debit R-transactions use it, with labels for display.
type ReturnsReason struct {
	Code    string
	French  string
	English string
}

// returnsReasons are the codes banks send for SEPA direct debit rejects,
// returns, refunds and reversals (EPC SDD rulebook, R-transactions; ISO
// ExternalStatusReason1Code / ExternalReturnReason1Code).
var returnsReasons = map[string]ReturnsReason{}

func init() {
	for _, r := range []ReturnsReason{
		{"AC01", "Numéro de compte (IBAN) incorrect", "Incorrect account number (IBAN)"},
		{"AC04", "Compte clôturé", "Account closed"},
		{"AC06", "Compte bloqué, ou bloqué aux prélèvements", "Account blocked, or blocked for direct debits"},
		{"AC13", "Compte débiteur de particulier (interdit en B2B)", "Debtor account is a consumer account (not allowed for B2B)"},
		{"AG01", "Opération interdite sur ce type de compte", "Transaction forbidden on this type of account"},
		{"AG02", "Code opération ou format invalide", "Invalid bank operation code or file format"},
		{"AM04", "Provision insuffisante", "Insufficient funds"},
		{"AM05", "Opération en double", "Duplicate collection"},
		{"BE05", "Identifiant créancier (ICS) non reconnu", "Creditor identifier unrecognised"},
		{"CNOR", "Banque du créancier non joignable", "Creditor bank not registered under this BIC"},
		{"CUST", "Refus du débiteur", "Refused by the debtor"},
		{"DNOR", "Banque du débiteur non joignable", "Debtor bank not registered under this BIC"},
		{"DUPL", "Paiement en double", "Duplicate payment"},
		{"ED05", "Règlement échoué", "Settlement failed"},
		{"FF01", "Format de fichier invalide", "Invalid file format"},
		{"FOCR", "Suite à une demande d'annulation", "Following a cancellation request"},
		{"FRAD", "Origine frauduleuse", "Fraudulent origin"},
		{"MD01", "Pas de mandat valide", "No valid mandate"},
		{"MD02", "Données du mandat manquantes ou erronées", "Mandate data missing or incorrect"},
		{"MD06", "Remboursement demandé par le débiteur", "Refund requested by the debtor"},
		{"MD07", "Débiteur décédé", "Debtor deceased"},
		{"MS02", "Refus du débiteur, motif non précisé", "Refused by the debtor, reason not specified"},
		{"MS03", "Motif non précisé par la banque", "Reason not specified by the bank"},
		{"NARR", "Motif en texte libre (voir le complément)", "Narrative reason (see the additional information)"},
		{"RC01", "Identifiant de banque (BIC) incorrect", "Bank identifier (BIC) incorrect"},
		{"RR01", "Compte ou identification du débiteur manquant (réglementaire)", "Regulatory: debtor account or identification missing"},
		{"RR02", "Nom ou adresse du débiteur manquant (réglementaire)", "Regulatory: debtor name or address missing"},
		{"RR03", "Nom ou adresse du créancier manquant (réglementaire)", "Regulatory: creditor name or address missing"},
		{"RR04", "Motif réglementaire", "Regulatory reason"},
		{"SL01", "Service spécifique de la banque du débiteur (créancier bloqué, filtre)", "Specific service offered by the debtor bank (blocked creditor, filter)"},
		{"TECH", "Problème technique", "Technical problem"},
	} {
		returnsReasons[r.Code] = r
	}
}

// LookupReason returns the labels of a reason code (case and surrounding
// space ignored).
func LookupReason(code string) (ReturnsReason, bool) {
	r, ok := returnsReasons[strings.ToUpper(strings.TrimSpace(code))]
	return r, ok
}

// ReasonLabel returns a display label for a reason code, French first,
// e.g. "Compte clôturé (account closed)", or "" for a code it does not know
// (a proprietary reason, to be shown as it is).
func ReasonLabel(code string) string {
	r, ok := LookupReason(code)
	if !ok {
		return ""
	}
	return r.French + " (" + strings.ToLower(r.English[:1]) + r.English[1:] + ")"
}

// ReasonCodes lists the reason codes LookupReason knows, in order.
func ReasonCodes() []string {
	codes := make([]string, 0, len(returnsReasons))
	for c := range returnsReasons {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return codes
}
