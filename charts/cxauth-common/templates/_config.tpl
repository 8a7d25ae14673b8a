{{/* ------------------------------------------------------------------ secrets and their checks */}}

{{- define "cxauth-common.opsSecretName" -}}
{{- default (include "cxauth-common.workloadName" .) .Values.global.services.secret.name_override -}}
{{- end -}}

{{- define "cxauth-common.postgresSecretName" -}}
{{- default (include "cxauth-common.workloadName" .) .Values.global.postgres.secret.name_override -}}
{{- end -}}

{{/* Where CONSUL_TOKEN comes from: "chart" (the chart's Secret), "existing" (name_override) or "" (none). */}}
{{- define "cxauth-common.consulTokenSource" -}}
{{- $c := .Values.global.consul -}}
{{- if and (eq (include "cxauth-common.feature" (list . "configServer")) "true") $c.enabled -}}
{{- if $c.secret.name_override -}}existing{{- else if $c.token -}}chart{{- end -}}
{{- end -}}
{{- end -}}

{{- define "cxauth-common.redisSecretName" -}}
{{- default (include "cxauth-common.workloadName" .) .Values.global.redis.secret.name_override -}}
{{- end -}}

{{/* Fails the render with a message naming the value when a required setting is missing or wrong. */}}
{{- define "cxauth-common.validate" -}}
{{- $g := .Values.global -}}
{{- if eq (include "cxauth-common.feature" (list . "storage")) "true" -}}
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
{{- fail "global.postgres.host is required: the PostgreSQL server (or postgres.deploy: true for an in-chart trial database)" -}}
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
{{- if and (eq (include "cxauth-common.feature" (list . "configServer")) "true") $g.consul.enabled (not $g.consul.url) -}}
{{- fail "global.consul.url is required when global.consul.enabled is true: Consul's HTTP API (e.g. https://consul.example.com:443), through which auth-api resolves Configuration Server addresses named <service>.service.<dc>.consul" -}}
{{- end -}}
{{- if and (eq (include "cxauth-common.feature" (list . "publicUrl")) "required") (not (include "cxauth-common.publicUrl" .)) -}}
{{- fail "global.services.public_url (e.g. https://gauth.example.com) or global.ingress.frontend is required: it is the token issuer and the base of redirects" -}}
{{- end -}}
{{- if and .Values.autoscaling.enabled (lt (int .Values.autoscaling.maxReplicas) (int .Values.autoscaling.minReplicas)) -}}
{{- fail "autoscaling.maxReplicas must be at least autoscaling.minReplicas" -}}
{{- end -}}
{{- if and $g.tls.enabled (not $g.tls.secretName) (not $g.tls.certManager.enabled) -}}
{{- fail "global.tls.enabled needs global.tls.secretName (a kubernetes.io/tls Secret valid for the services' names) or global.tls.certManager.enabled with an issuerRef" -}}
{{- end -}}
{{- if and $g.tls.enabled $g.tls.certManager.enabled (not $g.tls.certManager.issuerRef.name) -}}
{{- fail "global.tls.certManager.issuerRef.name is required: the cert-manager Issuer or ClusterIssuer that signs the services' certificates" -}}
{{- end -}}
{{- end -}}

{{/* ------------------------------------------------------------------ derived settings */}}

{{- define "cxauth-common.tlsEnabled" -}}
{{- ternary "true" "false" (and .Values.global.tls.enabled .Values.tls.enabled) -}}
{{- end -}}

{{/* The Secret holding this service's certificate: cert-manager's per service, or the operator's. */}}
{{- define "cxauth-common.tlsSecretName" -}}
{{- if .Values.global.tls.certManager.enabled -}}
{{- printf "%s-tls" (include "cxauth-common.workloadName" .) -}}
{{- else -}}
{{- .Values.global.tls.secretName -}}
{{- end -}}
{{- end -}}

{{- define "cxauth-common.publicUrl" -}}
{{- $g := .Values.global -}}
{{- if $g.services.public_url -}}
{{- $g.services.public_url | trimSuffix "/" -}}
{{- else if $g.ingress.frontend -}}
{{- printf "%s://%s" (ternary "https" "http" (or $g.ingress.tls.enabled $g.ingress.tls.terminated_upstream)) $g.ingress.frontend -}}
{{- end -}}
{{- end -}}

