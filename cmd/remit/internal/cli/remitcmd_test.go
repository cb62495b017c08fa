package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/spf13/viper"

	"github.com/remit-dev/remit/remit/collect"
)

// remitConfig is a configuration as a file gives it: no flag has checked
// its values.
func remitConfig(t *testing.T, yaml string) *viper.Viper {
	t.Helper()
	v := viper.New()
	v.SetConfigType("yaml")
	if err := v.ReadConfig(strings.NewReader(yaml)); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestRemitOptionsFromConfig: the settings the remittance commands share
// (strict, no_bordereau, slip, the output folder and the files' names;
// batch_booking and cutoff for sdd and sct) give each command the same
// options, with the same defaults.
func TestRemitOptionsFromConfig(t *testing.T) {
	v := remitConfig(t, `
out: virements
files:
  template: "{ref}.{ext}"
sdd: {strict: true, no_bordereau: true, slip: detail, batch_booking: "false", cutoff: "10:30", collection_date: "2026-12-20"}
sct: {slip: summary, execution_date: "2026-12-18"}
lcr: {no_bordereau: true, value_date: "2026-12-04"}
cheques: {strict: true, no_bordereau: true, slip: detail}
pay-cheques: {strict: true, date: "2026-12-15"}
`)
	want := func(section string, got, want collect.Common) {
		t.Helper()
		if got != want {
			t.Errorf("%s: %+v, want %+v", section, got, want)
		}
	}
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	auto := collect.SlipLayout{Mode: collect.SlipAuto, SummaryAbove: collect.DefaultSummaryAbove}
	detail, summary := auto, auto
	detail.Mode, summary.Mode = collect.SlipDetail, collect.SlipSummary

	s, err := sddOptionsFromConfig(v)
	if err != nil {
		t.Fatal(err)
	}
	want("sdd", s.Common, collect.Common{Strict: true, NoBordereau: true, Slip: detail, OutDir: "virements", NameTemplate: "{ref}.{ext}"})
	if s.BatchBooking == nil || *s.BatchBooking || s.Cutoff != 10*time.Hour+30*time.Minute || !s.CollectionDate.Equal(day("2026-12-20")) {
		t.Errorf("sdd: batch booking %v, cutoff %v, collection date %v", s.BatchBooking, s.Cutoff, s.CollectionDate)
	}
	c, err := sctOptionsFromConfig(v)
	if err != nil {
		t.Fatal(err)
	}
	want("sct", c.Common, collect.Common{Slip: summary, OutDir: "virements", NameTemplate: "{ref}.{ext}"})
	if c.BatchBooking == nil || !*c.BatchBooking || c.Cutoff != 16*time.Hour || !c.ExecutionDate.Equal(day("2026-12-18")) {
		t.Errorf("sct: batch booking %v, cutoff %v, execution date %v (want true, 16:00 by default)", c.BatchBooking, c.Cutoff, c.ExecutionDate)
	}
	l, err := lcrOptionsFromConfig(v)
	if err != nil {
		t.Fatal(err)
	}
	want("lcr", l.Common, collect.Common{NoBordereau: true, Slip: auto, OutDir: "virements", NameTemplate: "{ref}.{ext}"})
	if !l.ValueDate.Equal(day("2026-12-04")) {
		t.Errorf("lcr: value date %v", l.ValueDate)
	}
	// A remise de chèques has no slip of its own: no_bordereau and slip are not its settings.
	want("cheques", chequesOptionsFromConfig(v).Common, collect.Common{Strict: true, OutDir: "virements", NameTemplate: "{ref}.{ext}"})
	p, err := chequeOptionsFromConfig(v)
	if err != nil {
		t.Fatal(err)
	}
	want("pay-cheques", p.Common, collect.Common{Strict: true, Slip: auto, OutDir: "virements", NameTemplate: "{ref}.{ext}"})
	if !p.Date.Equal(day("2026-12-15")) {
		t.Errorf("pay-cheques: date %v", p.Date)
	}
}

// TestRemitOptionErrors: a shared setting that is wrong in the
// configuration is refused with the same words by every command, naming
// the flag that sets it, as a usage error (exit 2).
func TestRemitOptionErrors(t *testing.T) {
	read := map[string]func(*viper.Viper) error{
		"sdd":         func(v *viper.Viper) error { _, err := sddOptionsFromConfig(v); return err },
		"sct":         func(v *viper.Viper) error { _, err := sctOptionsFromConfig(v); return err },
		"lcr":         func(v *viper.Viper) error { _, err := lcrOptionsFromConfig(v); return err },
		"pay-cheques": func(v *viper.Viper) error { _, err := chequeOptionsFromConfig(v); return err },
	}
	for _, c := range []struct{ section, yaml, want string }{
		{"sdd", "cutoff: 25:00", `--cutoff: "25:00": want HH:MM`},
		{"sct", "cutoff: 7h", `--cutoff: "7h": want HH:MM`},
		{"sdd", "batch_booking: maybe", `--batch-booking "maybe": want true, false or omit`},
		{"sct", "batch_booking: maybe", `--batch-booking "maybe": want true, false or omit`},
		{"sdd", `collection_date: "2026-13-01"`, `--collection-date "2026-13-01": not a date (write YYYY-MM-DD or DD/MM/YYYY)`},
		{"sct", "execution_date: nope", `--execution-date "nope": not a date (write YYYY-MM-DD or DD/MM/YYYY)`},
		{"lcr", "value_date: bad", `--value-date "bad": not a date (write YYYY-MM-DD or DD/MM/YYYY)`},
		{"pay-cheques", `date: "2026-02-30"`, `--date "2026-02-30": not a date (write YYYY-MM-DD or DD/MM/YYYY)`},
	} {
		err := read[c.section](remitConfig(t, c.section+":\n  "+c.yaml+"\n"))
		if err == nil || err.Error() != c.want || exitCode(err) != ExitUsage {
			t.Errorf("%s.%s: %v (exit %d), want %q (exit %d)", c.section, c.yaml, err, exitCode(err), c.want, ExitUsage)
		}
	}
	v := remitConfig(t, "slip:\n  summary_above: -1\n")
	for section, read := range read {
		if err := read(v); err == nil || !strings.Contains(err.Error(), "slip.summary_above -1: want a number of items") {
			t.Errorf("%s with slip.summary_above -1: %v", section, err)
		}
	}
}
