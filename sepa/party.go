package sepa

// Party is a name with an optional postal address and identification.
type Party struct {
	Name    string
	Address Address
	ID      PartyID
}

// IsZero reports whether p has nothing to write.
func (p Party) IsZero() bool { return p.Name == "" && p.Address.IsZero() && p.ID.ID == "" }

// Address is a postal address. From 15 November 2026 (settlement date) it
// must be structured (TownName and Country, no Lines) or hybrid (TownName
// and Country plus at most two Lines); address lines alone are refused.
type Address struct {
	StreetName     string // StrtNm, cut to 70
	BuildingNumber string // BldgNb, cut to 16
	PostCode       string // PstCd, cut to 16
	TownName       string // TwnNm, cut to 35
	Country        string // Ctry, ISO 3166 alpha-2, upper case
	Lines          []string
}

// IsZero reports whether a has no element.
func (a Address) IsZero() bool {
	return a.StreetName == "" && a.BuildingNumber == "" && a.PostCode == "" &&
		a.TownName == "" && a.Country == "" && len(a.Lines) == 0
}

// PartyID is a party's Id: Id/OrgId/Othr for an organisation, Id/PrvtId/Othr
// for a person. Empty ID omits the element.
type PartyID struct {
	ID                string // Othr/Id, 1-35 characters
	Private           bool   // PrvtId instead of OrgId
	SchemeCode        string // Othr/SchmeNm/Cd, e.g. "SREN" (SIREN), "SRET" (SIRET), "CUST"
	SchemeProprietary string // Othr/SchmeNm/Prtry, instead of SchemeCode
	Issuer            string // Othr/Issr, optional
}
