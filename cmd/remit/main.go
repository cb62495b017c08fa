// Command remit turns pointed receivables into the files a bank accepts:
// SEPA direct debits (pain.008), CFONB 160 LCR and direct-debit files, PDF
// traites and bordereaux, and accounting entries. See README.md.
package main

import (
	"os"

	"github.com/remit-dev/remit/cmd/remit/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], cli.System()))
}
