{{- /*
Grafana dashboard panels and Prometheus alerts, on the metrics the services export today:
http_request_duration_seconds{service,method,route,status_code}; auth-api's auth_token_requests_total,
auth_token_validations_total, auth_sign_ins_total, auth_refresh_family_revocations_total,
auth_signing_key_age_seconds, auth_directory_request_duration_seconds and cxauth_job_*; every service's
cxauth_redis_errors_total and cxauth_postgres_errors_total; prom-client's process_* and nodejs_*
metrics, Prometheus' `up`, and kube-state-metrics' Deployment replica counts (README "Operations"). To add a panel, add an
entry to "cxauth.dashboardPanels" (title, unit, one or more {expr, legend}); placement is automatic.
$ns in an expression is the release namespace, $base the object name prefix.
*/ -}}

{{- define "cxauth.dashboardPanels" -}}
- title: Requests per second by service
  unit: reqps
  targets:
    - expr: sum by (service) (rate(http_request_duration_seconds_count{namespace="$ns"}[5m]))
      legend: '{{`{{service}}`}}'
- title: Share of 5xx answers
  unit: percentunit
  targets:
    - expr: sum by (service) (rate(http_request_duration_seconds_count{namespace="$ns",status_code=~"5.."}[5m])) / sum by (service) (rate(http_request_duration_seconds_count{namespace="$ns"}[5m]))
      legend: '{{`{{service}}`}}'
- title: p99 latency by service
  unit: s
  targets:
    - expr: histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{namespace="$ns"}[5m])))
      legend: '{{`{{service}}`}}'
- title: p99 latency by route (auth-api)
  unit: s
  targets:
    - expr: histogram_quantile(0.99, sum by (route, le) (rate(http_request_duration_seconds_bucket{namespace="$ns",service="auth-api"}[5m])))
      legend: '{{`{{route}}`}}'
- title: Tokens issued by grant type
  unit: reqps
  targets:
    - expr: sum by (grant_type) (rate(auth_token_requests_total{namespace="$ns",outcome="success"}[5m]))
      legend: '{{`{{grant_type}}`}}'
- title: Token requests refused by outcome
  unit: reqps
  targets:
    - expr: sum by (outcome) (rate(auth_token_requests_total{namespace="$ns",outcome!="success"}[5m]))
      legend: '{{`{{outcome}}`}}'
- title: Token validations by endpoint and outcome
  unit: reqps
  targets:
    - expr: sum by (endpoint, outcome) (rate(auth_token_validations_total{namespace="$ns"}[5m]))
      legend: '{{`{{endpoint}}`}} {{`{{outcome}}`}}'
- title: Sign-ins by directory and outcome
  unit: reqps
  targets:
    - expr: sum by (directory, outcome) (rate(auth_sign_ins_total{namespace="$ns"}[5m]))
      legend: '{{`{{directory}}`}} {{`{{outcome}}`}}'
- title: Refresh-token families revoked by reason
  unit: short
  targets:
    - expr: sum by (reason) (increase(auth_refresh_family_revocations_total{namespace="$ns"}[1h]))
      legend: '{{`{{reason}}`}}'
- title: Redis and PostgreSQL errors
  unit: short
  targets:
    - expr: sum by (service) (increase(cxauth_redis_errors_total{namespace="$ns"}[5m]))
      legend: '{{`{{service}}`}} redis'
    - expr: sum by (service, kind) (increase(cxauth_postgres_errors_total{namespace="$ns"}[5m]))
      legend: '{{`{{service}}`}} postgres {{`{{kind}}`}}'
- title: Background jobs (rows purged, keys rotated)
  unit: short
  targets:
    - expr: sum by (job) (increase(cxauth_job_items_total{namespace="$ns"}[1h]))
      legend: '{{`{{job}}`}}'
    - expr: sum by (job) (increase(cxauth_job_runs_total{namespace="$ns",outcome="failed"}[1h]))
      legend: '{{`{{job}}`}} failed runs'
- title: Signing key age
  unit: s
  targets:
    - expr: max(auth_signing_key_age_seconds{namespace="$ns"})
      legend: active key
- title: Ready replicas (kube-state-metrics)
  unit: short
  targets:
    - expr: kube_deployment_status_replicas_available{namespace="$ns",deployment=~"$base-(auth|auth-ui|environment)(-.*)?"}
      legend: '{{`{{deployment}}`}} available'
    - expr: kube_deployment_spec_replicas{namespace="$ns",deployment=~"$base-(auth|auth-ui|environment)(-.*)?"}
      legend: '{{`{{deployment}}`}} desired'
- title: Scrape targets up
  unit: short
  targets:
    - expr: sum by (job) (up{namespace="$ns",job=~"$base-(auth|auth-ui|environment)(-.*)?"})
      legend: '{{`{{job}}`}}'
- title: CPU per pod
  unit: percentunit
  targets:
    - expr: sum by (pod) (rate(process_cpu_seconds_total{namespace="$ns",service=~"auth-api|auth-ui|environment-api"}[5m]))
      legend: '{{`{{pod}}`}}'
- title: Resident memory per pod
  unit: bytes
  targets:
    - expr: process_resident_memory_bytes{namespace="$ns",service=~"auth-api|auth-ui|environment-api"}
      legend: '{{`{{pod}}`}}'
- title: Event-loop lag p99 per pod
  unit: s
  targets:
    - expr: nodejs_eventloop_lag_p99_seconds{namespace="$ns",service=~"auth-api|auth-ui|environment-api"}
      legend: '{{`{{pod}}`}}'
- title: Heap used per pod
  unit: bytes
  targets:
    - expr: nodejs_heap_size_used_bytes{namespace="$ns",service=~"auth-api|auth-ui|environment-api"}
      legend: '{{`{{pod}}`}}'
{{- end -}}

