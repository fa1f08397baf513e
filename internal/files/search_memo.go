package files

import (
	"sync/atomic"
	"time"
)

// searchRetry is how long a Client skips SEARCH after the server said it
// has none (a plain WebDAV server behind a Nextcloud-shaped URL), so every
// cold dashboard does not pay one refused request first. After it, SEARCH
// is tried again: the server may have been upgraded.
const searchRetry = time.Hour

// searchMemo remembers until when SEARCH is known to be unsupported. The
// SEARCH endpoint is the server's DAV root, the same for every user of a
// Client, so one value serves them all.
type searchMemo struct{ until atomic.Int64 } // unix nanoseconds

func (m *searchMemo) skip(now time.Time) bool { return now.UnixNano() < m.until.Load() }

func (m *searchMemo) refused(now time.Time) { m.until.Store(now.Add(searchRetry).UnixNano()) }
