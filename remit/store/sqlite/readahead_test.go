package sqlite

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
)

// fakeRow is what fakeCursor gives: a number and its text, so that a row
// read from the wrong place shows.
type fakeRow struct {
	n    int
	text string
}

// fakeCursor gives rows 0, 1, … in one row it reuses, until n (n < 0:
// without end), then fail (nil: the end). It notes a Next after Close.
type fakeCursor struct {
	n    int
	fail error
	row  fakeRow

	mu        sync.Mutex
	nexts     int
	closed    bool
	afterShut bool // Next was called after Close
}

func (c *fakeCursor) Next() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		c.afterShut = true
		return false
	}
	if c.n >= 0 && c.nexts == c.n {
		return false
	}
	c.row = fakeRow{n: c.nexts, text: fmt.Sprint("row ", c.nexts)}
	c.nexts++
	return true
}

func (c *fakeCursor) Row() *fakeRow { return &c.row }

func (c *fakeCursor) Err() error { return c.fail }

func (c *fakeCursor) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	return nil
}

// state is how many rows the source gave, whether it is closed and
// whether it was read after.
func (c *fakeCursor) state() (int, bool, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nexts, c.closed, c.afterShut
}

// readAll reads cur to its end, checking each row is the next number.
func readAll(t *testing.T, cur store.Cursor[fakeRow]) int {
	t.Helper()
	got := 0
	for cur.Next() {
		if r := cur.Row(); r.n != got || r.text != fmt.Sprint("row ", got) {
			t.Fatalf("row %d reads %+v", got, *r)
		}
		got++
	}
	return got
}

// The rows come in order, each as the source gave it (copied: the source
// reuses its row), whatever their number against the batches.
func TestReadAheadKeepsTheRowsInOrder(t *testing.T) {
	for _, n := range []int{0, 1, aheadBatch - 1, aheadBatch, aheadBatch + 1, aheadBatches*aheadBatch + 3, 10 * aheadBatch} {
		src := &fakeCursor{n: n}
		cur := aheadOf[fakeRow](context.Background(), src)
		if got := readAll(t, cur); got != n {
			t.Errorf("%d rows: read %d", n, got)
		}
		if err := cur.Err(); err != nil {
			t.Errorf("%d rows: %v", n, err)
		}
		if cur.Next() {
			t.Errorf("%d rows: Next after the end", n)
		}
		cur.Close()
		if _, closed, after := src.state(); !closed || after {
			t.Errorf("%d rows: source closed %v, read after Close %v", n, closed, after)
		}
	}
}

// A cursor's error after some rows comes after those rows, and ends the
// reading; the source is closed.
func TestReadAheadErrorMidStream(t *testing.T) {
	boom := errors.New("disk I/O error")
	for _, n := range []int{0, 5, aheadBatch, 3*aheadBatch + 7} {
		src := &fakeCursor{n: n, fail: boom}
		cur := aheadOf[fakeRow](context.Background(), src)
		if got := readAll(t, cur); got != n {
			t.Errorf("error after %d rows: read %d", n, got)
		}
		if err := cur.Err(); !errors.Is(err, boom) {
			t.Errorf("error after %d rows: Err %v", n, err)
		}
		cur.Close()
		if _, closed, _ := src.state(); !closed {
			t.Errorf("error after %d rows: source not closed", n)
		}
	}
}

// A planner that stops early (its own error) closes the cursor: the
// reader stops before Close returns, and does not touch the source again.
func TestReadAheadClosedMidStream(t *testing.T) {
	src := &fakeCursor{n: -1}
	cur := aheadOf[fakeRow](context.Background(), src)
	for i := 0; i < aheadBatch+10 && cur.Next(); i++ {
	}
	time.Sleep(10 * time.Millisecond) // the reader fills every batch
	cur.Close()
	read, closed, _ := src.state()
	if !closed {
		t.Fatal("source not closed")
	}
	if max := (aheadBatches + 2) * aheadBatch; read > max {
		t.Errorf("the reader read %d rows, more than the %d its batches hold", read, max)
	}
	select {
	case <-cur.(*readAhead[fakeRow]).done:
	default:
		t.Fatal("the reader still runs after Close")
	}
	time.Sleep(10 * time.Millisecond)
	if again, _, after := src.state(); again != read || after {
		t.Errorf("the source was read after Close: %d rows, then %d (Next after Close: %v)", read, again, after)
	}
	if err := cur.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// A cancelled context ends the reading with its error, even when the
// source would go on; Close then stops the reader.
func TestReadAheadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	src := &fakeCursor{n: -1}
	cur := aheadOf[fakeRow](ctx, src)
	n := 0
	for cur.Next() {
		if n++; n == 100 {
			cancel()
		}
		if n > 100+aheadBatches*aheadBatch+aheadBatch {
			t.Fatalf("still reading %d rows after the cancel", n)
		}
	}
	if err := cur.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("Err %v, want context.Canceled", err)
	}
	cur.Close()
	if _, closed, after := src.state(); !closed || after {
		t.Errorf("source closed %v, read after Close %v", closed, after)
	}
}

