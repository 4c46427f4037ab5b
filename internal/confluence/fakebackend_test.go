package confluence

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/spacekeeper/terraform-provider-confluence/internal/permissions"
)

// fakeBackend is an in-memory Backend that behaves like Confluence Cloud
// where it matters to the client facade: it refuses any grant but
// read/space to a principal without read/space (400), refuses duplicates
// (400), and, when cascade is set, removing read/space removes the
// principal's other grants. It counts calls per method, can fail the nth
// call of a method (optionally after applying it, like a POST whose answer
// was lost), and can hold calls at a gate until the test releases them.
type fakeBackend struct {
	deployment permissions.Deployment
	cascade    bool

	mu         sync.Mutex
	spaces     map[string]Space         // by key
	grants     map[string][]StoredGrant // by space key, in creation order
	users      map[string]User
	groups     map[string]Group
	nextID     int
	spaceSeq   int // ids of spaces created so far
	calls      map[string]int
	writes     []string   // "add DOCS read/space for user a", "remove ...", in order
	keyBatches [][]string // the keys of every SpacesByKey call
	faults     map[string]map[int]fault
	gates      map[string]*gate
	inflight   map[string]int // writes in progress per space
	maxInfl    int            // most writes ever in progress at once in one space
}

type fault struct {
	err        error
	afterApply bool // apply the write, then answer err (an ambiguous failure)
}

// gate holds calls until opened. Every call that reaches it sends on
// entered first (buffered, never blocks).
type gate struct {
	entered chan struct{}
	open    chan struct{}
	once    sync.Once
}

func (g *gate) release() { g.once.Do(func() { close(g.open) }) }

func newFake() *fakeBackend {
	return &fakeBackend{
		deployment: permissions.Cloud,
		cascade:    true,
		spaces:     map[string]Space{},
		grants:     map[string][]StoredGrant{},
		users:      map[string]User{},
		groups:     map[string]Group{},
		calls:      map[string]int{},
		faults:     map[string]map[int]fault{},
		gates:      map[string]*gate{},
		inflight:   map[string]int{},
	}
}

// addSpace creates spaces with ids 1000, 1001, ...; a space created again
// under a key gets a new id, as on Confluence.
func (f *fakeBackend) addSpace(keys ...string) *fakeBackend {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, k := range keys {
		f.spaces[k] = Space{ID: fmt.Sprint(1000 + f.spaceSeq), Key: k, Name: "Space " + k, Type: "global", Status: "current"}
		f.spaceSeq++
	}
	return f
}

func (f *fakeBackend) removeSpace(key string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.spaces, key)
	delete(f.grants, key)
}

// seed stores grants directly, as if made in the Confluence UI, without
// checking any rule.
func (f *fakeBackend) seed(spaceKey string, p permissions.Principal, ops ...permissions.Operation) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, op := range ops {
		f.store(spaceKey, permissions.Grant{Principal: p, Operation: op})
	}
}

func (f *fakeBackend) addUser(id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.users[id] = User{ID: id, DisplayName: "User " + id, Active: true}
}

func (f *fakeBackend) addGroup(id, name string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.groups[id] = Group{ID: id, Name: name}
}

// failNth makes the nth call (1-based, counted from the fake's creation) of
// method answer err without doing anything.
func (f *fakeBackend) failNth(method string, n int, err error) {
	f.setFault(method, n, fault{err: err})
}

// failNthAfterApply makes the nth call of a write method do its work and
// then answer err.
func (f *fakeBackend) failNthAfterApply(method string, n int, err error) {
	f.setFault(method, n, fault{err: err, afterApply: true})
}

func (f *fakeBackend) setFault(method string, n int, ft fault) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.faults[method] == nil {
		f.faults[method] = map[int]fault{}
	}
	f.faults[method][n] = ft
}

// hold installs a gate on a method ("SpaceGrants") or on a method in one
// space ("AddGrant DOCS"). Reads take their snapshot before the gate (so a
// held read answers what the space held when it arrived); writes wait
// before doing anything.
func (f *fakeBackend) hold(name string) *gate {
	f.mu.Lock()
	defer f.mu.Unlock()
	g := &gate{entered: make(chan struct{}, 10000), open: make(chan struct{})}
	f.gates[name] = g
	return g
}

func (f *fakeBackend) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[method]
}

func (f *fakeBackend) writeLog() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.writes...)
}

func (f *fakeBackend) batches() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([][]string, len(f.keyBatches))
	for i, b := range f.keyBatches {
		out[i] = append([]string(nil), b...)
	}
	return out
}

