package disburse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/crash"
	"github.com/remit-dev/remit/remit/csvread"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/payables/csvin"
	"github.com/remit-dev/remit/remit/store"
)

// ImportOptions control Import.
type ImportOptions struct {
	File        string // recorded in the imports table; names the rejects file
	Encoding    string // the file's character set (csvread.ParseEncoding); "" is UTF-8
	SkipInvalid bool   // import the valid lines, write the others to RejectPath
	RejectPath  string // default: <file>.rejected.csv beside the input
	Now         time.Time
}

// ImportResult is what Import did: the receivables import's counts, and
// what the lines changed that the user must know (an approval withdrawn,
// a payable unpointed, a supplier's IBAN changed), at most MaxNotes of them.
type ImportResult struct {
	remit.ImportResult
	Notes      []string
	NotesCount int
	// Dissolved counts the groups left with one payable by lines that
	// unpointed the others: each remaining payable is paid on its own.
	Dissolved int
}

// MaxNotes bounds ImportResult.Notes: a changed IBAN may repeat on
// thousands of lines.
const MaxNotes = 100

func (r *ImportResult) note(s string) {
	r.NotesCount++
	if len(r.Notes) < MaxNotes {
		r.Notes = append(r.Notes, s)
	}
}

// Import reads payables from a CSV file (remit payables import) with the
// receivables import's contract (package csvin): the whole file is one
// transaction, all or nothing unless SkipInvalid, every problem of every
// line reported in one pass. Each line is judged by payables.Compare
// against what the store holds: importing the same file twice changes
// nothing, a changed line updates a payable not yet paid, and a paid
// payable's line cannot change what was paid.
func Import(ctx context.Context, ps store.PayableStore, cr remit.Creditor, r io.Reader, o ImportOptions) (*ImportResult, error) {
	if _, err := csvread.ParseEncoding(o.Encoding); err != nil {
		return nil, fmt.Errorf("encoding %q: %w", o.Encoding, err)
	}
	res := &ImportResult{}
	var rejects *csvread.RejectFile
	if o.SkipInvalid {
		rejects = &csvread.RejectFile{Path: o.RejectPath}
		if rejects.Path == "" {
			rejects.Path = csvread.RejectPath(o.File)
		}
		defer rejects.Abort()
	}
	hash := sha256.New()
	err := ps.UpdatePayables(ctx, func(tx store.PayablesTx) error {
		importID, err := tx.StartImport(ctx, o.File, o.Now)
		if err != nil {
			return err
		}
		opts := csvin.Options{Encoding: o.Encoding, SkipInvalid: o.SkipInvalid}
		if rejects != nil {
			opts.Rejects = rejects
		}
		scan, scanErr := csvin.Scan(io.TeeReader(r, hash), opts, func(in payables.Incoming) error {
			return applyLine(ctx, tx, cr, importID, in, res)
		})
		if scan != nil {
			res.Lines, res.Rejected, res.Problems = scan.Lines, scan.Rejected, scan.Problems
		}
		if scanErr != nil {
			return scanErr
		}
		if res.Dissolved, err = tx.DissolveSmallGroups(ctx, cr.ID); err != nil {
			return err
		}
		if rejects != nil && res.Rejected > 0 {
			if err := rejects.Commit(); err != nil {
				return err
			}
			res.RejectFile = rejects.Path
		}
		if err := tx.FinishImport(ctx, importID, hex.EncodeToString(hash.Sum(nil)), &res.ImportResult); err != nil {
			return err
		}
		crash.Point("before-commit")
		return nil
	})
	if err != nil {
		if errors.Is(err, remit.ErrImportInvalid) {
			res.Inserted, res.Updated, res.Unchanged = 0, 0, 0
			return res, err
		}
		if res.RejectFile != "" {
			os.Remove(res.RejectFile) // the import did not commit: its rejects are not its
		}
		return nil, err
	}
	return res, nil
}

// applyLine judges one valid line against the store and writes what
// payables.Compare decides; its problems are the line's.
func applyLine(ctx context.Context, tx store.PayablesTx, cr remit.Creditor, importID int64, in payables.Incoming, res *ImportResult) error {
	row, found, err := tx.Payable(ctx, cr.ID, in.Document)
	if err != nil {
		return err
	}
	var stored *payables.Stored
	if found {
		stored = &payables.Stored{Payable: row.Payable, Payment: row.Payment}
		if row.ImportID == importID {
			stored.Line = row.ImportLine
		}
	}
	out := payables.Compare(stored, in, cr.ApprovalRequired)
	for _, n := range out.Notes {
		res.note(n)
	}
	if len(out.Kept) > 0 {
		res.note(fmt.Sprintf("%s: %s with other %s: kept as paid", in.Document, row.Status, strings.Join(out.Kept, ", ")))
	}
	switch out.Action {
	case payables.ActionInsert:
		res.Inserted++
		_, err = tx.InsertPayable(ctx, cr.ID, out.Payable, "import", importID, in.Line)
	case payables.ActionUpdate:
		res.Updated++
		err = tx.UpdatePayable(ctx, row.ID, out.Payable, importID, in.Line)
	case payables.ActionUnchanged:
		res.Unchanged++
		if stored.Line == 0 {
			err = tx.TouchPayable(ctx, row.ID, importID, in.Line)
		}
	default:
		errs := make([]error, len(out.Problems))
		for i, p := range out.Problems {
			errs[i] = p
		}
		return errors.Join(errs...)
	}
	return err
}