{{- define "cxauth-common.authApiUrl" -}}
{{- $tls := eq (include "cxauth-common.tlsEnabled" .) "true" -}}
{{- default (printf "%s://%s" (ternary "https" "http" $tls) (include "cxauth-common.authApiServiceName" .)) .Values.global.services.auth_api_url -}}
{{- end -}}

{{- define "cxauth-common.databaseUrl" -}}
{{- $p := .Values.global.postgres -}}
{{- printf "postgres://%s@%s:%d/%s" (urlquery $p.username) $p.host (int $p.port) (urlquery $p.db) -}}
{{- end -}}

{{- define "cxauth-common.redisUrl" -}}
{{- $r := .Values.global.redis -}}
{{- $first := first (splitList "," $r.cluster_nodes) | trim -}}
{{- printf "%s://%s/%d" (ternary "rediss" "redis" $r.use_tls) $first (int $r.db) -}}
{{- end -}}

{{- define "cxauth-common.postgresCaFile" -}}
/etc/cxauth/postgres-ca/{{ .Values.global.postgres.ssl.ca.key }}
{{- end -}}

{{- define "cxauth-common.redisCaFile" -}}
/etc/cxauth/redis-ca/{{ .Values.global.redis.ca.key }}
{{- end -}}

{{/* The directory CAs auth-api reads: list of (volume name, Secret name, key) for the ones configured. */}}
{{- define "cxauth-common.directoryCas" -}}
{{- $g := .Values.global -}}
{{- $cas := list -}}
{{- if eq (include "cxauth-common.feature" (list . "configServer")) "true" -}}
{{- if $g.configServer.ca.secretName -}}
{{- $cas = append $cas (list "config-server-ca" $g.configServer.ca.secretName $g.configServer.ca.key "CONFIG_SERVER_TLS_CA_FILE") -}}
{{- end -}}
{{- if and $g.consul.enabled $g.consul.ca.secretName -}}
{{- $cas = append $cas (list "consul-ca" $g.consul.ca.secretName $g.consul.ca.key "CONSUL_CA_FILE") -}}
{{- end -}}
{{- end -}}
{{- toJson $cas -}}
{{- end -}}

{{/* Non-secret settings: the ConfigMap's data (the migrations Job uses the DATABASE_* part). */}}
{{- define "cxauth-common.databaseConfig" -}}
{{- $p := .Values.global.postgres -}}
DATABASE_URL: {{ include "cxauth-common.databaseUrl" . | quote }}
DATABASE_SSL_MODE: {{ $p.ssl.mode | quote }}
{{- if and (ne $p.ssl.mode "disable") $p.ssl.ca.secretName }}
DATABASE_SSL_CA_FILE: {{ include "cxauth-common.postgresCaFile" . | quote }}
{{- end }}
DATABASE_POOL_SIZE: {{ $p.poolSize | quote }}
{{- with $p.connectTimeoutMs }}
DATABASE_CONNECT_TIMEOUT_MS: {{ . | quote }}
{{- end }}
{{- end -}}

