package cfonb120

import (
	"fmt"
	"strings"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit/statement"
)

// A qualifier's layout: the parts of the information zone (positions
// 49-118 of the record 05) that fill a field of statement.Detail
// (CFONB120.md §7.1, from the CFONB 2010 addendum).
type qualifier struct {
	code  string
	parts []part
}

type part struct {
	from, to int
	field    func(d *statement.Detail) *string
}

// detailQualifiers are the qualifiers a Detail is made of, in the order
// the writer puts them, which is the order of the reference example (NPY,
// LCC, RCN, RUM, REF). LCC and LC2, the remittance information lines, are
// handled apart; LIB lines go to Entry.Info; other qualifiers (IPY, IBE,
// NPO, IPO, NBU, IBU, MMO, bank-specific ones) are kept as they are in
// Entry.Extra.
var detailQualifiers = []qualifier{
	{"NPY", []part{{49, 118, func(d *statement.Detail) *string { return &d.Debtor.Name }}}},
	{"CPY", []part{{49, 83, func(d *statement.Detail) *string { return &d.Debtor.Account }}}},
	{"NBE", []part{{49, 118, func(d *statement.Detail) *string { return &d.Creditor.Name }}}},
	{"CBE", []part{{49, 83, func(d *statement.Detail) *string { return &d.Creditor.Account }}}},
	{"LCC", nil},
	{"LC2", nil},
	{"LCS", []part{{49, 83, func(d *statement.Detail) *string { return &d.CreditorRef }}}},
	{"RCN", []part{
		{49, 83, func(d *statement.Detail) *string { return &d.EndToEndID }},
		{84, 118, func(d *statement.Detail) *string { return &d.Purpose }}}},
	{"RUM", []part{
		{49, 83, func(d *statement.Detail) *string { return &d.MandateID }},
		{84, 87, func(d *statement.Detail) *string { return &d.SequenceType }}}},
	{"REF", []part{
		{49, 83, func(d *statement.Detail) *string { return &d.PmtInfID }},
		{84, 118, func(d *statement.Detail) *string { return &d.InstrID }}}},
}

const (
	qualLabel      = "LIB"
	qualRemittance = "LCC"
	qualRemit2     = "LC2"
)

func lookupQualifier(code string) *qualifier {
	for i := range detailQualifiers {
		if detailQualifiers[i].code == code {
			return &detailQualifiers[i]
		}
	}
	return nil
}

// addComplement puts what a record 05 says into the entry. A record whose
// fields are already taken, that is blank, or that has text outside the
// qualifier's layout goes to Extra as it is: nothing is lost, and the
// writer gives back the same statement.
func addComplement(e *statement.Entry, c *Complement, line int) {
	if c.Qualifier == qualLabel {
		e.Info = append(e.Info, c.Info)
		return
	}
	if !takeComplement(e, c, line) {
		e.Extra = append(e.Extra, statement.Complement{Qualifier: c.Qualifier, Text: c.Info})
	}
}

func takeComplement(e *statement.Entry, c *Complement, line int) bool {
	q := lookupQualifier(c.Qualifier)
	if q == nil || c.Info == "" {
		return false
	}
	var d *statement.Detail
	if len(e.Details) > 0 {
		d = &e.Details[0]
	}
	switch c.Qualifier {
	case qualRemittance, qualRemit2:
		want := 0
		if c.Qualifier == qualRemit2 {
			want = 1
		}
		if d != nil && len(d.Remittance) != want || d == nil && want != 0 {
			return false
		}
		d = detailOf(e, line)
		d.Remittance = append(d.Remittance, c.Info)
		return true
	}
	covered := make([]bool, zInfo.len())
	for _, p := range q.parts {
		if d != nil && *p.field(d) != "" {
			return false
		}
		for i := p.from; i <= p.to; i++ {
			covered[i-zInfo.from] = true
		}
	}
	for i, r := range []rune(c.Info) {
		if r != ' ' && !covered[i] {
			return false
		}
	}
	d = detailOf(e, line)
	for _, p := range q.parts {
		*p.field(d) = c.Field(p.from, p.to)
	}
	return true
}

// detailOf returns the entry's one detail, made on first use.
func detailOf(e *statement.Entry, line int) *statement.Detail {
	if len(e.Details) == 0 {
		e.Details = append(e.Details, statement.Detail{Line: line, Amount: e.Amount})
	}
	return &e.Details[0]
}

// complementsOf returns the records 05 that write an entry's detail, LIB
// lines and extra complements, in the writer's order, or the reasons the
// entry cannot be written.
func complementsOf(e *statement.Entry, c *fieldErrs) []statement.Complement {
	var out []statement.Complement
	if len(e.Details) > 1 {
		c.failRecord(fmt.Errorf("%w: %d transactions under one entry: a movement 04 describes one", ErrNotWritable, len(e.Details)))
		return nil
	}
	if len(e.Details) == 1 {
		d := &e.Details[0]
		notWritable := func(field, value string) {
			if value != "" {
				c.failRecord(fmt.Errorf("%w: a transaction's %s (%q)", ErrNotWritable, field, value))
			}
		}
		notWritable("MsgId", d.MsgID)
		notWritable("cheque number", d.ChequeNumber)
		notWritable("return reason", d.ReturnReason)
		if d.Amount != 0 && d.Amount != e.Amount {
			c.failRecord(fmt.Errorf("%w: a transaction of %s under a movement of %s", ErrNotWritable,
				statement.Format(d.Amount), statement.Format(e.Amount)))
		}
		if len(d.Remittance) > 2 {
			c.failRecord(fmt.Errorf("%w: %d remittance information lines, LCC and LC2 hold two", ErrNotWritable, len(d.Remittance)))
		}
		for _, q := range detailQualifiers {
			switch q.code {
			case qualRemittance, qualRemit2:
				i := 0
				if q.code == qualRemit2 {
					i = 1
				}
				if i < len(d.Remittance) {
					if d.Remittance[i] == "" {
						c05 := fieldErrs{line: c.line + len(out) + 1, code: "05"}
						c05.fail(zInfo, "", fmt.Errorf("%w: remittance information line %d (%s) is empty", cfonb.ErrRequired, i+1, q.code))
						c.errs = append(c.errs, c05.errs...)
					}
					out = append(out, statement.Complement{Qualifier: q.code, Text: d.Remittance[i]})
				}
				continue
			}
			// The record 05 would come after the 04 and those before it.
			c05 := fieldErrs{line: c.line + len(out) + 1, code: "05"}
			if text, ok := layOut(q, d, &c05); ok {
				out = append(out, statement.Complement{Qualifier: q.code, Text: text})
			}
			c.errs = append(c.errs, c05.errs...)
		}
	}
	for _, s := range e.Info {
		out = append(out, statement.Complement{Qualifier: qualLabel, Text: s})
	}
	return append(out, e.Extra...)
}

// layOut places a detail's fields in a qualifier's information zone; ok is
// false when all of them are empty.
func layOut(q qualifier, d *statement.Detail, c *fieldErrs) (string, bool) {
	info := []rune(strings.Repeat(" ", zInfo.len()))
	any := false
	for _, p := range q.parts {
		v := []rune(*p.field(d))
		if len(v) == 0 {
			continue
		}
		any = true
		if len(v) > p.to-p.from+1 {
			c.fail(zone{"informations complémentaires " + q.code, p.from, p.to}, string(v),
				fmt.Errorf("%w: %d characters, the zone has %d", cfonb.ErrOverflow, len(v), p.to-p.from+1))
			continue
		}
		copy(info[p.from-zInfo.from:], v)
	}
	return strings.TrimRight(string(info), " "), any
}
