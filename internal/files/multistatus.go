package files

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxBody bounds one PROPFIND or SEARCH response. A Depth: 1 listing of a
// folder with 20,000 files is about 10 MiB.
const maxBody = 16 << 20

// errTooLarge means a response was longer than maxBody.
var errTooLarge = errors.New("response larger than 16 MiB")

// entry is one <response> of a multistatus with the properties Pforte uses.
type entry struct {
	Href        string
	Collection  bool
	Modified    time.Time
	Size        int64
	ContentType string
	FileID      string
}

// The XML shapes of RFC 4918 section 14. Element names carry no namespace
// so that servers that put DAV elements in no or a wrong namespace still
// work; prefixes never matter because encoding/xml resolves them.
type xmlResponse struct {
	Href      string        `xml:"href"`
	Propstats []xmlPropstat `xml:"propstat"`
}

type xmlPropstat struct {
	Status string   `xml:"status"`
	Prop   xmlProps `xml:"prop"`
}

type xmlProps struct {
	LastModified  string           `xml:"getlastmodified"`
	ContentLength string           `xml:"getcontentlength"`
	ContentType   string           `xml:"getcontenttype"`
	ResourceType  *xmlResourceType `xml:"resourcetype"`
	FileID        string           `xml:"http://owncloud.org/ns fileid"`
}

type xmlResourceType struct {
	Collection *struct{} `xml:"collection"`
}

// The parser is Pforte's own rather than github.com/emersion/go-webdav's:
// that module's XML types are internal, and its public Client.ReadDir
// cannot ask for oc:fileid, does not speak SEARCH and decodes a whole
// answer into memory without a size limit.

// parseMultistatus reads a 207 Multi-Status body from r, at most limit
// bytes, and calls fn for every response that has properties. It streams,
// so memory stays bounded by one <response> whatever the body holds.
func parseMultistatus(r io.Reader, limit int64, fn func(entry) error) error {
	d := xml.NewDecoder(&capReader{r: r, left: limit})
	root := false
	for {
		tok, err := d.Token()
		if err != nil {
			if err == io.EOF && root {
				err = io.ErrUnexpectedEOF
			} else if err == io.EOF {
				err = errors.New("no multistatus element")
			}
			return fmt.Errorf("multistatus: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if !root {
				if t.Name.Local != "multistatus" {
					return fmt.Errorf("multistatus: root element is %q", t.Name.Local)
				}
				root = true
				continue
			}
			if t.Name.Local != "response" {
				if err := d.Skip(); err != nil {
					return fmt.Errorf("multistatus: %w", err)
				}
				continue
			}
			var resp xmlResponse
			if err := d.DecodeElement(&resp, &t); err != nil {
				return fmt.Errorf("multistatus: %w", err)
			}
			if e, ok := resp.entry(); ok {
				if err := fn(e); err != nil {
					return err
				}
			}
		case xml.EndElement:
			return nil // the end of <multistatus>: anything after it is ignored
		}
	}
}

// entry merges the properties of the successful propstats. A response
// without any (a 404 for the whole resource) gives ok == false.
func (r *xmlResponse) entry() (entry, bool) {
	e := entry{Href: strings.TrimSpace(r.Href)}
	ok := false
	for _, ps := range r.Propstats {
		if !statusOK(ps.Status) {
			continue
		}
		ok = true
		p := ps.Prop
		if p.ResourceType != nil && p.ResourceType.Collection != nil {
			e.Collection = true
		}
		if s := strings.TrimSpace(p.LastModified); s != "" {
			e.Modified = parseTime(s)
		}
		if n, err := strconv.ParseInt(strings.TrimSpace(p.ContentLength), 10, 64); err == nil && n > 0 {
			e.Size = n
		}
		if s := strings.TrimSpace(p.ContentType); s != "" {
			e.ContentType = s
		}
		if s := strings.TrimSpace(p.FileID); s != "" {
			e.FileID = s
		}
	}
	return e, ok && e.Href != ""
}

// statusOK reports whether a propstat status line ("HTTP/1.1 200 OK") is
// 2xx. A missing status counts as success, as some servers omit it.
func statusOK(line string) bool {
	f := strings.Fields(line)
	if len(f) == 0 {
		return true
	}
	return len(f) >= 2 && len(f[1]) == 3 && f[1][0] == '2'
}

// parseTime reads getlastmodified, which RFC 4918 says is an HTTP date;
// a few servers send RFC 3339 instead. Unreadable dates are zero.
func parseTime(s string) time.Time {
	if t, err := http.ParseTime(s); err == nil {
		return t.UTC()
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC()
	}
	return time.Time{}
}

// capReader fails with errTooLarge instead of silently truncating, so a
// cut-off body is reported rather than parsed as a short listing.
type capReader struct {
	r    io.Reader
	left int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.left <= 0 {
		// Tell a body of exactly the limit from a longer one.
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			return 0, errTooLarge
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}
