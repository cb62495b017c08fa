package sqlite

import (
	"context"

	"github.com/remit-dev/remit/remit/store"
)

// A run plans from a cursor of a million rows, and on one goroutine the
// cursor's SQLite work and the planner's Go work take turns. readAhead
// moves the cursor to a goroutine of its own, which reads the next rows
// in batches while the planner decides on the previous ones, so that on
// two cores they overlap.
//
// It is safe on this store, not on every one: database/sql runs one call
// at a time on a transaction's connection, so the reader's steps and the
// planner's own statements (a refusal, a note, a look-up) take turns on
// it as they did on one goroutine, and SQLite lets a connection write
// while one of its reads is open. The planner writes only rows the reader
// has passed, in columns no index of the read holds (a refusal) or in
// tables it does not read (the plan's notes), so reading ahead reads what
// reading in step would have. (PostgreSQL's connection takes one call at
// a time from one goroutine: its cursors stay in step.)

// aheadBatch is how many rows the reader hands over at a time, and
// aheadBatches how many batches there are: the memory of reading ahead is
// bounded whatever the size of the run.
const (
	aheadBatch   = 256
	aheadBatches = 4
)

// batch is rows read ahead; last says the cursor ended after them, with
// err (nil at the end of the rows).
type batch[T any] struct {
	rows []T
	last bool
	err  error
}

// readAhead is a cursor read on a goroutine of its own (aheadOf). Its
// rows are copies of the source's, kept until the caller moves past them.
type readAhead[T any] struct {
	ctx    context.Context
	src    store.Cursor[T]
	free   chan *batch[T] // batches the reader may fill
	full   chan *batch[T] // batches read, in order
	stop   chan struct{}  // closed by Close: the reader stops
	done   chan struct{}  // closed when the reader has stopped
	cur    *batch[T]
	i      int
	err    error
	closed bool
}

// aheadOf reads src on a goroutine of its own, ahead of the caller, who
// must Close the cursor it returns (which stops the reader, then closes
// src). A row is copied by value, so T must own what it points to: a
// pointer into src's state, which its next rows overwrite, would change
// the rows read ahead.
func aheadOf[T any](ctx context.Context, src store.Cursor[T]) store.Cursor[T] {
	a := &readAhead[T]{ctx: ctx, src: src, free: make(chan *batch[T], aheadBatches), full: make(chan *batch[T], aheadBatches),
		stop: make(chan struct{}), done: make(chan struct{})}
	for range aheadBatches {
		a.free <- &batch[T]{rows: make([]T, 0, aheadBatch)}
	}
	go a.read()
	return a
}

// read fills batches from src until its end, its error or Close. The
// context is src's: a cancelled one ends src's rows with its error.
func (a *readAhead[T]) read() {
	defer close(a.done)
	for {
		var b *batch[T]
		select {
		case b = <-a.free:
		case <-a.stop:
			return
		}
		b.rows = b.rows[:0]
		for len(b.rows) < cap(b.rows) && !a.stopped() && a.src.Next() {
			b.rows = append(b.rows, *a.src.Row())
		}
		if a.stopped() {
			return
		}
		if b.last = len(b.rows) < cap(b.rows); b.last {
			b.err = a.src.Err()
		}
		a.full <- b // never waits: full has room for every batch
		if b.last {
			return
		}
	}
}

func (a *readAhead[T]) stopped() bool {
	select {
	case <-a.stop:
		return true
	default:
		return false
	}
}

func (a *readAhead[T]) Next() bool {
	for {
		if a.cur != nil {
			if a.i+1 < len(a.cur.rows) {
				a.i++
				return true
			}
			if a.cur.last {
				a.err = a.cur.err
				return false
			}
			a.free <- a.cur // never waits: free has room for every batch
			a.cur = nil
		}
		if a.err != nil {
			return false
		}
		select {
		case a.cur = <-a.full:
			a.i = -1
		case <-a.ctx.Done():
			a.err = a.ctx.Err()
		}
	}
}

func (a *readAhead[T]) Row() *T { return &a.cur.rows[a.i] }

func (a *readAhead[T]) Err() error { return a.err }

// Close stops the reader, waits for it, then closes the source.
func (a *readAhead[T]) Close() error {
	if a.closed {
		return nil
	}
	a.closed = true
	close(a.stop)
	<-a.done
	return a.src.Close()
}
