{{/*
environment-api's identity providers from the values (docs/sso.md "From the Helm chart"): the
`identityProviders` list rendered as JSON into a Secret of its own (client secrets and SP keys: never a
ConfigMap), or the operator's Secret named by `identityProvidersExistingSecret`, mounted read-only as a
directory (no subPath, so the kubelet updates the file in place) and named by IDENTITY_PROVIDERS_FILE.
environment-api reads it again every IDENTITY_PROVIDERS_POLL_SECONDS: a change applies without a
restart, so the Secret is left out of the pods' checksum annotations.
*/}}

{{/* "chart" (the chart renders identityProviders), "existing" (the operator's Secret) or "" (none). */}}
{{- define "cxauth-common.identityProvidersSource" -}}
{{- if eq (include "cxauth-common.feature" (list . "identityProviders")) "true" -}}
{{- $existing := (.Values.identityProvidersExistingSecret | default dict).name -}}
{{- if and $existing .Values.identityProviders -}}
{{- fail "environment-api: set identityProviders or identityProvidersExistingSecret.name, not both" -}}
{{- end -}}
{{- if $existing -}}existing{{- else if .Values.identityProviders -}}chart{{- end -}}
{{- end -}}
{{- end -}}

{{- define "cxauth-common.identityProvidersDir" -}}
/etc/cxauth/identity-providers
{{- end -}}

{{- define "cxauth-common.identityProvidersSecretName" -}}
{{- if eq (include "cxauth-common.identityProvidersSource" .) "existing" -}}
{{- .Values.identityProvidersExistingSecret.name -}}
{{- else -}}
{{- printf "%s-identity-providers" (include "cxauth-common.workloadName" .) -}}
{{- end -}}
{{- end -}}

{{- define "cxauth-common.identityProvidersKey" -}}
{{- if eq (include "cxauth-common.identityProvidersSource" .) "existing" -}}
{{- .Values.identityProvidersExistingSecret.key | default "identity-providers.json" -}}
{{- else -}}
identity-providers.json
{{- end -}}
{{- end -}}

{{- define "cxauth-common.identityProvidersSecret" -}}
{{- if eq (include "cxauth-common.identityProvidersSource" .) "chart" }}
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "cxauth-common.identityProvidersSecretName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "cxauth-common.labels" . | nindent 4 }}
type: Opaque
data:
  identity-providers.json: {{ .Values.identityProviders | toPrettyJson | b64enc | quote }}
{{- end }}
{{- end -}}

{{/* ConfigMap entries. */}}
{{- define "cxauth-common.identityProvidersConfig" -}}
{{- if include "cxauth-common.identityProvidersSource" . }}
IDENTITY_PROVIDERS_FILE: {{ printf "%s/%s" (include "cxauth-common.identityProvidersDir" .) (include "cxauth-common.identityProvidersKey" .) | quote }}
IDENTITY_PROVIDERS_POLL_SECONDS: {{ .Values.identityProvidersPollSeconds | int | quote }}
{{- end }}
{{- end -}}

{{- define "cxauth-common.identityProvidersVolumeMount" -}}
{{- if include "cxauth-common.identityProvidersSource" . }}
- name: identity-providers
  mountPath: {{ include "cxauth-common.identityProvidersDir" . }}
  readOnly: true
{{- end }}
{{- end -}}

{{- define "cxauth-common.identityProvidersVolume" -}}
{{- if include "cxauth-common.identityProvidersSource" . }}
- name: identity-providers
  secret:
    secretName: {{ include "cxauth-common.identityProvidersSecretName" . }}
    items:
      - key: {{ include "cxauth-common.identityProvidersKey" . }}
        path: {{ include "cxauth-common.identityProvidersKey" . }}
{{- end }}
{{- end -}}
