package accounting

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/remit-dev/remit/remit/treasury"
)

// Entry date policies.
const (
	DateRemittance = "remittance" // the day the remittance was created (the default)
	DateCollection = "collection" // each item's collection date (SDD) or due date (LCR)
)

// Default entry settings, used for every option left empty.
const (
	DefaultJournal         = "BQ"
	DefaultCounterpart     = "512000"
	DefaultCustomerAccount = "411000"
	DefaultFeeAccount      = "627000"
	DefaultEntryLabel      = "Recettes au {JJ}/{MM}/{AA}"
	DefaultCustomerLabel   = "{doc} {name}"
	DefaultReturnLabel     = "Rejet {doc} {reason}"
	DefaultFeeLabel        = "Frais rejet {doc}"
	DefaultReversalLabel   = "Annulation remise {ref}"
)

// JournalOptions are one treasury journal's settings.
type JournalOptions struct {
	Label       string // JournalLib; default the journal code ("Banque" for BQ)
	Counterpart string // default Options.Counterpart
}

// Options control the accounting entries. The zero value is valid: every
// empty field takes its default (Normalize).
type Options struct {
	Disabled        bool                      // write no entries for new remittances and returns
	Journal         string                    // journal of receivables without one; default BQ
	Counterpart     string                    // counterpart account of every journal without its own; default 512000
	Journals        map[string]JournalOptions // per journal code (the receivables' journal column)
	Centralize      bool                      // one counterpart line per écriture instead of one per payment
	Date            string                    // DateRemittance (default) or DateCollection
	Labels          map[Kind]string           // label template of each kind's lines (Rules); default the rule's
	CustomerLabel   string                    // a collection's customer lines; default "{doc} {name}"
	CustomerAccount string                    // collective account; default 411000
	Direct          bool                      // the customer's code is the account (no auxiliary account)
	FeeAccount      string                    // bank fees; default 627000
	FeeCounterpart  string                    // account the fee is taken from; default the journal's counterpart
	AccountLabels   map[string]string         // CompteLib by account or account prefix (longest prefix wins)

	// Supplier payments (Disbursement).
	SupplierAccount string // collective account of suppliers; default 401000 (the supplier's code is the account when Direct)
	DiscountAccount string // escomptes obtenus; default 765000
	SupplierLabel   string // supplier lines; default "{doc} {name}"
	PaymentLabel    string // bank lines; default "Paiement {doc} {name}" ({doc}: the payment's reference)
	DiscountLabel   string // discount lines; default "Escompte {doc}"

	// The treasury's écritures (seed 000).
	SuspenseAccount string // compte d'attente; default 471000
	LossAccount     string // pertes sur créances irrécouvrables, a write-off's; default 654000
	VATAccount      string // TVA collectée a write-off gives back; default 445710
}

