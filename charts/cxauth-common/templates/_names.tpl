{{- /*
Names, labels and per-service facts shared by the cxauth charts. Every template of this library takes
a "component context" made by "cxauth-common.context": a dict with the chart's Values (of one
service, `global` included), Release, Chart, Capabilities and Component (auth-api, auth-ui or
environment-api).
*/ -}}

{{/* Per-service facts: URL path behind the shared host, entry points, which backing services it uses. */}}
{{- define "cxauth-common.features" -}}
auth-api:
  # The product's Service is gauth-auth (release "gauth"); in-cluster callers keep that name.
  short: auth
  path: /auth
  exactPaths: []
  main: dist/apps/auth-api/src/main.js
  migrate: dist/apps/auth-api/src/migrate.js
  storage: true
  publicUrl: required
  configServer: true
  callsAuthApi: false
  location: true
  identityProviders: false
auth-ui:
  short: auth-ui
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
  identityProviders: false
environment-api:
  short: environment
  path: /environment
  exactPaths: []
  main: dist/apps/environment-api/src/main.js
  migrate: dist/apps/environment-api/src/migrate.js
  storage: true
  publicUrl: ""
  configServer: false
  callsAuthApi: true
  location: true
  # IDENTITY_PROVIDERS_FILE from identityProviders / identityProvidersExistingSecret.
  identityProviders: true
{{- end -}}

{{/* Usage: include "cxauth-common.context" (dict "root" . "component" "auth-api" "values" .Values) | fromYaml is not used:
     contexts are dicts built in place by "cxauth-common.component" and the umbrella. */}}

{{/* Usage: include "cxauth-common.feature" (list $ctx "storage") -> "true" / "false" / a string. */}}
{{- define "cxauth-common.feature" -}}
{{- $ctx := index . 0 -}}
{{- $features := include "cxauth-common.features" $ctx | fromYaml -}}
{{- $mine := required (printf "cxauth charts: unknown component %q" $ctx.Component) (get $features $ctx.Component) -}}
{{- get $mine (index . 1) -}}
{{- end -}}

{{- define "cxauth-common.name" -}}
{{- default .Component .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Prefix of every object name: the release name, or global.baseName (two blue/green releases share one). */}}
{{- define "cxauth-common.baseName" -}}
{{- default .Release.Name .Values.global.baseName | trunc 40 | trimSuffix "-" -}}
{{- end -}}

{{/* The stable name (the product's Service names for release "gauth": gauth-auth, gauth-auth-ui, gauth-environment). */}}
{{- define "cxauth-common.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" (include "cxauth-common.baseName" .) (include "cxauth-common.feature" (list . "short")) | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Names of this release's own objects: the stable name, plus -<COLOR> in a blue/green release. */}}
{{- define "cxauth-common.workloadName" -}}
{{- $name := include "cxauth-common.fullname" . -}}
{{- with .Values.global.color -}}
{{- $name = printf "%s-%s" $name . -}}
{{- end -}}
{{- $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The name auth-api's Service has in this release (same color). */}}
{{- define "cxauth-common.authApiServiceName" -}}
{{- $name := printf "%s-auth" (include "cxauth-common.baseName" .) -}}
{{- with .Values.global.color -}}
{{- $name = printf "%s-%s" $name . -}}
{{- end -}}
{{- $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "cxauth-common.selectorLabels" -}}
app.kubernetes.io/name: {{ include "cxauth-common.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- with .Values.global.color }}
cxauth.io/color: {{ . }}
{{- end }}
{{- end -}}

{{/* What the stable Services select: this release's pods, or every release's pods of the active color. */}}
{{- define "cxauth-common.routingSelector" -}}
{{- with .Values.global.routing.activeColor -}}
app.kubernetes.io/name: {{ include "cxauth-common.name" $ }}
app.kubernetes.io/part-of: cxauth
cxauth.io/color: {{ . }}
{{- else -}}
{{ include "cxauth-common.selectorLabels" . }}
{{- end -}}
{{- end -}}

{{/* Labels without app.kubernetes.io/name and component (the migrations Job sets its own). */}}
{{- define "cxauth-common.commonLabels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/part-of: cxauth
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- with .Values.global.color }}
cxauth.io/color: {{ . }}
{{- end }}
{{- end -}}

{{- define "cxauth-common.labels" -}}
{{ include "cxauth-common.commonLabels" . }}
app.kubernetes.io/name: {{ include "cxauth-common.name" . }}
app.kubernetes.io/component: {{ .Component }}
{{- end -}}

{{/* The migrations Job's pods: not selected by the Service, the PDB or the NetworkPolicy of the service. */}}
{{- define "cxauth-common.migrationsLabels" -}}
{{ include "cxauth-common.commonLabels" . }}
app.kubernetes.io/name: {{ include "cxauth-common.name" . }}-migrations
app.kubernetes.io/component: migrations
{{- end -}}

{{- define "cxauth-common.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "cxauth-common.workloadName" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "cxauth-common.image" -}}
{{- $registry := .Values.global.image.registry | trimSuffix "/" -}}
{{- $repository := .Values.image.repository -}}
{{- $ref := ternary $repository (printf "%s/%s" $registry $repository) (empty $registry) -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $ref .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $ref (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* The HTTP port's Service port name and number: https/443 when the service serves TLS itself. */}}
{{- define "cxauth-common.servicePortName" -}}
{{- ternary "https" "http" (include "cxauth-common.tlsEnabled" . | eq "true") -}}
{{- end -}}

{{- define "cxauth-common.servicePort" -}}
{{- ternary .Values.service.tlsPort .Values.service.port (include "cxauth-common.tlsEnabled" . | eq "true") -}}
{{- end -}}

{{/* Usage: include "cxauth-common.deepMerge" (list $dst $src): copies $src into $dst, maps key by key;
     unlike sprig's mergeOverwrite it also copies false, 0 and "" (an operator's explicit "off"). */}}
{{- define "cxauth-common.deepMerge" -}}
{{- $dst := index . 0 -}}
{{- range $key, $value := index . 1 -}}
{{- if and (kindIs "map" $value) (kindIs "map" (get $dst $key)) -}}
{{- include "cxauth-common.deepMerge" (list (get $dst $key) $value) -}}
{{- else -}}
{{- $_ := set $dst $key $value -}}
{{- end -}}
{{- end -}}
{{- end -}}
