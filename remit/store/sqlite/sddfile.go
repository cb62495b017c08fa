package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/outdir"
	"github.com/remit-dev/remit/sepa"
	"github.com/remit-dev/remit/sepa/pain008"
)

// writeRemittanceFiles writes every file of a remittance from the database
// alone (its parameters and items), records them in remittance_files, and
// returns them. The same function serves creation and regeneration, so a
// regenerated file is the same bytes.
func writeRemittanceFiles(ctx context.Context, q querier, rem remit.Remittance, outDir, template string) ([]remit.FileInfo, error) {
	// A name another remittance records (a template changed between runs:
	// X{ref} for 1001 after X1{ref} for 001) must not replace its file.
	write := func(dir, name, format string, fn func(w io.Writer) error) (remit.FileInfo, error) {
		ref, _, taken, err := recordedFile(ctx, q, name, rem.ID)
		if err != nil {
			return remit.FileInfo{}, err
		}
		if taken {
			return remit.FileInfo{}, fmt.Errorf("remittance %s: %s: %w (remittance %s): change files.template", rem.Ref, name, remit.ErrNameTaken, ref)
		}
		return outdir.PendingOf(ctx).Write(dir, name, format, fn)
	}
	files, err := remittanceFiles(ctx, q, rem, outDir, template, write)
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		if _, err := q.ExecContext(ctx, `INSERT INTO remittance_files (remittance_id, name, format, sha256, size) VALUES (?, ?, ?, ?, ?)`,
			rem.ID, f.Name, f.Format, f.SHA256, f.Size); err != nil {
			return nil, err
		}
	}
	return files, nil
}

// fileWriter writes one file of a remittance: outdir.Pending.Write, or
// outdir.Hash to check a regeneration before anything is overwritten.
type fileWriter func(dir, name, format string, fn func(w io.Writer) error) (remit.FileInfo, error)

// remittanceFiles writes the files with write, without recording them.
func remittanceFiles(ctx context.Context, q querier, rem remit.Remittance, outDir, template string, write fileWriter) ([]remit.FileInfo, error) {
	base, err := remit.FileName(template, rem.Ref, rem.Creditor, rem.Kind, rem.CreatedAt)
	if err != nil {
		return nil, err
	}
	// A regeneration keeps the names the remittance was created with.
	names := map[string]string{}
	for _, f := range rem.Files {
		names[f.Format] = f.Name
	}
	name := func(format, def string) string {
		if n, ok := names[format]; ok {
			return n
		}
		return def
	}
	var out []remit.FileInfo
	switch rem.Kind {
	case "sdd":
		if rem.Params.CFONB {
			if nationalWriter == nil {
				return nil, fmt.Errorf("remittance %s: the national direct-debit format is not available in this build", rem.Ref)
			}
			f, err := write(outDir, name(FormatCFONBDebit, base), FormatCFONBDebit, func(w io.Writer) error {
				return nationalWriter(ctx, q, rem, w)
			})
			if err != nil {
				return nil, err
			}
			out = append(out, f)
		}
		f, err := write(outDir, name(rem.Params.Pain, base+".xml"), rem.Params.Pain, func(w io.Writer) error {
			return writePain008(ctx, q, rem, w)
		})
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	case "lcr":
		if lcrWriter == nil {
			return nil, fmt.Errorf("remittance %s: the LCR format is not available in this build", rem.Ref)
		}
		f, err := write(outDir, name(FormatCFONBLCR, base), FormatCFONBLCR, func(w io.Writer) error {
			return lcrWriter(ctx, q, rem, w)
		})
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	default:
		return nil, fmt.Errorf("remittance %s: unknown kind %q", rem.Ref, rem.Kind)
	}
	return out, nil
}

// File formats recorded in remittance_files.
const (
	FormatCFONBLCR   = "cfonb-lcr"
	FormatCFONBDebit = "cfonb-debit"
	FormatBordereau  = "bordereau"
)

// Writers of the CFONB files (cfonb_files.go).
var (
	lcrWriter      func(ctx context.Context, q querier, rem remit.Remittance, w io.Writer) error
	nationalWriter func(ctx context.Context, q querier, rem remit.Remittance, w io.Writer) error
)

// itemColumns are the snapshot columns every file writer reads.
var itemColumns = packedColumns{"block", "end_to_end_id", "amount", "rum", "mandate_signed", "amend_iban", "amend_rum", "amend_ics",
	"bic", "iban", "name", "street", "building", "postcode", "town", "country", "document", "label", "due_date", "collection_date",
	"sequence_type", "issue_date", "acceptance", "bank_name", "siren", "customer"}

