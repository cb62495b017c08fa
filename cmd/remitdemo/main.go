// Command remitdemo runs remit's demo: it dates the demo receivables of
// package fixtures from today, then runs every step of a remittance day with the
// real binary in a folder of its own (./demo by default), printing each
// command as a user would type it. `make demo` calls it:
//
//	go run ./cmd/remitdemo -bin bin/remit -dir demo
//
// The fixtures write their dates relative to the day of the run ("today+4",
// "today-30"), so the demo works on any date; they are compiled in. Today is REMIT_NOW (RFC 3339)
// when set, as for remit itself, else the clock; every remit started gets
// that same REMIT_NOW and no other REMIT_* variable, so that a user's own
// configuration (REMIT_DB...) cannot point the demo at real data. Only the
// files the demo writes inside its folder are ever removed.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

func main() {
	bin := flag.String("bin", "bin/remit", "the remit binary")
	dir := flag.String("dir", "demo", "folder the demo works in (created; its demo files are replaced)")
	flag.Parse()
	now := time.Now()
	if s := os.Getenv("REMIT_NOW"); s != "" {
		t, err := time.Parse(time.RFC3339, s)
		if err != nil {
			fmt.Fprintf(os.Stderr, "remitdemo: REMIT_NOW %q: want RFC 3339, e.g. 2026-12-04T09:00:00Z\n", s)
			os.Exit(2)
		}
		now = t
	}
	d := demo{bin: *bin, dir: *dir, now: now, out: os.Stdout, errOut: os.Stderr}
	if err := d.run(); err != nil {
		fmt.Fprintf(os.Stderr, "remitdemo: %v\n", err)
		os.Exit(1)
	}
}

// demo is one run of the demo.
type demo struct {
	bin    string // remit binary
	dir    string // working folder
	now    time.Time
	out    io.Writer // remit's output and the commands, as typed
	errOut io.Writer
}
