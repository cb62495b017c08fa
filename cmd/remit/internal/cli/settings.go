package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/remit-dev/remit/remit"
	"github.com/remit-dev/remit/remit/accounting"
	"github.com/remit-dev/remit/remit/csvread"
	"github.com/remit-dev/remit/sepa/pain008"
)

// Settings are every key remit reads from flags, REMIT_* environment
// variables and the configuration file. Before any command starts, each
// value given anywhere is checked, and an unknown key or a bad value stops
// the command (exit 2) with where it came from: the flag, the variable, or
// the file and line. A value from the environment or the file then becomes
// the flag's value, so each command reads its flags and nothing else.
//
// A flag's key is its name with _ for - (--lead-days → lead_days), under
// its command's section (sdd.lead_days), except the global flags.

// Flag annotations that carry what a setting accepts.
const (
	annChoices = "remit_choices" // the values a flag takes (checked, and offered by completion)
	annValue   = "remit_value"   // a kind of value checked by valueChecks (date, amount…)
	annRange   = "remit_range"   // an integer's bounds: [min, max]
)

// choices records the values a flag accepts, in any case: given elsewhere,
// the value is refused, and shell completion offers them.
func choices(f *pflag.FlagSet, name string, values ...string) {
	f.SetAnnotation(name, annChoices, values)
}

// valueKind records that a flag's value is a date, an amount… (valueChecks).
func valueKind(f *pflag.FlagSet, name, kind string) {
	if valueChecks[kind] == nil {
		panic("no value check " + kind) // a programming error, caught by every test
	}
	f.SetAnnotation(name, annValue, []string{kind})
}

// intRange records an integer flag's bounds.
func intRange(f *pflag.FlagSet, name string, min, max int) {
	f.SetAnnotation(name, annRange, []string{strconv.Itoa(min), strconv.Itoa(max)})
}

