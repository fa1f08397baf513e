// Package helm_test checks the Helm chart with the real helm: it lints, it
// renders manifests a cluster would accept for two cities, and the config
// it renders is one Pforte itself accepts.
package helm_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"gitlab.opencode.de/pforte/pforte/internal/config"
	"gitlab.opencode.de/pforte/pforte/internal/testenv"
)

const (
	chart     = "pforte"
	twoCities = "pforte/values-two-cities.yaml"
	// kubeVersion is what the manifests are rendered for (the chart needs
	// >= 1.25; 1.30 adds the preStop sleep).
	kubeVersion = "1.31.0"
)

// helm runs the helm binary the test stack built, with its own empty
// config and cache folders.
func helm(t *testing.T, args ...string) (string, error) {
	t.Helper()
	bin := testenv.Server(t, "PFORTE_TEST_HELM")
	home := t.TempDir()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(),
		"HELM_CONFIG_HOME="+filepath.Join(home, "config"),
		"HELM_CACHE_HOME="+filepath.Join(home, "cache"),
		"HELM_DATA_HOME="+filepath.Join(home, "data"))
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if err != nil {
		return out.String() + errOut.String(), err
	}
	return out.String(), nil
}

func TestChartLints(t *testing.T) {
	out, err := helm(t, "lint", "--strict", "--kube-version", kubeVersion, chart, "-f", twoCities)
	if err != nil {
		t.Fatalf("helm lint --strict with the two-city values failed: %v\n%s", err, out)
	}
	if !strings.Contains(out, "1 chart(s) linted, 0 chart(s) failed") {
		t.Errorf("helm lint output:\n%s", out)
	}
}

// manifest is one rendered Kubernetes object.
type manifest = map[string]any

func render(t *testing.T, set ...string) map[string]manifest {
	t.Helper()
	args := []string{"template", "pforte", chart, "-f", twoCities, "--kube-version", kubeVersion}
	for _, s := range set {
		args = append(args, "--set", s)
	}
	out, err := helm(t, args...)
	if err != nil {
		t.Fatalf("helm template: %v\n%s", err, out)
	}
	objs := map[string]manifest{}
	dec := yaml.NewDecoder(strings.NewReader(out))
	for {
		var m manifest
		err := dec.Decode(&m)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("rendered YAML does not parse: %v", err)
		}
		if m == nil {
			continue
		}
		key := str(m, "kind") + "/" + str(m, "metadata", "name")
		if _, dup := objs[key]; dup {
			t.Errorf("%s is rendered twice", key)
		}
		objs[key] = m
	}
	return objs
}

