{{/* One probe: the operator's handler (e.g. the product's httpGet /health on port management) or ours. */}}
{{- define "cxauth-common.probe" -}}
{{- $ctx := index . 0 -}}
{{- $probe := index . 1 -}}
{{- if not (or $probe.httpGet $probe.tcpSocket $probe.exec $probe.grpc) }}
httpGet:
  path: {{ index . 2 }}
  port: management
  {{- if eq (include "cxauth-common.tlsEnabled" $ctx) "true" }}
  scheme: HTTPS
  {{- end }}
{{- end }}
{{ toYaml $probe }}
{{- end -}}

{{- define "cxauth-common.deployment" -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "cxauth-common.workloadName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "cxauth-common.labels" . | nindent 4 }}
spec:
  {{- if not .Values.autoscaling.enabled }}
  replicas: {{ .Values.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  strategy:
    {{- toYaml .Values.strategy | nindent 4 }}
  selector:
    matchLabels:
      {{- include "cxauth-common.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "cxauth-common.labels" . | nindent 8 }}
        {{- with .Values.podLabels }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      annotations:
        checksum/config: {{ include "cxauth-common.configMap" . | sha256sum }}
        {{- /* auth-api also rolls when the chart's client or keystore changes: new pods load what the Job wrote. */}}
        checksum/secret: {{ printf "%s|%s|%s|%s|%s" (include "cxauth-common.secret" .) (include "cxauth-common.opsSecretName" .) (include "cxauth-common.postgresSecretName" .) (include "cxauth-common.redisSecretName" .) (ternary (include "cxauth-common.bootstrapSecretData" .) "" (eq .Component "auth-api")) | sha256sum }}
        {{- with .Values.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      serviceAccountName: {{ include "cxauth-common.serviceAccountName" . }}
      {{- include "cxauth-common.podSecurity" . | nindent 6 }}
      terminationGracePeriodSeconds: {{ .Values.terminationGracePeriodSeconds }}
      {{- with .Values.initContainers }}
      initContainers:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .Component }}
          image: {{ include "cxauth-common.image" . | quote }}
          imagePullPolicy: {{ .Values.global.image.pullPolicy }}
          args: [{{ include "cxauth-common.feature" (list . "main") | quote }}]
          ports:
            - name: http
              containerPort: 8080
              protocol: TCP
            - name: management
              containerPort: 9090
              protocol: TCP
          envFrom:
            - configMapRef:
                name: {{ include "cxauth-common.workloadName" . }}
            {{- with .Values.extraEnvFrom }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- $env := include "cxauth-common.secretEnv" . | trim }}
          {{- if or $env .Values.extraEnv }}
          env:
            {{- with $env }}
            {{- . | nindent 12 }}
            {{- end }}
            {{- with .Values.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          {{- end }}
          startupProbe:
            {{- include "cxauth-common.probe" (list . .Values.startupProbe "/health/live") | trim | nindent 12 }}
          livenessProbe:
            {{- include "cxauth-common.probe" (list . .Values.livenessProbe "/health/live") | trim | nindent 12 }}
          readinessProbe:
            {{- include "cxauth-common.probe" (list . .Values.readinessProbe "/health/ready") | trim | nindent 12 }}
          resources:
            {{- toYaml .Values.resources | nindent 12 }}
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          volumeMounts:
            {{- include "cxauth-common.volumeMounts" . | trim | nindent 12 }}
            {{- with .Values.extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
        {{- with .Values.sidecars }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      volumes:
        {{- include "cxauth-common.volumes" . | trim | nindent 8 }}
        {{- with .Values.extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      affinity:
        {{- if .Values.affinity }}
        {{- toYaml .Values.affinity | nindent 8 }}
        {{- else }}
        podAntiAffinity:
          preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              podAffinityTerm:
                topologyKey: topology.kubernetes.io/zone
                labelSelector:
                  matchLabels:
                    {{- include "cxauth-common.selectorLabels" . | nindent 20 }}
            - weight: 50
              podAffinityTerm:
                topologyKey: kubernetes.io/hostname
                labelSelector:
                  matchLabels:
                    {{- include "cxauth-common.selectorLabels" . | nindent 20 }}
        {{- end }}
      {{- with .Values.topologySpreadConstraints }}
      topologySpreadConstraints:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end -}}

{{/* What the migrations Job reads besides the database: the bootstrap client and the keystore to import. */}}
{{- define "cxauth-common.bootstrapSecretData" -}}
{{- $s := .Values.global.services.secret -}}
{{- $jks := .Values.global.services.jks -}}
{{- if and $s.client_id (not $s.name_override) }}
bootstrap_client_secret: {{ $s.client_secret | toString | b64enc | quote }}
{{- end }}
{{- if and $jks.enabled (not $jks.secret.name_override) }}
keystore: {{ required "global.services.jks.keyStoreFileData (base64 of the keystore) is required when global.services.jks.enabled" $jks.keyStoreFileData | quote }}
keystore_password: {{ $jks.keyStorePassword | toString | b64enc | quote }}
key_password: {{ $jks.keyPassword | toString | b64enc | quote }}
{{- end }}
{{- if and (or $s.client_id $jks.enabled) (not $s.name_override) }}
encryption_key: {{ $s.encryption_key | toString | b64enc | quote }}
{{- end }}
{{- end -}}

{{- define "cxauth-common.migrationsJob" -}}
{{- $migrate := include "cxauth-common.feature" (list . "migrate") -}}
{{- if and $migrate .Values.migrations.enabled }}
{{- $g := .Values.global -}}
{{- $name := printf "%s-migrations" (include "cxauth-common.workloadName" .) | trunc 63 | trimSuffix "-" -}}
{{- $bootstrap := and (eq .Component "auth-api") (or $g.services.secret.client_id $g.services.jks.enabled) -}}
{{- $opsSecret := default $name $g.services.secret.name_override -}}
{{- $jksSecret := default $name $g.services.jks.secret.name_override -}}
{{- if or (not $g.postgres.secret.name_override) $bootstrap }}
# The Job runs before the release's own objects exist, so it gets its own short-lived copy of what it
# reads (a hook object, deleted once the hooks have run).
apiVersion: v1
kind: Secret
metadata:
  name: {{ $name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "cxauth-common.migrationsLabels" . | nindent 4 }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "-10"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded,hook-failed
type: Opaque
data:
  {{- if not $g.postgres.secret.name_override }}
  database_password: {{ $g.postgres.password | toString | b64enc | quote }}
  {{- end }}
  {{- if $bootstrap }}
  {{- include "cxauth-common.bootstrapSecretData" . | nindent 2 }}
  {{- end }}
---
{{- end }}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ $name }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "cxauth-common.migrationsLabels" . | nindent 4 }}
  annotations:
    # Runs (and must succeed) before the Deployments are created or changed.
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "0"
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  backoffLimit: {{ .Values.migrations.backoffLimit }}
  # Below Helm's default --timeout (5 minutes), so a stuck Job fails the upgrade with its own reason.
  activeDeadlineSeconds: {{ .Values.migrations.activeDeadlineSeconds }}
  {{- with .Values.migrations.ttlSecondsAfterFinished }}
  ttlSecondsAfterFinished: {{ . }}
  {{- end }}
  template:
    metadata:
      labels:
        {{- include "cxauth-common.migrationsLabels" . | nindent 8 }}
    spec:
      restartPolicy: Never
      {{- include "cxauth-common.podSecurity" . | nindent 6 }}
      containers:
        - name: migrations
          image: {{ include "cxauth-common.image" . | quote }}
          imagePullPolicy: {{ .Values.global.image.pullPolicy }}
          args: [{{ $migrate | quote }}]
          env:
            {{- range $key, $value := include "cxauth-common.databaseConfig" . | fromYaml }}
            - name: {{ $key }}
              value: {{ $value | toString | quote }}
            {{- end }}
            {{- include "cxauth-common.databasePasswordEnv" (list . $name) | nindent 12 }}
            {{- if $bootstrap }}
            - name: ENCRYPTION_KEY
              valueFrom:
                secretKeyRef:
                  name: {{ $opsSecret }}
                  key: encryption_key
            {{- end }}
            {{- if and $bootstrap $g.services.secret.client_id }}
            - name: BOOTSTRAP_CLIENT_ID
              value: {{ $g.services.secret.client_id | quote }}
            - name: BOOTSTRAP_CLIENT_SECRET
              valueFrom:
                secretKeyRef:
                  name: {{ $opsSecret }}
                  key: {{ ternary "client_secret" "bootstrap_client_secret" (not (empty $g.services.secret.name_override)) }}
            {{- with $g.services.secret.client_redirect_uris }}
            - name: BOOTSTRAP_CLIENT_REDIRECT_URIS
              value: {{ join "," . | quote }}
            {{- end }}
            {{- end }}
            {{- if and $bootstrap $g.services.jks.enabled }}
            - name: SIGNING_KEYSTORE_FILE
              value: /etc/cxauth/keystore/keystore
            - name: SIGNING_KEY_ALIAS
              value: {{ $g.services.jks.keyAlias | quote }}
            - name: SIGNING_KEYSTORE_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {{ $jksSecret }}
                  key: keystore_password
            - name: SIGNING_KEY_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {{ $jksSecret }}
                  key: key_password
                  optional: true
            {{- end }}
          resources:
            {{- toYaml .Values.migrations.resources | nindent 12 }}
          securityContext:
            {{- toYaml .Values.securityContext | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
            {{- if and $bootstrap $g.services.jks.enabled }}
            - name: keystore
              mountPath: /etc/cxauth/keystore
              readOnly: true
            {{- end }}
            {{- if and (ne $g.postgres.ssl.mode "disable") $g.postgres.ssl.ca.secretName }}
            - name: postgres-ca
              mountPath: /etc/cxauth/postgres-ca
              readOnly: true
            {{- end }}
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
        {{- if and $bootstrap $g.services.jks.enabled }}
        - name: keystore
          secret:
            secretName: {{ $jksSecret }}
            items:
              - key: keystore
                path: keystore
        {{- end }}
        {{- if and (ne $g.postgres.ssl.mode "disable") $g.postgres.ssl.ca.secretName }}
        - name: postgres-ca
          secret:
            secretName: {{ $g.postgres.ssl.ca.secretName }}
            items:
              - key: {{ $g.postgres.ssl.ca.key }}
                path: {{ $g.postgres.ssl.ca.key }}
        {{- end }}
{{- end }}
{{- end -}}