// valueChecks are the kinds of string values a setting can require; each
// says what it wants when the value is wrong.
var valueChecks = map[string]func(string) error{
	"date": func(s string) error {
		if _, err := remit.ParseDate(s); err != nil {
			return errors.New("not a date (write YYYY-MM-DD or DD/MM/YYYY)")
		}
		return nil
	},
	"amount": func(s string) error {
		_, err := remit.ParseAmount(s)
		return err
	},
	"clock": func(s string) error {
		_, err := parseClock(s)
		if err != nil {
			return errors.New("want a time of day HH:MM")
		}
		return nil
	},
	"pain": func(s string) error {
		if _, err := pain008.ParseVersion(s); err != nil {
			return errors.New("want 08 (pain.008.001.08) or 02 (pain.008.001.02)")
		}
		return nil
	},
	"encoding": func(s string) error {
		if _, err := accounting.NewFECWriter(io.Discard, s); err != nil {
			return errors.New("want iso-8859-15 or utf-8")
		}
		return nil
	},
	"import-encoding": func(s string) error {
		_, err := csvread.ParseEncoding(s)
		return err
	},
	"offset": func(s string) error {
		_, err := remit.ParseOffset(s)
		return err
	},
	"template": func(s string) error {
		// Any remittance's name: a template that gives a PDF's name, a path
		// or none at all is refused before a run, not in the middle of one.
		_, err := remit.FileName(s, "001", "CREDITOR", "sdd", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
		return err
	},
	"batch-booking": func(s string) error {
		if _, err := parseBatchBooking(s); err != nil {
			return errors.New("want true, false or omit")
		}
		return nil
	},
}

// fileSettings are the keys no flag gives, with their kind.
var fileSettings = map[string]string{
	"files.template":           "string",
	"entries.generate":         "bool",
	"entries.journal":          "string",
	"entries.counterpart":      "string",
	"entries.centralize":       "bool",
	"entries.date":             "string",
	"entries.customer_label":   "string",
	"entries.customer_account": "string",
	"entries.auxiliary":        "bool",
	"entries.fee_account":      "string",
	"entries.fee_counterpart":  "string",
	"entries.supplier_account": "string",
	"entries.discount_account": "string",
	"entries.supplier_label":   "string",
	"entries.payment_label":    "string",
	"entries.discount_label":   "string",
	"entries.journals":         "map",
	"entries.cheque_account":   "string",
	"entries.suspense_account": "string",
	"entries.loss_account":     "string",
	"entries.vat_account":      "string",
	"entries.accounts":         "map",
}

// The label of each kind of entry line (entries.label, entries.return_label…)
// is a setting of its rule's.
func init() {
	for _, r := range accounting.Rules {
		if r.Setting != "" {
			fileSettings["entries."+r.Setting] = "string"
		}
	}
}

// fileValueKinds are the kinds of file-only keys whose value is checked
// (valueChecks).
var fileValueKinds = map[string]string{
	"files.template": "template",
}

// fileChoices are the values of file-only keys that take a few.
var fileChoices = map[string][]string{
	"entries.date": {"remittance", "collection"},
}

// processVariables are REMIT_* environment variables that are not
// settings: the fixed clock, profiling, and what the tests read.
var processVariables = []string{"REMIT_NOW", "REMIT_CPUPROFILE", "REMIT_MEMPROFILE", "REMIT_CRASH_AT", "REMIT_CRASH_SIGNAL", "REMIT_XSD_DIR",
	"REMIT_VERIFY_MUTANTS"}

// noSettings are commands whose flags are data, not settings: they are
// read from the command line only.
var noSettings = []string{"remit creditor set", "remit bank add", "remit bank set", "remit bank balance", "remit bank remove", "remit completion", "remit help", "remit version", "remit __complete",
	"remit __completeNoDesc", "remit grouping set", "remit grouping delete", "remit payables approve", "remit payables contest",
	"remit payables ungroup", "remit cheque-register void", "remit refund"}

// setting is one key remit knows.
type setting struct {
	key  string
	flag *pflag.Flag // nil for a key only the file gives
	kind string      // string, int, bool, duration, list, map
}

// settings lists every key of the command tree, by key.
func settings(root *cobra.Command) map[string]*setting {
	all := map[string]*setting{}
	root.PersistentFlags().VisitAll(func(f *pflag.Flag) {
		k := strings.ReplaceAll(f.Name, "-", "_")
		all[k] = &setting{key: k, flag: f, kind: flagKind(f)}
	})
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if slices.Contains(noSettings, c.CommandPath()) {
			return
		}
		c.LocalNonPersistentFlags().VisitAll(func(f *pflag.Flag) {
			if f.Name == "help" {
				return
			}
			k := configKey(c, f.Name)
			if _, dup := all[k]; !dup {
				all[k] = &setting{key: k, flag: f, kind: flagKind(f)}
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	for _, c := range root.Commands() {
		walk(c)
	}
	for k, kind := range fileSettings {
		all[k] = &setting{key: k, kind: kind}
	}
	return all
}

func flagKind(f *pflag.Flag) string {
	switch t := f.Value.Type(); t {
	case "int", "bool", "duration":
		return t
	case "stringArray", "stringSlice":
		return "list"
	}
	return "string"
}

// envName is the environment variable of a key: sdd.lead_days → REMIT_SDD_LEAD_DAYS.
func envName(key string) string {
	return "REMIT_" + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(key))
}

// check returns what is wrong with value for s, or nil; canonical is the
// value to use (a choice in its own case).
func (s *setting) check(value string) (canonical string, err error) {
	v := strings.TrimSpace(value)
	switch s.kind {
	case "int":
		n, err := strconv.Atoi(v)
		if err != nil {
			return value, errors.New("want a whole number")
		}
		if s.flag != nil {
			if r := s.flag.Annotations[annRange]; len(r) == 2 {
				lo, _ := strconv.Atoi(r[0])
				hi, _ := strconv.Atoi(r[1])
				if n < lo || n > hi {
					return value, fmt.Errorf("want %d to %d", lo, hi)
				}
			}
		}
		return v, nil
	case "bool":
		if _, err := strconv.ParseBool(v); err != nil {
			return value, errors.New("want true or false")
		}
		return v, nil
	case "duration":
		if _, err := time.ParseDuration(v); err != nil {
			return value, errors.New("want a duration such as 30s, 2m or 1h")
		}
		return v, nil
	case "list", "map":
		return value, nil
	}
	var kind string
	var opts []string
	if s.flag != nil {
		if k := s.flag.Annotations[annValue]; len(k) == 1 {
			kind = k[0]
		}
		opts = s.flag.Annotations[annChoices]
	} else {
		kind, opts = fileValueKinds[s.key], fileChoices[s.key]
	}
	if kind != "" {
		if v == "" {
			return v, nil
		}
		if err := valueChecks[kind](v); err != nil {
			return value, err
		}
		return v, nil
	}
	if len(opts) > 0 {
		for _, o := range opts {
			if strings.EqualFold(o, v) {
				return o, nil
			}
		}
		return value, fmt.Errorf("want %s", orList(opts))
	}
	return value, nil
}

// orList writes "a, b or c", naming the empty choice.
func orList(opts []string) string {
	named := make([]string, len(opts))
	for i, o := range opts {
		named[i] = o
		if o == "" {
			named[i] = `"" (none)`
		}
	}
	if len(named) == 1 {
		return named[0]
	}
	return strings.Join(named[:len(named)-1], ", ") + " or " + named[len(named)-1]
}

// settingsError lists every problem of the settings, each with where it is,
// or of other details given (summary says which: "" is "bad settings").
type settingsError struct {
	summary  string
	problems []string
}

// what says what the problems are about, for JSON.
func (e *settingsError) what() string {
	if e.summary == "" {
		return "bad settings"
	}
	return e.summary
}

func (e *settingsError) Error() string { return strings.Join(e.problems, "\n") }

// fileValue is a setting's value in the configuration file.
type fileValue struct {
	line   int
	scalar string   // a scalar's value
	list   []string // a sequence's items
	kind   yaml.Kind
}

// readSettingsFile reads a YAML configuration file into its keys (lower
// case, dotted) with their lines. A key whose value is a mapping is a
// section, unless the setting is a map (entries.journals).
func readSettingsFile(path string, known map[string]*setting) (map[string]fileValue, []string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, nil, fmt.Errorf("not valid YAML: %v", err)
	}
	values := map[string]fileValue{}
	var problems []string
	if len(doc.Content) == 0 {
		return values, nil, nil
	}
	var walk func(prefix string, n *yaml.Node)
	walk = func(prefix string, n *yaml.Node) {
		if n.Kind != yaml.MappingNode {
			problems = append(problems, fmt.Sprintf("%s:%d: want keys and values (key: value), not %s", path, n.Line, nodeKind(n)))
			return
		}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			key := strings.ToLower(k.Value)
			if prefix != "" {
				key = prefix + "." + key
			}
			s := known[key]
			switch {
			case s != nil && s.kind == "map":
				values[key] = fileValue{line: k.Line, kind: v.Kind}
				if v.Kind != yaml.MappingNode {
					problems = append(problems, fmt.Sprintf("%s:%d: %s: want a section of keys and values", path, k.Line, key))
				}
			case s != nil:
				fv := fileValue{line: k.Line, kind: v.Kind}
				switch {
				case v.Kind == yaml.ScalarNode:
					fv.scalar = v.Value
				case v.Kind == yaml.SequenceNode && s.kind == "list":
					for _, item := range v.Content {
						fv.list = append(fv.list, item.Value)
					}
				default:
					problems = append(problems, fmt.Sprintf("%s:%d: %s: want a single value, not %s", path, k.Line, key, nodeKind(v)))
					continue
				}
				values[key] = fv
			case v.Kind == yaml.MappingNode && isSection(key, known):
				walk(key, v)
			case isSection(key, known):
				problems = append(problems, fmt.Sprintf("%s:%d: %s is a section: want its keys below it (%s)", path, k.Line, key,
					sectionExample(key, known)))
			default:
				problems = append(problems, fmt.Sprintf("%s:%d: %s: unknown setting%s", path, k.Line, key, suggest(key, known, false)))
			}
		}
	}
	walk("", doc.Content[0])
	return values, problems, nil
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a section"
	case yaml.SequenceNode:
		return "a list"
	}
	return "a value"
}

