package bordereau

import (
	"bytes"
	"testing"
	"time"
)

func TestStreamFixed(t *testing.T) {
	for _, c := range []struct {
		v     float64
		scale int64
		want  string
	}{
		{0, 100, "0.00"}, {841.8897, 100, "841.89"}, {-34.015, 100, "-34.02"}, {0.004, 100, "0.00"},
		{12.5, 100, "12.50"}, {1, 1000, "1.000"}, {33.0 / 255, 1000, "0.129"}, {-0.0004, 1000, "0.000"},
	} {
		p := newPDFStream(new(bytes.Buffer), time.Time{}, "")
		p.fixed(c.v, c.scale)
		if got := p.page.String(); got != c.want {
			t.Errorf("fixed(%v, %d) = %q, want %q", c.v, c.scale, got, c.want)
		}
	}
}