type itemRow struct {
	block                         int
	e2e                           string
	amount                        int64
	rum, signed                   string
	amendIBAN, amendRUM, amendICS string
	bic, iban, name               string
	addr                          remit.Address
	document, label               string
	due, coll, seq                string
	issue, acceptance             string
	bankName, siren, customer     string
}

func (it *itemRow) scan(r *packedRow) error {
	it.scanSEPAPart(r)
	it.due, it.coll, it.seq, it.issue, it.acceptance = r.text(), r.text(), r.text(), r.text(), r.text()
	it.bankName, it.siren, it.customer = r.text(), r.text(), r.text()
	return r.done()
}

// sepaItemColumns are the columns a pain.008 needs, the first 18 of
// itemColumns: every column, packed or not, costs SQLite a conversion and
// a copy, so the SEPA writer asks for these only.
var sepaItemColumns = itemColumns[:18:18]

func (it *itemRow) scanSEPA(r *packedRow) error {
	it.scanSEPAPart(r)
	return r.done()
}

// scanSEPAPart reads sepaItemColumns, the first of itemColumns.
func (it *itemRow) scanSEPAPart(r *packedRow) {
	it.block, it.e2e, it.amount, it.rum, it.signed = r.int(), r.text(), r.int64(), r.text(), r.text()
	it.amendIBAN, it.amendRUM, it.amendICS = r.text(), r.text(), r.text()
	it.bic, it.iban, it.name = r.text(), r.text(), r.text()
	it.addr = remit.Address{Street: r.text(), Building: r.text(), Postcode: r.text(), Town: r.text(), Country: r.text()}
	it.document, it.label = r.text(), r.text()
}

// eachItem streams a remittance's items in file order.
func eachItem(ctx context.Context, q querier, remittanceID int64, fn func(*itemRow) error) error {
	return eachItemOf(ctx, q, remittanceID, itemColumns, (*itemRow).scan, fn)
}

// eachFileItem is eachItem for a file writer: fn runs on another goroutine,
// so that SQLite reads the next items while the file is written (fn must
// not keep it beyond the call, nor touch q).
func eachFileItem(ctx context.Context, q querier, remittanceID int64, fn func(*itemRow) error) error {
	return pipeItems(ctx, q, remittanceID, itemColumns, (*itemRow).scan, fn)
}

// eachSEPAItem is eachFileItem with the pain.008 columns only (the others are left empty).
func eachSEPAItem(ctx context.Context, q querier, remittanceID int64, fn func(*itemRow) error) error {
	return pipeItems(ctx, q, remittanceID, sepaItemColumns, (*itemRow).scanSEPA, fn)
}

// slipItemColumns are the columns a bordereau prints.
var slipItemColumns = packedColumns{"document", "customer", "name", "iban", "amount", "sequence_type", "collection_date",
	"due_date", "acceptance", "bank_name"}

func (it *itemRow) scanSlip(r *packedRow) error {
	it.document, it.customer, it.name, it.iban, it.amount = r.text(), r.text(), r.text(), r.text(), r.int64()
	it.seq, it.coll, it.due, it.acceptance, it.bankName = r.text(), r.text(), r.text(), r.text(), r.text()
	return r.done()
}

// eachSlipItem is eachFileItem with the bordereau's columns only.
func eachSlipItem(ctx context.Context, q querier, remittanceID int64, fn func(*itemRow) error) error {
	return pipeItems(ctx, q, remittanceID, slipItemColumns, (*itemRow).scanSlip, fn)
}

// itemReader reads a remittance's items, packed (packed.go), in file order.
type itemReader struct {
	rows *sql.Rows
	cols packedColumns
	scan func(*itemRow, *packedRow) error
	row  packedRow
	prog *remit.ProgressCounter
}

func readItems(ctx context.Context, q querier, remittanceID int64, cols packedColumns,
	scan func(*itemRow, *packedRow) error) (*itemReader, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+cols.sql()+` FROM remittance_lines WHERE remittance_id = ? ORDER BY block, position`, remittanceID)
	if err != nil {
		return nil, err
	}
	return &itemReader{rows: rows, cols: cols, scan: scan, prog: remit.StartProgress(ctx, remit.StageWrite)}, nil
}

// next reads the next item into it; at the end it returns false and rows.Err.
func (ir *itemReader) next(it *itemRow) (bool, error) {
	if !ir.rows.Next() {
		ir.prog.Done()
		return false, ir.rows.Err()
	}
	ir.prog.Add()
	if err := ir.row.scan(ir.rows, ir.cols); err != nil {
		return false, err
	}
	return true, ir.scan(it, &ir.row)
}