// sectionExample names a key of a section, to show how to write it.
func sectionExample(prefix string, known map[string]*setting) string {
	var keys []string
	for k := range known {
		if strings.HasPrefix(k, prefix+".") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return strings.TrimPrefix(keys[0], prefix+".") + ": …"
}

func isSection(prefix string, known map[string]*setting) bool {
	for k := range known {
		if strings.HasPrefix(k, prefix+".") {
			return true
		}
	}
	return false
}

// suggest names the known key closest to a misspelt one, if any is close.
func suggest(key string, known map[string]*setting, asEnv bool) string {
	// Close means a typo or two: at most one edit per five characters.
	best, bestD := "", max(1, len(key)/5)+1
	for k := range known {
		d := editDistance(key, k)
		if asEnv {
			d = editDistance(key, envName(k))
		}
		if d < bestD || (d == bestD && best != "" && k < best) {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	if asEnv {
		return " (did you mean " + envName(best) + "?)"
	}
	return " (did you mean " + best + "?)"
}

// editDistance is Levenshtein's distance, for suggestions.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// settingsSources is where each setting's value comes from for one command.
type settingsSources struct {
	file     string
	fileVals map[string]fileValue
	env      map[string]string // key → value of its REMIT_* variable
}

// checkSettings checks every setting given on the command line, in the
// environment and in the configuration file (when there is one), then
// gives each flag of cmd not set on the command line its value from the
// environment or the file. It returns every problem at once.
func checkSettings(cmd *cobra.Command, file string, environ []string) error {
	known := settings(cmd.Root())
	var problems []string
	src := settingsSources{file: file, env: map[string]string{}}

	// Command line: pflag has parsed the numbers; the choices and kinds are checked here.
	visit := func(f *pflag.Flag) {
		if !f.Changed || f.Value.Type() == "stringArray" || f.Value.Type() == "bool" {
			return
		}
		s := &setting{key: f.Name, flag: f, kind: flagKind(f)}
		canon, err := s.check(f.Value.String())
		if err != nil {
			problems = append(problems, fmt.Sprintf("--%s %q: %v", f.Name, f.Value.String(), err))
			return
		}
		if canon != f.Value.String() {
			f.Value.Set(canon)
		}
	}
	cmd.Flags().VisitAll(visit)

	// Environment.
	byEnv := map[string]*setting{}
	for _, s := range known {
		byEnv[envName(s.key)] = s
	}
	sort.Strings(environ)
	for _, kv := range environ {
		name, value, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, "REMIT_") || value == "" || slices.Contains(processVariables, name) ||
			strings.HasPrefix(name, "REMIT_TEST_") {
			continue
		}
		s := byEnv[name]
		if s == nil {
			problems = append(problems, fmt.Sprintf("%s: unknown setting%s", name, suggest(name, known, true)))
			continue
		}
		canon, err := s.check(value)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s=%q: %v (%s)", name, value, err, s.key))
			continue
		}
		src.env[s.key] = canon
	}

	// File.
	if file != "" {
		vals, fileProblems, err := readSettingsFile(file, known)
		if err != nil {
			problems = append(problems, fmt.Sprintf("configuration %s: %v", file, err))
		}
		src.fileVals = map[string]fileValue{}
		for _, k := range sortedKeys(vals) {
			fv := vals[k]
			s := known[k]
			if fv.kind == yaml.ScalarNode && s.kind != "map" {
				canon, err := s.check(fv.scalar)
				if err != nil {
					fileProblems = append(fileProblems, fmt.Sprintf("%s:%d: %s %q: %v", file, fv.line, k, fv.scalar, err))
					continue
				}
				fv.scalar = canon
			}
			src.fileVals[k] = fv
		}
		// In the file's order: "remit.yaml:12: …".
		line := func(p string) int {
			n, _ := strconv.Atoi(strings.SplitN(strings.TrimPrefix(p, file+":"), ":", 2)[0])
			return n
		}
		sort.SliceStable(fileProblems, func(i, j int) bool { return line(fileProblems[i]) < line(fileProblems[j]) })
		problems = append(problems, fileProblems...)
	}

	// The command's flags take their values from the environment, else the file.
	apply := func(f *pflag.Flag) {
		if f.Changed || f.Name == "help" {
			return
		}
		key := configKey(cmd, f.Name)
		if v, ok := src.env[key]; ok {
			f.Value.Set(v)
			return
		}
		fv, ok := src.fileVals[key]
		if !ok {
			return
		}
		if fv.list != nil {
			for _, item := range fv.list {
				f.Value.Set(item)
			}
			return
		}
		if fv.kind == yaml.ScalarNode {
			f.Value.Set(fv.scalar)
		}
	}
	if !slices.Contains(noSettings, cmd.CommandPath()) {
		cmd.LocalNonPersistentFlags().VisitAll(apply)
	}
	cmd.InheritedFlags().VisitAll(apply)
	if len(problems) > 0 {
		return &ExitError{Code: ExitUsage, Err: &settingsError{problems: problems}}
	}
	return nil
}
