package announce

import (
	"errors"
	"io"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// Limits on Markdown that grows when rendered. A GFM table fills every
// missing cell of every row up to the header's column count, so a 1,000
// column header followed by short rows turned an 8,000-character body into
// 62 MB of HTML and a 3.95 GB peak while rendering (docs/security.md).
// Tables are measured on the text, before any parser builds them; every
// other amplifier (reference links repeating a long URL, deep nesting) is
// caught by the rendered-size cap.
const (
	// MaxTableColumns is the most columns one table may have.
	MaxTableColumns = 20
	// MaxTableCells bounds the cells of all tables of one body together.
	MaxTableCells = 2000
	// MaxRenderedBytes caps the HTML one body may render to.
	MaxRenderedBytes = 256 << 10
	// MaxNesting bounds quotes and lists opened on one line ("> > - 1.");
	// 19,000 of them took most of a second of CPU to render.
	MaxNesting = 16
)

// errTooBig is what limitWriter returns once the cap is reached.
var errTooBig = errors.New("announce: rendered body over the size cap")

// checkMarkdown refuses a body whose tables or rendered HTML exceed the
// limits, naming the limit; field is where the body came from.
func checkMarkdown(field, src string) error {
	if err := checkTables(field, src); err != nil {
		return err
	}
	if !fitsRendered(probe(), src) {
		return fieldErr(field, "renders to more than %d KB of HTML (at most %d KB): use fewer links, table cells or nesting levels",
			MaxRenderedBytes>>10, MaxRenderedBytes>>10)
	}
	return nil
}

// probe is a plain GFM converter, used only to measure rendered size.
func probe() goldmark.Markdown { return goldmark.New(goldmark.WithExtensions(extension.GFM)) }

// checkTables checks nesting per line and counts the columns of every GFM delimiter row (| --- | :-: |)
// and the rows that follow it, without parsing the table.
func checkTables(field, src string) error {
	lines := strings.Split(src, "\n")
	cells := 0
	for i := 0; i < len(lines); i++ {
		if n := nesting(lines[i]); n > MaxNesting {
			return fieldErr(field, "at most %d quotes or lists inside each other (line %d opens %d)", MaxNesting, i+1, n)
		}
		cols := delimiterColumns(lines[i])
		if cols == 0 {
			continue
		}
		if cols > MaxTableColumns {
			return fieldErr(field, "a table may have at most %d columns (this one has %d)", MaxTableColumns, cols)
		}
		rows := 1 // the header
		for i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
			i++
			rows++
		}
		cells += rows * cols
		if cells > MaxTableCells {
			return fieldErr(field, "tables may have at most %d cells in all (columns × rows)", MaxTableCells)
		}
	}
	return nil
}

// nesting counts the block quote and list markers that open line.
func nesting(line string) int {
	n := 0
	for {
		line = strings.TrimLeft(line, " \t")
		switch {
		case strings.HasPrefix(line, ">"):
			line = line[1:]
		case len(line) >= 2 && strings.ContainsRune("-*+", rune(line[0])) && (line[1] == ' ' || line[1] == '\t'):
			line = line[2:]
		default:
			d := 0
			for d < len(line) && d < 9 && line[d] >= '0' && line[d] <= '9' {
				d++
			}
			if d == 0 || d+1 >= len(line) || (line[d] != '.' && line[d] != ')') || (line[d+1] != ' ' && line[d+1] != '\t') {
				return n
			}
			line = line[d+2:]
		}
		n++
	}
}

// delimiterColumns is the column count of a GFM table delimiter row, 0 when
// line is none (it must hold a pipe, and only cells like ---, :--, --:).
func delimiterColumns(line string) int {
	s := strings.TrimSpace(line)
	if !strings.Contains(s, "|") || !strings.Contains(s, "-") {
		return 0
	}
	s = strings.TrimSuffix(strings.TrimPrefix(s, "|"), "|")
	parts := strings.Split(s, "|")
	for _, p := range parts {
		p = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(p), ":"), ":")
		if p == "" || strings.Trim(p, "-") != "" {
			return 0
		}
	}
	return len(parts)
}

// fitsRendered reports whether md renders src within MaxRenderedBytes; it
// stops writing (and so allocating output) at the cap.
func fitsRendered(md goldmark.Markdown, src string) bool {
	w := &limitWriter{max: MaxRenderedBytes}
	return md.Convert([]byte(src), w) == nil && !w.over
}

// limitWriter keeps at most max bytes and fails after that.
type limitWriter struct {
	buf  []byte
	n    int
	max  int
	over bool
	keep bool // keep the bytes (else only count them)
}

func (w *limitWriter) Write(p []byte) (int, error) {
	if w.over || w.n+len(p) > w.max {
		w.over = true
		return 0, errTooBig
	}
	w.n += len(p)
	if w.keep {
		w.buf = append(w.buf, p...)
	}
	return len(p), nil
}

var _ io.Writer = (*limitWriter)(nil)
