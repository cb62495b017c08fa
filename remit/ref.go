package remit

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/remit-dev/remit/cfonb"
	"github.com/remit-dev/remit/remit/ident"
	"github.com/remit-dev/remit/sepa"
)

// The identifiers remit gives its files and collections, the same on every
// run so that a regenerated file is the same bytes and a bank's return
// finds its collection.

// Ref formats a remittance number as its reference: at least 3 digits.
func Ref(id int64) string { return fmt.Sprintf("%03d", id) }

// MessageID is a remittance's MsgId: the creditor's code, the remittance's
// reference and its creation time, at most 35 characters.
func MessageID(code string, id int64, created time.Time) string {
	code = strings.ReplaceAll(code, "_", "-")
	suffix := "-" + Ref(id) + "-" + created.Format("20060102150405")
	if len(code)+len(suffix) > 35 {
		code = code[:35-len(suffix)]
	}
	return code + suffix
}

// PaymentInfoID is the PmtInfId of block n: the MsgId and the block
// number, at most 35 characters.
func PaymentInfoID(msgID string, n int) string {
	suffix := fmt.Sprintf("-%d", n)
	if len(msgID)+len(suffix) > 35 {
		msgID = msgID[:35-len(suffix)]
	}
	return strings.TrimRight(msgID, "-") + suffix
}

// EndToEndID derives the EndToEndId from the document number, the same on
// every run: the document itself when it is a valid EPC identifier, else its
// EPC transliteration with a short hash that keeps it unique.
func EndToEndID(document string) string {
	ok := len(document) <= 35 && document != "" && document[0] != '/' && document[len(document)-1] != '/' &&
		!strings.Contains(document, "//")
	for i := 0; ok && i < len(document); i++ {
		ok = ident.IsEPCBasic(document[i]) && document[i] != ' '
	}
	if ok {
		return document
	}
	return HashedEndToEndID(document)
}

// HashedEndToEndID is the EPC transliteration of s with a short hash of s
// that keeps it unique, at most 35 characters.
func HashedEndToEndID(document string) string {
	clean := strings.Trim(strings.ReplaceAll(strings.ReplaceAll(sepa.Text(document, 200), " ", "-"), "//", "/"), "/-")
	sum := sha256.Sum256([]byte(document))
	h := hex.EncodeToString(sum[:4])
	if len(clean) > 26 {
		clean = clean[:26]
	}
	return strings.TrimRight(clean, "/") + "-" + h
}

// presentationSuffix ends the EndToEndId of a receivable presented again,
// "/P2" for its second presentation.
const presentationSuffix = "/P"

// representedID matches the EndToEndIds PresentationID makes after the first.
var representedID = regexp.MustCompile(`/P[0-9]+$`)

// PresentationID gives each presentation of a receivable its own
// EndToEndId, stable across regenerations (it is stored with the item) and
// found by the returns: the document's own for the first (EndToEndID),
// "document/Pn" for the n-th after earlier rejected or returned ones. An id
// that another receivable's document already is (isDocument), or that a
// presentation after a first already took (taken), is hashed instead, so
// that no two collections share one. The lookups run only in those cases.
func PresentationID(document string, earlier int, taken, isDocument func(e2e string) (bool, error)) (string, error) {
	n := earlier + 1
	if n == 1 {
		e2e := EndToEndID(document)
		if e2e == document && representedID.MatchString(document) {
			t, err := taken(e2e)
			if err != nil || t {
				return HashedEndToEndID(document), err
			}
		}
		return e2e, nil
	}
	next := document + presentationSuffix + strconv.Itoa(n)
	e2e := EndToEndID(next)
	if e2e == next {
		other, err := isDocument(e2e)
		if err != nil || other {
			return HashedEndToEndID(next), err
		}
	}
	return e2e, nil
}

// RemittanceInfo is what a collection tells the debtor: its document and label.
func RemittanceInfo(document, label string) string {
	if label == "" {
		return document
	}
	return document + " " + label
}

// RemiseReference is a remise's reference in a CFONB zone of n
// characters: the prefix and the remittance's reference ("REMISE 042",
// "PRL042"), or the bare reference when the prefix leaves it no room, so
// that remise 10000 never reads as remise 1000. Remittances made before
// (whole false, a kind's RefTail) were cut to n characters, and regenerate so.
func RemiseReference(prefix, ref string, n int, whole bool) string {
	if whole && len(prefix)+len(ref) > n {
		return ref
	}
	return prefix + ref
}

// ZoneReference is a document as a CFONB text zone of n characters carries
// it: whole when it fits, else its last n characters when tail (where the
// numbers of an ERP's documents differ: "FA2026-00123" → "2026-00123"),
// else its first n (remittances made before tail). moved reports that the
// tail differs from the head older remittances carried.
func ZoneReference(document string, n int, tail bool) (ref string, moved bool) {
	full := document
	if !cfonbClean(document) {
		full = strings.TrimRight(cfonb.Text(document, 4*len(document)+4), " ") // "&" becomes " ET ": 4 bytes for 1
	}
	switch {
	case len(full) <= n:
		return full, false
	case tail:
		ref = strings.TrimLeft(full[len(full)-n:], " ")
		return ref, ref != strings.TrimRight(full[:n], " ")
	}
	return strings.TrimRight(full[:n], " "), false
}

// cfonbClean reports whether cfonb.Text leaves s as it is: upper-case
// letters, digits and the signs of the CFONB set, no space at either end
// nor a run of them, no '&'.
func cfonbClean(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("*().,/+-:", c) >= 0) {
			return false
		}
	}
	return true
}
