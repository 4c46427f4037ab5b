package probe

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Format is a report's output form.
type Format string

const (
	FormatText     Format = "text"
	FormatMarkdown Format = "markdown"
	FormatJSON     Format = "json"
)

// ParseFormat reads a -format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case FormatText, FormatMarkdown, FormatJSON:
		return f, nil
	}
	return "", configErrorf("format %q is not text, markdown or json", s)
}

// Render writes the report. The run's credentials are removed from the
// output once more, as a last guard.
func Render(w io.Writer, rep *Report, f Format) error {
	var buf bytes.Buffer
	switch f {
	case FormatJSON:
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	case FormatMarkdown:
		renderMarkdown(&buf, rep)
	default:
		renderText(&buf, rep)
	}
	_, err := io.WriteString(w, rep.scrub.clean(buf.String()))
	return err
}

func accountLine(rep *Report) string {
	if rep.Auth == "bearer" {
		return "not named (bearer token)"
	}
	return rep.Account + " (basic authentication)"
}

func spacesLine(rep *Report) string {
	if len(rep.Spaces) == 0 {
		return "none"
	}
	parts := make([]string, len(rep.Spaces))
	for i, s := range rep.Spaces {
		switch {
		case !s.Found:
			parts[i] = s.Key + " (" + s.Note + ")"
		case s.ID != "":
			parts[i] = s.Key + " (id " + s.ID + ")"
		default:
			parts[i] = s.Key
		}
	}
	return strings.Join(parts, ", ")
}

func writesLine(rep *Report) string {
	if rep.WriteSpace == "" {
		return "none (read-only run)"
	}
	return "anonymous read/space on " + rep.WriteSpace + " only, restored afterwards"
}

func headerRows(rep *Report) [][2]string {
	return [][2]string{
		{"tool", rep.Tool + " " + rep.Version},
		{"date", rep.Date},
		{"site", rep.Site},
		{"deployment", rep.Deployment + " (" + rep.DeploymentSource + ")"},
		{"account", accountLine(rep)},
		{"spaces", spacesLine(rep) + "; " + rep.SpacesSource},
		{"writes", writesLine(rep)},
	}
}

// exchangeLines renders one exchange as indented lines.
func exchangeLines(e Exchange) []string {
	status := statusLine(e.Status)
	if len(e.Statuses) > 1 {
		parts := make([]string, len(e.Statuses))
		for i, s := range e.Statuses {
			parts[i] = fmt.Sprint(s)
		}
		status += " (answers: " + strings.Join(parts, ", ") + ")"
	}
	lines := []string{e.Request + " -> " + status}
	if e.Body != "" {
		lines = append(lines, "  sent: "+e.Body)
	}
	for _, k := range sortedKeys(e.Headers) {
		lines = append(lines, "  "+k+": "+e.Headers[k])
	}
	lines = append(lines, "  body: "+e.Shape)
	if e.Message != "" {
		lines = append(lines, "  message: "+e.Message)
	}
	if e.Error != "" {
		lines = append(lines, "  error: "+e.Error)
	}
	return lines
}

// exchangesLines renders exchanges one after the other.
func exchangesLines(es []Exchange) []string {
	var lines []string
	for _, e := range es {
		lines = append(lines, exchangeLines(e)...)
	}
	return lines
}

// textLines writes lines indented under a heading of the text report.
func textLines(b *bytes.Buffer, lines []string) {
	for _, l := range lines {
		b.WriteString("  " + l + "\n")
	}
}

