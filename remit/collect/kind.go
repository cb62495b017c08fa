package collect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
)

// A Kind is a kind of remittance (SDD, LCR; credit transfers and cheques
// next): what the use cases need to know of it beyond a run.
type Kind interface {
	// Name is the kind as remittances record it.
	Name() remit.Kind
	// Method is the payment method of the receivables it collects.
	Method() string
	// Label names one of its remittances in lists ("SDD CORE pain.008.001.08").
	Label(rem remit.Remittance) string
	// Report is how a run's report shows one of its remittances.
	Report(rem remit.Remittance) Report
	// Files writes a remittance's files with write, from its recorded
	// parameters and items alone: creation and regeneration run the same
	// code, so a regenerated file is the same bytes. name gives a file's
	// name (the one recorded, when regenerating) from its format and the
	// name it would get (base, from the files template).
	Files(ctx context.Context, items store.ItemReader, rem remit.Remittance, base string, name func(format, def string) string,
		write FileWriter) ([]remit.FileInfo, error)
	// Slip fills in what a remittance's bordereau prints of its kind, and
	// returns how it prints one item.
	Slip(rem remit.Remittance, slip *bordereau.Slip) (func(it *remit.Item, si *bordereau.SlipItem), error)
}

// Report is how a run's report shows a remittance, beyond its files and total.
type Report struct {
	Label     string // what it is: "LCR code entrée 3 (encaissement, …)"
	ValueDate string // its date de valeur, if any
	Blocks    bool   // show each payment block
}

// FileWriter writes one file of a remittance into the out folder:
// crash-safe and marked pending when it is created, or only hashed, to
// check a regeneration before anything is overwritten.
type FileWriter func(name, format string, fn func(w io.Writer) error) (remit.FileInfo, error)

// A Job is one kind's run with its options: what `remit sdd`, `remit lcr`
// and `remit run` start.
type Job interface {
	Kind() Kind
	// Common are the options every run has.
	Common() Common
	// Prepare checks the options and the creditor before anything is read.
	Prepare(cr remit.Creditor, now time.Time) error
	// Plan reads the creditor's pointed receivables of its kind, decides,
	// records the refusals (in tx and res) and returns the remittances to
	// record. The caller closes the plan.
	Plan(ctx context.Context, tx store.RunTx, cr remit.Creditor, now time.Time, res *Result) (Plan, error)
}

// Plan is what a run decided: the remittances to record, in order.
type Plan interface {
	// Notes are what the run says beyond its remittances and refusals.
	Notes() []string
	// Dry are the remittances a dry run shows.
	Dry(cr remit.Creditor) []remit.Remittance
	// Len is how many remittances to record.
	Len() int
	// Record records remittance i, its row and its items (the debtors of
	// the run first, with the first), and returns its id and what it
	// planned for it, which the recorded remittance must match. It calls
	// created once the remittance's row is in as its files read it (its
	// MsgId set), before its items: the run starts writing its files then,
	// beside the store's work, when the plan gives the items (ItemSource).
	Record(ctx context.Context, tx store.RunTx, i int, created func(id int64) error) (id int64, count int, total int64, err error)
	Close()
}

// Common are the options of every run.
type Common struct {
	Strict       bool // any refused receivable refuses the whole run
	DryRun       bool // plan and say; record and write nothing
	NoBordereau  bool // do not write the PDF remittance slip
	Slip         SlipLayout
	OutDir       string // where the files go; default out
	NameTemplate string // the bank files' names (FileName); default PAIEMENT.{ref}
	RunID        string // names the run in the pending marks and the logs
}

// Result is what a remittance run did (or, dry, would do).
type Result struct {
	Kind        remit.Kind         `json:"kind"`
	Creditor    string             `json:"creditor"`
	DryRun      bool               `json:"dry_run,omitempty"`
	Remittances []remit.Remittance `json:"remittances"`
	Refused     []remit.Refusal    `json:"refused"`
	Notes       []string           `json:"notes,omitempty"`
}

// ErrRefusedStrict is returned by a strict run that refused receivables.
var ErrRefusedStrict = errors.New("receivables refused and --strict given: nothing remitted")

// Registry is the kinds of remittance a program knows, in the order a
// nightly run takes them.
type Registry struct {
	kinds []Kind
}

// NewRegistry lists the kinds, in order.
func NewRegistry(kinds ...Kind) *Registry { return &Registry{kinds: kinds} }

// Kinds are the kinds in order.
func (r *Registry) Kinds() []Kind { return r.kinds }

// Kind is the kind named so.
func (r *Registry) Kind(name remit.Kind) (Kind, error) {
	for _, k := range r.kinds {
		if k.Name() == name {
			return k, nil
		}
	}
	return nil, fmt.Errorf("unknown kind of remittance %q", name)
}

// Label names a remittance in lists, as its kind does.
func (r *Registry) Label(rem remit.Remittance) string {
	if k, err := r.Kind(rem.Kind); err == nil {
		return k.Label(rem)
	}
	return string(rem.Kind)
}

// ParamsOf reads a remittance's recorded parameters into P, its kind's
// parameters type; a planned remittance has none (the zero P).
func ParamsOf[P any](rem remit.Remittance) (P, error) {
	var p P
	if len(rem.Params) == 0 {
		return p, nil
	}
	if err := json.Unmarshal(rem.Params, &p); err != nil {
		return p, fmt.Errorf("remittance %s: stored parameters: %w", rem.Ref, err)
	}
	return p, nil
}
