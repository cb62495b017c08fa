// Command remit turns pointed receivables into the files a bank accepts:
// SEPA direct debits (pain.008), CFONB 160 LCR and direct-debit files, PDF
// traites and bordereaux, and accounting entries. See README.md.
package main

import (
	"os"
	"runtime/pprof"

	"github.com/remit-dev/remit/cmd/remit/internal/cli"
)

func main() {
	// REMIT_CPUPROFILE=FILE writes a CPU profile, for `make bench` investigations.
	if p := os.Getenv("REMIT_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.StartCPUProfile(f)
			code := cli.Main(os.Args[1:], cli.System())
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(code)
		}
	}
	os.Exit(cli.Main(os.Args[1:], cli.System()))
}
