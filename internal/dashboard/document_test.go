package dashboard

import (
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"
)

// The document's ETag changes whenever what the user would see changes
// (the snapshot, an announcement, an app), also when two snapshots were
// built at the same instant; and it stays the same for the same document,
// however the snapshot was read (built here, from the store, or from a
// store entry written by the version before digests).
func TestDocumentETag(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := boltStore(t)
	at := time.Date(2026, 12, 3, 7, 30, 0, 0, time.UTC)
	built := func(name string) Cached {
		t.Helper()
		key := "dash:" + name
		c, err := NewCache(ctx, time.Minute, time.Hour, 4, nil).Get(ctx, st, key, at,
			func(context.Context) Snapshot { return Snapshot{AsOf: at, User: User{Name: name}} })
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	anna, bernd := built("Anna"), built("Bernd") // same AsOf, other content
	apps := []App{{Name: "Chat", URL: "https://chat.example", Icon: "chat"}}
	anns := []Announcement{{ID: "a1", Title: "Wartung"}}

	doc := func(c Cached, anns []Announcement, apps []App) (map[string]any, string) {
		t.Helper()
		body, etag, err := Assemble(c, anns, apps)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatalf("the document is not JSON: %v\n%s", err, body)
		}
		return m, etag
	}
	m, base := doc(anna, anns, apps)
	if m["user"].(map[string]any)["name"] != "Anna" || len(m["announcements"].([]any)) != 1 || len(m["apps"].([]any)) != 1 {
		t.Fatalf("document %v: want Anna's snapshot with one announcement and one app", m)
	}
	if _, again := doc(anna, anns, apps); again != base {
		t.Errorf("the same document got two ETags: %s, %s", base, again)
	}
	for name, etag := range map[string]string{
		"another snapshot built at the same instant": second(doc(bernd, anns, apps)),
		"an announcement less":                       second(doc(anna, nil, apps)),
		"an announcement edited":                     second(doc(anna, []Announcement{{ID: "a1", Title: "Wartung heute"}}, apps)),
		"an app more":                                second(doc(anna, anns, append(apps, App{Name: "Dateien", URL: "https://files.example", Icon: "files"}))),
	} {
		if etag == base {
			t.Errorf("%s: the ETag stayed %s, so a browser would keep the old dashboard", name, etag)
		}
	}

	// Read back from the store: the digest comes with the entry.
	raw, err := st.Get(ctx, "dash:Anna")
	if err != nil {
		t.Fatal(err)
	}
	e, ok := decodeEntry(raw)
	if !ok || e.Digest != digestOf(e.JSON) {
		t.Fatalf("stored entry: decoded %v, digest %x, want the digest of its JSON", ok, e.Digest)
	}
	if _, etag := doc(e.Cached, anns, apps); etag != base {
		t.Errorf("the stored snapshot's ETag %s, the built one's %s", etag, base)
	}
	// An entry of the version before (no digest) still serves, same ETag.
	v1 := []byte(entryMagicV1 + strconv.FormatInt(e.FreshTo.UnixNano(), 10) + " " + strconv.FormatInt(e.AsOf.UnixNano(), 10) + "\n" + string(e.JSON))
	old, ok := decodeEntry(v1)
	if !ok {
		t.Fatal("an entry without digest is not read")
	}
	if _, etag := doc(old.Cached, anns, apps); etag != base {
		t.Errorf("the older entry's ETag %s, want %s", etag, base)
	}
	// A value that never went through the cache gets a digest too.
	if _, etag := doc(Cached{JSON: anna.JSON}, anns, apps); etag != base {
		t.Errorf("a snapshot without digest: ETag %s, want %s", etag, base)
	}
}

func second[A, B any](_ A, b B) B { return b }
