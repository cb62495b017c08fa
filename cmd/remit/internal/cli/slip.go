package cli

import (
	"strings"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/remit-dev/remit/remit/collect"
)

// summaryAboveKey is the file key of the threshold past which --slip auto
// prints the summary slip.
const summaryAboveKey = "slip.summary_above"

func init() { fileSettings[summaryAboveKey] = "int" }

// addSlipFlag adds --slip to a command that writes bordereaux de remise.
func addSlipFlag(f *pflag.FlagSet) {
	f.String("slip", collect.SlipAuto, "the slip BORDEREAU.<ref>.pdf: detail (every item), summary (a line per block, "+
		"the items in BORDEREAU.<ref>.csv) or auto (summary past slip.summary_above items, default 2500)")
	choices(f, "slip", collect.SlipAuto, collect.SlipSummary, collect.SlipDetail)
}

// slipLayout reads which slip a command's remittances get: section.slip
// (auto when nothing gives it) and slip.summary_above.
func slipLayout(v *viper.Viper, section string) (collect.SlipLayout, error) {
	l := collect.SlipLayout{Mode: strings.ToLower(strings.TrimSpace(v.GetString(section + ".slip"))), SummaryAbove: collect.DefaultSummaryAbove}
	if l.Mode == "" {
		l.Mode = collect.SlipAuto
	}
	if v.IsSet(summaryAboveKey) {
		l.SummaryAbove = v.GetInt(summaryAboveKey)
		if l.SummaryAbove < 0 {
			return l, usageError("%s %d: want a number of items, 0 or more (0: a summary slip for every remittance)", summaryAboveKey, l.SummaryAbove)
		}
	}
	return l, nil
}
