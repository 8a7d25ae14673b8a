{{- /*
Shared helpers of the cxauth charts. This file is identical in charts/auth-api, charts/auth-ui and
charts/environment-api (a test checks it): Helm shares `define`s between a parent chart and its
subcharts, so the copies must never diverge. What differs per service is looked up by .Chart.Name
in "cxauth.feature".
*/ -}}

{{/* Per-service facts: URL path behind the shared host, entry points, which backing services it uses. */}}
{{- define "cxauth.features" -}}
auth-api:
  path: /auth
  exactPaths: []
  main: dist/apps/auth-api/src/main.js
  migrate: dist/apps/auth-api/src/migrate.js
  storage: true
  publicUrl: required
  configServer: true
  callsAuthApi: false
  location: true
auth-ui:
  path: /ui/auth
  # The product's old sign-in path; more specific than auth-api's /auth prefix.
  exactPaths: [/auth/sign-in.html]
  main: dist/apps/auth-ui/src/main.js
  migrate: ""
  storage: false
  publicUrl: optional
  configServer: false
  callsAuthApi: true
  location: false
environment-api:
  path: /environment
  exactPaths: []
  main: dist/apps/environment-api/src/main.js
  migrate: dist/apps/environment-api/src/migrate.js
  storage: true
  publicUrl: ""
  configServer: false
  callsAuthApi: true
  location: true
{{- end -}}

{{/* Usage: include "cxauth.feature" (list . "storage") -> "true" / "false" / a string. */}}
{{- define "cxauth.feature" -}}
{{- $ctx := index . 0 -}}
{{- $features := include "cxauth.features" $ctx | fromYaml -}}
{{- $mine := required (printf "cxauth charts: unknown chart name %q" $ctx.Chart.Name) (get $features $ctx.Chart.Name) -}}
{{- get $mine (index . 1) -}}
{{- end -}}

