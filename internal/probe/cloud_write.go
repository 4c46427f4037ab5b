package probe

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluence/transport"
)

// cloudAnonymousGrant is the v1 body that gives anonymous read/space
// (contributing/confluence-api.md#permission-writes-v1).
const cloudAnonymousGrant = `{"subject":{"type":"user","identifier":"anonymous"},"operation":{"key":"read","target":"space"}}`

// restoreTimeout bounds the restore of a write check, which runs even when
// the run's own context has ended.
const restoreTimeout = 2 * time.Minute

// readBackAttempts is how often a write check reads the list again before
// deciding that a change does not show; no record shows the v2 list lagging
// behind a v1 write (contributing/confluence-api.md#duplicate-rows-and-read-after-write).
const readBackAttempts = 3

// readBackPause is the wait between those reads.
const readBackPause = time.Second

// anonState is what a read of the write space showed of anonymous access.
type anonState struct {
	rows   []v2PermRow // anonymous rows, any form
	ok     bool        // the list was read in full
	reason string      // why not
}

func (s anonState) has(op string) (v2PermRow, bool) {
	for _, row := range s.rows {
		if row.operation() == op {
			return row, true
		}
	}
	return v2PermRow{}, false
}

func (s anonState) describe() string {
	if !s.ok {
		return "not read: " + s.reason
	}
	if len(s.rows) == 0 {
		return "no anonymous row"
	}
	var parts []string
	for _, row := range s.rows {
		parts = append(parts, fmt.Sprintf("%s %s (v2 id %s)", row.spelling(), row.operation(), row.ID.text))
	}
	return strings.Join(parts, "; ")
}

// readAnonymous reads the write space's permission list afresh.
func (r *run) readAnonymous(ctx context.Context, sp space, res *Result) anonState {
	l := r.listCursor(ctx, cloudSpaces+"/"+url.PathEscape(sp.id)+"/permissions", url.Values{"limit": {cloudPageLimit}})
	res.Exchanges = append(res.Exchanges, l.exchanges...)
	st := anonState{ok: l.complete(), reason: l.reason}
	for _, raw := range l.items {
		var row v2PermRow
		if json.Unmarshal(raw, &row) == nil && row.anonymousForm() != "" {
			st.rows = append(st.rows, row)
		}
	}
	return st
}

// waitFor reads again, a few times a second apart, until want holds; it
// also says how many reads that took.
func (r *run) waitFor(ctx context.Context, sp space, res *Result, want func(anonState) bool) (anonState, string) {
	st := r.readAnonymous(ctx, sp, res)
	reads := 1
	for ; reads < readBackAttempts && st.ok && !want(st); reads++ {
		if r.pause(ctx) != nil {
			break
		}
		st = r.readAnonymous(ctx, sp, res)
	}
	if reads == 1 {
		return st, st.describe()
	}
	return st, fmt.Sprintf("%s (after %d reads a second apart)", st.describe(), reads)
}

// pause waits readBackPause between reads, as the transport waits between
// attempts: with Config.Sleep when set, so that tests do not wait.
func (r *run) pause(ctx context.Context) error {
	sleep := r.cfg.Sleep
	if sleep == nil {
		sleep = transport.SleepContext
	}
	return sleep(ctx, readBackPause)
}