// serverGrants is what the fake Confluence holds for a space.
func (f *fakeBackend) serverGrants(spaceKey string) permissions.Grants {
	f.mu.Lock()
	defer f.mu.Unlock()
	return GroupGrants(f.grants[spaceKey])
}

func (f *fakeBackend) rawGrants(spaceKey string) []StoredGrant {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]StoredGrant(nil), f.grants[spaceKey]...)
}

// begin counts a call and returns its fault and gate. f.mu is not held.
func (f *fakeBackend) begin(method, spaceKey string) (fault, *gate) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls[method]++
	ft := f.faults[method][f.calls[method]]
	g := f.gates[method]
	if spaceKey != "" && f.gates[method+" "+spaceKey] != nil {
		g = f.gates[method+" "+spaceKey]
	}
	return ft, g
}

func pass(ctx context.Context, g *gate) error {
	if g == nil {
		return nil
	}
	g.entered <- struct{}{}
	select {
	case <-g.open:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// store adds a grant with a fresh id. f.mu is held.
func (f *fakeBackend) store(spaceKey string, g permissions.Grant) StoredGrant {
	f.nextID++
	stored := StoredGrant{ID: fmt.Sprintf("perm-%d", f.nextID), Principal: g.Principal, Operation: g.Operation}
	f.grants[spaceKey] = append(f.grants[spaceKey], stored)
	return stored
}

func apiError(status int, method, path, msg string) *Error {
	return &Error{StatusCode: status, Method: method, Path: path, Message: msg}
}

func (f *fakeBackend) Deployment() permissions.Deployment { return f.deployment }

func (f *fakeBackend) RemovingReadCascades() bool { return f.cascade }

func (f *fakeBackend) ListSpaces(ctx context.Context, flt SpaceFilter) ([]Space, error) {
	ft, g := f.begin("ListSpaces", "")
	if err := pass(ctx, g); err != nil {
		return nil, err
	}
	if ft.err != nil {
		return nil, ft.err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []Space
	for _, s := range f.spaces {
		if len(flt.Keys) > 0 && !slices.Contains(flt.Keys, s.Key) {
			continue
		}
		if flt.Type != "" && flt.Type != s.Type || flt.Status != "" && flt.Status != s.Status {
			continue
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

func (f *fakeBackend) SpacesByKey(ctx context.Context, keys []string) ([]Space, error) {
	ft, g := f.begin("SpacesByKey", "")
	f.mu.Lock()
	f.keyBatches = append(f.keyBatches, append([]string(nil), keys...))
	var out []Space
	for _, k := range keys {
		if s, ok := f.spaces[k]; ok {
			out = append(out, s)
		}
	}
	f.mu.Unlock()
	if err := pass(ctx, g); err != nil {
		return nil, err
	}
	if ft.err != nil {
		return nil, ft.err
	}
	return out, nil
}

func (f *fakeBackend) SpaceGrants(ctx context.Context, s Space) ([]StoredGrant, error) {
	ft, g := f.begin("SpaceGrants", s.Key)
	f.mu.Lock()
	current, exists := f.spaces[s.Key]
	exists = exists && current.ID == s.ID // Cloud reads a space by its id
	snapshot := append([]StoredGrant(nil), f.grants[s.Key]...)
	f.mu.Unlock()
	if err := pass(ctx, g); err != nil {
		return nil, err
	}
	if ft.err != nil {
		return nil, ft.err
	}
	if !exists {
		return nil, apiError(http.StatusNotFound, "GET", "/wiki/api/v2/spaces/"+s.ID+"/permissions", "Space not found")
	}
	return snapshot, nil
}

func (f *fakeBackend) enterWrite(spaceKey string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inflight[spaceKey]++
	f.maxInfl = max(f.maxInfl, f.inflight[spaceKey])
}

func (f *fakeBackend) leaveWrite(spaceKey string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inflight[spaceKey]--
}

func (f *fakeBackend) maxInflight() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.maxInfl
}

func (f *fakeBackend) AddGrant(ctx context.Context, s Space, g permissions.Grant) (StoredGrant, error) {
	ft, gt := f.begin("AddGrant", s.Key)
	f.enterWrite(s.Key)
	defer f.leaveWrite(s.Key)
	if err := pass(ctx, gt); err != nil {
		return StoredGrant{}, err
	}
	if ft.err != nil && !ft.afterApply {
		return StoredGrant{}, ft.err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	path := "/wiki/rest/api/space/" + s.Key + "/permission"
	f.writes = append(f.writes, fmt.Sprintf("add %s %s", s.Key, g))
	if _, ok := f.spaces[s.Key]; !ok {
		return StoredGrant{}, apiError(http.StatusNotFound, "POST", path, "No space with key : "+s.Key)
	}
	if !g.Principal.Type.Managed() {
		return StoredGrant{}, apiError(http.StatusBadRequest, "POST", path, "Unsupported subject type: "+string(g.Principal.Type))
	}
	have := GroupGrants(f.grants[s.Key])[g.Principal]
	if have.Has(g.Operation) {
		return StoredGrant{}, apiError(http.StatusBadRequest, "POST", path, "Permission already exists.")
	}
	if g.Operation != permissions.ReadSpace && !have.Has(permissions.ReadSpace) {
		return StoredGrant{}, apiError(http.StatusBadRequest, "POST", path, "Cannot grant permission without read/space")
	}
	stored := f.store(s.Key, g)
	if ft.err != nil {
		return StoredGrant{}, ft.err
	}
	return stored, nil
}

func (f *fakeBackend) RemoveGrant(ctx context.Context, s Space, g StoredGrant) error {
	ft, gt := f.begin("RemoveGrant", s.Key)
	f.enterWrite(s.Key)
	defer f.leaveWrite(s.Key)
	if err := pass(ctx, gt); err != nil {
		return err
	}
	if ft.err != nil && !ft.afterApply {
		return ft.err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.writes = append(f.writes, fmt.Sprintf("remove %s %s", s.Key, g.Domain()))
	if _, ok := f.spaces[s.Key]; !ok {
		return apiError(http.StatusNotFound, "DELETE", "/wiki/rest/api/space/"+s.Key+"/permission/"+g.ID, "No space with key : "+s.Key)
	}
	all := f.cascade && g.Operation == permissions.ReadSpace
	kept := f.grants[s.Key][:0:0]
	for _, have := range f.grants[s.Key] {
		same := g.ID != "" && have.ID == g.ID || g.ID == "" && have.Principal == g.Principal && have.Operation == g.Operation
		if same || all && have.Principal == g.Principal {
			continue
		}
		kept = append(kept, have)
	}
	f.grants[s.Key] = kept
	return ft.err
}

func (f *fakeBackend) User(ctx context.Context, id string) (User, error) {
	ft, g := f.begin("User", "")
	if err := pass(ctx, g); err != nil {
		return User{}, err
	}
	if ft.err != nil {
		return User{}, ft.err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if u, ok := f.users[id]; ok {
		return u, nil
	}
	return User{}, apiError(http.StatusNotFound, "GET", "/wiki/rest/api/user", "No user found with accountId : "+id)
}

func (f *fakeBackend) Group(ctx context.Context, id string) (Group, error) {
	ft, g := f.begin("Group", "")
	if err := pass(ctx, g); err != nil {
		return Group{}, err
	}
	if ft.err != nil {
		return Group{}, ft.err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if gr, ok := f.groups[id]; ok {
		return gr, nil
	}
	return Group{}, apiError(http.StatusNotFound, "GET", "/wiki/rest/api/group/by-id", "No group found with id : "+id)
}

func (f *fakeBackend) GroupByName(ctx context.Context, name string) (Group, error) {
	ft, g := f.begin("GroupByName", "")
	if err := pass(ctx, g); err != nil {
		return Group{}, err
	}
	if ft.err != nil {
		return Group{}, ft.err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, gr := range f.groups {
		if gr.Name == name {
			return gr, nil
		}
	}
	return Group{}, apiError(http.StatusNotFound, "GET", "/wiki/rest/api/group/by-name", "No group found with name : "+name)
}

// replacerBackend is a fake of a deployment that can replace all grants of
// several principals in one call (Data Center 9.1+).
type replacerBackend struct {
	*fakeBackend
	replaced []permissions.Grants // the argument of every ReplacePrincipals call
}

func newReplacer() *replacerBackend {
	f := newFake()
	f.deployment = permissions.DataCenter
	f.cascade = false
	return &replacerBackend{fakeBackend: f}
}

func (r *replacerBackend) ReplacePrincipals(ctx context.Context, s Space, grants permissions.Grants) error {
	ft, g := r.begin("ReplacePrincipals", s.Key)
	if err := pass(ctx, g); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.replaced = append(r.replaced, grants.Clone())
	if ft.err != nil && !ft.afterApply {
		return ft.err
	}
	var kept []StoredGrant
	for _, have := range r.grants[s.Key] {
		if _, touched := grants[have.Principal]; !touched {
			kept = append(kept, have)
		}
	}
	r.grants[s.Key] = kept
	for _, p := range grants.Principals() {
		for _, op := range grants[p].Sorted() {
			r.store(s.Key, permissions.Grant{Principal: p, Operation: op})
		}
	}
	return ft.err
}

// roleModeBackend is a fake of a Cloud site that reports its role mode.
type roleModeBackend struct {
	*fakeBackend
	mode RoleMode
}

func (r *roleModeBackend) RoleMode(ctx context.Context) (RoleMode, error) {
	ft, g := r.begin("RoleMode", "")
	if err := pass(ctx, g); err != nil {
		return "", err
	}
	if ft.err != nil {
		return "", ft.err
	}
	return r.mode, nil
}

// resolverBackend is a fake of Data Center, where users are configured by
// username and granted by userKey.
type resolverBackend struct {
	*fakeBackend
}

func (r *resolverBackend) ResolvePrincipal(ctx context.Context, p permissions.Principal) (permissions.Principal, error) {
	r.begin("ResolvePrincipal", "")
	if p.ID == "nobody" {
		return p, &NotFoundError{Kind: "user", Name: p.ID}
	}
	if p.Type == permissions.User {
		return permissions.Principal{Type: permissions.User, ID: "key-" + p.ID}, nil
	}
	return p, nil
}

// Shorthands used across the tests.
var (
	alice  = permissions.Principal{Type: permissions.User, ID: "alice"}
	bob    = permissions.Principal{Type: permissions.User, ID: "bob"}
	carol  = permissions.Principal{Type: permissions.User, ID: "carol"}
	devs   = permissions.Principal{Type: permissions.Group, ID: "g-devs"}
	anon   = permissions.AnonymousPrincipal
	roleRW = permissions.Principal{Type: "role", ID: "role-editors"}

	read       = permissions.ReadSpace
	admin      = permissions.AdministerSpace
	export     = permissions.Operation{Key: "export", Target: "space"}
	createPage = permissions.Operation{Key: "create", Target: "page"}
	deletePage = permissions.Operation{Key: "delete", Target: "page"}
	comment    = permissions.Operation{Key: "create", Target: "comment"}
)

func grant(p permissions.Principal, op permissions.Operation) permissions.Grant {
	return permissions.Grant{Principal: p, Operation: op}
}

func ops(list ...permissions.Operation) permissions.OperationSet {
	return permissions.NewOperationSet(list...)
}

// render prints grants as sorted "principal: op, op" lines for comparisons.
func render(g permissions.Grants) string {
	var lines []string
	for _, p := range g.Principals() {
		if len(g[p]) == 0 {
			lines = append(lines, p.String()+": -")
			continue
		}
		lines = append(lines, p.String()+": "+strings.Join(g[p].Strings(), ", "))
	}
	return strings.Join(lines, "\n")
}

func mustGrants(t *testing.T, c *Client, spaceKey string) permissions.Grants {
	t.Helper()
	gs, err := c.Grants(context.Background(), spaceKey)
	if err != nil {
		t.Fatalf("Grants(%s): %v", spaceKey, err)
	}
	return GroupGrants(gs)
}

func wantCalls(t *testing.T, f *fakeBackend, method string, want int) {
	t.Helper()
	if got := f.count(method); got != want {
		t.Errorf("%s was called %d times, want %d", method, got, want)
	}
}

var errConnReset = errors.New("read tcp 10.0.0.1:51234->104.192.141.1:443: read: connection reset by peer")

func TestFakeBackendEnforcesCloudRules(t *testing.T) {
	// The facade's tests are only worth what the fake is worth: check the
	// rules they rely on.
	ctx := context.Background()
	f := newFake().addSpace("DOCS")
	s := Space{ID: "1000", Key: "DOCS"}
	if _, err := f.AddGrant(ctx, s, grant(alice, createPage)); !IsBadRequest(err) {
		t.Fatalf("grant without read/space: want 400, got %v", err)
	}
	if _, err := f.AddGrant(ctx, s, grant(alice, read)); err != nil {
		t.Fatal(err)
	}
	if _, err := f.AddGrant(ctx, s, grant(alice, read)); !IsBadRequest(err) {
		t.Fatalf("duplicate: want 400, got %v", err)
	}
	g, err := f.AddGrant(ctx, s, grant(alice, createPage))
	if err != nil || g.ID == "" {
		t.Fatalf("AddGrant = %+v, %v", g, err)
	}
	f.seed("DOCS", bob, read, createPage)
	readGrant := f.rawGrants("DOCS")[0]
	if err := f.RemoveGrant(ctx, s, readGrant); err != nil {
		t.Fatal(err)
	}
	if got, want := render(f.serverGrants("DOCS")), "user bob: read/space, create/page"; got != want {
		t.Fatalf("after removing alice's read/space with cascade:\n%s\nwant\n%s", got, want)
	}
	if err := f.RemoveGrant(ctx, s, readGrant); err != nil {
		t.Fatalf("removing a grant that is gone: %v", err)
	}
}
