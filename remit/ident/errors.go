package ident

import "errors"

// Sentinel reasons. Every validation error wraps exactly one of them.
var (
	ErrEmpty       = errors.New("empty")
	ErrCharacters  = errors.New("invalid characters")
	ErrLength      = errors.New("wrong length")
	ErrCountry     = errors.New("unknown country code")
	ErrCheckDigits = errors.New("bad check digits")
	ErrRIBKey      = errors.New("bad RIB key")
	ErrFormat      = errors.New("wrong format")
	ErrNotSEPA     = errors.New("outside SEPA")
)
