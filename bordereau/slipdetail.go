package bordereau

import (
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"strconv"
)

// SlipDetailOptions are the options of WriteSlipDetail.
type SlipDetailOptions struct {
	// Text writes a text cell (a name, a code): the caller's guard against
	// a spreadsheet running a value as a formula. Nil: as it is.
	Text func(string) string
}

// utf8BOM starts the detail: without it, Excel reads a CSV as Windows-1252
// and prints "PrÃ©lÃ¨vement".
const utf8BOM = "\ufeff"

// WriteSlipDetail writes the items of a summary slip (SlipOptions.Summary)
// as CSV, the file the summary slip lists in s.Files: a line per item, with
// the slip's own columns after the block's label (Bloc, Pièce, Client or
// Fournisseur, Nom, Domiciliation with DraweeBanks, Compte, Échéance, the
// collection date with CollectionDates, the Detail column, Montant).
//
// It is written for a French spreadsheet: UTF-8 with a BOM, ";" between
// fields, CRLF line ends, dates JJ/MM/AAAA and amounts with a decimal comma
// and no thousands separator (1234,56), which Excel and LibreOffice in
// French read as numbers and dates. Accounts are masked as the slip prints
// them ("**** 5691"). There is no total line: summing the Montant column
// gives s.Total, and each block's lines its line on the slip.
//
// The items are checked as WriteSlip checks them (positive amounts, blocks
// together, their count and sum equal to s.Count and s.Total); on a problem
// WriteSlipDetail returns every problem found (up to 50), and w holds a
// partial file. Otherwise it returns the blocks, in order, with their
// counts and totals: WriteSlipSummary prints the summary slip from them.
func WriteSlipDetail(w io.Writer, s Slip, items iter.Seq[SlipItem], opts SlipDetailOptions) ([]SlipBlock, error) {
	text := opts.Text
	if text == nil {
		text = func(s string) string { return s }
	}
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = ';', true
	detailTitle := s.DetailTitle
	if detailTitle == "" {
		detailTitle = "Type"
	}
	header := []string{"Bloc", "Pièce", s.words().customer, "Nom"}
	if s.DraweeBanks {
		header = append(header, "Domiciliation")
	}
	header = append(header, "Compte", "Échéance")
	if s.CollectionDates {
		header = append(header, s.words().collection)
	}
	cw.Write(append(header, detailTitle, "Montant"))

	var (
		probs      problems
		sums       slipSums
		due, coll  lastDate
		rec        = make([]string, 0, len(header)+2)
		amount     []byte
		blocks     []SlipBlock
		seenBlocks = map[string]bool{}
	)
	for it := range items {
		sums.count++
		if it.Amount <= 0 {
			probs.add(&ItemError{Index: sums.count, Document: it.Document, Field: "Amount", Value: plainEUR(it.Amount), Err: ErrAmount})
		}
		if len(blocks) == 0 || it.Block != blocks[len(blocks)-1].Label {
			if seenBlocks[it.Block] {
				probs.add(&ItemError{Index: sums.count, Document: it.Document, Field: "Block", Value: it.Block, Err: ErrNotGrouped})
			}
			seenBlocks[it.Block] = true
			blocks = append(blocks, SlipBlock{Label: it.Block})
		}
		b := &blocks[len(blocks)-1]
		b.Count++
		b.Total += it.Amount
		sums.total += it.Amount
		rec = append(rec[:0], text(it.Block), text(it.Document), text(it.Customer), text(it.Name))
		if s.DraweeBanks {
			rec = append(rec, text(it.Bank))
		}
		rec = append(rec, maskAccount(it.Account), due.format(it.Due))
		if s.CollectionDates {
			rec = append(rec, coll.format(it.Collection))
		}
		amount = decimalComma(amount[:0], it.Amount)
		cw.Write(append(rec, text(it.Detail), string(amount)))
	}
	if sums.count != s.Count {
		probs.add(fmt.Errorf("%d items, header says %d: %w", sums.count, s.Count, ErrCount))
	}
	if sums.total != s.Total {
		probs.add(fmt.Errorf("items sum to %s, header says %s: %w", plainEUR(sums.total), plainEUR(s.Total), ErrTotal))
	}
	cw.Flush()
	if err := probs.err(); err != nil {
		return nil, err
	}
	if blocks == nil {
		blocks = []SlipBlock{}
	}
	return blocks, cw.Error()
}

// decimalComma appends cents as a spreadsheet in French reads a number:
// 1234,56 (-1234,56).
func decimalComma(b []byte, cents int64) []byte {
	if cents < 0 {
		b = append(b, '-')
		cents = -cents
	}
	b = strconv.AppendInt(b, cents/100, 10)
	return append(b, ',', byte('0'+cents%100/10), byte('0'+cents%10))
}
