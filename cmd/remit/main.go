// Command remit turns pointed receivables into the files a bank accepts:
// SEPA direct debits (pain.008), CFONB 160 LCR and direct-debit files, PDF
// traites and bordereaux, and accounting entries. See README.md.
package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/pprof"

	"github.com/remit-dev/remit/cmd/remit/internal/cli"
)

func main() {
	// A large run holds its plan and lookups (tens of MB per million
	// receivables) while it allocates freely: collecting at 50 % growth
	// instead of 100 % keeps its peak a quarter lower for no measurable
	// time. GOGC in the environment still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	os.Exit(run())
}

// run is main with profiling for `make bench` investigations:
// REMIT_CPUPROFILE=FILE writes a CPU profile, REMIT_MEMPROFILE=FILE the live
// heap at exit.
func run() int {
	if p := os.Getenv("REMIT_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.StartCPUProfile(f)
			defer f.Close()
			defer pprof.StopCPUProfile()
		}
	}
	if p := os.Getenv("REMIT_MEMPROFILE"); p != "" {
		runtime.MemProfileRate = 64 << 10
		defer func() {
			if f, err := os.Create(p); err == nil {
				pprof.Lookup("heap").WriteTo(f, 0)
				f.Close()
			}
		}()
	}
	return cli.Main(os.Args[1:], cli.System())
}
