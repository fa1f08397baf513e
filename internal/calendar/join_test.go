package calendar

import "testing"

func TestJoinURL(t *testing.T) {
	tests := []struct {
		name  string
		props []string
		want  string
	}{
		{"Jitsi in LOCATION, trailing dot stripped", []string{"LOCATION:Raum 3 / https://meet.jit.si/Bauamt."}, "https://meet.jit.si/Bauamt"},
		{"self-hosted Jitsi", []string{"LOCATION:https://jitsi.stadt-musterhausen.de/Ratssitzung"}, "https://jitsi.stadt-musterhausen.de/Ratssitzung"},
		{"meet. host", []string{"DESCRIPTION:Link: (https://meet.kommune.de/Haushalt)"}, "https://meet.kommune.de/Haushalt"},
		{"BigBlueButton Greenlight room", []string{"DESCRIPTION:Einwahl unter https://konferenz.kreis.de/b/adm-x7k-9pq, PIN 1234"}, "https://konferenz.kreis.de/b/adm-x7k-9pq"},
		{"BigBlueButton API path", []string{"DESCRIPTION:https://vc.land.de/bigbluebutton/api/join?meetingID=1"}, "https://vc.land.de/bigbluebutton/api/join?meetingID=1"},
		{"bbb. host", []string{"LOCATION:https://bbb.schule.de/rooms/abc/join"}, "https://bbb.schule.de/rooms/abc/join"},
		{"Element call", []string{"DESCRIPTION:https://call.element.io/room/#/sprechstunde?roomId=x"}, "https://call.element.io/room/#/sprechstunde?roomId=x"},
		{"matrix.to", []string{"DESCRIPTION:Raum: https://matrix.to/#/#it-hilfe:stadt.de"}, "https://matrix.to/#/#it-hilfe:stadt.de"},
		{"OpenTalk", []string{"LOCATION:https://controller.opentalk.eu/room/1234"}, "https://controller.opentalk.eu/room/1234"},
		{"Zoom", []string{"DESCRIPTION:Join: https://us02web.zoom.us/j/123456789?pwd=abc"}, "https://us02web.zoom.us/j/123456789?pwd=abc"},
		{"Teams", []string{"DESCRIPTION:<https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0?context=%7b%7d>"}, "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0?context=%7b%7d"},
		{"Webex", []string{"LOCATION:https://stadt.webex.com/meet/buergermeister"}, "https://stadt.webex.com/meet/buergermeister"},
		{"Google Meet", []string{"DESCRIPTION:https://meet.google.com/abc-defg-hij"}, "https://meet.google.com/abc-defg-hij"},
		{"any https link in CONFERENCE", []string{"CONFERENCE;VALUE=URI;FEATURE=VIDEO:https://video.stadt.de/r/42"}, "https://video.stadt.de/r/42"},
		{"conference property wins over LOCATION", []string{"LOCATION:https://meet.jit.si/Alt", "X-GOOGLE-CONFERENCE:https://meet.google.com/new-link-xyz"}, "https://meet.google.com/new-link-xyz"},
		{"Teams property", []string{"DESCRIPTION:nix", "X-MICROSOFT-SKYPETEAMSMEETINGURL:https://teams.microsoft.com/l/meetup-join/abc"}, "https://teams.microsoft.com/l/meetup-join/abc"},
		{"URL before DESCRIPTION", []string{"DESCRIPTION:https://meet.jit.si/B", "URL:https://meet.jit.si/A"}, "https://meet.jit.si/A"},
		{"a phone number in CONFERENCE is skipped", []string{"CONFERENCE:tel:+49-30-123", "LOCATION:https://meet.jit.si/Telefon"}, "https://meet.jit.si/Telefon"},
		{"ordinary web pages are not join links", []string{"URL:https://www.stadt.de/rathaus", "DESCRIPTION:Agenda https://wiki.stadt.de/agenda"}, ""},
		{"http links to the plain home page are not rooms", []string{"LOCATION:https://meet.jit.si/"}, ""},
		{"javascript: is never returned", []string{"CONFERENCE:javascript:alert(1)", "URL:javascript://meet.jit.si/%0aalert(1)"}, ""},
		{"javascript: around a real link gives only the link", []string{"LOCATION:javascript:location='https://meet.jit.si/Echt'"}, "https://meet.jit.si/Echt"},
		{"user info is refused", []string{"LOCATION:https://meet.jit.si@evil.example/x"}, ""},
		{"free text without a property name", []string{"Treffen: https://meet.jit.si/Frei!"}, "https://meet.jit.si/Frei"},
		{"uppercase scheme", []string{"LOCATION:HTTPS://MEET.JIT.SI/Gross"}, "https://MEET.JIT.SI/Gross"},
		{"nothing", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := JoinURL(tt.props...); got != tt.want {
				t.Errorf("JoinURL(%q) = %q, want %q", tt.props, got, tt.want)
			}
		})
	}
}

func TestDeepLink(t *testing.T) {
	if got := deepLink("https://cloud.stadt.de/apps/calendar/edit/{uid}", "a b/c&d"); got != "https://cloud.stadt.de/apps/calendar/edit/a%20b%2Fc%26d" {
		t.Errorf("got %q", got)
	}
	if got := deepLink("https://cloud.stadt.de/apps/calendar", "x"); got != "https://cloud.stadt.de/apps/calendar" {
		t.Errorf("got %q", got)
	}
}
