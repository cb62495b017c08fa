package pain008

import (
	"errors"
	"testing"
)

func TestWriterParseVersion(t *testing.T) {
	for in, want := range map[string]Version{
		"02": V02, "2": V02, "001.02": V02, "pain.008.001.02": V02, " PAIN.008.001.02 ": V02,
		"08": V08, "8": V08, "008.001.08": V08, "pain.008.001.08": V08,
	} {
		got, err := ParseVersion(in)
		if err != nil || got != want {
			t.Errorf("ParseVersion(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "09", "pain.008.001.09", "pain.001.001.09", "pain.008.002.02", "V08"} {
		if _, err := ParseVersion(in); !errors.Is(err, ErrVersion) {
			t.Errorf("ParseVersion(%q) error %v, want ErrVersion", in, err)
		}
	}
	if V08.Namespace() != "urn:iso:std:iso:20022:tech:xsd:pain.008.001.08" || V02.XSD() != "pain.008.001.02.xsd" {
		t.Errorf("Namespace %s, XSD %s", V08.Namespace(), V02.XSD())
	}
	if Version("").Valid() || !V02.Valid() {
		t.Error("Valid")
	}
}
