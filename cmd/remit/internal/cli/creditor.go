package cli

import (
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/spf13/cobra"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/ident"
)

type creditorSetOptions struct {
	*Env
	Code string
	c    remit.Creditor
	cmd  *cobra.Command
}

func newCreditorCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "creditor",
		Short: "Set or show the company that collects (créancier)",
	}
	cmd.AddCommand(newCreditorSetCmd(env), newCreditorShowCmd(env))
	return cmd
}

func newCreditorSetCmd(env *Env) *cobra.Command {
	opts := &creditorSetOptions{Env: env}
	cmd := &cobra.Command{
		Use:   "set",
		Short: "Create the creditor or change some of its details",
		Long: `set creates a creditor, or changes the details given on the command line and keeps
the others. --code names it when several companies share one database; when
omitted, the only creditor is changed, or a new one gets a code made from its name.`,
		Example: `  remit creditor set --name "ACME OUTILLAGE SARL" --ics FR72ZZZ123456 \
    --iban FR7630004008280001012345691 --bic BNPAFRPP --nne 123456 --siren 123456782 \
    --bank-name "BNP PARIBAS PARIS OPERA" --street "Rue de la Paix" --building 12 \
    --postcode 75002 --town Paris --country FR`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.cmd = cmd
			return creditorSetRun(opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Code, "code", "", "creditor code (letters, digits, - and _)")
	f.StringVar(&opts.c.Name, "name", "", "raison sociale")
	f.StringVar(&opts.c.ICS, "ics", "", "SEPA creditor identifier (identifiant créancier SEPA)")
	f.StringVar(&opts.c.IBAN, "iban", "", "account to credit")
	f.StringVar(&opts.c.BIC, "bic", "", "BIC of the creditor's bank")
	f.StringVar(&opts.c.NNE, "nne", "", "numéro national d'émetteur (6 digits, for national direct debits)")
	f.StringVar(&opts.c.SIREN, "siren", "", "SIREN (9 digits)")
	f.StringVar(&opts.c.BankName, "bank-name", "", "domiciliation: the bank and branch name")
	f.StringVar(&opts.c.Address.Street, "street", "", "street name")
	f.StringVar(&opts.c.Address.Building, "building", "", "building number")
	f.StringVar(&opts.c.Address.Postcode, "postcode", "", "postcode")
	f.StringVar(&opts.c.Address.Town, "town", "", "town")
	f.StringVar(&opts.c.Address.Country, "country", "", "ISO country code, e.g. FR")
	f.BoolVar(&opts.c.RCUROnly, "rcur-only", false, "send first collections as RCUR (EPC allows it since 2016)")
	f.BoolVar(&opts.c.ApprovalRequired, "approval-required", false,
		"supplier payments: pay a payable only once approved (bon à payer, remit payables approve); --approval-required=false to stop")
	addFormat(cmd, "table", "json")
	return cmd
}

var codeChars = regexp.MustCompile(`[^A-Z0-9_-]+`)

func creditorSetRun(opts *creditorSetOptions) error {
	ctx := opts.cmd.Context()
	st, err := opts.openStore()
	if err != nil {
		return err
	}
	defer st.Close()

	code := opts.Code
	if code == "" {
		code = opts.Config.GetString("creditor")
	}
	var cur remit.Creditor
	switch c, err := st.Creditor(ctx, code); {
	case err == nil:
		cur = c
	case errors.Is(err, remit.ErrNoCreditor) || errors.Is(err, remit.ErrUnknownCreditor):
		cur.Code = code
		if cur.Code == "" {
			cur.Code = codeFromName(opts.c.Name)
		}
	default:
		return err
	}
	f := opts.cmd.Flags()
	set := func(flag string, dst *string, val string) {
		if f.Changed(flag) {
			*dst = strings.TrimSpace(val)
		}
	}
	set("name", &cur.Name, opts.c.Name)
	set("ics", &cur.ICS, strings.ToUpper(strings.ReplaceAll(opts.c.ICS, " ", "")))
	set("iban", &cur.IBAN, ident.NormalizeIBAN(opts.c.IBAN))
	set("bic", &cur.BIC, strings.ToUpper(opts.c.BIC))
	set("nne", &cur.NNE, opts.c.NNE)
	set("siren", &cur.SIREN, strings.ReplaceAll(opts.c.SIREN, " ", ""))
	set("bank-name", &cur.BankName, opts.c.BankName)
	set("street", &cur.Address.Street, opts.c.Address.Street)
	set("building", &cur.Address.Building, opts.c.Address.Building)
	set("postcode", &cur.Address.Postcode, opts.c.Address.Postcode)
	set("town", &cur.Address.Town, opts.c.Address.Town)
	set("country", &cur.Address.Country, strings.ToUpper(opts.c.Address.Country))
	if f.Changed("rcur-only") {
		cur.RCUROnly = opts.c.RCUROnly
	}
	if f.Changed("approval-required") {
		cur.ApprovalRequired = opts.c.ApprovalRequired
	}
	if errs := cur.Validate(); len(errs) > 0 {
		se := &settingsError{summary: "creditor " + cur.Code + ": wrong details, nothing saved"}
		for _, e := range errs {
			se.problems = append(se.problems, fmt.Sprintf("creditor %s: %v", cur.Code, e))
		}
		return &ExitError{Code: ExitUsage, Err: se}
	}
	saved, err := st.SaveCreditor(ctx, cur)
	if err != nil {
		return err
	}
	if outputFormat(opts.cmd) == "json" {
		// The creditor as remit creditor show --json prints it, after the change.
		return writeJSON(opts.Env, saved)
	}
	fmt.Fprintf(opts.Out, "creditor %s saved\n", saved.Code)
	printCreditor(opts.Out, saved)
	return nil
}

func codeFromName(name string) string {
	w := strings.Fields(strings.ToUpper(name))
	if len(w) == 0 {
		return "MAIN"
	}
	c := codeChars.ReplaceAllString(w[0], "")
	if len(c) > 10 {
		c = c[:10]
	}
	if c == "" {
		return "MAIN"
	}
	return c
}

func newCreditorShowCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "show",
		Short: "Show the creditors",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := env.openStore()
			if err != nil {
				return err
			}
			defer st.Close()
			all, err := st.Creditors(cmd.Context())
			if err != nil {
				return err
			}
			if code := env.Config.GetString("creditor"); code != "" {
				c, err := st.Creditor(cmd.Context(), code)
				if err != nil {
					return err
				}
				all = []remit.Creditor{c}
			}
			if outputFormat(cmd) == "json" {
				return writeJSON(env, all)
			}
			if len(all) == 0 {
				return remit.ErrNoCreditor
			}
			for i, c := range all {
				if i > 0 {
					fmt.Fprintln(env.Out)
				}
				printCreditor(env.Out, c)
			}
			return nil
		},
	}
	addFormat(cmd, "table", "json")
	return cmd
}