// at walks maps and lists: at(m, "spec", "rules", 0, "host").
func at(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

func mapAt(v any, path ...any) map[string]any { m, _ := at(v, path...).(map[string]any); return m }

func str(v any, path ...any) string { s, _ := at(v, path...).(string); return s }

func list(v any, path ...any) []any { l, _ := at(v, path...).([]any); return l }

func need(t *testing.T, objs map[string]manifest, key string) manifest {
	t.Helper()
	m, ok := objs[key]
	if !ok {
		keys := make([]string, 0, len(objs))
		for k := range objs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		t.Fatalf("no %s rendered; have %v", key, keys)
	}
	return m
}

func TestChartRendersTwoCities(t *testing.T) {
	objs := render(t)
	dep := need(t, objs, "Deployment/pforte")
	pod := at(dep, "spec", "template")
	ctr := at(pod, "spec", "containers", 0)

	t.Run("replicas behind a disruption budget", func(t *testing.T) {
		if r, _ := at(dep, "spec", "replicas").(int); r != 3 {
			t.Errorf("replicas = %v, want 3", at(dep, "spec", "replicas"))
		}
		pdb := need(t, objs, "PodDisruptionBudget/pforte")
		if at(pdb, "spec", "minAvailable") != 1 {
			t.Errorf("PDB minAvailable = %v, want 1", at(pdb, "spec", "minAvailable"))
		}
		podLabels := mapAt(pod, "metadata", "labels")
		for _, sel := range []map[string]any{mapAt(pdb, "spec", "selector", "matchLabels"), mapAt(need(t, objs, "Service/pforte"), "spec", "selector")} {
			if len(sel) == 0 {
				t.Errorf("an empty selector selects every pod")
			}
			for k, v := range sel {
				if podLabels[k] != v {
					t.Errorf("selector %s=%v does not match the pods (%v)", k, v, podLabels)
				}
			}
		}
	})

	t.Run("non-root with a read-only root file system", func(t *testing.T) {
		if at(pod, "spec", "securityContext", "runAsNonRoot") != true || at(pod, "spec", "securityContext", "runAsUser") != 65532 {
			t.Errorf("pod securityContext = %v", at(pod, "spec", "securityContext"))
		}
		sc := at(ctr, "securityContext")
		if at(sc, "readOnlyRootFilesystem") != true || at(sc, "allowPrivilegeEscalation") != false || str(sc, "capabilities", "drop", 0) != "ALL" {
			t.Errorf("container securityContext = %v", sc)
		}
		if at(pod, "spec", "automountServiceAccountToken") != false {
			t.Errorf("the pod mounts a service account token it never uses")
		}
	})

	t.Run("probes", func(t *testing.T) {
		for probe, path := range map[string]string{"livenessProbe": "/healthz", "readinessProbe": "/readyz"} {
			if str(ctr, probe, "httpGet", "path") != path || str(ctr, probe, "httpGet", "port") != "http" {
				t.Errorf("%s = %v, want GET %s on port http", probe, at(ctr, probe), path)
			}
		}
		if str(ctr, "ports", 0, "name") != "http" || at(ctr, "ports", 0, "containerPort") != 3000 {
			t.Errorf("ports = %v", at(ctr, "ports"))
		}
	})

	t.Run("an ingress for every tenant host", func(t *testing.T) {
		ing := need(t, objs, "Ingress/pforte")
		var hosts []string
		for _, r := range list(ing, "spec", "rules") {
			hosts = append(hosts, str(r, "host"))
			if str(r, "http", "paths", 0, "backend", "service", "name") != "pforte" {
				t.Errorf("rule %s routes to %v, want the pforte Service", str(r, "host"), at(r, "http", "paths", 0, "backend"))
			}
		}
		want := []string{"portal.muenchen.example", "mitarbeiter.muenchen.example", "portal.augsburg.example"}
		if !slices.Equal(hosts, want) {
			t.Errorf("ingress hosts = %v, want %v", hosts, want)
		}
		tls := list(ing, "spec", "tls")
		if len(tls) != 2 || str(tls[0], "secretName") != "portal-muenchen-tls" || str(tls[1], "secretName") != "portal-augsburg-tls" || len(list(tls[0], "hosts")) != 2 {
			t.Errorf("ingress tls = %v, want one certificate per city with all its hosts", tls)
		}
		if str(ing, "metadata", "annotations", "nginx.ingress.kubernetes.io/proxy-buffering") != "off" {
			t.Errorf("ingress does not turn proxy buffering off: live announcements (SSE) would stall")
		}
	})

	t.Run("the config is one Pforte accepts", func(t *testing.T) {
		raw := str(need(t, objs, "ConfigMap/pforte"), "data", "pforte.yaml")
		mountsConfig := false
		for _, m := range list(ctr, "volumeMounts") {
			mountsConfig = mountsConfig || (str(m, "mountPath") == "/etc/pforte/pforte.yaml" && str(m, "subPath") == "pforte.yaml")
		}
		if !mountsConfig || envValue(ctr, "PFORTE_CONFIG") != "/etc/pforte/pforte.yaml" {
			t.Errorf("the config map is not mounted where PFORTE_CONFIG points")
		}
		// The branding ConfigMap is mounted next to it as branding/.
		base := t.TempDir()
		for _, f := range []string{"muenchen-logo.svg", "augsburg-logo.svg"} {
			writeFile(t, filepath.Join(base, "branding", f), `<svg xmlns="http://www.w3.org/2000/svg"/>`)
		}
		for _, f := range []string{"muenchen-icon.png", "augsburg-icon.png"} {
			writeFile(t, filepath.Join(base, "branding", f), "\x89PNG\r\n\x1a\n")
		}
		vars := map[string]bool{}
		for _, m := range envRef.FindAllStringSubmatch(raw, -1) {
			vars[m[1]] = true
		}
		cfg, err := config.Parse([]byte(raw), base, func(k string) string {
			if !vars[k] {
				return "" // e.g. PORT: the platform's, not the config's
			}
			if k == "PFORTE_REDIS_URL" {
				return "redis-sentinel://:pw@sentinel-0:26379,sentinel-1:26379/pforte?db=0"
			}
			return "value-of-" + k + "-Zq8vT3xLm0Wc5pR" // a secret_key strong enough to pass
		})
		if err != nil {
			t.Fatalf("Pforte refuses the rendered config: %v\n%s", err, raw)
		}
		if cfg.Listen != ":3000" || cfg.Store.RedisURL == "" || len(cfg.Tenants) != 2 {
			t.Errorf("rendered config: listen %q, redis %q, %d tenants", cfg.Listen, cfg.Store.RedisURL, len(cfg.Tenants))
		}
		// Every ${VAR} comes from the Deployment's env or from the Secret
		// that values-two-cities.yaml tells how to create.
		if str(ctr, "envFrom", 0, "secretRef", "name") != "pforte-secrets" {
			t.Errorf("envFrom = %v, want the Secret pforte-secrets", at(ctr, "envFrom"))
		}
		if str(envEntry(ctr, "PFORTE_REDIS_URL"), "valueFrom", "secretKeyRef", "name") != "pforte-redis" {
			t.Errorf("PFORTE_REDIS_URL is not taken from the Secret pforte-redis: %v", at(ctr, "env"))
		}
		documented := secretKeysDocumented(t)
		for v := range vars {
			if v != "PFORTE_REDIS_URL" && !documented[v] {
				t.Errorf("the config needs ${%s}, but values-two-cities.yaml does not say to put it in pforte-secrets", v)
			}
		}
	})
}

func TestChartBundlesRedisWhenAsked(t *testing.T) {
	objs := render(t, "redis.existingSecret=", "redis.enabled=true")
	redisSvc := need(t, objs, "Service/pforte-redis")
	redisDep := need(t, objs, "Deployment/pforte-redis")
	ctr := at(need(t, objs, "Deployment/pforte"), "spec", "template", "spec", "containers", 0)
	if got := envValue(ctr, "PFORTE_REDIS_URL"); got != "redis://pforte-redis:6379/0" {
		t.Errorf("PFORTE_REDIS_URL = %q, want the bundled Redis Service", got)
	}
	if at(redisSvc, "spec", "ports", 0, "port") != 6379 {
		t.Errorf("redis Service ports = %v", at(redisSvc, "spec", "ports"))
	}
	// The portal's Service must never send web traffic to the Redis pod.
	redisLabels := mapAt(redisDep, "spec", "template", "metadata", "labels")
	matches := true
	for k, v := range mapAt(need(t, objs, "Service/pforte"), "spec", "selector") {
		matches = matches && redisLabels[k] == v
	}
	if matches {
		t.Errorf("the pforte Service selects the Redis pod too (labels %v)", redisLabels)
	}
	if at(redisDep, "spec", "template", "spec", "containers", 0, "securityContext", "readOnlyRootFilesystem") != true {
		t.Errorf("the bundled Redis runs with a writable root file system")
	}
}

// A chart without any Redis would start replicas that do not share
// sessions: it must refuse to render, saying what to set.
func TestChartRefusesToRenderWithoutRedis(t *testing.T) {
	out, err := helm(t, "template", "pforte", chart, "-f", twoCities, "--kube-version", kubeVersion, "--set", "redis.existingSecret=")
	if err == nil || !strings.Contains(out, "set exactly one of redis.url, redis.existingSecret or redis.enabled") {
		t.Errorf("rendering without Redis: err %v, output:\n%s", err, out)
	}
	out, err = helm(t, "template", "pforte", chart, "--kube-version", kubeVersion, "--set", "redis.url=redis://r:6379/0")
	if err == nil || !strings.Contains(out, "tenants") {
		t.Errorf("rendering without any tenant: err %v, output:\n%s", err, out)
	}
}

func envEntry(ctr any, name string) any {
	for _, e := range list(ctr, "env") {
		if str(e, "name") == name {
			return e
		}
	}
	return nil
}

func envValue(ctr any, name string) string { return str(envEntry(ctr, name), "value") }

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

var fromLiteral = regexp.MustCompile(`--from-literal=([A-Z0-9_]+)=`)

// secretKeysDocumented lists the keys values-two-cities.yaml tells the
// reader to put into the Secret pforte-secrets.
func secretKeysDocumented(t *testing.T) map[string]bool {
	t.Helper()
	raw, err := os.ReadFile(twoCities)
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]bool{}
	section := string(raw)[:strings.Index(string(raw), "pforte-redis")]
	for _, m := range fromLiteral.FindAllStringSubmatch(section, -1) {
		keys[m[1]] = true
	}
	return keys
}

func writeFile(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