func renderText(b *bytes.Buffer, rep *Report) {
	fmt.Fprintf(b, "%s report\n\n", rep.Tool)
	for _, row := range headerRows(rep) {
		fmt.Fprintf(b, "  %-11s %s\n", row[0]+":", row[1])
	}
	if len(rep.Setup) > 0 {
		b.WriteString("\nSpace lookup:\n")
		textLines(b, exchangesLines(rep.Setup))
	}
	b.WriteString("\nSummary:\n")
	width := 0
	for _, c := range rep.Checks {
		width = max(width, len(c.Name))
	}
	for _, c := range rep.Checks {
		fmt.Fprintf(b, "  %-*s  %-8s  %s\n", width, c.Name, c.Status, c.Answer)
	}
	for _, c := range rep.Checks {
		fmt.Fprintf(b, "\n== %s [%s] ==\n", c.Name, c.Status)
		fmt.Fprintf(b, "Question: %s\n", c.Question)
		fmt.Fprintf(b, "Answer:   %s\n", c.Answer)
		if len(c.Interpretation) > 0 {
			b.WriteString("Meaning:\n")
			for _, m := range c.Interpretation {
				b.WriteString("  - " + m + "\n")
			}
		}
		if len(c.Facts) > 0 {
			b.WriteString("Facts:\n")
			for _, f := range c.Facts {
				b.WriteString("  " + f.Name + ": " + f.Value + "\n")
			}
		}
		if len(c.Steps) > 0 {
			b.WriteString("Steps:\n")
			for i, s := range c.Steps {
				fmt.Fprintf(b, "  %d. %s: %s\n", i+1, s.Action, s.Outcome)
			}
		}
		if len(c.Exchanges) > 0 {
			b.WriteString("Requests:\n")
			textLines(b, exchangesLines(c.Exchanges))
		}
	}
}

// mdText keeps text literal in Markdown: "<status>" would otherwise be
// taken for an HTML tag and vanish.
func mdText(s string) string {
	return strings.NewReplacer("<", "&lt;", ">", "&gt;", "\n", " ").Replace(s)
}

// mdCell makes text safe inside a Markdown table cell.
func mdCell(s string) string {
	return strings.ReplaceAll(mdText(s), "|", `\|`)
}

// mdCode writes lines as a fenced block whose fence no line contains.
func mdCode(b *bytes.Buffer, lines []string) {
	fence := "```"
	for slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, fence) }) {
		fence += "`"
	}
	b.WriteString(fence + "text\n")
	for _, l := range lines {
		b.WriteString(l + "\n")
	}
	b.WriteString(fence + "\n")
}

// mdExchanges writes exchanges as a code block folded under summary.
func mdExchanges(b *bytes.Buffer, summary string, es []Exchange) {
	b.WriteString("<details><summary>" + summary + "</summary>\n\n")
	mdCode(b, exchangesLines(es))
	b.WriteString("\n</details>\n")
}

func renderMarkdown(b *bytes.Buffer, rep *Report) {
	fmt.Fprintf(b, "# %s report\n\n", rep.Tool)
	b.WriteString("| | |\n|---|---|\n")
	for _, row := range headerRows(rep) {
		fmt.Fprintf(b, "| %s | %s |\n", row[0], mdCell(row[1]))
	}
	b.WriteString("\n## Summary\n\n| check | status | answer |\n|---|---|---|\n")
	for _, c := range rep.Checks {
		fmt.Fprintf(b, "| `%s` | %s | %s |\n", c.Name, c.Status, mdCell(c.Answer))
	}
	if len(rep.Setup) > 0 {
		b.WriteString("\n")
		mdExchanges(b, "Space lookup", rep.Setup)
	}
	for _, c := range rep.Checks {
		fmt.Fprintf(b, "\n## %s\n\n", c.Name)
		fmt.Fprintf(b, "**Question:** %s\n\n", mdText(c.Question))
		fmt.Fprintf(b, "**Status:** %s. **Answer:** %s\n\n", c.Status, mdText(c.Answer))
		for _, m := range c.Interpretation {
			b.WriteString("- " + mdText(m) + "\n")
		}
		if len(c.Interpretation) > 0 {
			b.WriteString("\n")
		}
		if len(c.Facts) > 0 {
			b.WriteString("| fact | value |\n|---|---|\n")
			for _, f := range c.Facts {
				fmt.Fprintf(b, "| %s | %s |\n", mdCell(f.Name), mdCell(f.Value))
			}
			b.WriteString("\n")
		}
		if len(c.Steps) > 0 {
			for i, s := range c.Steps {
				fmt.Fprintf(b, "%d. %s: %s\n", i+1, mdText(s.Action), mdText(s.Outcome))
			}
			b.WriteString("\n")
		}
		if len(c.Exchanges) > 0 {
			mdExchanges(b, "Requests", c.Exchanges)
		}
	}
}
