package probe

// Schema names the layout of the JSON report. It changes only when a field
// is renamed or removed; new fields may appear without a change.
const Schema = "confluence-probe/1"

// Report is what a run found. Its JSON form (Render with FormatJSON) is
// stable: fields are only ever added.
type Report struct {
	Schema  string `json:"schema"`
	Tool    string `json:"tool"`
	Version string `json:"version"`
	// Date is when the run started, RFC 3339 in UTC.
	Date string `json:"date"`
	// Site is the base URL as the transport uses it: origin and path
	// prefix, never a user or password.
	Site       string `json:"site"`
	Deployment string `json:"deployment"`
	// DeploymentSource says whether Deployment was given or inferred.
	DeploymentSource string `json:"deploymentSource"`
	// Account is the user name of basic authentication, "" with a bearer
	// token (whose account the probe does not look up).
	Account string `json:"account"`
	// Auth is "basic" or "bearer".
	Auth string `json:"auth"`
	// Spaces are the spaces the read checks look at.
	Spaces []SpaceRef `json:"spaces"`
	// SpacesSource says whether Spaces were named or listed.
	SpacesSource string `json:"spacesSource"`
	// Setup are the requests that looked the spaces up.
	Setup []Exchange `json:"setup"`
	// WriteSpace is the sandbox space of the write checks, "" for a
	// read-only run.
	WriteSpace string   `json:"writeSpace"`
	Checks     []Result `json:"checks"`

	scrub scrubber // the run's credentials, for Render
}

// SpaceRef is a space the probe looked up.
type SpaceRef struct {
	Key string `json:"key"`
	// ID is the space id (Cloud v2, Data Center REST), "" when unknown.
	ID string `json:"id,omitempty"`
	// Found is false when the site did not show the space.
	Found bool `json:"found"`
	// Note says why a space was not found, when it was looked up by key.
	Note string `json:"note,omitempty"`
}

// Status is how a check ended.
type Status string

const (
	// Answered: the check ran and the report says what the site answered,
	// whatever that was.
	Answered Status = "answered"
	// Skipped: the check did not apply (a write check without a sandbox
	// space, a question the site cannot answer without something the run
	// lacks). It is not a failure.
	Skipped Status = "skipped"
	// Failed: the check could not run (network, credentials, an answer it
	// cannot read). The probe exits with status 1.
	Failed Status = "failed"
)

// Result is one check's section of the report.
type Result struct {
	Name     string `json:"name"`
	Question string `json:"question"`
	Status   Status `json:"status"`
	// Answer is the finding in a few words ("comma-joined only").
	Answer string `json:"answer"`
	// Interpretation says what the answer means for the provider and the
	// simulator.
	Interpretation []string `json:"interpretation"`
	// Facts are the details behind the answer, in order.
	Facts []Fact `json:"facts"`
	// Steps are the actions of a write check, in order.
	Steps []Step `json:"steps,omitempty"`
	// Exchanges are the requests the check sent, with their answers.
	Exchanges []Exchange `json:"exchanges"`
}

// Fact is one named detail.
type Fact struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Step is one action of a write check and what came of it.
type Step struct {
	Action  string `json:"action"`
	Outcome string `json:"outcome"`
}

// Exchange is one request and its answer as the report shows them.
type Exchange struct {
	// Request is the method and the path below the site's base URL, with
	// the query as sent (cursors elided).
	Request string `json:"request"`
	// Body describes what was sent, when anything was.
	Body string `json:"body,omitempty"`
	// Status is the final answer's HTTP status; 0 when none came.
	Status int `json:"status"`
	// Statuses lists every answer when there was more than one (retries,
	// redirects), in order.
	Statuses []int `json:"statuses,omitempty"`
	// Headers are the answer's headers the probe looks at (content type,
	// rate limits, failure category, ...); never a request header.
	Headers map[string]string `json:"headers,omitempty"`
	// Shape is the answer's body as field names and types.
	Shape string `json:"shape"`
	// Message is what Confluence said in an error body, as the provider
	// reads it.
	Message string `json:"message,omitempty"`
	// Error is why no answer came (connection, timeout).
	Error string `json:"error,omitempty"`
}

// Failed reports whether any check could not run.
func (r *Report) Failed() bool {
	for _, c := range r.Checks {
		if c.Status == Failed {
			return true
		}
	}
	return false
}

func (r *Result) fact(name, format string, args ...any) {
	r.Facts = append(r.Facts, Fact{Name: name, Value: sprintf(format, args...)})
}

func (r *Result) mean(format string, args ...any) {
	r.Interpretation = append(r.Interpretation, sprintf(format, args...))
}

func (r *Result) step(action, format string, args ...any) {
	r.Steps = append(r.Steps, Step{Action: action, Outcome: sprintf(format, args...)})
}

func (r *Result) answered(format string, args ...any) {
	r.Status, r.Answer = Answered, sprintf(format, args...)
}

func (r *Result) skipped(format string, args ...any) {
	r.Status, r.Answer = Skipped, sprintf(format, args...)
}

func (r *Result) failed(format string, args ...any) {
	r.Status, r.Answer = Failed, sprintf(format, args...)
}
