package config

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"
)

// commentedValue is a value YAML read as a comment: `primary_color: #007a3d`.
var commentedValue = regexp.MustCompile(`^#[0-9A-Za-z]`)

// lint walks the YAML document against Config's fields: an unknown key is
// named by its path with the closest known key, and a value lost to an
// unquoted # (YAML's comment sign) is an error instead of a silent default.
// It returns the line of every path, so problems can be traced to lines.
func lint(raw []byte, probs *Problems) map[string]int {
	lines := map[string]int{}
	var doc yaml.Node
	if yaml.Unmarshal(raw, &doc) != nil || len(doc.Content) == 0 {
		return lines // Decode reports the syntax error
	}
	walk(doc.Content[0], reflect.TypeOf(Config{}), "", lines, probs)
	return lines
}

func walk(n *yaml.Node, t reflect.Type, path string, lines map[string]int, probs *Problems) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case n.Kind == yaml.SequenceNode && t.Kind() == reflect.Slice:
		for i, item := range n.Content {
			walk(item, t.Elem(), fmt.Sprintf("%s[%d]", path, i), lines, probs)
		}
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Struct:
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := joinPath(path, k.Value)
			lines[p] = k.Line
			ft, ok := fields[k.Value]
			if !ok {
				probs.add(p, "unknown key"+didYouMean(k.Value, fields))
				continue
			}
			if v.Kind == yaml.ScalarNode && v.Tag == "!!null" && v.Value == "" {
				if c := strings.TrimSpace(firstNonEmpty(v.LineComment, k.LineComment)); commentedValue.MatchString(c) {
					val := strings.Fields(c)[0]
					probs.add(p, fmt.Sprintf("is empty because # starts a YAML comment: quote it: %s: \"%s\"", k.Value, val))
				}
			}
			walk(v, ft, p, lines, probs)
		}
	}
}

// yamlFields maps a struct's YAML keys to their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

// didYouMean names the known key closest to key, when one is close enough
// to be a typo.
func didYouMean(key string, fields map[string]reflect.Type) string {
	best, dist := "", 1<<30
	for k := range fields {
		if d := editDistance(key, k); d < dist || (d == dist && k < best) {
			best, dist = k, d
		}
	}
	if best == "" || dist > 2 && dist > len(key)/3 {
		return " (see docs/config.md for the keys here)"
	}
	return "; did you mean " + best + "?"
}

// editDistance is the Levenshtein distance of a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