{{- define "cxauth-common.config" -}}
{{- $g := .Values.global -}}
PORT: "8080"
MANAGEMENT_PORT: "9090"
LOG_LEVEL: {{ .Values.logLevel | quote }}
TRUST_PROXY: {{ $g.services.trust_proxy | quote }}
CORS_DEFAULT: {{ $g.services.cors_default | quote }}
SHUTDOWN_DELAY_MS: {{ .Values.shutdownDelayMs | quote }}
{{- if eq (include "cxauth-common.tlsEnabled" .) "true" }}
TLS_CERT_FILE: /etc/cxauth/tls/tls.crt
TLS_KEY_FILE: /etc/cxauth/tls/tls.key
{{- if $g.tls.certManager.enabled }}
# cert-manager puts the issuing CA beside the certificate: the services trust it for each other's HTTPS.
NODE_EXTRA_CA_CERTS: /etc/cxauth/tls/ca.crt
{{- end }}
{{- end }}
{{- if eq (include "cxauth-common.feature" (list . "storage")) "true" }}
{{ include "cxauth-common.databaseConfig" . }}
REDIS_URL: {{ include "cxauth-common.redisUrl" . | quote }}
REDIS_MODE: {{ $g.redis.mode | quote }}
{{- if ne $g.redis.mode "standalone" }}
REDIS_NODES: {{ $g.redis.cluster_nodes | replace " " "" | quote }}
{{- end }}
{{- if eq $g.redis.mode "sentinel" }}
REDIS_SENTINEL_MASTER: {{ $g.redis.sentinel_master | quote }}
{{- end }}
{{- if and $g.redis.use_tls $g.redis.ca.secretName }}
REDIS_TLS_CA_FILE: {{ include "cxauth-common.redisCaFile" . | quote }}
{{- end }}
REDIS_KEY_PREFIX: {{ $g.redis.key_prefix | quote }}
ADMIN_USERNAME: {{ $g.services.secret.admin_username | quote }}
{{- end }}
{{- if and (include "cxauth-common.feature" (list . "publicUrl")) (include "cxauth-common.publicUrl" .) }}
PUBLIC_BASE_URL: {{ include "cxauth-common.publicUrl" . | quote }}
{{- end }}
{{- if eq (include "cxauth-common.feature" (list . "callsAuthApi")) "true" }}
AUTH_API_URL: {{ include "cxauth-common.authApiUrl" . | quote }}
{{- end }}
{{- if eq (include "cxauth-common.feature" (list . "location")) "true" }}
LOCATION: {{ $g.services.location | quote }}
FORCE_WRITABLE: {{ $g.services.force_writable | quote }}
{{- end }}
{{- if eq (include "cxauth-common.feature" (list . "configServer")) "true" }}
{{- with $g.configServer.gatewayUrl }}
CONFIG_SERVER_GATEWAY_URL: {{ . | quote }}
{{- end }}
{{- if $g.consul.enabled }}
CONSUL_URL: {{ $g.consul.url | quote }}
{{- with $g.consul.datacenter }}
CONSUL_DATACENTER: {{ . | quote }}
{{- end }}
{{- end }}
{{- range include "cxauth-common.directoryCas" . | fromJsonArray }}
{{ index . 3 }}: {{ printf "/etc/cxauth/%s/%s" (index . 0) (index . 2) | quote }}
{{- end }}
{{- end }}
{{- with .Values.housekeeping }}
HOUSEKEEPING_ENABLED: {{ .enabled | quote }}
HOUSEKEEPING_INTERVAL_SECONDS: {{ .intervalSeconds | int | quote }}
HOUSEKEEPING_BATCH_SIZE: {{ .batchSize | int | quote }}
HOUSEKEEPING_MAX_BATCHES: {{ .maxBatches | int | quote }}
HOUSEKEEPING_REVOKED_RETENTION_SECONDS: {{ .revokedRefreshTokenRetentionSeconds | int | quote }}
SIGNING_KEY_ROTATION_INTERVAL_SECONDS: {{ .signingKeyRotationIntervalSeconds | int | quote }}
SIGNING_KEY_RETENTION_SECONDS: {{ .signingKeyRetentionSeconds | int | quote }}
{{- end }}
{{- include "cxauth-common.identityProvidersConfig" . }}
{{- range $name, $value := .Values.env }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* Secret env entries (valueFrom secretKeyRef): chart-made Secret or the operator's existing ones. */}}
{{- define "cxauth-common.secretEnv" -}}
{{- $g := .Values.global -}}
{{- if eq (include "cxauth-common.feature" (list . "storage")) "true" }}
- name: ADMIN_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "cxauth-common.opsSecretName" . }}
      key: admin_password
- name: ENCRYPTION_KEY
  valueFrom:
    secretKeyRef:
      name: {{ include "cxauth-common.opsSecretName" . }}
      key: encryption_key
{{- if or $g.services.secret.name_override $g.services.secret.encryption_previous_keys }}
- name: ENCRYPTION_PREVIOUS_KEYS
  valueFrom:
    secretKeyRef:
      name: {{ include "cxauth-common.opsSecretName" . }}
      key: encryption_previous_keys
      # An existing Secret may or may not carry older keys.
      optional: {{ not (empty $g.services.secret.name_override) }}
{{- end }}
{{ include "cxauth-common.databasePasswordEnv" (list . (include "cxauth-common.postgresSecretName" .)) }}
{{- if or $g.redis.password_required $g.redis.secret.name_override }}
- name: REDIS_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ include "cxauth-common.redisSecretName" . }}
      key: {{ ternary $g.redis.secret.key "redis_password" (not (empty $g.redis.secret.name_override)) }}
{{- end }}
{{- end }}
{{- with include "cxauth-common.consulTokenSource" . }}
- name: CONSUL_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ ternary $g.consul.secret.name_override (include "cxauth-common.workloadName" $) (eq . "existing") }}
      key: {{ ternary $g.consul.secret.key "consul_token" (eq . "existing") }}
{{- end }}
{{- end -}}

