package files

import "testing"

func TestWebLink(t *testing.T) {
	const nc = "https://cloud.example/apps/files/?dir={dir}&openfile={fileid}"
	tests := []struct {
		template, rel, fileID, want string
	}{
		{nc, "Bau & Planung/Plan #1 (50%).pdf", "4713",
			"https://cloud.example/apps/files/?dir=/Bau%20%26%20Planung&openfile=4713"},
		{nc, "C++ Notizen+.txt", "4715", "https://cloud.example/apps/files/?dir=/&openfile=4715"},
		{nc, "a.txt", "", "https://cloud.example/apps/files/?dir=/&openfile="},
		{"https://files.example/view{path}", "Dokumente/Übersicht Haushalt 2026.xlsx", "",
			"https://files.example/view/Dokumente/%C3%9Cbersicht%20Haushalt%202026.xlsx"},
		{"https://files.example/f/{fileid}", "x", "a/b&c", "https://files.example/f/a%2Fb%26c"},
		{"https://cloud.example/apps/files/", "a/b.txt", "1", "https://cloud.example/apps/files/"},
		{"", "a/b.txt", "1", ""},
	}
	for _, tt := range tests {
		if got := webLink(tt.template, tt.rel, tt.fileID); got != tt.want {
			t.Errorf("webLink(%q, %q, %q) =\n %q, want\n %q", tt.template, tt.rel, tt.fileID, got, tt.want)
		}
	}
}