{{- define "cxauth.alertRules" -}}
- alert: CxauthTargetDown
  expr: up{namespace="$ns",job=~"$base-(auth|auth-ui|environment)(-.*)?"} == 0
  for: 5m
  severity: critical
  summary: 'cxauth pod {{`{{ $labels.pod }}`}} cannot be scraped'
- alert: CxauthNoReplicaAvailable
  expr: kube_deployment_status_replicas_available{namespace="$ns",deployment=~"$base-(auth|auth-ui|environment)(-.*)?"} == 0
  for: 2m
  severity: critical
  summary: 'no ready replica of {{`{{ $labels.deployment }}`}}: in-cluster callers and sign-ins fail'
- alert: CxauthReplicasUnavailable
  expr: kube_deployment_status_replicas_available{namespace="$ns",deployment=~"$base-(auth|auth-ui|environment)(-.*)?"} < kube_deployment_spec_replicas{namespace="$ns",deployment=~"$base-(auth|auth-ui|environment)(-.*)?"}
  for: 15m
  severity: warning
  summary: '{{`{{ $labels.deployment }}`}} runs fewer ready replicas than desired (readiness: PostgreSQL or Redis unreachable?)'
- alert: CxauthHighErrorRate
  expr: sum by (service) (rate(http_request_duration_seconds_count{namespace="$ns",status_code=~"5.."}[5m])) / sum by (service) (rate(http_request_duration_seconds_count{namespace="$ns"}[5m])) > 0.05
  for: 10m
  severity: critical
  summary: 'more than 5% of {{`{{ $labels.service }}`}} answers are 5xx'
- alert: CxauthSlowTokenEndpoint
  expr: histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{namespace="$ns",service="auth-api",route=~".*/oauth/token"}[5m]))) > 0.5
  for: 10m
  severity: warning
  summary: 'p99 of /auth/v3/oauth/token is above 500 ms'
- alert: CxauthRefreshTokenReuse
  expr: sum(increase(auth_refresh_family_revocations_total{namespace="$ns",reason=~"reuse_detected|code_replayed"}[15m])) > 10
  for: 0m
  severity: warning
  summary: 'more than 10 refresh tokens or authorization codes were replayed in 15 minutes (stolen tokens, or a client retrying wrongly)'
- alert: CxauthRedisErrors
  expr: sum by (service) (increase(cxauth_redis_errors_total{namespace="$ns"}[5m])) > 5
  for: 10m
  severity: warning
  summary: '{{`{{ $labels.service }}`}} keeps losing its Redis connection'
- alert: CxauthPostgresErrors
  expr: sum by (service) (increase(cxauth_postgres_errors_total{namespace="$ns"}[5m])) > 5
  for: 10m
  severity: warning
  summary: '{{`{{ $labels.service }}`}} keeps failing PostgreSQL statements or connections'
- alert: CxauthJobFailing
  expr: sum by (job) (increase(cxauth_job_runs_total{namespace="$ns",outcome="failed"}[1h])) > 2
  for: 0m
  severity: warning
  summary: 'background job {{`{{ $labels.job }}`}} keeps failing (see the auth-api log line "job failed")'
- alert: CxauthEventLoopLag
  expr: nodejs_eventloop_lag_p99_seconds{namespace="$ns",service=~"auth-api|auth-ui|environment-api"} > 0.2
  for: 10m
  severity: warning
  summary: 'event loop of {{`{{ $labels.pod }}`}} lags (p99 above 200 ms): CPU-starved?'
{{- end -}}

{{/* Usage: include "cxauth.expr" (list $expr $ctx) -> the expression with $ns and $base filled in. */}}
{{- define "cxauth.expr" -}}
{{- $ctx := index . 1 -}}
{{- index . 0 | replace "$ns" $ctx.Release.Namespace | replace "$base" (default $ctx.Release.Name $ctx.base) -}}
{{- end -}}

{{- define "cxauth.dashboard" -}}
{{- $ctx := . -}}
{{- $panels := list -}}
{{- range $index, $panel := include "cxauth.dashboardPanels" . | fromYamlArray -}}
{{- $targets := list -}}
{{- range $i, $target := $panel.targets -}}
{{- $targets = append $targets (dict "refId" (printf "%c" (add 65 $i)) "expr" (include "cxauth.expr" (list $target.expr $ctx)) "legendFormat" $target.legend "datasource" (dict "type" "prometheus" "uid" "${datasource}")) -}}
{{- end -}}
{{- $grid := dict "w" 12 "h" 8 "x" (mul (mod $index 2) 12) "y" (mul (div $index 2) 8) -}}
{{- $panels = append $panels (dict "id" (add $index 1) "type" "timeseries" "title" $panel.title "gridPos" $grid "targets" $targets "datasource" (dict "type" "prometheus" "uid" "${datasource}") "fieldConfig" (dict "defaults" (dict "unit" $panel.unit) "overrides" list)) -}}
{{- end -}}
{{- $datasource := dict "name" "datasource" "type" "datasource" "query" "prometheus" "label" "Prometheus" -}}
{{- toJson (dict "title" (printf "cxauth (%s/%s)" .Release.Namespace (default .Release.Name .base)) "uid" (printf "cxauth-%s" (sha256sum (printf "%s/%s" .Release.Namespace .Release.Name) | trunc 12)) "tags" (list "cxauth" "gauth") "timezone" "utc" "schemaVersion" 39 "refresh" "30s" "time" (dict "from" "now-6h" "to" "now") "templating" (dict "list" (list $datasource)) "panels" $panels) -}}
{{- end -}}
