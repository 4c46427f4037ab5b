package render

import (
	"io"
	"strings"
	"unicode/utf8"

	"github.com/spacekeeper/terraform-provider-confluence/internal/drift"
)

// TextOptions tune the terminal table.
type TextOptions struct {
	// Color marks actions with ANSI colours; the caller sets it only for a
	// terminal without NO_COLOR.
	Color bool
}

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[33m"
	ansiDim    = "\x1b[2m"
)

// Text writes the report as an aligned table. A space and a principal are
// written once, on their first row, so that the table reads by space, then
// by principal.
func Text(w io.Writer, r *drift.Report, o TextOptions) error {
	var out strings.Builder
	paint := func(color, s string) string {
		if !o.Color || s == "" {
			return s
		}
		return color + s + ansiReset
	}
	out.WriteString(paint(ansiBold, title(r)) + "\n")
	out.WriteString(summary(r) + "\n")

	if spaces := r.Spaces(); len(spaces) > 0 {
		rows := [][]string{header}
		colors := []string{ansiBold}
		for _, s := range spaces {
			space := s.Key
			for _, p := range s.Principals {
				principal := principalWord(p.Name, p.Principal)
				for _, c := range p.Changes {
					change, permission, action, resources := cells(c)
					rows = append(rows, []string{space, principal, change, permission, action, resources})
					colors = append(colors, actionColor(c.Action))
					space, principal = "", ""
				}
			}
		}
		out.WriteString("\n")
		writeTable(&out, rows, func(row, col int, cell string) string {
			if row == 0 || col == 4 {
				return paint(colors[row], cell)
			}
			return cell
		})
	}
	if len(r.Notes) > 0 {
		out.WriteString("\nNotes:\n")
		for _, n := range r.Notes {
			out.WriteString("  - " + noteWord(n) + "\n")
		}
	}
	_, err := io.WriteString(w, out.String())
	return err
}

func actionColor(a drift.Action) string {
	switch a {
	case drift.UndoDrift, drift.RecordDrift:
		return ansiRed
	case drift.KeepDrift:
		return ansiDim
	}
	return ansiYellow
}

// writeTable pads every column to its widest cell, two spaces apart, and
// leaves the last column unpadded so that no line ends in blanks. Widths
// count runes: the table's own text is ASCII or one-column symbols (→).
// style may wrap a cell in escape codes after it is padded.
func writeTable(w *strings.Builder, rows [][]string, style func(row, col int, cell string) string) {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	for r, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			pad := ""
			if i < len(row)-1 {
				pad = strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell)+2)
			}
			line.WriteString(style(r, i, cell) + pad)
		}
		w.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}
