{{- define "cxauth-common.configMap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "cxauth-common.workloadName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "cxauth-common.labels" . | nindent 4 }}
data:
  {{- include "cxauth-common.config" . | nindent 2 }}
{{- end -}}

{{- define "cxauth-common.secret" -}}
{{- $g := .Values.global -}}
{{- if eq (include "cxauth-common.feature" (list . "storage")) "true" }}
{{- $data := dict -}}
{{- if not $g.services.secret.name_override }}
{{- $_ := set $data "admin_password" $g.services.secret.admin_password }}
{{- $_ := set $data "encryption_key" $g.services.secret.encryption_key }}
{{- with $g.services.secret.encryption_previous_keys }}
{{- $_ := set $data "encryption_previous_keys" (join "," .) }}
{{- end }}
{{- end }}
{{- if not $g.postgres.secret.name_override }}
{{- $_ := set $data "database_password" $g.postgres.password }}
{{- end }}
{{- if and $g.redis.password_required (not $g.redis.secret.name_override) }}
{{- $_ := set $data "redis_password" $g.redis.password }}
{{- end }}
{{- if eq (include "cxauth-common.consulTokenSource" .) "chart" }}
{{- $_ := set $data "consul_token" $g.consul.token }}
{{- end }}
{{- if $data }}
apiVersion: v1
kind: Secret
metadata:
  name: {{ include "cxauth-common.workloadName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "cxauth-common.labels" . | nindent 4 }}
type: Opaque
data:
  {{- range $key, $value := $data }}
  {{ $key }}: {{ $value | toString | b64enc | quote }}
  {{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{/* Usage: include "cxauth-common.serviceObject" (list $ctx name selector extraLabels) */}}
{{- define "cxauth-common.serviceObject" -}}
{{- $ctx := index . 0 -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ index . 1 }}
  namespace: {{ $ctx.Release.Namespace }}
  labels:
    {{- include "cxauth-common.labels" $ctx | nindent 4 }}
    {{- with index . 3 }}
    {{- . | nindent 4 }}
    {{- end }}
  {{- with $ctx.Values.service.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  type: {{ $ctx.Values.service.type }}
  selector:
    {{- index . 2 | nindent 4 }}
  ports:
    - name: {{ include "cxauth-common.servicePortName" $ctx }}
      port: {{ include "cxauth-common.servicePort" $ctx }}
      targetPort: http
      protocol: TCP
    - name: management
      port: 9090
      targetPort: management
      protocol: TCP
{{- end -}}

{{/*
The Services: the stable one under the product's name (gauth-auth, ...) when this release routes, its
colored twin in a blue/green release, and gauth-auth-active (the product's blue/green switch) for auth-api.
*/}}
{{- define "cxauth-common.services" -}}
{{- if .Values.global.routing.enabled }}
{{ include "cxauth-common.serviceObject" (list . (include "cxauth-common.fullname" .) (include "cxauth-common.routingSelector" .) "") }}
{{- if eq .Component "auth-api" }}
---
{{ include "cxauth-common.serviceObject" (list . (printf "%s-active" (include "cxauth-common.fullname" .)) (include "cxauth-common.routingSelector" .) (printf "gauth_release: %s" (default .Release.Name .Values.global.routing.activeColor))) }}
{{- end }}
{{- end }}
{{- if .Values.global.color }}
---
{{ include "cxauth-common.serviceObject" (list . (include "cxauth-common.workloadName" .) (include "cxauth-common.selectorLabels" .) "") }}
{{- end }}
{{- end -}}

{{/* Usage: include "cxauth-common.ingressPaths" $ctx -> the http.paths of this service on the shared host. */}}
{{- define "cxauth-common.ingressPaths" -}}
- path: {{ include "cxauth-common.feature" (list . "path") }}
  pathType: Prefix
  backend:
    service:
      name: {{ include "cxauth-common.fullname" . }}
      port:
        name: {{ include "cxauth-common.servicePortName" . }}
{{- range $path := (include "cxauth-common.features" . | fromYaml | dig .Component "exactPaths" list) }}
- path: {{ $path }}
  pathType: Exact
  backend:
    service:
      name: {{ include "cxauth-common.fullname" $ }}
      port:
        name: {{ include "cxauth-common.servicePortName" $ }}
{{- end }}
{{- end -}}

{{/* Usage: include "cxauth-common.ingressObject" (list $ctx kind name paths labels) */}}
{{- define "cxauth-common.ingressObject" -}}
{{- $ctx := index . 0 -}}
{{- $kind := index . 1 -}}
{{- $ing := get $ctx.Values.global $kind -}}
{{- if not $ing.frontend }}
{{- fail (printf "global.%s.frontend is required when global.%s.enabled is true (e.g. gauth.example.com)" $kind $kind) }}
{{- end }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ index . 2 }}
  namespace: {{ $ctx.Release.Namespace }}
  labels:
    {{- index . 4 | nindent 4 }}
  {{- $annotations := deepCopy ($ing.annotations | default dict) }}
  {{- if eq (include "cxauth-common.tlsEnabled" $ctx) "true" }}
  {{- $_ := set $annotations "nginx.ingress.kubernetes.io/backend-protocol" "HTTPS" }}
  {{- end }}
  {{- with $annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
spec:
  {{- with $ing.className }}
  ingressClassName: {{ . }}
  {{- end }}
  {{- if $ing.tls.enabled }}
  tls:
    - hosts:
        - {{ $ing.frontend | quote }}
      secretName: {{ required (printf "global.%s.tls.secretName is required when TLS is enabled" $kind) $ing.tls.secretName }}
  {{- end }}
  rules:
    - host: {{ $ing.frontend | quote }}
      http:
        paths:
          {{- index . 3 | nindent 10 }}
{{- end -}}

{{/* One Ingress per service and host, unless the umbrella combines them (global.ingress.combined). */}}
{{- define "cxauth-common.ingresses" -}}
{{- $ctx := . -}}
{{- if and .Values.global.routing.enabled .Values.ingress.enabled (not .Values.global.combinedIngress) }}
{{- range $kind := list "ingress" "internal_ingress" }}
{{- if (get $ctx.Values.global $kind).enabled }}
---
{{ include "cxauth-common.ingressObject" (list $ctx $kind (printf "%s%s" (include "cxauth-common.fullname" $ctx) (ternary "-internal" "" (eq $kind "internal_ingress"))) (include "cxauth-common.ingressPaths" $ctx) (include "cxauth-common.labels" $ctx)) }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "cxauth-common.hpa" -}}
{{- if .Values.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "cxauth-common.workloadName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "cxauth-common.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "cxauth-common.workloadName" . }}
  minReplicas: {{ .Values.autoscaling.minReplicas }}
  maxReplicas: {{ .Values.autoscaling.maxReplicas }}
  metrics:
    {{- with .Values.autoscaling.metrics }}
    {{- toYaml . | nindent 4 }}
    {{- else }}
    {{- with .Values.autoscaling.targetCPUUtilizationPercentage }}
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
    {{- with .Values.autoscaling.targetMemoryUtilizationPercentage }}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{ . }}
    {{- end }}
    {{- end }}
  {{- with .Values.autoscaling.behavior }}
  behavior:
    {{- toYaml . | nindent 4 }}
  {{- end }}
{{- end }}
{{- end -}}

{{- define "cxauth-common.pdb" -}}
{{- if .Values.pdb.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "cxauth-common.workloadName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "cxauth-common.labels" . | nindent 4 }}
spec:
  {{- if not (kindIs "invalid" .Values.pdb.minAvailable) }}
  minAvailable: {{ .Values.pdb.minAvailable }}
  {{- else }}
  maxUnavailable: {{ .Values.pdb.maxUnavailable | default 1 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "cxauth-common.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}

{{/* Only where the Prometheus Operator's CRDs exist (helm template: --api-versions monitoring.coreos.com/v1). */}}
{{- define "cxauth-common.serviceMonitor" -}}
{{- if and .Values.serviceMonitor.enabled (.Capabilities.APIVersions.Has "monitoring.coreos.com/v1/ServiceMonitor") }}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "cxauth-common.workloadName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "cxauth-common.labels" . | nindent 4 }}
    {{- with .Values.serviceMonitor.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ include "cxauth-common.name" . }}
      app.kubernetes.io/instance: {{ .Release.Name }}
  namespaceSelector:
    matchNames:
      - {{ .Release.Namespace }}
  endpoints:
    - port: management
      path: /metrics
      # The metrics carry `service` (auth-api, ...); keep it rather than the Kubernetes Service name.
      honorLabels: true
      interval: {{ .Values.serviceMonitor.interval }}
      scrapeTimeout: {{ .Values.serviceMonitor.scrapeTimeout }}
      {{- if eq (include "cxauth-common.tlsEnabled" .) "true" }}
      scheme: https
      tlsConfig:
        serverName: {{ include "cxauth-common.fullname" . }}
        {{- if .Values.global.tls.certManager.enabled }}
        ca:
          secret:
            name: {{ include "cxauth-common.tlsSecretName" . }}
            key: ca.crt
        {{- else }}
        insecureSkipVerify: true
        {{- end }}
      {{- end }}
{{- end }}
{{- end -}}

{{- define "cxauth-common.serviceAccount" -}}
{{- if .Values.serviceAccount.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "cxauth-common.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "cxauth-common.labels" . | nindent 4 }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: false
{{- end }}
{{- end -}}

{{/* A cert-manager Certificate for the service's in-cluster names (global.tls.certManager). */}}
{{- define "cxauth-common.certificate" -}}
{{- $tls := .Values.global.tls -}}
{{- if and (eq (include "cxauth-common.tlsEnabled" .) "true") $tls.certManager.enabled }}
{{- $ns := .Release.Namespace -}}
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: {{ include "cxauth-common.workloadName" . }}
  namespace: {{ $ns }}
  labels:
    {{- include "cxauth-common.labels" . | nindent 4 }}
spec:
  secretName: {{ include "cxauth-common.tlsSecretName" . }}
  duration: {{ $tls.certManager.duration }}
  renewBefore: {{ $tls.certManager.renewBefore }}
  privateKey:
    algorithm: ECDSA
    size: 256
    rotationPolicy: Always
  dnsNames:
    {{- range $name := uniq (list (include "cxauth-common.fullname" .) (include "cxauth-common.workloadName" .)) }}
    - {{ $name }}
    - {{ $name }}.{{ $ns }}
    - {{ $name }}.{{ $ns }}.svc
    - {{ $name }}.{{ $ns }}.svc.cluster.local
    {{- end }}
  issuerRef:
    {{- toYaml $tls.certManager.issuerRef | nindent 4 }}
{{- end }}
{{- end -}}

{{/* `helm test`: a pod that asks the service's readiness endpoint through its Service. */}}
{{- define "cxauth-common.testPod" -}}
{{- if .Values.helmTest.enabled }}
{{- $tls := eq (include "cxauth-common.tlsEnabled" .) "true" -}}
apiVersion: v1
kind: Pod
metadata:
  name: {{ include "cxauth-common.workloadName" . }}-test
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "cxauth-common.commonLabels" . | nindent 4 }}
    app.kubernetes.io/name: {{ include "cxauth-common.name" . }}-test
    app.kubernetes.io/component: test
  annotations:
    helm.sh/hook: test
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  restartPolicy: Never
  {{- include "cxauth-common.podSecurity" . | nindent 2 }}
  containers:
    - name: readiness
      # The service's own image: node asks the management port (the image has no shell or curl).
      image: {{ include "cxauth-common.image" . | quote }}
      imagePullPolicy: {{ .Values.global.image.pullPolicy }}
      args:
        - -e
        - >-
          fetch('{{ ternary "https" "http" $tls }}://{{ include "cxauth-common.workloadName" . }}:9090/health/ready').then(async (r) =>
          { console.log(r.status, await r.text()); process.exit(r.ok ? 0 : 1); }, (e) => { console.error(e.message); process.exit(1); })
      {{- if $tls }}
      env:
        - name: NODE_TLS_REJECT_UNAUTHORIZED
          value: "0"
      {{- end }}
      resources:
        requests: { cpu: 10m, memory: 32Mi }
        limits: { memory: 128Mi }
      securityContext:
        {{- toYaml .Values.securityContext | nindent 8 }}
{{- end }}
{{- end -}}
