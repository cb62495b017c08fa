package remit

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// FileInfo describes a file remit wrote.
type FileInfo struct {
	Name   string `json:"name"`
	Path   string `json:"path"`
	Format string `json:"format"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	// Copies is a slip's number of copies (1 to 9), which its regeneration
	// needs; 0 for a slip an older remit printed with its print time.
	Copies int `json:"-"`
}

// DefaultNameTemplate names remittance files as seed 004 does: PAIEMENT
// followed by the remittance reference; the SEPA file adds ".xml".
const DefaultNameTemplate = "PAIEMENT.{ref}"

// FileName expands a name template: {ref} (the remittance reference),
// {creditor} (the creditor code), {kind} (sdd or lcr), {date} (YYYYMMDD of
// creation). The result must be a plain file name.
func FileName(template string, ref, creditor, kind string, created time.Time) (string, error) {
	if template == "" {
		template = DefaultNameTemplate
	}
	if !strings.Contains(template, "{ref}") {
		return "", fmt.Errorf("file name template %q: must contain {ref}, so that every remittance gets its own file", template)
	}
	name := strings.NewReplacer("{ref}", ref, "{creditor}", creditor, "{kind}", kind,
		"{date}", created.Format("20060102")).Replace(template)
	if err := CheckFileName(name); err != nil {
		return "", fmt.Errorf("file name template %q: %w", template, err)
	}
	if strings.HasSuffix(strings.ToLower(name), ".pdf") {
		return "", fmt.Errorf("file name template %q gives %q: names ending in .pdf are remit's documents "+
			"(BORDEREAU.<ref>.pdf, TRAITES.<ref>.pdf, ECHEANCES.<date>.pdf), which would overwrite the bank file or be overwritten by it", template, name)
	}
	if name == BordereauDetailName(ref) {
		return "", fmt.Errorf("file name template %q gives %q, the name of the detail of a summary slip", template, name)
	}
	return name, nil
}

// ErrNameTaken means a file name is already a file a remittance records.
var ErrNameTaken = errors.New("name taken by a remittance's file")

func CheckFileName(name string) error {
	switch {
	case name == "" || name == "." || name == "..":
		return errors.New("empty file name")
	case strings.ContainsAny(name, "/\\\x00"):
		return errors.New("a file name cannot contain / or \\")
	case strings.HasPrefix(name, "."):
		return errors.New("a file name cannot start with a dot")
	case len(name) > 200:
		return errors.New("file name too long")
	}
	for _, c := range name {
		if c < 0x20 || c == 0x7f {
			return errors.New("control character in file name")
		}
	}
	return nil
}

// FormatBordereau is the format a remittance records its slip under.
const FormatBordereau = "bordereau"
