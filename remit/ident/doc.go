// Package ident validates the identifiers that travel in bank files: IBAN
// (ISO 13616), the French RIB key, BIC (ISO 9362), the SEPA creditor
// identifier (ICS), the SEPA mandate reference (RUM), SIREN and ISO 3166
// country codes.
//
// Every check returns nil or an error wrapping one of the sentinel errors
// below, so callers can test the reason with errors.Is and still print a
// message that names the value:
//
//	if err := ident.ValidateIBAN("FR7630004008280001012345691"); err != nil {
//		return fmt.Errorf("debtor IBAN: %w", err)
//	}
//
// The package has no dependencies besides the standard library, so that the
// file formats (cfonb, sepa) and the store can all use it.
package ident
