package confluencesim_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/spacekeeper/terraform-provider-confluence/internal/confluencesim"
)

// A test serves the demo site, makes the next permission read fail with a
// 429, and counts what the client did.
func Example() {
	sim, err := confluencesim.New(confluencesim.DemoSeed(), confluencesim.Options{})
	if err != nil {
		panic(err)
	}
	ts := httptest.NewServer(sim)
	defer ts.Close()

	const route = "GET /wiki/api/v2/spaces/{id}/permissions"
	if err := sim.InjectFault(confluencesim.RateLimited(route, 1, "1")); err != nil {
		panic(err)
	}
	space, _ := sim.Space("DOCS")
	for range 2 {
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/wiki/api/v2/spaces/%d/permissions", ts.URL, space.ID), nil)
		req.SetBasicAuth("terraform@example.com", "demo-token")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Printf("%d Retry-After=%q\n", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	fmt.Println(sim.RequestCount(route), "requests")
	// Output:
	// 429 Retry-After="1"
	// 200 Retry-After=""
	// 2 requests
}
