package announce

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"
)

// WriteCSV writes the acknowledgement report: one row per targeted user and
// group, times in loc.
func (rep Report) WriteCSV(out io.Writer, loc *time.Location) error {
	w := csv.NewWriter(out)
	_ = w.Write([]string{"group", "name", "read_at", "acknowledged_at"})
	for _, g := range rep.Groups {
		for _, r := range g.Recipients {
			_ = w.Write([]string{cell(g.Group), cell(r.Name), csvTime(r.ReadAt, loc), csvTime(r.AckedAt, loc)})
		}
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return fmt.Errorf("announce: report csv: %w", err)
	}
	return nil
}

// cell keeps spreadsheet programs from running a name as a formula.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func csvTime(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format(time.RFC3339)
}
