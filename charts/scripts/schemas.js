// Generates values.schema.json for charts/{auth-api,auth-ui,environment-api,cxauth} from one
// description, so the shared `global` part cannot drift between charts. Every object refuses unknown
// keys (additionalProperties: false): a misspelled value fails `helm lint` / `helm install`.
//
//   node charts/scripts/schemas.js          # rewrite the four files
//   (charts/__tests__/charts.spec.ts checks the committed files equal this output)
'use strict';

const { readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const obj = (properties, extra = {}) => ({ type: 'object', additionalProperties: false, properties, ...extra });
const str = (extra = {}) => ({ type: 'string', ...extra });
const bool = () => ({ type: 'boolean' });
const int = (minimum, maximum) => ({
  type: 'integer',
  ...(minimum !== undefined && { minimum }),
  ...(maximum !== undefined && { maximum }),
});
const port = () => int(1, 65535);
const nullable = (schema) => ({ anyOf: [schema, { type: 'null' }] });
/** A Kubernetes structure passed through verbatim (validated by the API server, not here). */
const free = (type = 'object') => ({ type });
const percentOrInt = () => ({ anyOf: [int(0), str({ pattern: '^[0-9]+%$' })] });

const secretRef = (what) =>
  obj({
    name_override: str({ description: `Existing Secret holding the ${what}` }),
    key: str({ minLength: 1, description: `Key of the ${what} in that Secret` }),
  });

const caRef = () =>
  obj({
    secretName: str({ description: 'Secret holding the CA certificate' }),
    key: str({ minLength: 1 }),
  });

const ingress = () =>
  obj({
    enabled: bool(),
    frontend: str({ pattern: '^$|^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$', description: 'Host name, no scheme' }),
    className: str(),
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    tls: obj({ enabled: bool(), secretName: str(), terminated_upstream: bool() }),
  });

const jksSchema = () =>
  obj({
    enabled: bool(),
    keyStoreFileData: str({ pattern: '^[A-Za-z0-9+/=\\s]*$', description: 'base64 of the keystore file' }),
    keyStorePassword: str(),
    keyAlias: str({ minLength: 1 }),
    keyPassword: str(),
    secret: obj({ name_override: str() }),
  });

const globalSchema = () =>
  obj({
    baseName: str({ pattern: '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 40 }),
    color: str({ pattern: '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', maxLength: 12, description: 'blue/green colour' }),
    routing: obj({ enabled: bool(), activeColor: str({ pattern: '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' }) }),
    combinedIngress: bool(),
    tls: obj({
      enabled: bool(),
      secretName: str(),
      certManager: obj({
        enabled: bool(),
        issuerRef: obj({ name: str(), kind: str({ minLength: 1 }), group: str({ minLength: 1 }) }),
        duration: str({ pattern: '^[0-9]+(h|m|s)$' }),
        renewBefore: str({ pattern: '^[0-9]+(h|m|s)$' }),
      }),
    }),
    image: obj({
      registry: str(),
      pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
      pullSecrets: { type: 'array', items: obj({ name: str({ minLength: 1 }) }, { required: ['name'] }) },
    }),
    services: obj({
      location: str({ pattern: '^/[A-Za-z0-9_-]*$', description: 'e.g. /USW1, or / for none' }),
      force_writable: bool(),
      public_url: str({ pattern: '^$|^https?://[^/\\s]+(/.*)?$' }),
      auth_api_url: str({ pattern: '^$|^https?://' }),
      trust_proxy: {
        anyOf: [bool(), int(0, 99), str({ pattern: '^[0-9A-Fa-f.:/, ]+$' })],
        description: 'TRUST_PROXY: false, true, a hop count, or comma-separated proxy addresses/CIDRs',
      },
      cors_default: { type: 'string', enum: ['allow', 'deny'] },
      secret: obj({
        name_override: str(),
        admin_username: str({ minLength: 1, maxLength: 255 }),
        admin_password: str({ maxLength: 1024 }),
        encryption_key: str({ pattern: '^$|^[A-Za-z0-9+/]{43}=$', description: 'openssl rand -base64 32' }),
        encryption_previous_keys: {
          type: 'array',
          items: str({ pattern: '^[A-Za-z0-9+/]{43}=$' }),
          description: 'Older encryption keys that still decrypt (after a rotation)',
        },
        client_id: str({ pattern: '^$|^[A-Za-z0-9._~:@-]+$', maxLength: 255 }),
        client_secret: str({ maxLength: 512 }),
        client_redirect_uris: { type: 'array', items: str({ pattern: '^[a-z][a-z0-9+.-]*:' }) },
      }),
      jks: jksSchema(),
    }),
    postgres: obj({
      host: str(),
      port: port(),
      db: str({ minLength: 1 }),
      username: str({ minLength: 1 }),
      password: str(),
      secret: secretRef('PostgreSQL password'),
      ssl: obj({ mode: { enum: ['disable', 'require', 'verify-full'] }, ca: caRef() }),
      poolSize: int(1, 200),
      connectTimeoutMs: nullable(int(100, 120000)),
    }),
    redis: obj({
      mode: { enum: ['standalone', 'sentinel', 'cluster'] },
      cluster_nodes: str({ pattern: '^$|^[^,:\\s]+:\\d+(,[^,:\\s]+:\\d+)*$', description: 'host:port[,host:port...]' }),
      use_tls: bool(),
      password_required: bool(),
      password: str(),
      secret: secretRef('Redis password'),
      ca: caRef(),
      sentinel_master: str({ minLength: 1 }),
      db: int(0, 15),
      key_prefix: str(),
    }),
    consul: obj({
      enabled: bool(),
      port: port(),
      url: str({ pattern: '^$|^https?://', description: 'Consul HTTP API, e.g. https://consul.example.com:443' }),
      datacenter: str(),
      token: str(),
      secret: secretRef('Consul ACL token'),
      ca: caRef(),
    }),
    configServer: obj({
      ports: { type: 'array', items: port() },
      gatewayUrl: str({ pattern: '^$|^https?://', description: 'One central Configuration Server gateway' }),
      ca: caRef(),
    }),
    ingress: ingress(),
    internal_ingress: ingress(),
  });

/** A Kubernetes probe: timing, and optionally its own handler (the product's values give httpGet /health). */
const probe = () =>
  obj({
    httpGet: free(),
    tcpSocket: free(),
    exec: free(),
    grpc: free(),
    terminationGracePeriodSeconds: int(1),
    initialDelaySeconds: int(0),
    periodSeconds: int(1),
    timeoutSeconds: int(1),
    failureThreshold: int(1),
    successThreshold: int(1),
  });

const resources = () =>
  obj({
    requests: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
    limits: { type: 'object', additionalProperties: { type: ['string', 'number'] } },
  });

/**
 * The Genesys gauth chart's values (reference §4.1), accepted by the umbrella beside its own keys.
 * Objects stay closed, so a misspelled gauth key fails like one of ours.
 */
function gauthLayout() {
  const secretRef = () => obj({ name_override: nullable(str()), create: bool() });
  const configmapRef = () => obj({ name_override: nullable(str()), create: bool() });
  const envMap = () => ({
    type: 'object',
    propertyNames: { pattern: '^[A-Za-z_][A-Za-z0-9_]*$' },
    additionalProperties: { type: ['string', 'number', 'boolean'] },
  });
  const service = (extra = {}) =>
    obj({
      env: envMap(),
      replicas: nullable(int(0)),
      resources: resources(),
      readinessProbe: probe(),
      livenessProbe: probe(),
      startupProbe: probe(),
      ...extra,
    });
  const gauthIngress = () =>
    obj({
      enabled: bool(),
      frontend: str({ pattern: '^$|^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$' }),
      annotations: { type: 'object', additionalProperties: { type: 'string' } },
      tls: obj({ enabled: bool(), secretName: str(), terminated_upstream: bool() }),
      ingressClassName: nullable(str()),
    });
  const autoscaler = () =>
    obj({
      enabled: bool(),
      metrics: free('array'),
      minReplicas: int(1),
      maxReplicas: int(1),
      behavior: free(),
    });
  return {
    image: obj({
      registry: str(),
      imagePullSecrets: { type: 'array', items: obj({ name: str({ minLength: 1 }) }, { required: ['name'] }) },
      pullPolicy: { enum: ['Always', 'IfNotPresent', 'Never'] },
    }),
    COLOR: { type: ['string', 'null'], pattern: '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
    postgres: obj({
      deploy: bool(),
      secret: secretRef(),
      configmap: configmapRef(),
      image: str(),
      storage: str(),
      username: str(),
      password: str(),
      db: str(),
      host: str(),
      port: port(),
    }),
    redis: obj({
      deploy: bool(),
      secret: secretRef(),
      configmap: configmapRef(),
      image: str(),
      storage: str(),
      cluster_nodes: str({ pattern: '^$|^[^,:\\s]+(:\\d+)?(,[^,:\\s]+(:\\d+)?)*$' }),
      use_tls: bool(),
      password_required: bool(),
      password: str(),
    }),
    services: obj({
      secrets: obj({
        useSecretProviderClass: bool(),
        aadpodidbinding: str(),
        secretProviderClassNames: free(),
      }),
      replicas: int(0),
      location: str({ pattern: '^/[A-Za-z0-9_-]*$' }),
      db: obj({
        init: bool(),
        poolSize: int(1, 200),
        poolCheckoutTimeout: int(100, 120000),
        ssl: { enum: ['disable', 'require', 'verify-full'] },
      }),
      secret: obj({
        name_override: nullable(str()),
        create: bool(),
        admin_username: str({ minLength: 1, maxLength: 255 }),
        admin_password: str({ maxLength: 1024 }),
        encryption_key: str({ pattern: '^$|^[A-Za-z0-9+/]{43}=$' }),
        encryption_previous_keys: { type: 'array', items: str({ pattern: '^[A-Za-z0-9+/]{43}=$' }) },
        client_id: str({ pattern: '^$|^[A-Za-z0-9._~:@-]+$', maxLength: 255 }),
        client_secret: str({ maxLength: 512 }),
      }),
      auth: service({
        jks: obj({
          enabled: bool(),
          sso: obj({ enabled: bool() }),
          secret: obj({ create: bool() }),
          keyStore: str(),
          keyStoreFileData: str({ pattern: '^[A-Za-z0-9+/=\\s]*$' }),
          keyStorePassword: str(),
          keyAlias: str({ minLength: 1 }),
          keyPassword: str(),
        }),
      }),
      auth_ui: service(),
      environment: service({ force_writable: bool() }),
    }),
    optional: obj({
      priorityClassName: nullable(str()),
      securityContext: free(),
      nodeSelector: { type: 'object', additionalProperties: { type: 'string' } },
      tolerations: free('array'),
      affinity: free(),
      strategy: free(),
    }),
    ingress: gauthIngress(),
    internal_ingress: gauthIngress(),
    monitoring: obj({
      enabled: bool(),
      interval: str({ pattern: '^[0-9]+(ms|s|m|h)$' }),
      dashboards: bool(),
      alarms: bool(),
      pagerduty: bool(),
      labels: { type: 'object', additionalProperties: { type: 'string' } },
    }),
    pod_autoscaler: obj({ auth: autoscaler(), environment: autoscaler(), auth_ui: autoscaler() }),
  };
}

/** The values of one service chart; `migrations` only where the service has a migrate entry point. */
function serviceSchema({ migrations, housekeeping, identityProviders }) {
  const properties = {
    global: globalSchema(),
    enabled: bool(),
    nameOverride: str(),
    fullnameOverride: str(),
    image: obj({ repository: str({ minLength: 1 }), tag: str(), digest: str({ pattern: '^$|^sha256:[a-f0-9]{64}$' }) }),
    replicas: int(0),
    strategy: free(),
    resources: resources(),
    logLevel: { enum: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] },
    extraEnv: free('array'),
    extraEnvFrom: free('array'),
    extraVolumes: free('array'),
    extraVolumeMounts: free('array'),
    initContainers: free('array'),
    sidecars: free('array'),
    shutdownDelayMs: int(0, 600000),
    tls: obj({ enabled: bool() }),
    helmTest: obj({ enabled: bool() }),
    'cxauth-common': free(),
    env: {
      type: 'object',
      propertyNames: { pattern: '^[A-Z][A-Z0-9_]*$' },
      not: {
        anyOf: ['ADMIN_PASSWORD', 'ENCRYPTION_KEY', 'DATABASE_PASSWORD', 'REDIS_PASSWORD'].map((name) => ({
          required: [name],
        })),
      },
      additionalProperties: { type: ['string', 'number', 'boolean'] },
      description: 'Extra non-secret variables; secrets go through global.*.secret',
    },
    podAnnotations: { type: 'object', additionalProperties: { type: 'string' } },
    podLabels: { type: 'object', additionalProperties: { type: 'string' } },
    podSecurityContext: free(),
    securityContext: free(),
    terminationGracePeriodSeconds: int(0),
    startupProbe: probe(),
    livenessProbe: probe(),
    readinessProbe: probe(),
    service: obj({
      type: { enum: ['ClusterIP', 'NodePort', 'LoadBalancer'] },
      port: port(),
      tlsPort: port(),
      annotations: { type: 'object', additionalProperties: { type: 'string' } },
    }),
    ingress: obj({ enabled: bool() }),
    autoscaling: obj({
      enabled: bool(),
      minReplicas: int(1),
      maxReplicas: int(1),
      targetCPUUtilizationPercentage: nullable(int(1)),
      targetMemoryUtilizationPercentage: nullable(int(1)),
      metrics: free('array'),
      behavior: free(),
    }),
    pdb: obj({ enabled: bool(), maxUnavailable: nullable(percentOrInt()), minAvailable: nullable(percentOrInt()) }),
    networkPolicy: obj({
      enabled: bool(),
      ingressControllerNamespaceSelector: free(),
      ingressControllerPodSelector: free(),
      allowSameNamespace: bool(),
      clients: free('array'),
      metricsNamespaceSelector: free(),
      extraIngress: free('array'),
      extraEgress: free('array'),
    }),
    serviceMonitor: obj({
      enabled: bool(),
      interval: str({ pattern: '^[0-9]+(ms|s|m|h)$' }),
      scrapeTimeout: str({ pattern: '^[0-9]+(ms|s|m|h)$' }),
      labels: { type: 'object', additionalProperties: { type: 'string' } },
    }),
    serviceAccount: obj({
      create: bool(),
      name: str(),
      annotations: { type: 'object', additionalProperties: { type: 'string' } },
    }),
    nodeSelector: { type: 'object', additionalProperties: { type: 'string' } },
    tolerations: free('array'),
    affinity: free(),
    topologySpreadConstraints: free('array'),
    priorityClassName: str(),
  };
  if (housekeeping) {
    properties.housekeeping = obj({
      enabled: bool(),
      intervalSeconds: int(10, 604800),
      batchSize: int(1, 100000),
      maxBatches: int(1, 10000),
      revokedRefreshTokenRetentionSeconds: int(0, 31536000),
      signingKeyRotationIntervalSeconds: int(0, 157680000),
      signingKeyRetentionSeconds: int(60, 31536000),
    });
  }
  if (identityProviders) {
    // Each entry: the body of PUT /contact-centers/{id}/identity-provider plus the contact center;
    // environment-api checks the rest at boot exactly as the API does (docs/sso.md "From the Helm chart").
    properties.identityProviders = {
      type: 'array',
      description: 'Identity providers (SSO) of contact centers, rendered into a Secret (IDENTITY_PROVIDERS_FILE)',
      items: obj(
        {
          contactCenterId: str({
            pattern: '^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$',
          }),
          type: { enum: ['oidc', 'saml'] },
          enabled: bool(),
          oidc: free(),
          saml: free(),
          jitProvisioning: bool(),
          defaultAuthorities: { type: 'array', items: str() },
          groupAuthorities: { type: 'object', additionalProperties: { type: 'array', items: str() } },
        },
        { required: ['contactCenterId', 'type'] },
      ),
    };
    properties.identityProvidersExistingSecret = obj({
      name: str({ description: 'Existing Secret holding the identity providers (JSON) instead of identityProviders' }),
      key: str({ minLength: 1, description: 'Key of the JSON document in that Secret' }),
    });
    properties.identityProvidersPollSeconds = int(1, 3600);
  }
  if (migrations) {
    properties.migrations = obj({
      enabled: bool(),
      backoffLimit: int(0),
      activeDeadlineSeconds: int(1),
      ttlSecondsAfterFinished: nullable(int(0)),
      resources: resources(),
    });
  }
  return properties;
}

const SERVICE_CHARTS = {
  'auth-api': { migrations: true, housekeeping: true },
  'auth-ui': { migrations: false },
  'environment-api': { migrations: true, identityProviders: true },
};

/** The schema documents, keyed by chart directory name. */
function schemas() {
  const header = { $schema: 'http://json-schema.org/draft-07/schema#' };
  const result = {};
  for (const [chart, options] of Object.entries(SERVICE_CHARTS)) {
    result[chart] = { ...header, title: `cxauth ${chart} chart values`, ...obj(serviceSchema(options)) };
  }
  const umbrella = { global: globalSchema(), 'cxauth-common': free(), ...gauthLayout() };
  for (const [chart, options] of Object.entries(SERVICE_CHARTS)) {
    const { global: _global, ...own } = serviceSchema(options);
    umbrella[chart] = obj({ ...own, global: globalSchema() });
  }
  // Unknown top-level keys are refused by the chart itself, with a hint naming both layouts.
  result.cxauth = {
    ...header,
    title: 'cxauth umbrella chart values',
    ...obj(umbrella, { additionalProperties: true }),
  };
  return result;
}

/** The file text: JSON formatted by the workspace's prettier settings (so `format:check` agrees). */
async function render(schema, file) {
  const prettier = require('prettier');
  const options = (await prettier.resolveConfig(file)) ?? {};
  return prettier.format(JSON.stringify(schema), { ...options, parser: 'json' });
}

function schemaFile(chart) {
  return join(__dirname, '..', chart, 'values.schema.json');
}

/**
 * The umbrella renders the three services from the library, so the library needs each service's
 * defaults: they are the service charts' values.yaml (minus `global`), copied into a define.
 */
function serviceDefaultsTemplate() {
  const { parse, stringify } = require('yaml');
  const lines = [
    '{{- /* Generated by node charts/scripts/schemas.js from charts/<service>/values.yaml: do not edit. */ -}}',
    '{{/* The defaults of one service (the umbrella merges its own and the product-layout values over them). */}}',
  ];
  for (const chart of Object.keys(SERVICE_CHARTS)) {
    const values = parse(readFileSync(join(__dirname, '..', chart, 'values.yaml'), 'utf8'));
    delete values.global;
    delete values.enabled;
    lines.push(`{{- define "cxauth-common.defaults.${chart}" -}}`, stringify(values).trimEnd(), '{{- end -}}');
  }
  return `${lines.join('\n')}\n`;
}

const DEFAULTS_FILE = join(__dirname, '..', 'cxauth-common', 'templates', '_defaults.tpl');

module.exports = { schemas, render, schemaFile, serviceDefaultsTemplate, DEFAULTS_FILE, SERVICE_CHARTS };

if (require.main === module) {
  (async () => {
    for (const [chart, schema] of Object.entries(schemas())) {
      writeFileSync(schemaFile(chart), await render(schema, schemaFile(chart)));
    }
    writeFileSync(DEFAULTS_FILE, serviceDefaultsTemplate());
  })().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
