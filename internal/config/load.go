package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// Load reads the YAML file at path, expands ${VAR} references from getenv,
// applies defaults and validates. The returned error is a Problems value
// listing every mistake at once when the file parses but is invalid.
func Load(path string, getenv func(string) string) (*Config, error) {
	raw, err := os.ReadFile(path) // #nosec G304 -- the configuration file the operator names
	if err != nil {
		return nil, fmt.Errorf("config: read %s: %w", path, err)
	}
	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return Parse(raw, abs, getenv)
}

// Parse is Load for bytes already read; baseDir resolves relative asset paths.
func Parse(raw []byte, baseDir string, getenv func(string) string) (*Config, error) {
	var probs Problems
	expanded, unsetLines := expandEnv(raw, getenv, &probs)
	lines := lint(expanded, &probs) // unknown keys, values lost to a # comment

	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(expanded))
	if err := dec.Decode(&cfg); err != nil {
		var te *yaml.TypeError
		switch {
		case errors.As(err, &te):
			for _, m := range te.Errors {
				probs.add("", m+" (check the key's spelling and type against docs/config.md)")
			}
		case errors.Is(err, io.EOF):
			probs.add("", "the file is empty: start from the example in docs/config.md")
		default:
			return nil, fmt.Errorf("config: %w (the file is not valid YAML)", err)
		}
	}
	cfg.BaseDir = baseDir
	cfg.applyDefaults(getenv)
	for _, p := range cfg.validate() {
		// A value from an unset ${VAR} is reported once, as that variable.
		if l, ok := lines[p.Path]; !ok || !unsetLines[l] {
			probs = append(probs, p)
		}
	}
	if len(probs) > 0 {
		return &cfg, probs
	}
	return &cfg, nil
}

// expandEnv replaces ${VAR} with its value. A reference to an unset variable
// is a problem, reported once per name with the lines using it: a secret
// silently expanding to "" is worse than a clear error. It returns the
// lines that had an unset reference.
func expandEnv(raw []byte, getenv func(string) string, probs *Problems) ([]byte, map[int]bool) {
	lines := bytes.Split(raw, []byte("\n"))
	unset := map[string][]string{}
	var order []string
	unsetLines := map[int]bool{}
	for i, line := range lines {
		if bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) {
			continue
		}
		lines[i] = envRef.ReplaceAllFunc(line, func(m []byte) []byte {
			name := string(envRef.FindSubmatch(m)[1])
			v := getenv(name)
			if v == "" {
				if _, seen := unset[name]; !seen {
					order = append(order, name)
				}
				unset[name] = append(unset[name], strconv.Itoa(i+1))
				unsetLines[i+1] = true
				return nil
			}
			// Quote-safe: values are inserted as plain scalars' content.
			return []byte(strings.ReplaceAll(v, "\n", " "))
		})
	}
	for _, name := range order {
		where := "line "
		if len(unset[name]) > 1 {
			where = "lines "
		}
		probs.add("${"+name+"}", fmt.Sprintf("is not set in the environment (%s%s): export %s or remove the reference",
			where, strings.Join(unset[name], ", "), name))
	}
	return bytes.Join(lines, []byte("\n")), unsetLines
}
