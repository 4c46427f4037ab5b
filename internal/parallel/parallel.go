// Package parallel runs a bounded number of calls at a time: the one worker
// pool of the client's writes, the drift report's name lookups and the
// benchmark's protocol driver.
package parallel

import (
	"sync"
	"sync/atomic"
)

// Do calls do(k) for k in [0, n), at most limit calls at a time. Once a call
// returns false no new call starts; Do waits for those running.
func Do(limit, n int, do func(k int) bool) {
	var (
		wg      sync.WaitGroup
		slots   = make(chan struct{}, max(1, limit))
		stopped atomic.Bool
	)
	for k := 0; k < n; k++ {
		slots <- struct{}{}
		if stopped.Load() {
			<-slots
			break
		}
		wg.Go(func() {
			defer func() { <-slots }()
			if !do(k) {
				stopped.Store(true)
			}
		})
	}
	wg.Wait()
}
