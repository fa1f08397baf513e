package announce

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// devicesOf counts devices from a fixed table (the real counter,
// notify.Devices, is exercised end to end in app/announce_dryrun_test.go).
type devicesOf map[string]int

func (d devicesOf) CountDevices(_ context.Context, subjects []string) (int, error) {
	n := 0
	for _, s := range subjects {
		n += d[s]
	}
	return n, nil
}

func TestEstimateCountsAudienceDevicesAndUnknownGroups(t *testing.T) {
	repo := NewRepo(boltStore(t))
	now := time.Date(2026, 11, 23, 7, 30, 0, 0, time.UTC)
	for _, u := range []struct {
		sub    string
		groups []string
	}{{"a", []string{"staff", "hr"}}, {"b", []string{"staff", "it"}}, {"c", []string{"staff"}}} {
		if err := repo.SeeUser(t.Context(), u.sub, u.sub, u.groups, now); err != nil {
			t.Fatal(err)
		}
	}
	devs := devicesOf{"a": 2, "b": 1, "c": 3}
	cases := []struct {
		in      string
		aud     int
		devices int
		unknown []string
	}{
		{`{"title":"t","body":"b","groups":["hr","Buergeramt"],"push":true}`, 1, 2, []string{"Buergeramt"}},
		{`{"title":"t","body":"b","push":true}`, 3, 6, []string{}},
		{`{"title":"t","body":"b","groups":["it","staff"]}`, 3, 0, []string{}}, // no push: no devices
	}
	for _, c := range cases {
		in, err := DecodeInput(stringsReader(c.in))
		if err != nil {
			t.Fatal(err)
		}
		_, est, errs, err := repo.DryRun(t.Context(), nil, in, now, devs)
		if err != nil || len(errs) > 0 {
			t.Fatalf("%s: %v %v", c.in, err, errs)
		}
		if est.Audience != c.aud || est.Devices != c.devices || !slices.Equal(est.UnknownGroups, c.unknown) {
			t.Errorf("%s: got %+v, want audience %d, devices %d, unknown %v", c.in, est, c.aud, c.devices, c.unknown)
		}
	}
	if all, _ := repo.All(t.Context()); len(all) != 0 {
		t.Errorf("a dry run stored %d announcements", len(all))
	}
}

func TestApplyAllReportsEveryField(t *testing.T) {
	in, err := DecodeInput(stringsReader(`{"title":" ","body":"","severity":"loud","groups":["ok","<b>"],
		"publish_at":"2030-01-02T10:00:00Z","expires_at":"2030-01-01T10:00:00Z"}`))
	if err != nil {
		t.Fatal(err)
	}
	errs := ApplyAll(&Announcement{}, in, true, time.Now())
	var got []string
	for _, e := range errs {
		got = append(got, e.Field+"/"+e.Code)
	}
	want := []string{"title/empty", "body/empty", "severity/severity", "groups[1]/group_name", "expires_at/after_publish"}
	if !slices.Equal(got, want) {
		t.Errorf("ApplyAll = %v, want %v", got, want)
	}
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }
