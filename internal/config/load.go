package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
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
	expanded := expandEnv(raw, getenv, &probs)

	var cfg Config
	dec := yaml.NewDecoder(bytes.NewReader(expanded))
	dec.KnownFields(true)
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
	probs = append(probs, cfg.validate()...)
	if len(probs) > 0 {
		return &cfg, probs
	}
	return &cfg, nil
}

// expandEnv replaces ${VAR} with its value. A reference to an unset variable
// is a problem: a secret silently expanding to "" is worse than a clear error.
func expandEnv(raw []byte, getenv func(string) string, probs *Problems) []byte {
	lines := bytes.Split(raw, []byte("\n"))
	for i, line := range lines {
		if bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) {
			continue
		}
		lines[i] = envRef.ReplaceAllFunc(line, func(m []byte) []byte {
			name := string(envRef.FindSubmatch(m)[1])
			v := getenv(name)
			if v == "" {
				probs.add(fmt.Sprintf("line %d", i+1),
					fmt.Sprintf("${%s} is not set in the environment: export %s or remove the reference", name, name))
				return nil
			}
			// Quote-safe: values are inserted as plain scalars' content.
			return []byte(strings.ReplaceAll(v, "\n", " "))
		})
	}
	return bytes.Join(lines, []byte("\n"))
}
