package helm_test

import (
	"slices"
	"strings"
	"testing"
)

// flagValue returns the argument after flag in a Redis command line.
func flagValue(args []any, flag string) string {
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			s, _ := args[i+1].(string)
			return s
		}
	}
	return ""
}

// TestChartBundledRedisKeepsRecords: the chart's own Redis writes an
// append-only file (fsync every second) to a PersistentVolumeClaim that
// outlives `helm uninstall`, never evicts records, and is ready only once it
// answers PING (not while it loads its file), so Pforte's durability check
// passes on it.
func TestChartBundledRedisKeepsRecords(t *testing.T) {
	objs := render(t, "redis.existingSecret=", "redis.enabled=true")
	dep := need(t, objs, "Deployment/pforte-redis")
	ctr := at(dep, "spec", "template", "spec", "containers", 0)
	args := list(ctr, "args")
	for flag, want := range map[string]string{"--appendonly": "yes", "--appendfsync": "everysec", "--maxmemory-policy": "noeviction", "--maxmemory": "200mb"} {
		if got := flagValue(args, flag); got != want {
			t.Errorf("redis %s = %q, want %q (args %v)", flag, got, want, args)
		}
	}

	pvc := need(t, objs, "PersistentVolumeClaim/pforte-redis")
	if str(pvc, "spec", "resources", "requests", "storage") != "1Gi" || !slices.Contains(list(pvc, "spec", "accessModes"), any("ReadWriteOnce")) {
		t.Errorf("redis claim = %v", at(pvc, "spec"))
	}
	if str(pvc, "metadata", "annotations", "helm.sh/resource-policy") != "keep" {
		t.Errorf("the claim would be deleted by helm uninstall: %v", at(pvc, "metadata"))
	}
	vol := at(dep, "spec", "template", "spec", "volumes", 0)
	if str(vol, "persistentVolumeClaim", "claimName") != "pforte-redis" || str(ctr, "volumeMounts", 0, "mountPath") != "/data" {
		t.Errorf("redis data is not on the claim: volume %v, mounts %v", vol, at(ctr, "volumeMounts"))
	}
	if cmd := list(ctr, "readinessProbe", "exec", "command"); len(cmd) == 0 || !strings.Contains(cmd[len(cmd)-1].(string), "PONG") {
		t.Errorf("redis readiness probe = %v, want a PING that must answer PONG", at(ctr, "readinessProbe"))
	}

	t.Run("own claim", func(t *testing.T) {
		objs := render(t, "redis.existingSecret=", "redis.enabled=true", "redis.persistence.existingClaim=city-redis")
		if _, ok := objs["PersistentVolumeClaim/pforte-redis"]; ok {
			t.Error("a claim is created although existingClaim is given")
		}
		if got := str(need(t, objs, "Deployment/pforte-redis"), "spec", "template", "spec", "volumes", 0, "persistentVolumeClaim", "claimName"); got != "city-redis" {
			t.Errorf("claimName = %q, want city-redis", got)
		}
	})
}
