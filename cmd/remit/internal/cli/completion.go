package cli

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/store"
)

// Shell completion (remit completion bash|zsh|fish|powershell): the values
// of every flag that takes a few (--split, --method, --scheme, --pain…),
// remittance references for the commands that take one, and document
// numbers for --document and remit reject.

// refCommands take remittance references as arguments.
var refCommands = []string{"show", "cancel", "regenerate", "mark-sent", "bordereau", "traites", "entries"}

func registerCompletions(root *cobra.Command, env *Env) {
	fixed := func(values []string) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			var out []string
			for _, v := range values {
				if v != "" {
					out = append(out, v)
				}
			}
			return out, cobra.ShellCompDirectiveNoFileComp
		}
	}
	root.PersistentFlags().VisitAll(func(f *pflag.Flag) {
		if c := f.Annotations[annChoices]; len(c) > 0 {
			root.RegisterFlagCompletionFunc(f.Name, fixed(c))
		}
	})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
			if ch := f.Annotations[annChoices]; len(ch) > 0 {
				c.RegisterFlagCompletionFunc(f.Name, fixed(ch))
			}
			if f.Name == "document" {
				c.RegisterFlagCompletionFunc(f.Name, completeDocuments(env))
			}
		})
		if c.Parent() == root {
			for _, name := range refCommands {
				if c.Name() == name {
					c.ValidArgsFunction = completeRefs(env)
				}
			}
			if c.Name() == "reject" {
				c.ValidArgsFunction = completeDocuments(env)
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	for _, c := range root.Commands() {
		walk(c)
	}
}

// completionStore opens the database the command line, the environment or
// the configuration file names, without waiting for a busy one.
func completionStore(cmd *cobra.Command, env *Env) (store.Store, remit.Creditor, bool) {
	if file, err := configFile(cmd, env); err == nil {
		checkSettings(cmd, file, env.Environ()) // fills --db and --creditor; a problem shows when the command runs
	}
	f := cmd.Flags()
	st, err := openStoreAt(f.Lookup("db").Value.String(), 200*time.Millisecond, env.Now)
	if err != nil {
		return nil, remit.Creditor{}, false
	}
	cr, err := st.Creditor(context.Background(), f.Lookup("creditor").Value.String())
	if err != nil {
		st.Close()
		return nil, remit.Creditor{}, false
	}
	return st, cr, true
}

// completeRefs offers the remittances, newest first, each with what it is.
func completeRefs(env *Env) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if cmd.Name() != "entries" && len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		st, cr, ok := completionStore(cmd, env)
		if !ok {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		defer st.Close()
		all, err := st.Remittances(context.Background(), cr.ID)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []string
		for _, r := range all { // newest first
			if cmd.Name() == "traites" && r.Kind != "lcr" {
				continue
			}
			if strings.HasPrefix(r.Ref, toComplete) || strings.HasPrefix(strconv.FormatInt(r.ID, 10), toComplete) {
				out = append(out, r.Ref+"\t"+kindLabel(r)+", "+r.CreatedAt.Format("2006-01-02")+", "+
					remit.FormatAmountFR(r.Total)+", "+r.Status)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveKeepOrder
	}
}

// completeDocuments offers the document numbers that start with what is typed.
func completeDocuments(env *Env) func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		if cmd.Name() == "reject" && len(args) > 0 {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		st, cr, ok := completionStore(cmd, env)
		if !ok {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		defer st.Close()
		docs, err := st.Documents(context.Background(), cr.ID, toComplete, 500)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return docs, cobra.ShellCompDirectiveNoFileComp
	}
}
