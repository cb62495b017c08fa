package disburse

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/store"
)

// PointOptions control Point.
type PointOptions struct {
	Now time.Time
	// Lead is the payment runs' lead (TARGET2 business days before the due
	// date), so that the execution dates and the discounts Point shows are
	// those the run will take.
	Lead int
	// Target is the amount to reach (montant à pointer), cents of
	// TargetCurrency (EUR when empty); 0 points every payable that can be
	// paid.
	Target         int64
	TargetCurrency string
	Order          string // payables.OrderPriorityDue (default) or payables.OrderDuePriority
	SkipDiscounts  bool
}

// Payment is a prepared payment Point formed: a group of payables (or one).
type Payment struct {
	payables.Group
	ID int64 // its group's id; 0 for a payable paid on its own
}

// PointResult is what Point did.
type PointResult struct {
	Payments []Payment
	Left     []payables.Left
	Totals   []remit.CurrencyTotal // per currency: payments and what they pay
	Target   int64
	Problems []string // automatic groups that could not be formed (their payables are paid one by one)
}

// Point points the open payables the filter selects for payment (seed
// 002, step 2, "Préparation des règlements"): payables.Prepare leaves out
// those no payment can take, each with its reason (contested, not
// approved when the creditor requires it, no method…), forms the
// automatic groups of the creditor's rules and, with a target, takes them
// in the order asked until the target is reached, never exceeding it. The
// store records each payment's payables as pointed, a group of several as
// a group. Already pointed payables are left as they are.
func Point(ctx context.Context, ps store.PayableStore, cr remit.Creditor, f store.PayableFilter, o PointOptions) (*PointResult, error) {
	f.Status = payables.StatusOpen
	f.ApprovalRequired = cr.ApprovalRequired
	if err := f.Validate(); err != nil {
		return nil, err
	}
	res := &PointResult{Target: o.Target}
	err := ps.UpdatePayables(ctx, func(tx store.PayablesTx) error {
		rules, err := tx.GroupingRules(ctx, cr.ID)
		if err != nil {
			return err
		}
		byDoc := map[string]int64{}
		var sel []payables.Payable
		err = tx.Payables(ctx, cr.ID, f, func(r store.PayableRow) error {
			byDoc[r.Document] = r.ID
			sel = append(sel, r.Payable)
			return nil
		})
		if err != nil {
			return err
		}
		prep, err := payables.Prepare(sel, payables.PrepareOptions{Dates: payables.DateOptions{Now: o.Now, Lead: o.Lead},
			ApprovalRequired: cr.ApprovalRequired, Rules: rules, Lookup: lookup(ctx, tx, cr), SkipDiscounts: o.SkipDiscounts,
			Target: o.Target, TargetCurrency: o.TargetCurrency, Order: o.Order})
		if err != nil {
			return err
		}
		res.Left, res.Totals = prep.Left, prep.Totals
		for _, p := range prep.Problems {
			res.Problems = append(res.Problems, p.Error())
		}
		for _, g := range prep.Groups {
			members := make([]int64, len(g.Members))
			for i, m := range g.Members {
				members[i] = byDoc[m.Document]
			}
			id, err := tx.Point(ctx, cr.ID, members, g.Method, len(members) > 1, false, o.Now)
			if err != nil {
				return err
			}
			res.Payments = append(res.Payments, Payment{Group: g, ID: id})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// lookup names a parent account (centrale) paid for several suppliers:
// the name and address of its own most recent payable.
func lookup(ctx context.Context, tx store.PayablesTx, cr remit.Creditor) payables.PayeeLookup {
	return func(account string) (string, remit.Address, bool) {
		var best *payables.Payable
		f := store.PayableFilter{Filter: payables.Filter{SupplierFrom: account, SupplierTo: account}}
		err := tx.Payables(ctx, cr.ID, f, func(r store.PayableRow) error {
			if r.Supplier == account && (best == nil || !r.Issue.Before(best.Issue)) {
				p := r.Payable
				best = &p
			}
			return nil
		})
		if err != nil || best == nil {
			return "", remit.Address{}, false
		}
		return best.Name, best.Address, true
	}
}

// Unpoint puts the pointed payables the filter selects back to open (seed
// 002: "Annulation des préparations"), out of their groups.
func Unpoint(ctx context.Context, ps store.PayableStore, cr remit.Creditor, f store.PayableFilter) ([]Changed, error) {
	f.Status = payables.StatusPointed
	if err := f.Validate(); err != nil {
		return nil, err
	}
	var out []Changed
	err := ps.UpdatePayables(ctx, func(tx store.PayablesTx) error {
		var rows []store.PayableRow
		if err := tx.Payables(ctx, cr.ID, f, func(r store.PayableRow) error { rows = append(rows, r); return nil }); err != nil {
			return err
		}
		if err := tx.Unpoint(ctx, ids(rows)); err != nil {
			return err
		}
		for _, r := range rows {
			out = append(out, Changed{Document: r.Document, Supplier: r.Supplier, Status: string(payables.StatusOpen)})
		}
		_, err := tx.DissolveSmallGroups(ctx, cr.ID)
		return err
	})
	return out, err
}

// ErrGroup is what Group returns (wrapped, with every reason) when the
// payables cannot form one payment.
var ErrGroup = payables.ErrGroup

// Group forms one payment of the payables named by hand (seed 002,
// "Regrouper les effets pointés"): a payable already in a group brings its
// whole group (regroupement de regroupements: the union forms one flat
// group). payables.CheckGroup decides, with the creditor's manual rules;
// every reason it cannot be is returned at once. The payables become
// pointed in the new group, and the groups they leave dissolve when fewer
// than two payables stay.
func Group(ctx context.Context, ps store.PayableStore, cr remit.Creditor, documents []string, now time.Time) (*Payment, error) {
	var out *Payment
	err := ps.UpdatePayables(ctx, func(tx store.PayablesTx) error {
		rows, err := named(ctx, tx, cr, documents)
		if err != nil {
			return err
		}
		rows, err = withGroups(ctx, tx, rows)
		if err != nil {
			return err
		}
		rules, err := tx.GroupingRules(ctx, cr.ID)
		if err != nil {
			return err
		}
		ps := make([]payables.Payable, len(rows))
		for i, r := range rows {
			ps[i] = r.Payable
		}
		g, errs := payables.CheckGroup(ps, rules, cr.ApprovalRequired, lookup(ctx, tx, cr))
		if len(errs) > 0 {
			return errors.Join(errs...)
		}
		payables.Settle(&g, settleDate(g, now), "", true)
		id, err := tx.Point(ctx, cr.ID, ids(rows), g.Method, true, true, now)
		if err != nil {
			return err
		}
		if _, err := tx.DissolveSmallGroups(ctx, cr.ID); err != nil {
			return err
		}
		out = &Payment{Group: g, ID: id}
		return nil
	})
	return out, err
}

// settleDate is the date a group formed by hand is shown at, as pointing
// dates a group (its due date, or the last date of its discounts when it
// comes first); its payment run dates it again.
func settleDate(g payables.Group, now time.Time) time.Time {
	var until time.Time
	for _, p := range g.Members {
		if u := p.Discount.Until; p.Discount.Rate > 0 && p.Amount > 0 && !u.Before(remit.Day(now)) && (until.IsZero() || u.Before(until)) {
			until = u
		}
	}
	d, _, err := payables.ExecutionDate(earliest(g), until, payables.DateOptions{Now: now})
	if err != nil {
		return remit.Day(now)
	}
	return d
}

func earliest(g payables.Group) time.Time {
	var d time.Time
	for _, p := range g.Members {
		if p.Amount > 0 && (d.IsZero() || p.Due.Before(d)) {
			d = p.Due
		}
	}
	return d
}

// withGroups adds to rows the other payables of their groups.
func withGroups(ctx context.Context, tx store.PayablesTx, rows []store.PayableRow) ([]store.PayableRow, error) {
	have := map[int64]bool{}
	for _, r := range rows {
		have[r.ID] = true
	}
	done := map[int64]bool{}
	out := slices.Clone(rows)
	for _, r := range rows {
		if r.Group == 0 || done[r.Group] {
			continue
		}
		done[r.Group] = true
		members, err := tx.GroupMembers(ctx, r.Group)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			if !have[m.ID] {
				have[m.ID] = true
				out = append(out, m)
			}
		}
	}
	return out, nil
}

// Ungroup takes the payables named out of their groups (seed 002,
// "Dissociation partielle"): they stay pointed, each a payment of its
// own; a group left with one payable dissolves by itself. With whole, the
// groups of the payables named dissolve entirely ("Dissocier les effets
// regroupés"). A payable in no group is an error.
func Ungroup(ctx context.Context, ps store.PayableStore, cr remit.Creditor, documents []string, whole bool) ([]Changed, error) {
	var out []Changed
	err := ps.UpdatePayables(ctx, func(tx store.PayablesTx) error {
		rows, err := named(ctx, tx, cr, documents)
		if err != nil {
			return err
		}
		var loose []string
		for _, r := range rows {
			if r.Group == 0 {
				loose = append(loose, r.Document)
			}
		}
		if len(loose) > 0 {
			return fmt.Errorf("%s: in no group (remit payables list --status pointed shows the groups)", strings.Join(loose, ", "))
		}
		if whole {
			if rows, err = withGroups(ctx, tx, rows); err != nil {
				return err
			}
		}
		if err := tx.Ungroup(ctx, ids(rows)); err != nil {
			return err
		}
		for _, r := range rows {
			out = append(out, Changed{Document: r.Document, Supplier: r.Supplier, Status: string(r.Status),
				Note: fmt.Sprintf("out of group G%d", r.Group)})
		}
		n, err := tx.DissolveSmallGroups(ctx, cr.ID)
		if n > 0 && !whole {
			out = append(out, Changed{Note: fmt.Sprintf("%s left with one payable: dissolved", plural(n, "group", "groups"))})
		}
		return err
	})
	return out, err
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
