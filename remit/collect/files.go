package collect

import (
	"context"
	"fmt"
	"io"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/outdir"
	"github.com/remit-dev/remit/remit/store"
)

// writeFiles writes every file of a new remittance from its recorded
// parameters and items (items: the store's, or the same from its plan),
// records them in tx, and returns them.
func writeFiles(ctx context.Context, tx store.Tx, items store.ItemReader, k Kind, rem remit.Remittance, dir, template string) ([]remit.FileInfo, error) {
	write := func(dir, name, format string, fn func(w io.Writer) error) (remit.FileInfo, error) {
		if err := checkName(ctx, tx, rem, name); err != nil {
			return remit.FileInfo{}, err
		}
		return outdir.PendingOf(ctx).Write(dir, name, format, fn)
	}
	files, err := kindFiles(ctx, items, k, rem, dir, template, write)
	if err != nil {
		return nil, err
	}
	return files, recordFiles(ctx, tx, rem.ID, files)
}

// checkName refuses a file name another remittance records (a template
// changed between runs: X{ref} for 1001 after X1{ref} for 001): its file
// must not be replaced.
func checkName(ctx context.Context, tx store.Tx, rem remit.Remittance, name string) error {
	ref, _, taken, err := tx.RecordedFileOf(ctx, name, rem.ID)
	if err != nil {
		return err
	}
	if taken {
		return fmt.Errorf("remittance %s: %s: %w (remittance %s): change files.template", rem.Ref, name, remit.ErrNameTaken, ref)
	}
	return nil
}

// recordFiles records a new remittance's files in tx.
func recordFiles(ctx context.Context, tx store.Tx, id int64, files []remit.FileInfo) error {
	for _, f := range files {
		if err := tx.RecordFile(ctx, id, f); err != nil {
			return err
		}
	}
	return nil
}

// fileNames are the files kindFiles would write, named, without writing
// them (nor reading any item).
func fileNames(ctx context.Context, items store.ItemReader, k Kind, rem remit.Remittance, dir, template string) ([]remit.FileInfo, error) {
	return kindFiles(ctx, items, k, rem, dir, template, func(_, name, format string, _ func(w io.Writer) error) (remit.FileInfo, error) {
		return remit.FileInfo{Name: name, Format: format}, nil
	})
}

// kindFiles has the kind write a remittance's files into dir with write,
// without recording them. A remittance's files keep the names it was
// created with.
func kindFiles(ctx context.Context, items store.ItemReader, k Kind, rem remit.Remittance, dir, template string,
	write func(dir, name, format string, fn func(w io.Writer) error) (remit.FileInfo, error)) ([]remit.FileInfo, error) {
	base, err := remit.FileName(template, rem.Ref, rem.Creditor, string(rem.Kind), rem.CreatedAt)
	if err != nil {
		return nil, err
	}
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
	return k.Files(ctx, items, rem, base, name, func(name, format string, fn func(w io.Writer) error) (remit.FileInfo, error) {
		return write(dir, name, format, fn)
	})
}
