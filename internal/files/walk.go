package files

import (
	"context"
	"net/http"
	"sync"

	"golang.org/x/sync/errgroup"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// propfindBody asks for the properties Pforte shows; oc:fileid is answered
// by Nextcloud and ownCloud and reported as 404 (ignored) elsewhere.
const propfindBody = `<?xml version="1.0" encoding="utf-8"?>
<d:propfind xmlns:d="DAV:" xmlns:oc="http://owncloud.org/ns"><d:prop>` +
	`<d:resourcetype/><d:getlastmodified/><d:getcontentlength/><d:getcontenttype/><oc:fileid/>` +
	`</d:prop></d:propfind>`

// parallel is how many folders are listed at once: enough to hide a remote
// server's latency, few enough not to look like an attack.
const parallel = 4

// folder is one folder waiting to be listed; depth 0 is the root.
type folder struct {
	rel   string
	depth int
}

// walk lists folders breadth-first with PROPFIND Depth: 1 until the tree,
// MaxFolders, MaxRequests or MaxDepth ends it, and returns the newest files
// seen. Breadth-first finds the shallow files users work with before deep
// archives, so a bound hit in a big tree still gives useful results.
//
// Folders are listed a few at a time, but their sub-folders join the queue
// in queue order, so which folders a bound cuts off does not depend on
// which answer came first.
func (f *fetch) walk(ctx context.Context) ([]File, error) {
	queue := []folder{{rel: "", depth: 0}}
	known := 1        // folders queued so far, the root included
	var mu sync.Mutex // guards f.best while listings run
	for len(queue) > 0 {
		n := min(parallel, len(queue), f.c.maxRequests-f.requests)
		if n <= 0 {
			break
		}
		f.requests += n
		batch := queue[:n]
		queue = queue[n:]
		subs := make([][]folder, n)
		g, gctx := errgroup.WithContext(ctx)
		for i, dir := range batch {
			g.Go(func() error {
				var err error
				subs[i], err = f.list(gctx, dir, &mu)
				if err != nil && dir.rel != "" && skippable(err) {
					return nil // one unreadable or just deleted folder must not hide the rest
				}
				return err
			})
		}
		if err := g.Wait(); err != nil {
			return nil, err
		}
		for _, sub := range subs {
			for _, dir := range sub {
				if known >= f.c.maxFolders {
					break
				}
				queue = append(queue, dir)
				known++
			}
		}
	}
	return f.best.files, nil
}

// list lists one folder: its files go to f.best, its sub-folders (at most
// MaxFolders of them, none beyond MaxDepth) are returned.
func (f *fetch) list(ctx context.Context, dir folder, mu *sync.Mutex) ([]folder, error) {
	var sub []folder
	u := folderURL(f.root, dir.rel)
	err := f.multistatus(ctx, "PROPFIND", u, "1", propfindBody, dir.rel, func(e entry) error {
		if dir.rel == "" && u.Path != f.root.Path {
			// The root moved (a redirect was followed): every folder is
			// under the new address. The root is listed on its own, so
			// nothing else reads f.root now.
			root := *u
			f.root = &root
		}
		rel, ok := relPath(u, f.root.Path, e.Href)
		// Depth: 1 answers hold the folder and its children. Anything else
		// (a server that ignored Depth) is skipped, so no file is counted
		// twice and no folder listed twice.
		if !ok || rel == dir.rel || parent(rel) != dir.rel || hidden(rel) {
			return nil
		}
		if e.Collection {
			if dir.depth < f.c.maxDepth && len(sub) < f.c.maxFolders {
				sub = append(sub, folder{rel: rel, depth: dir.depth + 1})
			}
			return nil
		}
		file := f.file(rel, e)
		mu.Lock()
		f.best.add(file)
		mu.Unlock()
		return nil
	})
	return sub, err
}

// skippable reports whether a sub-folder's error only concerns that folder.
func skippable(err error) bool {
	switch statusOf(err) {
	case http.StatusForbidden, http.StatusNotFound:
		return true
	}
	return upstream.KindOf(err) == upstream.KindBadData
}
