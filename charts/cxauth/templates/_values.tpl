{{- /*
The umbrella's effective values: its own keys (global, auth-api, auth-ui, environment-api) with the
Genesys gauth chart's layout (image, COLOR, postgres, redis, services, optional, ingress,
internal_ingress, monitoring, pod_autoscaler) applied over them, so an operator's existing gauth
override file installs cxauth unchanged. Where both set the same thing, the gauth key wins.
Result (YAML): {global: ..., services: {auth-api: ..., auth-ui: ..., environment-api: ...}}.
*/ -}}

{{- define "cxauth.knownKeys" -}}
[global, auth-api, auth-ui, environment-api, cxauth-common, image, COLOR, postgres, redis, services, optional, ingress, internal_ingress, monitoring, pod_autoscaler]
{{- end -}}

{{- define "cxauth.effectiveValues" -}}
{{- $v := .Values -}}
{{- $unknown := list -}}
{{- $known := include "cxauth.knownKeys" . | fromYamlArray -}}
{{- range $key, $_ := $v -}}
{{- if not (has $key $known) -}}
{{- $unknown = append $unknown $key -}}
{{- end -}}
{{- end -}}
{{- if $unknown -}}
{{- fail (printf "unknown values key(s) %s. cxauth takes its own keys (global, auth-api, auth-ui, environment-api) and the Genesys gauth chart's layout (image, COLOR, postgres, redis, services, optional, ingress, internal_ingress, monitoring, pod_autoscaler); see docs/kubernetes.md \"Values\" for both." (join ", " $unknown)) -}}
{{- end -}}
{{- $g := deepCopy $v.global -}}
{{- $svc := dict -}}
{{- range $name := list "auth-api" "auth-ui" "environment-api" -}}
{{- $defaults := include (printf "cxauth-common.defaults.%s" $name) $ | fromYaml -}}
{{- include "cxauth-common.deepMerge" (list $defaults (deepCopy (index $v $name))) -}}
{{- $_ := set $svc $name $defaults -}}
{{- end -}}
{{- $all := list (index $svc "auth-api") (index $svc "auth-ui") (index $svc "environment-api") -}}

{{- /* image, COLOR */ -}}
{{- with $v.image -}}
{{- if hasKey . "registry" }}{{ $_ := set $g.image "registry" .registry }}{{ end -}}
{{- if hasKey . "imagePullSecrets" }}{{ $_ := set $g.image "pullSecrets" .imagePullSecrets }}{{ end -}}
{{- if hasKey . "pullPolicy" }}{{ $_ := set $g.image "pullPolicy" .pullPolicy }}{{ end -}}
{{- end -}}
{{- if hasKey $v "COLOR" }}{{ $_ := set $g "color" (toString $v.COLOR) }}{{ end -}}

{{- /* postgres, redis: connection, password or an existing Secret (create: false + name_override) */ -}}
{{- with $v.postgres -}}
{{- range $key := list "host" "port" "db" "username" "password" -}}
{{- if hasKey $.Values.postgres $key }}{{ $_ := set $g.postgres $key (get $.Values.postgres $key) }}{{ end -}}
{{- end -}}
{{- if and .secret (eq (toString .secret.create) "false") .secret.name_override -}}
{{- $_ := set $g.postgres.secret "name_override" .secret.name_override -}}
{{- end -}}
{{- if .deploy -}}
{{- $_ := set $g.postgres "host" (printf "%s-postgres" (default $.Release.Name $g.baseName)) -}}
{{- $_ := set $g.postgres.ssl "mode" "disable" -}}
{{- end -}}
{{- end -}}
{{- with $v.redis -}}
{{- range $key := list "cluster_nodes" "use_tls" "password_required" "password" -}}
{{- if hasKey $.Values.redis $key }}{{ $_ := set $g.redis $key (get $.Values.redis $key) }}{{ end -}}
{{- end -}}
{{- if and .secret (eq (toString .secret.create) "false") .secret.name_override -}}
{{- $_ := set $g.redis.secret "name_override" .secret.name_override -}}
{{- end -}}
{{- if .deploy -}}
{{- $_ := set $g.redis "cluster_nodes" (printf "%s-redis:6379" (default $.Release.Name $g.baseName)) -}}
{{- $_ := set $g.redis "use_tls" false -}}
{{- $_ := set $g.redis "mode" "standalone" -}}
{{- end -}}
{{- end -}}

