package sepa_test

import (
	"fmt"
	"log"
	"os"
	"time"

	"github.com/remit-dev/remit/sepa"
)

func ExampleText() {
	fmt.Println(sepa.Text("Société Générale & Fils — «Œuvres» <SARL>", 70))
	fmt.Println(sepa.Text("Établissements Dupont", 12))
	// Output:
	// Societe Generale + Fils - 'OEuvres' SARL
	// Etablissemen
}

func ExampleCollectionDate() {
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 12, 24, 17, 30, 0, 0, paris) // after a 16:00 cut-off
	due := time.Date(2026, 12, 25, 0, 0, 0, 0, paris)
	fmt.Println(sepa.EarliestCollectionDate(now, 1, 16*time.Hour).Format(time.DateOnly))
	fmt.Println(sepa.CollectionDate(due, now, 1, 16*time.Hour).Format(time.DateOnly))
	fmt.Println(sepa.CollectionDate(due, now, 3, 16*time.Hour).Format(time.DateOnly))
	// Output:
	// 2026-12-29
	// 2026-12-29
	// 2026-12-31
}

// ReadReturns lists the rejected and returned collections of a bank file.
func ExampleReadReturns() {
	f, err := os.Open("testdata/returns/pain.002.001.03.payment-reject.xml")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	rf, err := sepa.ReadReturns(f)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rf.Kind, rf.Version, "about", rf.OriginalMsgID)
	for _, it := range rf.Items {
		switch {
		case it.GroupLevel:
			fmt.Printf("all of %s: %s %s\n", it.OriginalMsgID, it.Reason, sepa.ReasonLabel(it.Reason))
		case it.PaymentLevel:
			fmt.Printf("all of %s: %s %s\n", it.OriginalPmtInfID, it.Reason, sepa.ReasonLabel(it.Reason))
		default:
			fmt.Printf("%s (mandate %s, %d cents): %s %s\n", it.EndToEndID, it.MandateID, it.Amount, it.Reason, sepa.ReasonLabel(it.Reason))
		}
	}
	// Output:
	// pain.002 pain.002.001.03 about ACME-SDD-20261201-0003
	// all of ACME-SDD-20261201-0003-FRST-CORE: BE05 Identifiant créancier (ICS) non reconnu (creditor identifier unrecognised)
	// INV-2026-000042 (mandate RUM-2025-0042, 7500 cents): MD01 Pas de mandat valide (no valid mandate)
}
