package drift

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
)

// InputProblem says what kind of input Parse refused, so that a command can
// answer each with its own exit status.
type InputProblem int

const (
	// NotAPlan: empty, truncated or invalid JSON, or JSON of something else
	// (a state, a binary plan file, the streamed output of plan -json).
	NotAPlan InputProblem = iota + 1
	// UnsupportedFormat: a plan JSON whose format_version is not 1.x.
	UnsupportedFormat
	// NoProviderResources: a plan with no resource of this provider.
	NoProviderResources
)

// InputError is an input Parse refused: what was wrong and what to do.
type InputError struct {
	Problem InputProblem
	Msg     string
}

func (e *InputError) Error() string { return e.Msg }

func inputError(p InputProblem, format string, args ...any) error {
	return &InputError{Problem: p, Msg: fmt.Sprintf(format, args...)}
}

// ProblemOf returns the InputProblem of err, or 0 when err is no InputError.
func ProblemOf(err error) InputProblem {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie.Problem
	}
	return 0
}

// SupportedFormat is the major version of the plan JSON format this package
// reads. Terraform promises that minor versions only add fields
// (https://developer.hashicorp.com/terraform/internals/json-format), and
// OpenTofu keeps the same format.
const SupportedFormat = "1"

const showHint = "give the output of `terraform show -json plan.out` (or `tofu show -json plan.out`) for a plan saved with `plan -out plan.out`"

// planJSON is the part of the plan JSON format the report reads.
type planJSON struct {
	FormatVersion    string           `json:"format_version"`
	TerraformVersion string           `json:"terraform_version"`
	PlannedValues    *valuesJSON      `json:"planned_values"`
	ResourceDrift    []changeJSON     `json:"resource_drift"`
	ResourceChanges  []changeJSON     `json:"resource_changes"`
	PriorState       *stateJSON       `json:"prior_state"`
	Errored          bool             `json:"errored"`
	Complete         *bool            `json:"complete"`
	Values           *json.RawMessage `json:"values"` // only a state's JSON has it at the top
}

type stateJSON struct {
	Values *valuesJSON `json:"values"`
}

type valuesJSON struct {
	RootModule *moduleJSON `json:"root_module"`
}

type moduleJSON struct {
	Resources    []resourceJSON `json:"resources"`
	ChildModules []moduleJSON   `json:"child_modules"`
}

type resourceJSON struct {
	Address      string         `json:"address"`
	Mode         string         `json:"mode"`
	Type         string         `json:"type"`
	ProviderName string         `json:"provider_name"`
	Values       map[string]any `json:"values"`
}

type changeJSON struct {
	Address         string `json:"address"`
	PreviousAddress string `json:"previous_address"`
	Mode            string `json:"mode"`
	Type            string `json:"type"`
	ProviderName    string `json:"provider_name"`
	Deposed         string `json:"deposed"`
	Change          struct {
		Actions         []string `json:"actions"`
		Before          any      `json:"before"`
		After           any      `json:"after"`
		AfterUnknown    any      `json:"after_unknown"`
		BeforeSensitive any      `json:"before_sensitive"`
		AfterSensitive  any      `json:"after_sensitive"`
	} `json:"change"`
}

// sensitive reports whether Terraform marks any of the values sensitive.
func (c changeJSON) sensitive() bool {
	return anyTrue(c.Change.BeforeSensitive) || anyTrue(c.Change.AfterSensitive)
}

// decode checks that data is the JSON of a plan in a format this package
// reads, and explains what it is instead when it is not.
func decode(data []byte) (*planJSON, error) {
	trimmed := bytes.TrimSpace(data)
	switch {
	case len(trimmed) == 0:
		return nil, inputError(NotAPlan, "the input is empty: %s", showHint)
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return nil, inputError(NotAPlan, "the input is a saved plan file, not its JSON: run `terraform show -json plan.out > plan.json` and give plan.json")
	case trimmed[0] != '{':
		return nil, inputError(NotAPlan, "the input is not a JSON object (it starts with %q): %s", firstLine(trimmed), showHint)
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	var p planJSON
	if err := dec.Decode(&p); err != nil {
		return nil, jsonError(data, err)
	}
	if dec.More() {
		if isUIMessage(trimmed) {
			return nil, inputError(NotAPlan, "the input is the streamed output of `terraform plan -json` (one message a line), not a plan's JSON: save the plan with `plan -out plan.out` and %s", showHint)
		}
		return nil, inputError(NotAPlan, "the input holds more than one JSON document: %s", showHint)
	}
	if p.FormatVersion == "" {
		if isUIMessage(trimmed) {
			return nil, inputError(NotAPlan, "the input is one message of `terraform plan -json`, not a plan's JSON: %s", showHint)
		}
		return nil, inputError(NotAPlan, "the input is JSON without a format_version, so not a plan's JSON: %s", showHint)
	}
	if major, _, _ := strings.Cut(p.FormatVersion, "."); major != SupportedFormat {
		return nil, inputError(UnsupportedFormat,
			"the plan JSON has format_version %q; this confluence-drift reads format %s.x (Terraform 1.x, OpenTofu 1.x): upgrade confluence-drift, or produce the JSON with a Terraform or OpenTofu 1.x",
			p.FormatVersion, SupportedFormat)
	}
	if p.PlannedValues == nil && p.ResourceChanges == nil && p.ResourceDrift == nil && p.PriorState == nil {
		if p.Values != nil {
			return nil, inputError(NotAPlan, "the input is the JSON of a state (`terraform show -json` without a plan file), which holds no changes: %s", showHint)
		}
		return nil, inputError(NotAPlan, "the input is JSON with format_version %q but none of a plan's fields (planned_values, resource_changes, prior_state): %s", p.FormatVersion, showHint)
	}
	return &p, nil
}

// jsonError words a decoding failure for someone holding the file.
func jsonError(data []byte, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), strings.Contains(err.Error(), "unexpected end of JSON input"):
		return inputError(NotAPlan, "the plan JSON ends early, after %d bytes: the file is truncated (did `terraform show -json` fail or get cut off?); produce it again", len(data))
	case errors.As(err, &syntax):
		line, col := position(data, syntax.Offset-1) // the offset is just past the character at fault
		return inputError(NotAPlan, "the input is not valid JSON: %s at line %d, column %d: %s", syntax.Error(), line, col, showHint)
	case errors.As(err, &typ):
		return inputError(NotAPlan, "the input is not a plan's JSON: field %q holds a JSON %s where a plan has a %s: %s", typ.Field, typ.Value, typeName(typ.Type.Kind().String()), showHint)
	}
	return inputError(NotAPlan, "the input is not a plan's JSON: %v: %s", err, showHint)
}

func typeName(kind string) string {
	switch kind {
	case "struct", "map":
		return "object"
	case "slice":
		return "list"
	}
	return kind
}

// isUIMessage reports whether the first JSON value is one of the messages
// `terraform plan -json` streams: {"@level": ..., "@message": ..., "type": ...}.
func isUIMessage(data []byte) bool {
	var first map[string]json.RawMessage
	if err := json.NewDecoder(bytes.NewReader(data)).Decode(&first); err != nil {
		return false
	}
	_, level := first["@level"]
	_, message := first["@message"]
	return level && message
}

func position(data []byte, offset int64) (line, col int) {
	offset = min(max(offset, 0), int64(len(data)))
	line, col = 1, 1
	for _, b := range data[:offset] {
		if b == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

func firstLine(data []byte) string {
	line, _, _ := bytes.Cut(data, []byte("\n"))
	if len(line) > 20 {
		line = line[:20]
	}
	return string(line)
}
