package notify

import (
	"net/url"
	"reflect"
	"strings"
	"testing"

	"gitlab.opencode.de/pforte/pforte/internal/push"
)

// A chunk read back from the queue must name the same devices with the same
// keys, or pushes go to the wrong browser or cannot be decrypted there.
func TestChunkItemRoundTrip(t *testing.T) {
	exp := int64(1767225600000)
	targets := []push.Target{
		{ID: "alice|0a1b", Sub: push.Subscription{Endpoint: "https://fcm.googleapis.com/fcm/send/abc", Keys: push.Keys{P256dh: "BPk1", Auth: "au1"}}},
		{ID: "bob|2c3d", Sub: push.Subscription{Endpoint: "https://updates.push.services.mozilla.com/wpush/v2/x?y=1", ExpirationTime: &exp, Keys: push.Keys{P256dh: "BPk2", Auth: "au2"}}},
	}
	tests := map[string]struct {
		c       chunk
		compact bool
	}{
		"compact":             {chunk{Pub: "ann1:17", Ann: "ann1", No: 3, Attempt: 2, Targets: targets}, true},
		"subject with a tab":  {chunk{Pub: "ann1:17", Ann: "ann1", No: 0, Targets: append([]push.Target{{ID: "odd\tsubject|9f", Sub: targets[0].Sub}}, targets...)}, false},
		"subject with a line": {chunk{Pub: "ann1:17", Ann: "ann1", No: 1, Targets: []push.Target{{ID: "odd\nsubject|9f", Sub: targets[1].Sub}}}, false},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			raw, err := encodeItem(outboxItem{Chunk: &tt.c})
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.HasPrefix(string(raw), chunkMagic); got != tt.compact {
				t.Fatalf("compact form: %v, want %v", got, tt.compact)
			}
			it, err := decodeItem(raw)
			if err != nil || it.Chunk == nil {
				t.Fatalf("decode: %+v, %v", it, err)
			}
			if !reflect.DeepEqual(*it.Chunk, tt.c) {
				t.Fatalf("round trip:\n got %+v\nwant %+v", *it.Chunk, tt.c)
			}
			if got := ChunkTargets(raw); !reflect.DeepEqual(got, tt.c.Targets) {
				t.Fatalf("ChunkTargets: %+v", got)
			}
		})
	}
}

// Items written as JSON (events, chunks queued by an earlier version) are
// still delivered; a damaged compact item is refused, not half read.
func TestDecodeItemOtherForms(t *testing.T) {
	it, err := decodeItem([]byte(`{"chunk":{"pub":"a:1","ann":"a","no":2,"attempt":1,"targets":[{"ID":"u|d","Sub":{"endpoint":"https://x.example/1","keys":{"p256dh":"p","auth":"q"}}}]}}`))
	if err != nil || it.Chunk == nil || it.Chunk.No != 2 || it.Chunk.Targets[0].Sub.Endpoint != "https://x.example/1" {
		t.Fatalf("JSON chunk: %+v, %v", it, err)
	}
	it, err = decodeItem([]byte(`{"type":"published","id":"a","push":true}`))
	if err != nil || it.Chunk != nil || it.ID != "a" || !it.Push {
		t.Fatalf("event: %+v, %v", it, err)
	}
	for _, bad := range []string{
		chunkMagic + "a:1\ta\tx\t0\n",
		chunkMagic + "a:1\ta\t0\t0\nu|d\thttps://x.example/1\tp\n",
		chunkMagic + "a:1\ta\t0\t0\nu|d\thttps://x.example/1\tp\tq\tsoon\n",
	} {
		if it, err := decodeItem([]byte(bad)); err == nil {
			t.Errorf("%q read as %+v", bad, it)
		}
	}
}

// The push service of an endpoint keys the health page and the breaker:
// the quick cut must agree with url.Parse.
func TestServiceOfAgreesWithURLParse(t *testing.T) {
	for _, ep := range []string{
		"https://fcm.googleapis.com/fcm/send/abc",
		"https://web.push.apple.com/QGu?x=1",
		"https://127.0.0.1:4443/push/1",
		"https://user@evil.example/x",
		"https://host.example?x=/y",
		"https://[::1]:443/p",
		"https://host.example",
		"http://plain.example/x",
		"not a url",
	} {
		want := ""
		if u, err := url.Parse(ep); err == nil {
			want = u.Host
		}
		if got := serviceOf(ep); got != want {
			t.Errorf("serviceOf(%q) = %q, want %q", ep, got, want)
		}
	}
}