// Normalize returns the options with defaults filled in and journal codes
// in upper case, or every problem found. The rules take normalized
// options.
func (o Options) Normalize() (Options, error) {
	def := func(s *string, d string) {
		*s = strings.TrimSpace(*s)
		if *s == "" {
			*s = d
		}
	}
	def(&o.Journal, DefaultJournal)
	o.Journal = strings.ToUpper(o.Journal)
	def(&o.Counterpart, DefaultCounterpart)
	def(&o.Date, DateRemittance)
	def(&o.CustomerLabel, DefaultCustomerLabel)
	def(&o.CustomerAccount, DefaultCustomerAccount)
	def(&o.FeeAccount, DefaultFeeAccount)
	def(&o.SupplierAccount, DefaultSupplierAccount)
	def(&o.DiscountAccount, DefaultDiscountAccount)
	def(&o.SupplierLabel, DefaultSupplierLabel)
	def(&o.PaymentLabel, DefaultPaymentLabel)
	def(&o.DiscountLabel, DefaultDiscountLabel)
	ta := o.TreasuryAccounts()
	o.SuspenseAccount, o.LossAccount, o.VATAccount = ta.Suspense, ta.Loss, ta.VAT
	o.FeeCounterpart = strings.TrimSpace(o.FeeCounterpart)
	var errs []error
	for _, k := range sortedKinds(o.Labels) {
		if _, ok := RuleOf(k); !ok {
			errs = append(errs, fmt.Errorf("label of the %q lines: no such kind of entry (want one of %s)", k, kindList()))
		}
	}
	kindLabels := make(map[Kind]string, len(Rules))
	for _, r := range Rules {
		l := o.Labels[r.Kind]
		def(&l, r.Default)
		kindLabels[r.Kind] = l
	}
	o.Labels = kindLabels
	check := func(what, account string) {
		if err := checkAccount(account); err != nil {
			errs = append(errs, fmt.Errorf("%s %q: %w", what, account, err))
		}
	}
	check("counterpart account", o.Counterpart)
	check("customer account", o.CustomerAccount)
	check("fee account", o.FeeAccount)
	check("supplier account", o.SupplierAccount)
	check("discount account", o.DiscountAccount)
	check("suspense account", o.SuspenseAccount)
	check("loss account", o.LossAccount)
	check("VAT account", o.VATAccount)
	if IsMasked(o.FeeAccount) || IsMasked(o.CustomerAccount) || IsMasked(o.SupplierAccount) || IsMasked(o.DiscountAccount) ||
		IsMasked(o.SuspenseAccount) || IsMasked(o.LossAccount) || IsMasked(o.VATAccount) {
		errs = append(errs, errors.New("only counterpart accounts may carry the masks AA and MM"))
	}
	if o.FeeCounterpart != "" {
		check("fee counterpart account", o.FeeCounterpart)
	}
	switch o.Date {
	case DateRemittance, DateCollection:
	default:
		errs = append(errs, fmt.Errorf("entry date %q: want remittance or collection", o.Date))
	}
	journals := make(map[string]JournalOptions, len(o.Journals))
	for code, j := range o.Journals {
		code = strings.ToUpper(strings.TrimSpace(code))
		j.Counterpart, j.Label = strings.TrimSpace(j.Counterpart), strings.TrimSpace(j.Label)
		if j.Counterpart != "" {
			check("journal "+code+" counterpart account", j.Counterpart)
		}
		journals[code] = j
	}
	o.Journals = journals
	if o.Centralize {
		var masked []string
		if IsMasked(o.Counterpart) {
			masked = append(masked, o.Counterpart)
		}
		for _, code := range sortedJournalCodes(journals) {
			if IsMasked(journals[code].Counterpart) {
				masked = append(masked, journals[code].Counterpart+" (journal "+code+")")
			}
		}
		if len(masked) > 0 {
			errs = append(errs, fmt.Errorf("centralisation with %s: %w", strings.Join(masked, ", "), ErrMaskedCentralized))
		}
	}
	labels := make(map[string]string, len(o.AccountLabels))
	for k, v := range o.AccountLabels {
		labels[strings.ToUpper(strings.TrimSpace(k))] = v
	}
	o.AccountLabels = labels
	return o, errors.Join(errs...)
}

// Validate reports every problem of the options, so a configuration is
// refused when it is read rather than at the first remittance.
func (o Options) Validate() error {
	_, err := o.Normalize()
	return err
}

// TreasuryAccounts are the accounts of the suspense and write-off
// écritures: those set, else the plan comptable général's
// (treasury.DefaultAccounts).
func (o Options) TreasuryAccounts() treasury.Accounts {
	a := treasury.DefaultAccounts
	for _, f := range []struct {
		to  *string
		set string
	}{{&a.Suspense, o.SuspenseAccount}, {&a.Loss, o.LossAccount}, {&a.VAT, o.VATAccount}} {
		if set := strings.TrimSpace(f.set); set != "" {
			*f.to = set
		}
	}
	return a
}

// Label is the label template of kind k's lines: as set, else the
// rule's default.
func (o Options) Label(k Kind) string {
	if l := strings.TrimSpace(o.Labels[k]); l != "" {
		return l
	}
	r, _ := RuleOf(k)
	return r.Default
}