func eachItemOf(ctx context.Context, q querier, remittanceID int64, cols packedColumns, scan func(*itemRow, *packedRow) error,
	fn func(*itemRow) error) error {
	items, err := readItems(ctx, q, remittanceID, cols, scan)
	if err != nil {
		return err
	}
	defer items.rows.Close()
	var it itemRow
	for {
		ok, err := items.next(&it)
		if !ok || err != nil {
			return err
		}
		if err := fn(&it); err != nil {
			return err
		}
	}
}

// pipeBatch is how many items pipeItems hands over at a time, and
// pipeBatches how many batches are in flight.
const (
	pipeBatch   = 256
	pipeBatches = 4
)

// pipeItems is eachItemOf with fn on another goroutine: this one reads
// batches of items while the other writes the previous ones. The order is
// kept, and the first error, either side's, ends both.
func pipeItems(ctx context.Context, q querier, remittanceID int64, cols packedColumns, scan func(*itemRow, *packedRow) error,
	fn func(*itemRow) error) error {
	items, err := readItems(ctx, q, remittanceID, cols, scan)
	if err != nil {
		return err
	}
	defer items.rows.Close()
	free, full := make(chan []itemRow, pipeBatches), make(chan []itemRow, pipeBatches)
	for range pipeBatches {
		free <- make([]itemRow, pipeBatch)
	}
	var failed atomic.Bool
	done := make(chan error, 1)
	go func() {
		var err error
		for b := range full {
			for i := 0; err == nil && i < len(b); i++ {
				if err = fn(&b[i]); err != nil {
					failed.Store(true)
				}
			}
			free <- b[:cap(b)]
		}
		done <- err
	}()
	var readErr error
	for readErr == nil && !failed.Load() {
		b, n, more := <-free, 0, true
		for n < len(b) {
			if more, readErr = items.next(&b[n]); !more || readErr != nil {
				break
			}
			n++
		}
		if readErr == nil && !more {
			if n > 0 {
				full <- b[:n]
			}
			break
		}
		if readErr == nil {
			full <- b
		}
	}
	close(full)
	if err := <-done; err != nil {
		return err
	}
	return readErr
}

// writePain008 streams a remittance's pain.008: totals from one aggregate
// query (loadBlocks), then the transactions straight from SQLite.
func writePain008(ctx context.Context, q querier, rem remit.Remittance, w io.Writer) error {
	version, err := pain008.ParseVersion(rem.Params.Pain)
	if err != nil {
		return err
	}
	cr := rem.Params.Creditor
	pw, err := pain008.NewWriter(w, pain008.GroupHeader{Version: version, MsgID: rem.MsgID, CreatedAt: rem.CreatedAt,
		NbOfTxs: rem.Count, CtrlSum: rem.Total, InitiatingParty: sepa.Party{Name: cr.Name}})
	if err != nil {
		return err
	}
	blocks := map[int]remit.Block{}
	for _, b := range rem.Blocks {
		blocks[b.Number] = b
	}
	current := 0
	err = eachSEPAItem(ctx, q, rem.ID, func(it *itemRow) error {
		if it.block != current {
			current = it.block
			b := blocks[current]
			if err := pw.StartPaymentInfo(pain008.PaymentInfo{ID: pmtInfID(rem.MsgID, current), BatchBooking: rem.Params.BatchBooking,
				NbOfTxs: b.Count, CtrlSum: b.Total, Scheme: rem.Scheme, SeqType: b.SequenceType, CollectionDate: b.CollectionDate,
				Creditor: creditorParty(cr), CreditorIBAN: cr.IBAN, CreditorBIC: cr.BIC, CreditorSchemeID: cr.ICS}); err != nil {
				return err
			}
		}
		tx := pain008.Transaction{EndToEndID: it.e2e, Amount: it.amount, MandateID: it.rum, MandateSigned: remit.StoredDate(it.signed),
			DebtorBIC: it.bic, DebtorIBAN: it.iban, Debtor: sepa.Party{Name: it.name, Address: sepaAddress(it.addr)},
			RemittanceInfo: remittanceInfo(it.document, it.label)}
		if it.amendIBAN != "" || it.amendRUM != "" || it.amendICS != "" {
			tx.Amendment = &pain008.Amendment{NewDebtorAccount: it.amendIBAN == "SMNDA", OriginalMandateID: it.amendRUM,
				OriginalCreditorSchemeID: it.amendICS}
			if it.amendIBAN != "" && it.amendIBAN != "SMNDA" {
				tx.Amendment.OriginalDebtorIBAN = it.amendIBAN
			}
		}
		return pw.WriteTransaction(tx)
	})
	if err != nil {
		return fmt.Errorf("remittance %s: %w", rem.Ref, err)
	}
	return pw.Close()
}

