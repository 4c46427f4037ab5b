package confluencesim_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

// A Data Center 8.5 site has no REST permission API, so a client falls back
// to the remote API; requests are counted per JSON-RPC method.
func Example_dataCenter() {
	sim, err := confluencesim.New(confluencesim.DemoSeed(), confluencesim.Options{
		Flavour:   confluencesim.DataCenter,
		DCVersion: "8.5.4",
		RemoteAPI: true,
	})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(sim)
	defer ts.Close()

	call := func(method, path, body string) {
		req, _ := http.NewRequest(method, ts.URL+path, strings.NewReader(body))
		req.SetBasicAuth("terraform", "demo-token") // username and password
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(method, path, resp.StatusCode)
	}
	call(http.MethodGet, "/rest/api/space/HR/permissions", "")
	call(http.MethodPost, "/rpc/json-rpc/confluenceservice-v2",
		`{"jsonrpc":"2.0","method":"addPermissionToSpace","params":["VIEWSPACE","bob","HR"],"id":1}`)

	fmt.Println(sim.RequestCount("POST /rpc/json-rpc/confluenceservice-v2 addPermissionToSpace"), "addPermissionToSpace call")
	// Output:
	// GET /rest/api/space/HR/permissions 404
	// POST /rpc/json-rpc/confluenceservice-v2 200
	// 1 addPermissionToSpace call
}
