package treasury

import (
	"errors"
	"testing"

	"github.com/remit-dev/remit/remit"
)

func openReceivables() []Receivable {
	return []Receivable{
		{Document: "F2026-0042", Customer: "411DUPONT", Status: remit.StatusOpen, Open: 12000},
		{Document: "F2026-0043", Customer: "411DUPONT", Status: remit.StatusPointed, Open: 8000},
		{Document: "F2026-0044", Customer: "411MARTIN", Status: remit.StatusRejected, Open: 5000},
		{Document: "F2026-0045", Customer: "411MARTIN", Status: remit.StatusRemitted, Open: 3000},
		{Document: "F2026-0046", Customer: "411MARTIN", Status: remit.StatusPaid, Open: 0},
		{Document: "F2026-0031", Customer: "411ROUX", Status: StatusWrittenOff, Open: 0},
		{Document: "F2026-0047", Customer: "411ROUX", Status: remit.StatusOpen, Open: 0},
	}
}

func TestAllocate(t *testing.T) {
	line := SuspenseLine{ID: "17", Amount: 25000}
	for _, tt := range []struct {
		name      string
		amount    int64 // of the line; 0: 250.00
		reqs      []AllocationRequest
		parts     []AllocatedPart
		remaining int64
		is        []error
		err       string
	}{
		{name: "two invoices in full, the rest stays", reqs: []AllocationRequest{{Document: "F2026-0042"}, {Document: "F2026-0043"}},
			parts: []AllocatedPart{
				{Document: "F2026-0042", Customer: "411DUPONT", Status: remit.StatusOpen, Open: 12000, Amount: 12000, Paid: true},
				{Document: "F2026-0043", Customer: "411DUPONT", Status: remit.StatusPointed, Open: 8000, Amount: 8000, Paid: true}},
			remaining: 5000},
		{name: "the whole line, one partly", reqs: []AllocationRequest{{Document: "F2026-0042"}, {Document: " F2026-0043", Amount: 8000}, {Document: "F2026-0044"}},
			parts: []AllocatedPart{
				{Document: "F2026-0042", Customer: "411DUPONT", Status: remit.StatusOpen, Open: 12000, Amount: 12000, Paid: true},
				{Document: "F2026-0043", Customer: "411DUPONT", Status: remit.StatusPointed, Open: 8000, Amount: 8000, Paid: true},
				{Document: "F2026-0044", Customer: "411MARTIN", Status: remit.StatusRejected, Open: 5000, Amount: 5000, Paid: true}},
			remaining: 0},
		{name: "a partial payment", reqs: []AllocationRequest{{Document: "F2026-0042", Amount: 2500}},
			parts:     []AllocatedPart{{Document: "F2026-0042", Customer: "411DUPONT", Status: remit.StatusOpen, Open: 12000, Amount: 2500, Remaining: 9500}},
			remaining: 22500},
		{name: "over-allocation", amount: 20000, reqs: []AllocationRequest{{Document: "F2026-0042"}, {Document: "F2026-0043"}, {Document: "F2026-0044"}, {Document: "F2026-0047"}},
			is:  []error{ErrOverAllocation, ErrNotOpen},
			err: "suspense line 17, F2026-0047: receivable not open: nothing open on it\nsuspense line 17: 250.00 asked, 200.00 in it: more than the suspense line holds"},
		{name: "more than a receivable's open amount", reqs: []AllocationRequest{{Document: "F2026-0042"}, {Document: "F2026-0043"}, {Document: "F2026-0044", Amount: 5001}},
			is: []error{ErrOverpayment}, err: "suspense line 17, F2026-0044: 50.01 asked, 50.00 open: more than the receivable's open amount"},
		{name: "a document twice", reqs: []AllocationRequest{{Document: "F2026-0042"}, {Document: "F2026-0043"}, {Document: "F2026-0044"}, {Document: "F2026-0042"}},
			is: []error{ErrDuplicate}, err: "suspense line 17, F2026-0042: given twice"},
		{name: "every refusal", reqs: []AllocationRequest{{Document: "F2026-9999"}, {Document: "F2026-0045"}, {Document: "F2026-0046"},
			{Document: "F2026-0031"}, {Document: "F2026-0042", Amount: -1}},
			is: []error{ErrUnknown, ErrNotOpen, ErrWrittenOff, ErrAmount},
			err: "suspense line 17, F2026-9999: unknown document\n" +
				"suspense line 17, F2026-0045: receivable not open: in a remittance not yet collected\n" +
				"suspense line 17, F2026-0046: receivable not open: paid already\n" +
				"suspense line 17, F2026-0031: written off: never collected again\n" +
				"suspense line 17, F2026-0042: amount must be positive: -0.01"},
		{name: "nothing asked", is: []error{ErrUnknown}, err: "suspense line 17: unknown document: no receivable to allocate it to"},
	} {
		l := line
		if tt.amount != 0 {
			l.Amount = tt.amount
		}
		a, err := Allocate(l, openReceivables(), tt.reqs, DefaultAccounts)
		if tt.err != "" {
			ok := err != nil && err.Error() == tt.err
			for _, is := range tt.is {
				ok = ok && errors.Is(err, is)
			}
			if !ok || a.Parts != nil {
				t.Errorf("%s:\n got %v\nwant %s", tt.name, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		var allocated int64
		for _, p := range tt.parts {
			allocated += p.Amount
		}
		if len(a.Parts) != len(tt.parts) || a.Remaining != tt.remaining || a.Allocated != allocated || a.Line != "17" || a.SuspenseAccount != "471000" {
			t.Errorf("%s: %+v", tt.name, a)
			continue
		}
		for i := range a.Parts {
			if a.Parts[i] != tt.parts[i] {
				t.Errorf("%s: part %d %+v, want %+v", tt.name, i, a.Parts[i], tt.parts[i])
			}
		}
	}
	if _, err := Allocate(SuspenseLine{ID: "18"}, openReceivables(), []AllocationRequest{{Document: "F2026-0042"}}, DefaultAccounts); !errors.Is(err, ErrAmount) ||
		err.Error() != "suspense line 18: amount must be positive: 0.00 left in it" {
		t.Errorf("an empty line: %v", err)
	}
}

func TestWriteOff(t *testing.T) {
	rs := openReceivables()
	when := date(2026, 12, 2)
	w, err := WriteOffReceivable(rs[1], WriteOffRequest{Document: "F2026-0043", Reason: " liquidation judiciaire ", Date: when, VAT: 1333}, DefaultAccounts)
	want := WriteOff{Document: "F2026-0043", Customer: "411DUPONT", Status: remit.StatusPointed, Reason: "liquidation judiciaire", Date: when,
		Amount: 8000, VAT: 1333, Loss: 6667, LossAccount: "654000", VATAccount: "445710"}
	if err != nil || w != want {
		t.Fatalf("%+v, %v", w, err)
	}
	if w.Loss+w.VAT != w.Amount {
		t.Error("the entry does not balance")
	}
	for _, tt := range []struct {
		name string
		r    Receivable
		req  WriteOffRequest
		is   error
		want string
	}{
		{"written off already", rs[5], WriteOffRequest{Reason: "x", Date: when}, ErrWrittenOff, "write-off of F2026-0031: written off: never collected again"},
		{"being collected", rs[3], WriteOffRequest{Reason: "x", Date: when}, ErrNotOpen, "write-off of F2026-0045: receivable not open: in a remittance not yet collected"},
		{"paid", rs[4], WriteOffRequest{Reason: "x", Date: when}, ErrNotOpen, "write-off of F2026-0046: receivable not open: paid already"},
		{"no reason", rs[0], WriteOffRequest{Reason: " ", Date: when}, ErrReason, "write-off of F2026-0042: a write-off needs its reason"},
		{"VAT", rs[0], WriteOffRequest{Reason: "x", Date: when, VAT: 12000}, ErrAmount,
			"write-off of F2026-0042: VAT 120.00: amount must be positive and below the open amount 120.00"},
		{"everything", rs[0], WriteOffRequest{VAT: -1}, ErrReason,
			"write-off of F2026-0042: a write-off needs its reason\nwrite-off of F2026-0042: the entry needs its date\n" +
				"write-off of F2026-0042: VAT -0.01: amount must be positive and below the open amount 120.00"},
	} {
		w, err := WriteOffReceivable(tt.r, tt.req, DefaultAccounts)
		if !errors.Is(err, tt.is) || err.Error() != tt.want || w != (WriteOff{}) {
			t.Errorf("%s:\n got %v\nwant %s", tt.name, err, tt.want)
		}
	}
}

func TestCollectable(t *testing.T) {
	for _, r := range openReceivables() {
		err := Collectable(r)
		if (err != nil) != (r.Status == StatusWrittenOff) || (err != nil && (!errors.Is(err, ErrWrittenOff) || err.Error() != "receivable F2026-0031: written off: never collected again")) {
			t.Errorf("%s %s: %v", r.Document, r.Status, err)
		}
	}
}
