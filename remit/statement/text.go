package statement

import "strings"

// String writes a code as lists show it: the ISO bank transaction code
// (PMNT/IDDT/ESDD), else the CFONB or the bank's own operation code (A1).
func (c Code) String() string {
	if c.Domain != "" {
		return c.Domain + "/" + c.Family + "/" + c.SubFamily
	}
	return strings.TrimSpace(c.Proprietary)
}

// Text is what an entry says it is: the bank's label (libellé,
// AddtlNtryInf), else the first remittance information the payer wrote,
// else its complements.
func (e *Entry) Text() string {
	if l := strings.TrimSpace(e.Label); l != "" {
		return l
	}
	for _, d := range e.Details {
		for _, u := range d.Remittance {
			if u = strings.TrimSpace(u); u != "" {
				return u
			}
		}
	}
	return strings.TrimSpace(strings.Join(e.Info, " "))
}

// Summary says what an entry names beyond its label, once each: its
// complements, the other party, the payer's remittance information and
// references (E2E, CHQ), separated by "; ", at most 500 characters. It
// tells one credit in the suspense account from another.
func (e *Entry) Summary() string {
	var parts []string
	add := func(s string) {
		if s = strings.Join(strings.Fields(s), " "); s != "" {
			for _, p := range parts {
				if p == s {
					return
				}
			}
			parts = append(parts, s)
		}
	}
	for _, info := range e.Info {
		add(info)
	}
	for i := range e.Details {
		d := &e.Details[i]
		add(d.Counterparty().Name)
		for _, u := range d.Remittance {
			add(u)
		}
		add(d.CreditorRef)
		if d.EndToEndID != "" && !strings.EqualFold(d.EndToEndID, "NOTPROVIDED") {
			add("E2E " + d.EndToEndID)
		}
		if d.ChequeNumber != "" {
			add("CHQ " + d.ChequeNumber)
		}
	}
	s := strings.Join(parts, "; ")
	if r := []rune(s); len(r) > 500 {
		s = string(r[:499]) + "…"
	}
	return s
}