// checkCloudAnonymousWrite grants anonymous read/space with v1, finds the
// grant in the v2 list, removes it by its v2 id (and by its v1 id if that
// did not work), and puts the space back as it was
// (contributing/confluence-api.md#v1-and-v2-permission-ids,
// contributing/confluence-api.md#anonymous-in-the-v2-permission-list).
func checkCloudAnonymousWrite(ctx context.Context, r *run, res *Result) {
	key, a, ok := r.askWriteSpace(ctx, res, cloudLookup)
	if !ok {
		return
	}
	sp, found := cloudLookup.find(a, key)
	if !found || sp.id == "" {
		writeSpaceMissing(res, key, "not found: "+describeOutcome(a))
		return
	}
	res.step("look up "+key, "space id %s", sp.id)

	before := r.readAnonymous(ctx, sp, res)
	res.step("read the permission list before", "%s", before.describe())
	switch {
	case !before.ok:
		res.failed("could not read the permission list of %s: %s", key, before.reason)
		return
	case len(before.rows) > 0:
		leaveAnonymousSpace(res, key)
		return
	}

	// From here on the space may change: restore whatever happens.
	var v1ID string
	defer r.restoreCloud(ctx, sp, &v1ID, res)

	post := r.call(ctx, transport.Request{
		Method: http.MethodPost, Path: cloudV1Space + url.PathEscape(key) + "/permission",
		RawBody: []byte(cloudAnonymousGrant), ContentType: "application/json",
	}, cloudAnonymousGrant)
	res.Exchanges = append(res.Exchanges, post.Exchange)
	if post.res == nil {
		res.step("grant anonymous read/space (v1 POST)", "%s", describeOutcome(post))
		if b := post.blocked(); b != "" {
			res.failed("%s", b)
			return
		}
		res.answered("the grant was refused: %s", statusLine(post.Status))
		explainRefusedGrant(post, res)
		return
	}
	var created struct {
		ID flexString `json:"id"`
	}
	_ = post.res.DecodeJSON(&created)
	v1ID = created.ID.text
	res.step("grant anonymous read/space (v1 POST)", "%s, v1 id %s (%s)", statusLine(post.Status), orUnknown(v1ID), created.ID.idForm())

	after, afterText := r.waitFor(ctx, sp, res, func(s anonState) bool { _, ok := s.has("read/space"); return ok })
	row, found := after.has("read/space")
	if !found {
		res.step("read the grant back (v2 list)", "%s", afterText)
		res.answered("the v1 grant does not show in the v2 list")
		res.mean("After a successful v1 POST the v2 list shows no anonymous read/space row in any form the provider knows: please report it with this report.")
		return
	}
	v2ID := row.ID.text
	res.step("read the grant back (v2 list)", "found %s, v2 id %s", row.spelling(), v2ID)
	res.fact("anonymous form in the v2 list", "%s", row.anonymousForm())
	same := v1ID != "" && v1ID == v2ID
	if same {
		res.fact("ids", "equal (v1 %s, v2 %s)", v1ID, v2ID)
	} else {
		res.fact("ids", "differ (v1 %s, v2 %s)", orUnknown(v1ID), v2ID)
	}

	del := r.deletePermission(ctx, key, v2ID)
	res.recordStep("remove it by its v2 id (v1 DELETE "+v2ID+")", del)
	if b := del.blocked(); b != "" {
		res.failed("%s", b)
		return
	}
	gone := func(s anonState) bool { _, ok := s.has("read/space"); return !ok }
	st, text := r.readAfter(ctx, sp, res, del, gone)
	byV2 := st.ok && gone(st)
	res.step("read again", "%s", text)
	if byV2 {
		res.answered("%s; ids %s; DELETE by v2 id answered %d and removed the grant", row.anonymousForm(), sameWord(same), del.Status)
		res.mean("The v2 id is the id v1 DELETE takes: the provider's removal by v2 id works on this site, as the simulator's default (DistinctPermissionIDs off) assumes.")
		return
	}
	if v1ID == "" || v1ID == v2ID {
		res.answered("%s; DELETE by v2 id answered %d but the grant stayed", row.anonymousForm(), del.Status)
		res.mean("The grant survived its DELETE and there is no other id to try: please report it.")
		return
	}
	del1 := r.deletePermission(ctx, key, v1ID)
	res.recordStep("remove it by its v1 id (v1 DELETE "+v1ID+")", del1)
	st, text = r.readAfter(ctx, sp, res, del1, gone)
	res.step("read again", "%s", text)
	if st.ok && gone(st) {
		res.answered("%s; ids differ; DELETE by v2 id answered %d and the grant stayed; DELETE by v1 id answered %d and removed it", row.anonymousForm(), del.Status, del1.Status)
		res.mean("The v2 id is not the id v1 DELETE takes: removal by v2 id does not work on this site. The provider then re-reads, finds the grant still there and fails rather than report it gone; the simulator plays this site with DistinctPermissionIDs.")
		return
	}
	res.answered("%s; ids differ; neither DELETE removed the grant", row.anonymousForm())
	res.mean("Neither id removed the grant: please report it.")
}

// readAfter reads the space after a DELETE: waiting for the change when
// the DELETE succeeded, once when it failed (nothing is coming).
func (r *run) readAfter(ctx context.Context, sp space, res *Result, del *answer, want func(anonState) bool) (anonState, string) {
	if del.res != nil {
		return r.waitFor(ctx, sp, res, want)
	}
	st := r.readAnonymous(ctx, sp, res)
	return st, st.describe()
}

func (r *run) deletePermission(ctx context.Context, key, id string) *answer {
	return r.call(ctx, transport.Request{Method: http.MethodDelete, Path: cloudV1Space + url.PathEscape(key) + "/permission/" + url.PathEscape(id)}, "")
}