{{- /* services.* */ -}}
{{- with $v.services -}}
{{- if and .secrets .secrets.useSecretProviderClass -}}
{{- fail "services.secrets.useSecretProviderClass is not supported by cxauth: let the Secrets Store CSI driver sync the secrets into Kubernetes Secrets and name them with services.secret.name_override (keys admin_password, encryption_key, client_secret) and postgres/redis.secret (create: false, name_override)" -}}
{{- end -}}
{{- if hasKey . "location" }}{{ $_ := set $g.services "location" .location }}{{ end -}}
{{- if hasKey . "replicas" -}}
{{- range $s := $all }}{{ $_ := set $s "replicas" $.Values.services.replicas }}{{ end -}}
{{- end -}}
{{- with .db -}}
{{- if hasKey . "init" }}{{ $_ := set (index $svc "auth-api").migrations "enabled" .init }}{{ end -}}
{{- if hasKey . "poolSize" }}{{ $_ := set $g.postgres "poolSize" .poolSize }}{{ end -}}
{{- if hasKey . "poolCheckoutTimeout" }}{{ $_ := set $g.postgres "connectTimeoutMs" .poolCheckoutTimeout }}{{ end -}}
{{- if hasKey . "ssl" }}{{ $_ := set $g.postgres.ssl "mode" .ssl }}{{ end -}}
{{- end -}}
{{- with .secret -}}
{{- range $key := list "admin_username" "admin_password" "encryption_key" "encryption_previous_keys" "client_id" "client_secret" -}}
{{- if hasKey $.Values.services.secret $key }}{{ $_ := set $g.services.secret $key (get $.Values.services.secret $key) }}{{ end -}}
{{- end -}}
{{- if and (eq (toString .create) "false") .name_override -}}
{{- $_ := set $g.services.secret "name_override" .name_override -}}
{{- end -}}
{{- end -}}
{{- /* Drop-in: the product's installers and clients send no PKCE, so new clients do not require it
       (services.auth.env or auth-api.env may still set it). */ -}}
{{- if not (hasKey (index $svc "auth-api").env "PKCE_REQUIRED_FOR_NEW_CLIENTS") -}}
{{- $_ := set (index $svc "auth-api").env "PKCE_REQUIRED_FOR_NEW_CLIENTS" "false" -}}
{{- end -}}
{{- range $product, $ours := dict "auth" "auth-api" "auth_ui" "auth-ui" "environment" "environment-api" -}}
{{- with get $.Values.services $product -}}
{{- $s := index $svc $ours -}}
{{- range $key := list "replicas" "resources" "readinessProbe" "livenessProbe" "startupProbe" -}}
{{- if hasKey (get $.Values.services $product) $key }}{{ $_ := set $s $key (get (get $.Values.services $product) $key) }}{{ end -}}
{{- end -}}
{{- with .env -}}
{{- include "cxauth-common.deepMerge" (list $s.env .) -}}
{{- with .GWS_ENVIRONMENT_COMMON_AUTH_SERVICE }}{{ $_ := set $g.services "auth_api_url" . }}{{ end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- with .auth -}}
{{- with .jks -}}
{{- range $key := list "enabled" "keyStoreFileData" "keyStorePassword" "keyAlias" "keyPassword" -}}
{{- if hasKey $.Values.services.auth.jks $key }}{{ $_ := set $g.services.jks $key (get $.Values.services.auth.jks $key) }}{{ end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- with .environment -}}
{{- if hasKey . "force_writable" }}{{ $_ := set $g.services "force_writable" .force_writable }}{{ end -}}
{{- end -}}
{{- end -}}

{{- /* optional.*: pod placement and security for every service */ -}}
{{- with $v.optional -}}
{{- range $s := $all -}}
{{- with $.Values.optional.priorityClassName }}{{ $_ := set $s "priorityClassName" . }}{{ end -}}
{{- with $.Values.optional.nodeSelector }}{{ $_ := set $s "nodeSelector" . }}{{ end -}}
{{- with $.Values.optional.tolerations }}{{ $_ := set $s "tolerations" . }}{{ end -}}
{{- with $.Values.optional.affinity }}{{ $_ := set $s "affinity" . }}{{ end -}}
{{- with $.Values.optional.strategy }}{{ $_ := set $s "strategy" . }}{{ end -}}
{{- with $.Values.optional.securityContext -}}
{{- /* The product's pod securityContext; its user and group also go to the container (which sets its own). */ -}}
{{- include "cxauth-common.deepMerge" (list $s.podSecurityContext .) -}}
{{- range $key := list "runAsUser" "runAsGroup" -}}
{{- if hasKey $.Values.optional.securityContext $key -}}
{{- if kindIs "invalid" (get $.Values.optional.securityContext $key) -}}
{{- $_ := unset $s.podSecurityContext $key -}}
{{- $_ := unset $s.securityContext $key -}}
{{- else -}}
{{- $_ := set $s.securityContext $key (get $.Values.optional.securityContext $key) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- /* ingress, internal_ingress (ingressClassName is the product's name for className) */ -}}
{{- range $kind := list "ingress" "internal_ingress" -}}
{{- with get $.Values $kind -}}
{{- $ing := get $g $kind -}}
{{- range $key := list "enabled" "frontend" "annotations" "tls" -}}
{{- if hasKey (get $.Values $kind) $key }}{{ $_ := set $ing $key (get (get $.Values $kind) $key) }}{{ end -}}
{{- end -}}
{{- with .ingressClassName }}{{ $_ := set $ing "className" . }}{{ end -}}
{{- $tls := dict "enabled" false "secretName" "" "terminated_upstream" false -}}
{{- include "cxauth-common.deepMerge" (list $tls ($ing.tls | default dict)) -}}
{{- $_ := set $ing "tls" $tls -}}
{{- end -}}
{{- end -}}

{{- /* monitoring: ServiceMonitors for every service (dashboards and alerts are the umbrella's own) */ -}}
{{- with $v.monitoring -}}
{{- range $s := $all -}}
{{- if $.Values.monitoring.enabled -}}
{{- $_ := set $s.serviceMonitor "enabled" true -}}
{{- with $.Values.monitoring.interval }}{{ $_ := set $s.serviceMonitor "interval" . }}{{ end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- /* pod_autoscaler.{auth,environment} */ -}}
{{- with $v.pod_autoscaler -}}
{{- range $product, $ours := dict "auth" "auth-api" "environment" "environment-api" "auth_ui" "auth-ui" -}}
{{- with get $.Values.pod_autoscaler $product -}}
{{- $a := (index $svc $ours).autoscaling -}}
{{- range $key := list "enabled" "metrics" "minReplicas" "maxReplicas" "behavior" -}}
{{- if hasKey (get $.Values.pod_autoscaler $product) $key }}{{ $_ := set $a $key (get (get $.Values.pod_autoscaler $product) $key) }}{{ end -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- toYaml (dict "global" $g "services" $svc) -}}
{{- end -}}