func sortedKinds(m map[Kind]string) []Kind {
	keys := make([]Kind, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	return keys
}

func sortedJournalCodes(m map[string]JournalOptions) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// checkAccount accepts account numbers of letters and digits (PCG
// accounts, customer codes such as 411DUPONT), the way FEC CompteNum
// carries them.
func checkAccount(a string) error {
	if a == "" {
		return errors.New("empty")
	}
	if len(a) > 40 {
		return errors.New("longer than 40 characters")
	}
	for i := 0; i < len(a); i++ {
		c := a[i]
		if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '-' || c == '_' || c == '.') {
			return errors.New("letters, digits, - _ or . only")
		}
	}
	return nil
}

// IsMasked tells whether an account carries the year or month mask.
func IsMasked(account string) bool {
	return strings.Contains(account, "AA") || strings.Contains(account, "MM")
}

// FillMask replaces AA by the due date's two-digit year and MM by its
// month: 09AAMM00 due 2026-12-15 → 09261200.
func FillMask(account string, due time.Time) string {
	if !IsMasked(account) {
		return account
	}
	account = strings.ReplaceAll(account, "AA", due.Format("06"))
	return strings.ReplaceAll(account, "MM", due.Format("01"))
}

// journalCode is the journal a receivable's entries go to: its own, else
// the default.
func (o Options) journalCode(receivableJournal string) string {
	if j := strings.ToUpper(strings.TrimSpace(receivableJournal)); j != "" {
		return j
	}
	return o.Journal
}

// journalLabel is a journal's JournalLib.
func (o Options) journalLabel(code string) string {
	if j := o.Journals[code]; j.Label != "" {
		return j.Label
	}
	if code == DefaultJournal {
		return "Banque"
	}
	return code
}

// counterpartMask returns the journal's counterpart account, masks not
// filled.
func (o Options) counterpartMask(code string) string {
	if j := o.Journals[code]; j.Counterpart != "" {
		return j.Counterpart
	}
	return o.Counterpart
}

// collectionCounterpart returns the account a collection debits in
// journal code, masks not filled: the account its kind books it on, if
// any; else the journal's own counterpart (entries.journals); else the
// account of the remittance's bank, unless the configured counterpart is
// not a bank's account but an intermediate one the company books its
// remittances on instead (413…, 511…, 09AAMM00: seed 004, "Il n'est pas
// obligatoire d'utiliser un compte de banque"); else the configured one.
func (o Options) collectionCounterpart(code string, b Banking) string {
	if b.BookedOn != "" {
		return b.BookedOn
	}
	if j := o.Journals[code]; j.Counterpart != "" {
		return j.Counterpart
	}
	if b.Account != "" && treasury.IsBankAccount(o.Counterpart) {
		return b.Account
	}
	return o.Counterpart
}

// defaultAccountLabels name the usual PCG accounts; longest prefix wins.
var defaultAccountLabels = map[string]string{
	"411":  "Clients",
	"4457": "TVA collectée",
	"471":  "Compte d'attente",
	"413":  "Clients - Effets à recevoir",
	"416":  "Clients douteux ou litigieux",
	"511":  "Valeurs à l'encaissement",
	"512":  "Banques",
	"514":  "Chèques postaux",
	"53":   "Caisse",
	"58":   "Virements internes",
	"627":  "Services bancaires et assimilés",
	"654":  "Pertes sur créances irrécouvrables",
	"661":  "Charges d'intérêts",
}

// AccountLabel is the CompteLib of an account: the configured label of the
// account or of its longest configured prefix, else the PCG default, else
// "Compte <number>".
func (o Options) AccountLabel(account string) string {
	for _, m := range []map[string]string{o.AccountLabels, defaultAccountLabels} {
		best := -1
		label := ""
		for prefix, l := range m {
			if strings.HasPrefix(strings.ToUpper(account), prefix) && len(prefix) > best {
				best, label = len(prefix), l
			}
		}
		if best >= 0 && label != "" {
			return label
		}
	}
	return "Compte " + account
}
