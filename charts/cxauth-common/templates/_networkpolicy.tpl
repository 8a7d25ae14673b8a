{{- define "cxauth-common.networkPolicy" -}}
{{- if .Values.networkPolicy.enabled }}
{{- $g := .Values.global -}}
{{- $np := .Values.networkPolicy -}}
{{- $storage := eq (include "cxauth-common.feature" (list . "storage")) "true" -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "cxauth-common.workloadName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "cxauth-common.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "cxauth-common.selectorLabels" . | nindent 6 }}
  policyTypes:
    - Ingress
    - Egress
  ingress:
    # The ingress controller and in-cluster callers reach the HTTP port only.
    - ports:
        - port: http
          protocol: TCP
      from:
        - namespaceSelector:
            {{- toYaml $np.ingressControllerNamespaceSelector | nindent 12 }}
          {{- with $np.ingressControllerPodSelector }}
          podSelector:
            {{- toYaml . | nindent 12 }}
          {{- end }}
        {{- if $np.allowSameNamespace }}
        - podSelector: {}
        {{- end }}
        {{- with $np.clients }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    {{- with $np.metricsNamespaceSelector }}
    # Prometheus scrapes /metrics on the management port (kubelet probes are not subject to policies).
    - ports:
        - port: management
          protocol: TCP
      from:
        - namespaceSelector:
            {{- toYaml . | nindent 12 }}
    {{- end }}
    {{- with $np.extraIngress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
  egress:
    # DNS
    - ports:
        - port: 53
          protocol: UDP
        - port: 53
          protocol: TCP
    {{- if $storage }}
    # PostgreSQL
    - ports:
        - port: {{ int $g.postgres.port }}
          protocol: TCP
    # Redis (every node's port: standalone, Sentinel or Cluster)
    - ports:
        {{- range include "cxauth-common.redisPorts" . | fromJsonArray }}
        - port: {{ int . }}
          protocol: TCP
        {{- end }}
    {{- end }}
    {{- if and $storage $g.consul.enabled }}
    # Consul
    - ports:
        - port: {{ int $g.consul.port }}
          protocol: TCP
    {{- end }}
    {{- if eq (include "cxauth-common.feature" (list . "configServer")) "true" }}
    # Configuration Server (user authentication, environment checks)
    - ports:
        {{- range $g.configServer.ports }}
        - port: {{ int . }}
          protocol: TCP
        {{- end }}
    {{- end }}
    {{- if eq (include "cxauth-common.feature" (list . "callsAuthApi")) "true" }}
    # auth-api in this release (environment-api: bearer token validation; auth-ui: pending sign-ins)
    - ports:
        - port: 8080
          protocol: TCP
      to:
        - podSelector:
            matchLabels:
              app.kubernetes.io/name: auth-api
              app.kubernetes.io/instance: {{ .Release.Name }}
    {{- end }}
    {{- with $np.extraEgress }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
{{- end }}
{{- end -}}
