{{/*
Everything one service needs, rendered from a component context.
Usage (a service chart):  {{ include "cxauth-common.component" (dict "root" . "component" "auth-api" "values" .Values) }}
The umbrella passes values it has merged from its own keys and the product's layout.
*/}}
{{- define "cxauth-common.context" -}}
{{- /* Returns nothing: fills .ctx of the dict it is given (templates cannot return objects). */ -}}
{{- $_ := set . "ctx" (dict "Values" .values "Release" .root.Release "Chart" .root.Chart "Capabilities" .root.Capabilities "Component" .component) -}}
{{- end -}}

{{- define "cxauth-common.component" -}}
{{- $args := dict "root" .root "component" .component "values" .values -}}
{{- include "cxauth-common.context" $args -}}
{{- $ctx := $args.ctx -}}
{{- include "cxauth-common.validate" $ctx -}}
{{- range $object := list "configMap" "secret" "identityProvidersSecret" "services" "deployment" "migrationsJob" "hpa" "pdb" "serviceAccount" "networkPolicy" "serviceMonitor" "certificate" "testPod" "ingresses" }}
{{- $text := include (printf "cxauth-common.%s" $object) $ctx | trim }}
{{- if $text }}
---
{{ $text }}
{{- end }}
{{- end }}
{{- end -}}

{{/* NOTES.txt of a service chart. */}}
{{- define "cxauth-common.notes" -}}
{{- $args := dict "root" .root "component" .component "values" .values -}}
{{- include "cxauth-common.context" $args -}}
{{- $ctx := $args.ctx -}}
{{- with $ctx -}}
{{- $base := include "cxauth-common.publicUrl" . | default "<gauth-url>" -}}
{{ .Component }} {{ .Chart.AppVersion }} is installed as {{ include "cxauth-common.workloadName" . }} in namespace {{ .Release.Namespace }}.

In-cluster callers: {{ ternary "https" "http" (eq (include "cxauth-common.tlsEnabled" .) "true") }}://{{ include "cxauth-common.fullname" . }}.{{ .Release.Namespace }}{{ $port := include "cxauth-common.servicePort" . | int }}{{ if not (has $port (list 80 443)) }}:{{ $port }}{{ end }}{{ include "cxauth-common.feature" (list . "path") }}/...
{{- if and .Values.global.ingress.enabled .Values.ingress.enabled }}
Public URL: {{ $base }}{{ include "cxauth-common.feature" (list . "path") }}
{{- end }}

Watch the rollout:
  kubectl -n {{ .Release.Namespace }} rollout status deployment/{{ include "cxauth-common.workloadName" . }}
{{- if and (include "cxauth-common.feature" (list . "migrate")) .Values.migrations.enabled }}
Schema migrations ran in the pre-install/pre-upgrade Job {{ include "cxauth-common.workloadName" . }}-migrations:
  kubectl -n {{ .Release.Namespace }} logs job/{{ include "cxauth-common.workloadName" . }}-migrations
{{- end }}
{{- if .Values.helmTest.enabled }}
Check it: helm test {{ .Release.Name }} -n {{ .Release.Namespace }}
{{- end }}
{{- if eq .Component "auth-api" }}

Provision (the ops user is {{ .Values.global.services.secret.admin_username }}; its password is the one you set in
global.services.secret.admin_password, or in Secret {{ include "cxauth-common.opsSecretName" . }}):

  export GAUTH={{ $base }}
  export OPS_USER={{ .Values.global.services.secret.admin_username }} OPS_PASSWORD='<the ops password>'

  # 1. Create an API client
  curl --location --request POST "$GAUTH/auth/v3/ops/clients" \
    --header 'Content-Type: application/json' --user "$OPS_USER:$OPS_PASSWORD" \
    --data-raw '{"data": {"name": "external_api_client", "clientType": "CONFIDENTIAL", "internalClient": true,
      "client_id": "external_api_client", "client_secret": "<client secret>", "authorities": ["ROLE_INTERNAL_CLIENT"],
      "scope": ["*"], "authorizedGrantTypes": ["client_credentials", "authorization_code", "refresh_token", "password"],
      "redirectURIs": ["{{ $base }}"], "accessTokenExpirationTimeout": 43200, "refreshTokenExpirationTimeout": 43200}}'

  # 2. Get a token for the ops user through that client
  curl --location --user 'external_api_client:<client secret>' --request POST "$GAUTH/auth/v3/oauth/token" \
    --data-urlencode "username=$OPS_USER" --data-urlencode 'client_id=external_api_client' \
    --data-urlencode 'grant_type=password' --data-urlencode "password=$OPS_PASSWORD"

  # 3. With that access_token as a Bearer token: POST $GAUTH/environment/v3/environments, then
  #    /environment/v3/contact-centers (and /contact-centers/<id>/settings for CORS); with the ops
  #    credentials: POST $GAUTH/environment/v3/data-centers. See docs/kubernetes.md "Provisioning".
{{- end }}
{{- end }}
{{- end -}}
