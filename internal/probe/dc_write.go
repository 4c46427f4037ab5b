package probe

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

// dcAnonymousRead is the grant and revoke body of the write check: a bare
// array of OperationDescription (contributing/confluence-api.md#rest-space-permissions).
const dcAnonymousRead = `[{"targetType":"space","operationKey":"read"}]`

// dcAnonState is what GET …/permissions/anonymous showed.
type dcAnonState struct {
	ops    []string
	kind   string
	ok     bool
	absent bool // 404: no such endpoint here
	reason string
}

func (s dcAnonState) describe() string {
	switch {
	case !s.ok:
		return "not read: " + s.reason
	case len(s.ops) == 0:
		return s.kind + ", no operation"
	}
	return s.kind + ": " + strings.Join(s.ops, ", ")
}

func (r *run) readDCAnonymous(ctx context.Context, key string, res *Result) dcAnonState {
	a := r.get(ctx, dcPermissionsPath(key)+"/anonymous", nil)
	res.Exchanges = append(res.Exchanges, a.Exchange)
	if a.res == nil {
		return dcAnonState{reason: describeFailure(a), absent: a.Status == http.StatusNotFound}
	}
	rows, err := readDCRows(a.body)
	if err != nil {
		return dcAnonState{reason: fmt.Sprintf("%v (%s)", err, a.Shape)}
	}
	return dcAnonState{ops: rows.ops, kind: rows.kind, ok: true}
}

// dcListAnonymous describes how the whole-space list shows anonymous rows.
func (r *run) dcListAnonymous(ctx context.Context, key string, res *Result) string {
	a := r.get(ctx, dcPermissionsPath(key), nil)
	res.Exchanges = append(res.Exchanges, a.Exchange)
	if a.res == nil {
		return describeFailure(a)
	}
	rows, err := readDCRows(a.body)
	if err != nil {
		return fmt.Sprintf("unreadable: %v", err)
	}
	forms := map[string]int{}
	for i, row := range rows.rows {
		if f, kind := subjectForm(row); kind != subjectNamed {
			forms[f+" "+rows.ops[i]]++
		}
	}
	if len(forms) == 0 {
		return "no anonymous or nameless row"
	}
	return countList(forms)
}

// putAnonymous grants or revokes (verb) the operations of body, an array
// of OperationDescription, for anonymous access to the space.
func (r *run) putAnonymous(ctx context.Context, key, verb, body string) *answer {
	return r.call(ctx, transport.Request{
		Method: http.MethodPut, Path: dcPermissionsPath(key) + "/anonymous/" + verb,
		RawBody: []byte(body), ContentType: "application/json",
	}, body)
}

// checkDCAnonymousWrite grants anonymous read/space with the REST API,
// reads it back both ways, revokes it, and puts the space back
// (contributing/confluence-api.md#anonymous-on-data-center,
// contributing/confluence-api.md#data-center-write-answers).
func checkDCAnonymousWrite(ctx context.Context, r *run, res *Result) {
	key, a, ok := r.askWriteSpace(ctx, res, dcLookup)
	if !ok {
		return
	}
	if a.res == nil {
		writeSpaceMissing(res, key, describeFailure(a))
		return
	}
	res.step("look up "+key, "%s", statusLine(a.Status))

	before := r.readDCAnonymous(ctx, key, res)
	res.step("read anonymous permissions before", "%s", before.describe())
	switch {
	case before.absent:
		res.skipped("no REST permission API on this site (404): nothing was changed")
		res.mean("The REST space permission API exists from 9.1; the probe does not write through the remote API.")
		return
	case !before.ok:
		res.failed("could not read the anonymous permissions of %s: %s", key, before.reason)
		return
	case len(before.ops) > 0:
		leaveAnonymousSpace(res, key)
		return
	}

	defer r.restoreDC(ctx, key, res)

	grant := r.putAnonymous(ctx, key, "grant", dcAnonymousRead)
	res.recordStep("grant anonymous read/space (PUT …/anonymous/grant)", grant)
	if grant.res == nil {
		if b := grant.blocked(); b != "" {
			res.failed("%s", b)
			return
		}
		res.answered("the grant was refused: %s", statusLine(grant.Status))
		res.mean("The account may not change this space's permissions (it needs space admin), or the site refuses anonymous access (site-wide anonymous access off?). The message is in the exchange.")
		return
	}
	res.fact("grant answer", "%s, body %s", statusLine(grant.Status), grant.Shape)
	after := r.readDCAnonymous(ctx, key, res)
	res.step("read it back (GET …/permissions/anonymous)", "%s", after.describe())
	inList := r.dcListAnonymous(ctx, key, res)
	res.step("read the whole list (GET …/permissions)", "%s", inList)
	res.fact("anonymous in the whole-space list", "%s", inList)
	res.fact("anonymous read shape", "%s", after.kind)

	revoke := r.putAnonymous(ctx, key, "revoke", dcAnonymousRead)
	res.recordStep("revoke it (PUT …/anonymous/revoke)", revoke)
	if b := revoke.blocked(); b != "" {
		res.failed("%s", b)
		return
	}
	final := r.readDCAnonymous(ctx, key, res)
	res.step("read it back", "%s", final.describe())

	granted := slices.Contains(after.ops, "read/space")
	revoked := final.ok && !slices.Contains(final.ops, "read/space")
	res.fact("grant and revoke answers", "%d and %d", grant.Status, revoke.Status)
	switch {
	case granted && revoked:
		res.answered("grant %d, revoke %d; anonymous in the list: %s; /anonymous is %s", grant.Status, revoke.Status, inList, after.kind)
		res.mean("Grant and revoke work for anonymous; the provider accepts any 2xx. How the whole-space list shows anonymous is above: the simulator writes {type: anonymous}.")
	case !granted:
		res.answered("grant answered %d but /anonymous does not show read/space (%s)", grant.Status, after.describe())
		res.mean("A successful grant that does not read back: please report it.")
	default:
		res.answered("revoke answered %d but read/space stayed", revoke.Status)
		res.mean("A successful revoke that does not take: please report it.")
	}
}

// restoreDC revokes whatever anonymous holds after the check (it held
// nothing before), on a context of its own.
func (r *run) restoreDC(ctx context.Context, key string, res *Result) {
	ctx, cancel := restoreContext(ctx)
	defer cancel()
	st := r.readDCAnonymous(ctx, key, res)
	if st.ok && len(st.ops) == 0 {
		res.step("restore", "nothing to undo: anonymous holds nothing in %s, as before", key)
		return
	}
	if st.ok {
		body := make([]string, 0, len(st.ops))
		for _, op := range st.ops {
			k, t, _ := strings.Cut(op, "/")
			body = append(body, fmt.Sprintf(`{"targetType":%q,"operationKey":%q}`, t, k))
		}
		a := r.putAnonymous(ctx, key, "revoke", "["+strings.Join(body, ",")+"]")
		res.recordStep("restore: revoke "+strings.Join(st.ops, ", "), a)
	} else {
		res.recordStep("restore: revoke read/space", r.putAnonymous(ctx, key, "revoke", dcAnonymousRead))
	}
	st = r.readDCAnonymous(ctx, key, res)
	if st.ok && len(st.ops) == 0 {
		res.step("restore", "done: anonymous holds nothing in %s, as before", key)
		return
	}
	restoreFailed(res, key, st.describe())
}