// pointedDebitsCSV is n pointed direct debits on mandates shared by
// three receivables each, for 4 customers.
func pointedDebitsCSV(n int) string {
	var b strings.Builder
	for i := range n {
		mandate := i / 3
		cust := string(rune('A' + mandate%4))
		line := sddLine(fmt.Sprintf("F%05d", i), "411"+cust, fmt.Sprintf("%d.%02d", 10+i%90, i%100),
			fmt.Sprintf("2026-12-%02d", 1+i%28), fmt.Sprintf("RUM-%s-%04d", cust, mandate), "")
		b.WriteString(line)
	}
	return b.String()
}

// The planner's statements (refusals, notes, look-ups) run on the
// transaction while its cursor reads ahead on another goroutine: the rows
// come in order, each with its own mandate, and every write lands (run
// with -race).
func TestPointedDebitsReadAheadBesideWrites(t *testing.T) {
	const n = 5*aheadBatch + 11
	e := newSDDEnv(t, pointedDebitsCSV(n))
	ctx := context.Background()
	refused := 0
	err := e.st.Run(ctx, func(tx store.RunTx) error {
		rows, err := tx.PointedDebits(ctx, e.cr.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		var kept []store.DebitRow // copies, checked once every row is read
		for rows.Next() {
			r := rows.Row()
			kept = append(kept, *r)
			if _, err := tx.EndToEndTaken(ctx, r.Document); err != nil {
				return err
			}
			if _, err := tx.DocumentExists(ctx, e.cr.ID, r.Document); err != nil {
				return err
			}
			switch len(kept) % 3 {
			case 0:
				refused++
				err = tx.Refuse(ctx, r.ID, "refused while reading ahead", "2026-11-22T10:00:00", remit.TodoCorrect)
			case 1:
				err = tx.NoteDebit(ctx, r.ID, r.Document+"-2", remit.Amendment{})
			}
			if err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if len(kept) != n {
			t.Errorf("%d rows, want %d", len(kept), n)
		}
		for i, r := range kept {
			want := fmt.Sprintf("RUM-%s-%04d", string(rune('A'+(i/3)%4)), i/3) // mandate order is import order here
			if r.Mandate == nil || r.Mandate.RUM != want || r.Debtor.Account != "411"+want[4:5] {
				t.Fatalf("row %d (%s): mandate %+v, debtor %s; want %s", i, r.Document, r.Mandate, r.Debtor.Account, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := count(t, e.st, `SELECT count(*) FROM receivables WHERE refusal = 'refused while reading ahead'`); got != refused {
		t.Errorf("%d refusals recorded, want %d", got, refused)
	}
}

// The same for the LCR bills.
func TestPointedBillsReadAheadBesideWrites(t *testing.T) {
	const n = 3*aheadBatch + 5
	var csv strings.Builder
	for i := range n {
		fmt.Fprintf(&csv, "L%05d,411C%d,Client %d,%d.00,2026-12-%02d,,lcr,FR1420041010050500013M02606,accepted,,,,yes\n", i, i%7, i%7, 10+i, 1+i/(n/28+1))
	}
	e := newLCREnv(t, csv.String())
	ctx := context.Background()
	err := e.st.Run(ctx, func(tx store.RunTx) error {
		rows, err := tx.PointedBills(ctx, e.cr.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		i := 0
		for rows.Next() {
			r := rows.Row()
			if want := fmt.Sprintf("L%05d", i); r.Document != want || r.Drawee.Account != fmt.Sprintf("411C%d", i%7) {
				t.Fatalf("row %d: %s of %s, want %s", i, r.Document, r.Drawee.Account, want)
			}
			if i%2 == 0 {
				if err := tx.Refuse(ctx, r.ID, "refused while reading ahead", "2026-11-22T10:00:00", remit.TodoLater); err != nil {
					return err
				}
			}
			i++
		}
		if i != n {
			t.Errorf("%d rows, want %d", i, n)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := count(t, e.st, `SELECT count(*) FROM receivables WHERE refusal = 'refused while reading ahead'`); got != (n+1)/2 {
		t.Errorf("%d refusals recorded, want %d", got, (n+1)/2)
	}
}
