package mail

import (
	"cmp"
	"errors"
	"slices"

	"github.com/emersion/go-imap/v2"

	"gitlab.opencode.de/pforte/pforte/internal/upstream"
)

// inbox is the only mailbox the dashboard looks at.
const inbox = "INBOX"

// unread reads INBOX without touching it: STATUS for the count, then
// EXAMINE (read-only, so no flag changes) and UID SEARCH UNSEEN, sent
// together to save round trips, then the envelopes of the newest limit
// unread messages only. Bodies are never fetched.
func (s *session) unread(limit int, link linkTemplate) (Summary, error) {
	statusCmd := s.ic.Status(inbox, &imap.StatusOptions{NumUnseen: true})
	selectCmd := s.ic.Select(inbox, &imap.SelectOptions{ReadOnly: true})
	var searchOpts *imap.SearchOptions
	if s.ic.Caps().Has(imap.CapESearch) {
		searchOpts = &imap.SearchOptions{ReturnAll: true} // ranges, not every UID
	}
	searchCmd := s.ic.UIDSearch(&imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagSeen}}, searchOpts)

	status, err := statusCmd.Wait()
	if err != nil {
		return Summary{}, s.fail("status", err, upstream.KindBadData)
	}
	if status.NumUnseen == nil {
		return Summary{}, s.failAs("status", errors.New("no UNSEEN in the reply"), upstream.KindBadData)
	}
	if _, err := selectCmd.Wait(); err != nil {
		return Summary{}, s.fail("examine", err, upstream.KindBadData)
	}
	found, err := searchCmd.Wait()
	if err != nil {
		return Summary{}, s.fail("search", err, upstream.KindBadData)
	}
	uids, err := newestUIDs(found.All, limit)
	if err != nil {
		return Summary{}, s.failAs("search", err, upstream.KindBadData)
	}
	sum := Summary{Unread: int(*status.NumUnseen)}
	if len(uids) == 0 {
		return sum, nil
	}

	bufs, err := s.ic.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{
		UID: true, Envelope: true, InternalDate: true,
	}).Collect()
	if err != nil {
		return Summary{}, s.fail("fetch", err, upstream.KindBadData)
	}
	sum.Messages = make([]Message, 0, len(bufs))
	for _, b := range bufs {
		if b.UID == 0 || b.Envelope == nil || !slices.Contains(uids, b.UID) {
			continue // not an answer to our FETCH (or a broken one)
		}
		sum.Messages = append(sum.Messages, newMessage(uint32(b.UID), b.Envelope, b.InternalDate, link))
	}
	slices.SortFunc(sum.Messages, func(a, b Message) int { return cmp.Compare(b.UID, a.UID) })
	// Mail that arrived between STATUS and SEARCH must not make the list
	// longer than the count.
	sum.Unread = max(sum.Unread, len(sum.Messages))
	return sum, nil
}

// newestUIDs returns the limit highest UIDs in all (a SEARCH result),
// highest first, without expanding its ranges.
func newestUIDs(all imap.NumSet, limit int) ([]imap.UID, error) {
	if all == nil {
		return nil, nil
	}
	set, ok := all.(imap.UIDSet)
	if !ok {
		return nil, errors.New("search answered sequence numbers, not UIDs")
	}
	ranges := make([]imap.UIDRange, 0, len(set))
	for _, r := range set {
		if r.Start == 0 || r.Stop == 0 {
			return nil, errors.New("search answered an open range")
		}
		if r.Start > r.Stop {
			r.Start, r.Stop = r.Stop, r.Start
		}
		ranges = append(ranges, r)
	}
	slices.SortFunc(ranges, func(a, b imap.UIDRange) int { return cmp.Compare(b.Stop, a.Stop) })
	out := make([]imap.UID, 0, limit)
	for _, r := range ranges {
		hi := r.Stop
		if n := len(out); n > 0 && hi >= out[n-1] {
			if out[n-1] <= r.Start {
				continue // overlaps what we already have
			}
			hi = out[n-1] - 1
		}
		for u := hi; len(out) < limit; u-- {
			out = append(out, u)
			if u == r.Start {
				break
			}
		}
		if len(out) == limit {
			break
		}
	}
	return out, nil
}
