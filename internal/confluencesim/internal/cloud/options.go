package cloud

// AnonymousForm is how the v2 permission list names anonymous access
// (Config.Anonymous).
type AnonymousForm string

const (
	// AnonymousAsRole lists anonymous grants under the principal
	// {"type":"role","id":"ANONYMOUS"}, as a real site answered on 2026-05-19
	// (contributing/confluence-api.md#anonymous-in-the-v2-permission-list).
	AnonymousAsRole AnonymousForm = "role"
	// AnonymousAsUser lists them under {"type":"user","id":"anonymous"},
	// the form v1 writes use for their subject.
	AnonymousAsUser AnonymousForm = "user"
)

// AnonymousRoleID is the principal id of anonymous grants in the v2
// permission list under AnonymousAsRole.
const AnonymousRoleID = "ANONYMOUS"

// KeysParsing is how GET /wiki/api/v2/spaces reads its array parameters
// keys, ids and labels (Config.Keys). The v2 document declares them as
// arrays in the default form style with explode (keys=A&keys=B), and
// describes them as "comma-separated list"s
// (contributing/confluence-api.md#space-keys-in-one-request).
type KeysParsing string

const (
	// KeysCommaJoined reads one comma-joined value (keys=A,B), the form
	// go-atlassian and onyx send to real sites. A repeated parameter is
	// read as a Java servlet's getParameter reads it: the first value only.
	KeysCommaJoined KeysParsing = "comma-joined"
	// KeysRepeated reads the document's declared form: each value is one
	// key, so a comma-joined value is a single key that matches nothing.
	KeysRepeated KeysParsing = "repeated"
	// KeysEither reads both: every value, each split at commas.
	KeysEither KeysParsing = "either"
)