// restoreCloud removes every anonymous row the check may have left, by v2
// id and then by the v1 id the POST answered, and reads the space a last
// time. It runs on a context of its own, so that an interrupted run still
// puts the space back.
func (r *run) restoreCloud(ctx context.Context, sp space, v1ID *string, res *Result) {
	ctx, cancel := restoreContext(ctx)
	defer cancel()
	st := r.readAnonymous(ctx, sp, res)
	if st.ok && len(st.rows) == 0 {
		res.step("restore", "nothing to undo: %s has no anonymous access, as before", sp.key)
		return
	}
	for _, row := range st.rows {
		res.recordStep("restore: remove "+row.operation()+" by v2 id "+row.ID.text, r.deletePermission(ctx, sp.key, row.ID.text))
	}
	if *v1ID != "" {
		if st = r.readAnonymous(ctx, sp, res); !st.ok || len(st.rows) > 0 {
			res.recordStep("restore: remove by v1 id "+*v1ID, r.deletePermission(ctx, sp.key, *v1ID))
		}
	}
	st = r.readAnonymous(ctx, sp, res)
	if st.ok && len(st.rows) == 0 {
		res.step("restore", "done: %s has no anonymous access, as before", sp.key)
		return
	}
	restoreFailed(res, sp.key, st.describe())
}

// askWriteSpace begins a write check, Cloud's or Data Center's: it asks
// for the sandbox space named with -write-space. ok is false when the check
// has ended: skipped when no space is named (a read-only run), failed when
// the answer blocks every request.
func (r *run) askWriteSpace(ctx context.Context, res *Result, l spaceLookup) (key string, a *answer, ok bool) {
	key = r.cfg.WriteSpace
	if key == "" {
		res.skipped("not requested: a read-only run (give -write-space KEY to name a sandbox space)")
		return "", nil, false
	}
	res.fact("write space", "%s", key)
	a = l.ask(ctx, r, key)
	return key, a, res.record(a)
}

// writeSpaceMissing fails a write check whose space the site did not show.
func writeSpaceMissing(res *Result, key, outcome string) {
	res.step("look up "+key, "%s", outcome)
	res.failed("the write space %s does not exist, or the account cannot view it", key)
}

// leaveAnonymousSpace skips a write check whose space allows anonymous
// access already: the restore removes every anonymous permission, so it
// would take away what was there before the check.
func leaveAnonymousSpace(res *Result, key string) {
	res.skipped("%s already allows anonymous access: nothing was changed", key)
	res.mean("The write check needs a sandbox space without anonymous access: it never touches a space where anonymous already has a permission.")
}

// restoreContext is the context of a restore: the run's values, but not its
// end, so that an interrupted run still puts the space back; restoreTimeout
// bounds it instead.
func restoreContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(ctx), restoreTimeout)
}

// restoreFailed reports a restore that left anonymous access behind, as
// the last read showed it.
func restoreFailed(res *Result, key, last string) {
	res.step("restore", "FAILED: %s", last)
	res.failed("could not restore %s: anonymous access may remain; remove it in the space's permission settings (%s)", key, last)
	res.mean("The space was not put back as it was: check its permissions by hand.")
}

// explainRefusedGrant says what a refused v1 POST means
// (contributing/confluence-api.md#roles-only-sites,
// contributing/confluence-api.md#free-edition-sites).
func explainRefusedGrant(a *answer, res *Result) {
	msg := strings.ToLower(a.Message)
	switch {
	case a.Status == http.StatusBadRequest && strings.Contains(msg, "roles-only mode"):
		res.mean("The site uses space roles only: legacy grants cannot be written here (contributing/confluence-api.md#roles-only-sites). Run the write check on a site in PRE_ROLES or ROLES_TRANSITION mode.")
	case a.Status == http.StatusForbidden && strings.Contains(msg, "free"):
		res.mean("A Free edition site: legacy grant writes answer 403 whatever the account's rights (contributing/confluence-api.md#free-edition-sites). The simulator plays this with FreeEdition.")
	case a.Status == http.StatusForbidden:
		res.mean("The account may not change this space's permissions (it needs space admin), or the site refuses anonymous grants (a Free edition site answers 403 too).")
	case a.Status == http.StatusBadRequest:
		res.mean("A 400: the site may refuse anonymous access (site-wide anonymous access off?), or the grant exists already. The message is in the exchange.")
	default:
		res.mean("An answer the record does not list for this operation: please report it.")
	}
}

// describeOutcome is "204 No Content" or the failure with its message.
func describeOutcome(a *answer) string {
	if a.res != nil {
		return statusLine(a.Status)
	}
	return describeFailure(a)
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func sameWord(same bool) string {
	if same {
		return "equal"
	}
	return "differ"
}
