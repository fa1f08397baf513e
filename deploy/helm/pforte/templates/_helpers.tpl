{{/* Names and labels shared by every manifest of the chart. */}}

{{- define "pforte.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "pforte.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "pforte.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "pforte.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "pforte.selectorLabels" -}}
app.kubernetes.io/name: {{ include "pforte.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "pforte.image" -}}
{{- if .Values.image.digest }}
{{- printf "%s@%s" .Values.image.repository .Values.image.digest }}
{{- else }}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end }}
{{- end }}

{{/*
pforte.config is the YAML Pforte reads: the user's `config` plus listen and
store, which the chart owns (redis_url comes from PFORTE_REDIS_URL).
*/}}
{{- define "pforte.config" -}}
{{- $cfg := deepCopy .Values.config }}
{{- $_ := set $cfg "listen" (printf ":%d" (int .Values.containerPort)) }}
{{- $_ := set $cfg "store" (dict "redis_url" "${PFORTE_REDIS_URL}") }}
{{- toYaml $cfg }}
{{- end }}

{{/* pforte.hosts lists every tenant host once, without ports. */}}
{{- define "pforte.hosts" -}}
{{- $hosts := list }}
{{- range .Values.config.tenants }}
{{- range .hosts }}
{{- $hosts = append $hosts (splitList ":" . | first) }}
{{- end }}
{{- end }}
{{- range .Values.ingress.extraHosts }}
{{- $hosts = append $hosts . }}
{{- end }}
{{- toJson ($hosts | uniq) }}
{{- end }}

{{/* pforte.checkRedis fails the render when no Redis is configured. */}}
{{- define "pforte.checkRedis" -}}
{{- $n := 0 }}
{{- if .Values.redis.url }}{{ $n = add1 $n }}{{ end }}
{{- if .Values.redis.existingSecret }}{{ $n = add1 $n }}{{ end }}
{{- if .Values.redis.enabled }}{{ $n = add1 $n }}{{ end }}
{{- if ne (int $n) 1 }}
{{- fail "set exactly one of redis.url, redis.existingSecret or redis.enabled: every Pforte replica must share one Redis (see docs/store.md)" }}
{{- end }}
{{- if not .Values.config.tenants }}
{{- fail "config.tenants is empty: add at least one city (see values-two-cities.yaml)" }}
{{- end }}
{{- end }}

{{/* The portal's pods, told apart from the optional Redis of the release. */}}
{{- define "pforte.portalSelectorLabels" -}}
{{ include "pforte.selectorLabels" . }}
app.kubernetes.io/component: portal
{{- end }}