// pmtInfID is the PmtInfId of block n: the MsgId and the block number, at most 35 characters.
func pmtInfID(msgID string, n int) string {
	suffix := fmt.Sprintf("-%d", n)
	if len(msgID)+len(suffix) > 35 {
		msgID = msgID[:35-len(suffix)]
	}
	return strings.TrimRight(msgID, "-") + suffix
}

// ErrRegenerateMismatch means a regenerated file differs from what was recorded.
var ErrRegenerateMismatch = fmt.Errorf("regenerated file differs from the recorded sha256")

// ErrSlipNotReproducible means a slip was printed by an older remit, with
// the time it was printed, which nothing kept.
var ErrSlipNotReproducible = errors.New("printed by an older remit with its print time, which nothing kept: it cannot be regenerated byte for byte")

// ErrSlipLayoutChanged means a slip was printed by a remit that laid slips
// out otherwise: its data is the bank file's, its drawing is not this one's.
var ErrSlipLayoutChanged = errors.New("printed by another version of remit, which laid slips out otherwise: left as it is")

// Regenerate rewrites every recorded file of a remittance, its slip
// included, from the database into outDir, and checks each against the
// sha256 recorded when it was created before it overwrites anything. A
// slip an older remit printed (ErrSlipNotReproducible, ErrSlipLayoutChanged)
// is left alone and listed in notes; the bank files are the recorded bytes
// or nothing is written.
func (s *Store) Regenerate(ctx context.Context, creditorID, id int64, outDir string) (rem remit.Remittance, notes []string, err error) {
	ctx, pend := outdir.Track(ctx, "")
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if rem, err = loadRemittance(ctx, tx, creditorID, id); err != nil {
			return err
		}
		if rem.Status == remit.RemittanceCancelled {
			return fmt.Errorf("remittance %s is cancelled: there is nothing to regenerate", rem.Ref)
		}
		if err := outdir.Clean(outDir, recordedIn(ctx, tx)); err != nil {
			return err
		}
		recorded := map[string]remit.FileInfo{}
		var data, slips []remit.FileInfo
		for _, f := range rem.Files {
			recorded[f.Name] = f
			switch {
			case f.Format != FormatBordereau:
				data = append(data, f)
			case f.Copies == 0:
				notes = append(notes, fmt.Sprintf("%s: %v; `remit bordereau %s` prints it again and records the new one", f.Name, ErrSlipNotReproducible, rem.Ref))
			default:
				slips = append(slips, f)
			}
		}
		rem.Files = data
		// Every file is checked before any is written: a mismatch must not
		// overwrite an original.
		write := func(w fileWriter) ([]remit.FileInfo, error) {
			files, err := remittanceFiles(ctx, tx, rem, outDir, "", w)
			if err != nil {
				return nil, err
			}
			for _, f := range slips {
				sf, err := slipFile(ctx, tx, rem, outDir, f.Name, f.Copies, w)
				if err != nil {
					return nil, err
				}
				files = append(files, sf)
			}
			return files, nil
		}
		sums, err := write(outdir.Hash)
		if err != nil {
			return err
		}
		changed := map[string]bool{} // slips whose layout changed since they were printed
		for _, f := range sums {
			want, ok := recorded[f.Name]
			switch {
			case !ok || want.SHA256 == f.SHA256:
			case want.Format == FormatBordereau:
				// The bank files are the recorded bytes, and the slip shows
				// their data: what differs is how this remit lays a slip out.
				changed[f.Name] = true
				notes = append(notes, fmt.Sprintf("%s: %v; `remit bordereau %s` prints it again and records the new one",
					f.Name, ErrSlipLayoutChanged, rem.Ref))
			default:
				return fmt.Errorf("%s: %w (recorded %s, now %s)", f.Name, ErrRegenerateMismatch, want.SHA256, f.SHA256)
			}
		}
		slips = slices.DeleteFunc(slips, func(f remit.FileInfo) bool { return changed[f.Name] })
		files, err := write(outdir.PendingOf(ctx).Write)
		if err != nil {
			return err
		}
		rem.Files = files
		return nil
	})
	if err != nil {
		pend.Abandon(recordedIn(context.WithoutCancel(ctx), s.DB))
		return rem, notes, err
	}
	pend.Commit()
	return rem, notes, nil
}
