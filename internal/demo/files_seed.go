package demo

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// seedFile is one sample file, last modified age before now. Its path is
// relative to the user's root, "/" separated.
type seedFile struct {
	path string
	age  time.Duration
}

const day = 24 * time.Hour

// filesOf lists a demo user's sample files. Names carry umlauts, spaces,
// "#", "%" and "&" as real office files do, one folder is nested two
// levels deep, and a LibreOffice lock file (hidden, newest of all) sits
// beside the spreadsheet being edited.
// Dates in names are those of now's calendar day (pass it in the
// tenant's zone).
func filesOf(login string, now time.Time) []seedFile {
	next := strconv.Itoa(now.Year() + 1)
	// The minutes of last week's Jour fixe (see sampleEvents).
	protocol := "Protokoll Amtsleitung " + now.AddDate(0, 0, 2-7).Format("2006-01-02") + ".docx"
	project := "Projekte/Digitalisierung Bürgerservice/"
	if login == loginAdmin {
		return []seedFile{
			{path: "IT-Sicherheitskonzept Entwurf v3.docx", age: 14 * time.Minute},
			{path: "Lizenzübersicht Fachverfahren.xlsx", age: 3 * time.Hour},
			{path: project + "Schnittstellen #1 – 100% OZG-Leistungen.pdf", age: 26 * time.Hour},
			{path: project + "Architektur/Übersicht Server & Netze.pdf", age: 2 * day},
			{path: protocol, age: 4*day + time.Hour},
			{path: "Dienstanweisung Homeoffice.pdf", age: 6 * day},
			{path: "Vorlagen/Checkliste neue Mitarbeitende.docx", age: 40 * day},
		}
	}
	return []seedFile{
		{path: ".~lock.Haushaltsplan " + next + " Entwurf.xlsx#", age: time.Minute},
		{path: "Haushaltsplan " + next + " Entwurf.xlsx", age: 9 * time.Minute},
		{path: project + "Konzept Online-Terminvergabe.docx", age: 2 * time.Hour},
		{path: project + "Zeitplan & Meilensteine.xlsx", age: 27 * time.Hour},
		{path: project + "Förderantrag #2 (Quote 80%).pdf", age: 2 * day},
		{path: protocol, age: 4*day + time.Hour},
		{path: "Dienstanweisung Homeoffice.pdf", age: 6 * day},
		{path: "Formulare/Antrag Anwohnerparkausweis.pdf", age: 10 * day},
		{path: "Vorlagen/Briefbogen Stadt Musterstadt.dotx", age: 30 * day},
	}
}

// seedFiles writes every user's sample files below dir and returns the
// root the WebDAV server serves: URL path /webdav/{login}/x is the file
// root/webdav/{login}/x.
func seedFiles(dir string, users map[string]string, now time.Time) (string, error) {
	root := filepath.Join(dir, "files")
	for login := range users {
		home := filepath.Join(root, filepath.FromSlash(strings.Trim(filesPath(login), "/")))
		if err := os.MkdirAll(home, 0o700); err != nil {
			return "", fmt.Errorf("demo: seed files: %w", err)
		}
		// folder -> newest modification time of anything in it
		folders := map[string]time.Time{}
		for _, f := range filesOf(login, now) {
			p := filepath.Join(home, filepath.FromSlash(f.path))
			if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
				return "", fmt.Errorf("demo: seed files: %w", err)
			}
			content := fmt.Sprintf("Demo-Datei der Stadtverwaltung Musterstadt: %s\n", f.path)
			if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
				return "", fmt.Errorf("demo: seed files: %w", err)
			}
			mod := now.Add(-f.age)
			if err := os.Chtimes(p, mod, mod); err != nil {
				return "", fmt.Errorf("demo: seed files: %w", err)
			}
			for d := filepath.Dir(p); d != home; d = filepath.Dir(d) {
				if mod.After(folders[d]) {
					folders[d] = mod
				}
			}
		}
		// Folders get the time of their newest content, as on a real server.
		for d, mod := range folders {
			if err := os.Chtimes(d, mod, mod); err != nil {
				return "", fmt.Errorf("demo: seed files: %w", err)
			}
		}
	}
	return root, nil
}