{{- define "cxauth.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "cxauth.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* The name auth-api's Service gets in the same release (umbrella or a release named after it). */}}
{{- define "cxauth.authApiFullname" -}}
{{- if contains "auth-api" .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-auth-api" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "cxauth.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cxauth.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels without app.kubernetes.io/name and component (the migrations Job sets its own). */}}
{{- define "cxauth.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: cxauth
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "cxauth.labels" -}}
{{ include "cxauth.commonLabels" . }}
app.kubernetes.io/name: {{ include "cxauth.name" . }}
app.kubernetes.io/component: {{ .Chart.Name }}
{{- end -}}

{{/* The migrations Job's pods: not selected by the Service, the PDB or the NetworkPolicy of the service. */}}
{{- define "cxauth.migrationsLabels" -}}
{{ include "cxauth.commonLabels" . }}
app.kubernetes.io/name: {{ include "cxauth.name" . }}-migrations
app.kubernetes.io/component: migrations
{{- end -}}

{{- define "cxauth.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "cxauth.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "cxauth.image" -}}
{{- $registry := .Values.global.image.registry -}}
{{- $repository := .Values.image.repository -}}
{{- $ref := ternary $repository (printf "%s/%s" $registry $repository) (empty $registry) -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $ref .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $ref (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* ------------------------------------------------------------------ secrets and their checks */}}

{{- define "cxauth.opsSecretName" -}}
{{- default (include "cxauth.fullname" .) .Values.global.services.secret.name_override -}}
{{- end -}}

{{- define "cxauth.postgresSecretName" -}}
{{- default (include "cxauth.fullname" .) .Values.global.postgres.secret.name_override -}}
{{- end -}}

{{- define "cxauth.redisSecretName" -}}
{{- default (include "cxauth.fullname" .) .Values.global.redis.secret.name_override -}}
{{- end -}}

{{/* Fails the render with a message naming the value when a required setting is missing or wrong. */}}
{{- define "cxauth.validate" -}}
{{- $g := .Values.global -}}
{{- if eq (include "cxauth.feature" (list . "storage")) "true" -}}
{{- if not $g.services.secret.name_override -}}
{{- if not $g.services.secret.admin_password -}}
{{- fail "global.services.secret.admin_password is required: the ops user's password (plain, or bcrypt-encoded with htpasswd -bnBC 10 \"\" <password> | tr -d ':\\n'), or set global.services.secret.name_override to an existing Secret with the keys admin_password and encryption_key. The chart has no default password." -}}
{{- end -}}
{{- if not $g.services.secret.encryption_key -}}
{{- fail "global.services.secret.encryption_key is required: 32 random bytes, base64-encoded (openssl rand -base64 32), or set global.services.secret.name_override to an existing Secret." -}}
{{- end -}}
{{- if or (not (regexMatch "^[A-Za-z0-9+/]+={0,2}$" $g.services.secret.encryption_key)) (ne (len (b64dec $g.services.secret.encryption_key)) 32) -}}
{{- fail "global.services.secret.encryption_key must be 32 random bytes, base64-encoded (openssl rand -base64 32)" -}}
{{- end -}}
{{- end -}}
{{- if not $g.postgres.host -}}
{{- fail "global.postgres.host is required: the PostgreSQL server (this chart does not run a database)" -}}
{{- end -}}
{{- if and (not $g.postgres.secret.name_override) (not $g.postgres.password) -}}
{{- fail "global.postgres.password is required, or set global.postgres.secret.name_override to an existing Secret holding it (key global.postgres.secret.key)" -}}
{{- end -}}
{{- if and (ne $g.postgres.ssl.mode "disable") $g.postgres.ssl.ca.secretName (not $g.postgres.ssl.ca.key) -}}
{{- fail "global.postgres.ssl.ca.key must name the CA certificate's key in global.postgres.ssl.ca.secretName" -}}
{{- end -}}
{{- if not $g.redis.cluster_nodes -}}
{{- fail "global.redis.cluster_nodes is required: host:port of Redis (or a comma-separated list of Sentinel or Cluster nodes)" -}}
{{- end -}}
{{- if and $g.redis.password_required (not $g.redis.secret.name_override) (not $g.redis.password) -}}
{{- fail "global.redis.password is required (global.redis.password_required is true), or set global.redis.secret.name_override to an existing Secret holding it" -}}
{{- end -}}
{{- end -}}
{{- if and (eq (include "cxauth.feature" (list . "publicUrl")) "required") (not (include "cxauth.publicUrl" .)) -}}
{{- fail "global.services.public_url (e.g. https://gauth.example.com) or global.ingress.frontend is required: it is the token issuer and the base of redirects" -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (lt (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) -}}
{{- fail "autoscaling.maxReplicas must be at least autoscaling.minReplicas" -}}
{{- end -}}
{{- end -}}

{{/* ------------------------------------------------------------------ derived settings */}}

{{- define "cxauth.publicUrl" -}}
{{- $g := .Values.global -}}
{{- if $g.services.public_url -}}
{{- $g.services.public_url | trimSuffix "/" -}}
{{- else if $g.ingress.frontend -}}
{{- printf "%s://%s" (ternary "https" "http" (or $g.ingress.tls.enabled $g.ingress.tls.terminated_upstream)) $g.ingress.frontend -}}
{{- end -}}
{{- end -}}

{{- define "cxauth.authApiUrl" -}}
{{- default (printf "http://%s" (include "cxauth.authApiFullname" .)) .Values.global.services.auth_api_url -}}
{{- end -}}

{{- define "cxauth.databaseUrl" -}}
{{- $p := .Values.global.postgres -}}
{{- printf "postgres://%s@%s:%d/%s" (urlquery $p.username) $p.host (int $p.port) (urlquery $p.db) -}}
{{- end -}}

{{- define "cxauth.redisUrl" -}}
{{- $r := .Values.global.redis -}}
{{- $first := first (splitList "," $r.cluster_nodes) | trim -}}
{{- printf "%s://%s/%d" (ternary "rediss" "redis" $r.use_tls) $first (int $r.db) -}}
{{- end -}}

{{- define "cxauth.postgresCaFile" -}}
/etc/cxauth/postgres-ca/{{ .Values.global.postgres.ssl.ca.key }}
{{- end -}}

{{- define "cxauth.redisCaFile" -}}
/etc/cxauth/redis-ca/{{ .Values.global.redis.ca.key }}
{{- end -}}

{{/* Non-secret settings: the ConfigMap's data (the migrations Job uses the DATABASE_* part). */}}
{{- define "cxauth.databaseConfig" -}}
{{- $p := .Values.global.postgres -}}
DATABASE_URL: {{ include "cxauth.databaseUrl" . | quote }}
DATABASE_SSL_MODE: {{ $p.ssl.mode | quote }}
{{- if and (ne $p.ssl.mode "disable") $p.ssl.ca.secretName }}
DATABASE_SSL_CA_FILE: {{ include "cxauth.postgresCaFile" . | quote }}
{{- end }}
DATABASE_POOL_SIZE: {{ $p.poolSize | quote }}
{{- end -}}

{{- define "cxauth.config" -}}
{{- $g := .Values.global -}}
PORT: "8080"
MANAGEMENT_PORT: "9090"
LOG_LEVEL: {{ .Values.logLevel | quote }}
TRUST_PROXY: {{ $g.services.trust_proxy | quote }}
{{- if eq (include "cxauth.feature" (list . "storage")) "true" }}
{{ include "cxauth.databaseConfig" . }}
REDIS_URL: {{ include "cxauth.redisUrl" . | quote }}
REDIS_MODE: {{ $g.redis.mode | quote }}
{{- if ne $g.redis.mode "standalone" }}
REDIS_NODES: {{ $g.redis.cluster_nodes | replace " " "" | quote }}
{{- end }}
{{- if eq $g.redis.mode "sentinel" }}
REDIS_SENTINEL_MASTER: {{ $g.redis.sentinel_master | quote }}
{{- end }}
{{- if and $g.redis.use_tls $g.redis.ca.secretName }}
REDIS_TLS_CA_FILE: {{ include "cxauth.redisCaFile" . | quote }}
{{- end }}
REDIS_KEY_PREFIX: {{ $g.redis.key_prefix | quote }}
ADMIN_USERNAME: {{ $g.services.secret.admin_username | quote }}
{{- end }}
{{- if and (include "cxauth.feature" (list . "publicUrl")) (include "cxauth.publicUrl" .) }}
PUBLIC_BASE_URL: {{ include "cxauth.publicUrl" . | quote }}
{{- end }}
{{- if eq (include "cxauth.feature" (list . "callsAuthApi")) "true" }}
AUTH_API_URL: {{ include "cxauth.authApiUrl" . | quote }}
{{- end }}
{{- if eq (include "cxauth.feature" (list . "location")) "true" }}
LOCATION: {{ $g.services.location | quote }}
FORCE_WRITABLE: {{ $g.services.force_writable | quote }}
{{- end }}
{{- range $name, $value := .Values.env }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* Secret env entries (valueFrom secretKeyRef): chart-made Secret or the operator's existing ones. */}}
{{- define "cxauth.secretEnv" -}}
{{- $g := .Values.global -}}
{{- if eq (include "cxauth.feature" (list . "storage")) "true" }}
- name: ADMIN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "cxauth.opsSecretName" . }}
      key: admin_password
- name: ENCRYPTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "cxauth.opsSecretName" . }}
      key: encryption_key
{{ include "cxauth.databasePasswordEnv" (list . (include "cxauth.postgresSecretName" .)) }}
{{- if or $g.redis.password_required $g.redis.secret.name_override }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "cxauth.redisSecretName" . }}
      key: {{ ternary $g.redis.secret.key "redis_password" (not (empty $g.redis.secret.name_override)) }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Usage: include "cxauth.databasePasswordEnv" (list . <secret name used when the chart makes it>) */}}
{{- define "cxauth.databasePasswordEnv" -}}
{{- $ctx := index . 0 -}}
{{- $p := $ctx.Values.global.postgres -}}
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ default (index . 1) $p.secret.name_override }}
      key: {{ ternary $p.secret.key "database_password" (not (empty $p.secret.name_override)) }}
{{- end -}}

