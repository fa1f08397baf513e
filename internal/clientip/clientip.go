// Package clientip finds the address of the client behind trusted proxies,
// for rate limits: only what a trusted proxy wrote into X-Forwarded-For
// counts.
package clientip

import (
	"net/netip"
	"strings"
)

// Trusted are the configured trusted_proxies as prefixes.
type Trusted []netip.Prefix

// ParseTrusted reads IPs and CIDRs (config validation already refused
// anything else; a leftover bad entry is skipped).
func ParseTrusted(list []string) Trusted {
	var out Trusted
	for _, p := range list {
		if pfx, err := netip.ParsePrefix(p); err == nil {
			out = append(out, pfx.Masked())
		} else if ip, err := netip.ParseAddr(p); err == nil {
			out = append(out, netip.PrefixFrom(ip.Unmap(), ip.Unmap().BitLen()))
		}
	}
	return out
}

func (t Trusted) contains(ip netip.Addr) bool {
	ip = ip.Unmap()
	for _, p := range t {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// Of is the client's address: the peer, or, when the peer is a trusted
// proxy, the right-most X-Forwarded-For address (forwarded holds every
// such header line) that is not a trusted proxy. Everything left of it was
// written by the client and may be invented; values that are not IP
// addresses are skipped. (Fiber's c.IP() returns the raw header, so
// "<chosen>, 127.0.0.1" or "not-an-ip-N" became fresh rate-limit keys.)
func (t Trusted) Of(peer netip.Addr, forwarded [][]byte) string {
	peer = peer.Unmap()
	if !t.contains(peer) {
		return peer.String()
	}
	var hops []string
	for _, h := range forwarded {
		hops = append(hops, strings.Split(string(h), ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			continue
		}
		if ip = ip.Unmap(); !t.contains(ip) {
			return ip.String()
		}
	}
	return peer.String()
}