{{/* Usage: include "cxauth-common.databasePasswordEnv" (list $ctx <secret name used when the chart makes it>) */}}
{{- define "cxauth-common.databasePasswordEnv" -}}
{{- $ctx := index . 0 -}}
{{- $p := $ctx.Values.global.postgres -}}
- name: DATABASE_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ default (index . 1) $p.secret.name_override }}
      key: {{ ternary $p.secret.key "database_password" (not (empty $p.secret.name_override)) }}
{{- end -}}

{{/* Read-only mounts: database and Redis CAs, the service certificate. */}}
{{- define "cxauth-common.volumeMounts" -}}
{{- $g := .Values.global -}}
- name: tmp
  mountPath: /tmp
{{- if and (eq (include "cxauth-common.feature" (list . "storage")) "true") (ne $g.postgres.ssl.mode "disable") $g.postgres.ssl.ca.secretName }}
- name: postgres-ca
  mountPath: /etc/cxauth/postgres-ca
  readOnly: true
{{- end }}
{{- if and (eq (include "cxauth-common.feature" (list . "storage")) "true") $g.redis.use_tls $g.redis.ca.secretName }}
- name: redis-ca
  mountPath: /etc/cxauth/redis-ca
  readOnly: true
{{- end }}
{{- range include "cxauth-common.directoryCas" . | fromJsonArray }}
- name: {{ index . 0 }}
  mountPath: /etc/cxauth/{{ index . 0 }}
  readOnly: true
{{- end }}
{{- if eq (include "cxauth-common.tlsEnabled" .) "true" }}
# A directory mount (no subPath), so a renewed certificate appears in place and the service reloads it.
- name: tls
  mountPath: /etc/cxauth/tls
  readOnly: true
{{- end }}
{{- include "cxauth-common.identityProvidersVolumeMount" . }}
{{- end -}}

{{- define "cxauth-common.volumes" -}}
{{- $g := .Values.global -}}
- name: tmp
  emptyDir:
    sizeLimit: 64Mi
{{- if and (eq (include "cxauth-common.feature" (list . "storage")) "true") (ne $g.postgres.ssl.mode "disable") $g.postgres.ssl.ca.secretName }}
- name: postgres-ca
  secret:
    secretName: {{ $g.postgres.ssl.ca.secretName }}
    items:
      - key: {{ $g.postgres.ssl.ca.key }}
        path: {{ $g.postgres.ssl.ca.key }}
{{- end }}
{{- if and (eq (include "cxauth-common.feature" (list . "storage")) "true") $g.redis.use_tls $g.redis.ca.secretName }}
- name: redis-ca
  secret:
    secretName: {{ $g.redis.ca.secretName }}
    items:
      - key: {{ $g.redis.ca.key }}
        path: {{ $g.redis.ca.key }}
{{- end }}
{{- range include "cxauth-common.directoryCas" . | fromJsonArray }}
- name: {{ index . 0 }}
  secret:
    secretName: {{ index . 1 }}
    items:
      - key: {{ index . 2 }}
        path: {{ index . 2 }}
{{- end }}
{{- if eq (include "cxauth-common.tlsEnabled" .) "true" }}
- name: tls
  secret:
    secretName: {{ include "cxauth-common.tlsSecretName" . }}
{{- end }}
{{- include "cxauth-common.identityProvidersVolume" . }}
{{- end -}}

{{/* The pod's security settings, shared by the Deployment, the migrations Job and the test pod. */}}
{{- define "cxauth-common.podSecurity" -}}
automountServiceAccountToken: false
enableServiceLinks: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- with .Values.global.image.pullSecrets }}
imagePullSecrets:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with .Values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with .Values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/* The ports of Redis, Sentinel or Cluster nodes, without duplicates (NetworkPolicy egress). */}}
{{- define "cxauth-common.redisPorts" -}}
{{- $ports := list -}}
{{- range splitList "," .Values.global.redis.cluster_nodes -}}
{{- $parts := splitList ":" (trim .) -}}
{{- $ports = append $ports (int (last $parts)) -}}
{{- end -}}
{{- toJson (uniq $ports) -}}
{{- end -}}
