package cli

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"
	"github.com/spf13/viper"

	"github.com/remit-dev/remit/bordereau"
	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/collect"
	"github.com/remit-dev/remit/remit/collect/chqout"
	"github.com/remit-dev/remit/remit/payables"
	"github.com/remit-dev/remit/remit/store"
)

func init() { extraCommands = append(extraCommands, newPayChequesCmd, newChequeRegisterCmd) }

func newPayChequesCmd(env *Env) *cobra.Command {
	cmd, opts := newRemitCmd(env, &cobra.Command{
		Use:   "pay-cheques",
		Short: "Pay the pointed cheque payables: lettres-chèques PDF, cheque register, slip, entries",
		Long: `pay-cheques pays every pointed payable with method chq (remit payables point) by
lettre-chèque: its payments (a group of a supplier's payables, credit notes netted,
is one cheque) are dated today (or --date) with the discounts due by then, each
drawn on a bank (as remit sct chooses it; --bank for all), and printed into
CHEQUES.<ref>.pdf in --out, one page each: the letter to the supplier, its address
for a window envelope, the documents paid, and the detachable cheque, amount in
figures and in words, place and date, numbered from --first-number (default: the
next after the last the register has for the bank). Every number goes into the
cheque register (remit cheque-register); a spoiled cheque is voided and reprinted under
the next number with remit cheque-register void. The avis de paiement AVIS.<ref>.pdf and
the bordereau BORDEREAU.<ref>.pdf come with them, and the entries are written.`,
		Example: `  remit pay-cheques --first-number 4500121
  remit pay-cheques --model preimprime --offset-x 1.5 --dry-run`,
	}, payChequesRun)
	f := cmd.Flags()
	f.Int("first-number", 0, "the number of the first cheque (default: the next after the last one printed on its bank)")
	intRange(f, "first-number", 0, chqout.MaxNumber)
	f.String("date", "", "the cheques' date (default today), not in the past")
	valueKind(f, "date", "date")
	f.String("model", bordereau.ModelStandard, "standard (the whole cheque on blank stock) or preimprime (the values only)")
	choices(f, "model", bordereau.ModelStandard, bordereau.ModelPreprinted)
	f.String("offset-x", "", "move the cheque right by so many millimetres (negative: left), to fit the stock")
	valueKind(f, "offset-x", "offset")
	f.String("offset-y", "", "move the cheque down by so many millimetres (negative: up)")
	valueKind(f, "offset-y", "offset")
	f.String("place", "", "the place the cheques are made at (default the creditor's town)")
	f.Bool("no-discounts", false, "take no early-payment discount (escompte)")
	f.Bool("no-advices", false, "do not write the avis de paiement AVIS.<ref>.pdf")
	remitFlags{bank: "draw every cheque on this bank (journal code), whatever its limit",
		strict: "refuse the whole run when any payable is refused", noBordereau: "do not write the PDF slip BORDEREAU.<ref>.pdf"}.add(cmd, opts)
	return cmd
}

func payChequesRun(opts *remitOptions) error {
	o, err := chequeOptionsFromConfig(opts.Config)
	if err != nil {
		return err
	}
	o.DryRun = opts.DryRun
	return opts.run(remitRun{payables: true, isUsage: func(err error) bool {
		return errors.Is(err, chqout.ErrOption) || errors.Is(err, chqout.ErrNumber) || errors.Is(err, payables.ErrBank)
	}}, func(st store.Store) collect.Job {
		o.Treasury = &projectedBanks{store: func() store.Store { return st }, override: o.Bank}
		return chqout.Job(o)
	})
}

// chequeOptionsFromConfig reads the pay_cheques.* keys.
func chequeOptionsFromConfig(v *viper.Viper) (chqout.Options, error) {
	o := chqout.Options{FirstNumber: int64(v.GetInt("pay-cheques.first_number")), Bank: v.GetString("pay-cheques.bank"),
		Model: v.GetString("pay-cheques.model"), Place: v.GetString("pay-cheques.place"),
		NoDiscounts: v.GetBool("pay-cheques.no_discounts"), NoAdvices: v.GetBool("pay-cheques.no_advices")}
	var err error
	if o.Common, err = remitCommonWithSlip(v, "pay-cheques"); err != nil {
		return o, err
	}
	if o.Date, err = remitDate(v, "pay-cheques.date", "date"); err != nil {
		return o, err
	}
	for _, x := range []struct {
		key string
		dst *float64
	}{{"pay-cheques.offset_x", &o.OffsetX}, {"pay-cheques.offset_y", &o.OffsetY}} {
		if s := v.GetString(x.key); s != "" {
			tenths, err := remit.ParseOffset(s)
			if err != nil {
				return o, usageError("--%s %q: %v", x.key[len("pay-cheques."):], s, err)
			}
			*x.dst = float64(tenths) / 10
		}
	}
	return o, nil
}

func newChequeRegisterCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cheque-register",
		Short: "The cheque register: every cheque number printed, issued or void",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, cr, err := env.storeAndCreditor(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			cs, ok := st.(store.ChequeStore)
			if !ok {
				return usageError("this database keeps no cheque register")
			}
			all, err := cs.Cheques(cmd.Context(), cr.ID)
			if err != nil {
				return err
			}
			if outputFormat(cmd) == "json" {
				if all == nil {
					all = []store.Cheque{}
				}
				return writeJSON(env, all)
			}
			if len(all) == 0 {
				fmt.Fprintln(env.Out, "no cheque printed yet")
				return nil
			}
			fmt.Fprintf(env.Out, "%s %s %s %s %s %s %s %s\n", fit("BANK", 6), fit("NUMBER", 7), fit("STATUS", 6), fit("REMISE", 6),
				fit("PAYMENT", 9), fit("PAYEE", 12), right("AMOUNT", 14), "NOTE")
			for _, c := range all {
				note := c.File
				if c.Status == "void" {
					note = "void " + c.VoidedAt[:10] + ": " + c.Reason
				}
				fmt.Fprintf(env.Out, "%s %07d %s %s %s %s %s %s\n", fit(c.Bank, 6), c.Number, fit(c.Status, 6), fit(c.Remittance, 6),
					fit(c.Reference, 9), fit(c.Payee, 12), right(remit.FormatAmountFR(c.Amount), 14), note)
			}
			return nil
		},
	}
	addFormat(cmd, "table", "json")
	cmd.AddCommand(newChequeVoidCmd(env))
	return cmd
}

func newChequeVoidCmd(env *Env) *cobra.Command {
	var o chqout.ReissueOptions
	var number, next int
	cmd := &cobra.Command{
		Use:   "void NUMBER",
		Short: "Void a spoiled cheque and print its lettre-chèque again under the next number",
		Long: `void records in the register that cheque NUMBER is void (torn, misprinted, lost
before it was sent), with --reason, and prints its payment's lettre-chèque again
under the next number of its bank's cheque book (or --next) into
CHEQUE.<number>.pdf in --out. The payment itself is unchanged. Destroy the
spoiled cheque.`,
		Example: `  remit cheque-register void 4500123 --reason "mal imprimé"`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := fmt.Sscanf(args[0], "%d", &number); err != nil || number < 1 || number > chqout.MaxNumber {
				return usageError("%q is not a cheque number", args[0])
			}
			st, cr, err := env.storeAndCreditor(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			cs, ok := st.(store.ChequeStore)
			if !ok {
				return usageError("this database keeps no cheque register")
			}
			o.Number, o.Next, o.OutDir, o.Now = int64(number), int64(next), env.Config.GetString("out"), env.Now()
			r, err := chqout.Reissue(cmd.Context(), st, cs, cr, o)
			if err != nil {
				if errors.Is(err, chqout.ErrOption) || errors.Is(err, chqout.ErrNumber) {
					return usageError("%v", err)
				}
				return err
			}
			if outputFormat(cmd) == "json" {
				return writeJSON(env, r)
			}
			fmt.Fprintf(env.Out, "cheque %07d of %s void; payment %s to %s (%s) printed again as cheque %07d: %s\n", r.Void, r.Bank,
				r.Reference, r.Payee, remit.FormatAmountFR(r.Amount), r.Number, r.File.Path)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.Reason, "reason", "", "why it is void (required)")
	f.StringVar(&o.Bank, "bank", "", "the bank the cheque is drawn on, when several have that number")
	f.IntVar(&next, "next", 0, "print it under this number (default: the next after the last used)")
	addFormat(cmd, "table", "json")
	return cmd
}
