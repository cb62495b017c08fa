package ident

import "fmt"

// sepaCountries are the IBAN country codes of the geographical scope of the
// SEPA payment schemes, from the EPC list of SEPA scheme countries,
// EPC409-09 v8.0 (24 December 2025): the 30 countries of the EEA and 11
// others, and Gibraltar, a territory with IBANs of its own. The other
// territories of the list bank under their country's code: the French
// overseas departments and collectivities (FR), Guernsey, Jersey and the
// Isle of Man (GB), Åland (FI), the Azores and Madeira (PT), the Canary
// Islands, Ceuta and Melilla (ES). Update the table, and its version here,
// when the EPC publishes a new list.
//
// true marks a country outside the EEA: a collection involving a bank
// there needs the debtor's address (SDD rulebooks, EPC153-22).
var sepaCountries = map[string]bool{
	// EEA: the 27 EU member states, Iceland, Liechtenstein, Norway.
	"AT": false, "BE": false, "BG": false, "CY": false, "CZ": false, "DE": false, "DK": false, "EE": false,
	"ES": false, "FI": false, "FR": false, "GR": false, "HR": false, "HU": false, "IE": false, "IT": false,
	"LT": false, "LU": false, "LV": false, "MT": false, "NL": false, "PL": false, "PT": false, "RO": false,
	"SE": false, "SI": false, "SK": false,
	"IS": false, "LI": false, "NO": false,
	// Outside the EEA: Andorra, Switzerland, the United Kingdom and
	// Gibraltar, Monaco, San Marino, Vatican City; Albania and Montenegro
	// (November 2024), Moldova and North Macedonia (March 2025), Serbia (May 2025).
	"AD": true, "CH": true, "GB": true, "GI": true, "MC": true, "SM": true, "VA": true,
	"AL": true, "ME": true, "MD": true, "MK": true, "RS": true,
}

// SEPACountry reports whether an account whose IBAN starts with country
// code cc can take part in a SEPA credit transfer or direct debit.
func SEPACountry(cc string) bool {
	_, ok := sepaCountries[cc]
	return ok
}

// OutsideEEA reports whether cc is a SEPA country outside the EEA, where a
// direct debit needs the debtor's address.
func OutsideEEA(cc string) bool { return sepaCountries[cc] }

// ValidateSEPAIBAN is ValidateIBAN for an account that takes part in SEPA
// payments: a valid IBAN of a country of the SEPA schemes (ErrNotSEPA
// otherwise). A Turkish or Brazilian IBAN is a valid IBAN, but no SEPA
// direct debit can be drawn on it.
func ValidateSEPAIBAN(iban string) error {
	if err := ValidateIBAN(iban); err != nil {
		return err
	}
	if cc := iban[:2]; !SEPACountry(cc) {
		return fmt.Errorf("IBAN %s: %w: %s is not a country of the SEPA schemes (EPC409-09)", iban, ErrNotSEPA, cc)
	}
	return nil
}