{{- define "cxauth.caVolumeMounts" -}}
{{- $g := .Values.global -}}
{{- if and (eq (include "cxauth.feature" (list . "storage")) "true") (ne $g.postgres.ssl.mode "disable") $g.postgres.ssl.ca.secretName }}
- name: postgres-ca
  mountPath: /etc/cxauth/postgres-ca
  readOnly: true
{{- end }}
{{- if and (eq (include "cxauth.feature" (list . "storage")) "true") $g.redis.use_tls $g.redis.ca.secretName }}
- name: redis-ca
  mountPath: /etc/cxauth/redis-ca
  readOnly: true
{{- end }}
{{- end -}}

{{- define "cxauth.caVolumes" -}}
{{- $g := .Values.global -}}
{{- if and (eq (include "cxauth.feature" (list . "storage")) "true") (ne $g.postgres.ssl.mode "disable") $g.postgres.ssl.ca.secretName }}
- name: postgres-ca
  secret:
    secretName: {{ $g.postgres.ssl.ca.secretName }}
    items:
      - key: {{ $g.postgres.ssl.ca.key }}
        path: {{ $g.postgres.ssl.ca.key }}
{{- end }}
{{- if and (eq (include "cxauth.feature" (list . "storage")) "true") $g.redis.use_tls $g.redis.ca.secretName }}
- name: redis-ca
  secret:
    secretName: {{ $g.redis.ca.secretName }}
    items:
      - key: {{ $g.redis.ca.key }}
        path: {{ $g.redis.ca.key }}
{{- end }}
{{- end -}}

{{/* The pod's security settings, shared by the Deployment and the migrations Job. */}}
{{- define "cxauth.podSecurity" -}}
automountServiceAccountToken: false
enableServiceLinks: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.global.image.pullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The ports of Redis, Sentinel or Cluster nodes, without duplicates (NetworkPolicy egress). */}}
{{- define "cxauth.redisPorts" -}}
{{- $ports := list -}}
{{- range splitList "," .Values.global.redis.cluster_nodes -}}
{{- $parts := splitList ":" (trim .) -}}
{{- $ports = append $ports (int (last $parts)) -}}
{{- end -}}
{{- toJson (uniq $ports) -}}
{{- end -}}
