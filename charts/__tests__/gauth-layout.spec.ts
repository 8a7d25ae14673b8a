// The umbrella chart against an operator's existing Genesys gauth override file, and the chart features
// of issue 17 (names, blue/green, TLS, trial databases, monitoring, extras), rendered offline.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { bootstrapConfigSchema } from '@cxauth/auth-api';
import { loadConfig } from '@cxauth/platform';
import {
  CHARTS_DIR,
  K8sObject,
  ofKind,
  removeChartsWorkDir,
  render,
  renderError,
  renderNotes,
  validateObject,
} from '@cxauth/testing';

const GAUTH_FILE = 'cxauth/ci/gauth-override-values.yaml';
const CLUSTER_APIS = [
  'monitoring.coreos.com/v1/ServiceMonitor',
  'monitoring.coreos.com/v1/PrometheusRule',
  'cert-manager.io/v1/Certificate',
];

interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: object[];
  readinessProbe?: { httpGet?: { path: string; port: string; scheme?: string } };
  livenessProbe?: { httpGet?: { path: string; port: string; scheme?: string } };
  resources?: object;
  securityContext?: Record<string, unknown>;
  volumeMounts?: { name: string; mountPath: string }[];
}
interface Pod {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    containers: Container[];
    initContainers?: Container[];
    securityContext?: Record<string, unknown>;
    imagePullSecrets?: { name: string }[];
    volumes?: { name: string; secret?: { secretName: string } }[];
  };
}
interface Workload {
  spec: { replicas?: number; strategy?: object; selector: { matchLabels: Record<string, string> }; template: Pod };
}
interface ServiceSpec {
  spec: { selector: Record<string, string>; ports: { name: string; port: number }[] };
}

const byName = <T>(objects: K8sObject[], kind: string, name: string) => {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found)
    throw new Error(
      `${kind}/${name} not rendered; have ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`,
    );
  return found as K8sObject & T;
};
const configOf = (objects: K8sObject[], name: string) =>
  byName<{ data: Record<string, string> }>(objects, 'ConfigMap', name).data;
const container = (objects: K8sObject[], name: string) =>
  byName<Workload>(objects, 'Deployment', name).spec.template.spec.containers[0]!;

afterAll(() => removeChartsWorkDir());

describe('an existing gauth override file, unchanged', () => {
  const objects = render('cxauth', { values: [GAUTH_FILE], apiVersions: CLUSTER_APIS });

  it('renders valid objects under the product names, Services on port 80', () => {
    for (const object of objects) expect(() => validateObject(object)).not.toThrow();
    const services = ofKind<ServiceSpec>(objects, 'Service');
    expect(services.map((service) => service.metadata.name).sort()).toEqual([
      'gauth-auth',
      'gauth-auth-active',
      'gauth-auth-ui',
      'gauth-environment',
    ]);
    for (const service of services) {
      expect(service.spec.ports).toContainEqual(expect.objectContaining({ name: 'http', port: 80 }));
      expect(service.spec.ports).toContainEqual(expect.objectContaining({ name: 'management', port: 9090 }));
    }
    const active = byName<ServiceSpec>(objects, 'Service', 'gauth-auth-active');
    expect(active.metadata.labels).toMatchObject({ gauth_release: 'gauth' });
    expect(active.spec.selector).toEqual(byName<ServiceSpec>(objects, 'Service', 'gauth-auth').spec.selector);
    expect(
      ofKind(objects, 'Deployment')
        .map((deployment) => deployment.metadata.name)
        .sort(),
    ).toEqual(['gauth-auth', 'gauth-auth-ui', 'gauth-environment']);
  });

  it('takes image, postgres, redis, location, db and secret settings from the product keys', () => {
    const auth = container(objects, 'gauth-auth');
    expect(auth.image).toBe('registry.example.com/auth/cxauth/auth-api:0.1.0');
    expect(byName<Workload>(objects, 'Deployment', 'gauth-auth').spec.template.spec.imagePullSecrets).toEqual([
      { name: 'pullsecret' },
    ]);
    expect(configOf(objects, 'gauth-auth')).toMatchObject({
      DATABASE_URL: 'postgres://gauth@pgdb-gauth.infra.svc.cluster.local:5432/gauth',
      DATABASE_POOL_SIZE: '3',
      DATABASE_CONNECT_TIMEOUT_MS: '3000',
      DATABASE_SSL_MODE: 'disable',
      REDIS_URL: 'redis://infra-redis-redis-cluster.infra.svc.cluster.local:6379/0',
      ADMIN_USERNAME: 'ops',
      LOCATION: '/USW1',
      PUBLIC_BASE_URL: 'http://gauth.example.com',
    });
    const environment = configOf(objects, 'gauth-environment');
    // services.environment.env.GWS_ENVIRONMENT_COMMON_AUTH_SERVICE is where environment-api finds auth-api
    expect(environment).toMatchObject({
      AUTH_API_URL: 'http://gauth-auth.gauth:80',
      FORCE_WRITABLE: 'true',
      LOCATION: '/USW1',
    });
    const secret = byName<{ data: Record<string, string> }>(objects, 'Secret', 'gauth-auth').data;
    expect(Buffer.from(secret.admin_password!, 'base64').toString()).toBe(
      '$2b$10$abcdefghijklmnopqrstuu5Uw1bYq3cQzX7f6zJ3pQ8O0oS9eYk9e',
    );
  });

  it('new clients do not require PKCE (the product sends none) unless services.auth.env says so', () => {
    expect(configOf(objects, 'gauth-auth').PKCE_REQUIRED_FOR_NEW_CLIENTS).toBe('false');
    const told = render('cxauth', {
      values: [GAUTH_FILE],
      set: ['services.auth.env.PKCE_REQUIRED_FOR_NEW_CLIENTS=true'],
      apiVersions: CLUSTER_APIS,
    });
    expect(configOf(told, 'gauth-auth').PKCE_REQUIRED_FOR_NEW_CLIENTS).toBe('true');
  });

  it('applies per-service replicas, resources and the product probes (GET /health on port management)', () => {
    const replicas = Object.fromEntries(
      ofKind<Workload>(objects, 'Deployment').map((deployment) => [deployment.metadata.name, deployment.spec.replicas]),
    );
    expect(replicas).toEqual({ 'gauth-auth': 1, 'gauth-environment': 1, 'gauth-auth-ui': 2 });
    for (const name of ['gauth-auth', 'gauth-environment']) {
      expect(container(objects, name).readinessProbe?.httpGet).toEqual({ path: '/health', port: 'management' });
      expect(container(objects, name).livenessProbe?.httpGet).toEqual({ path: '/health', port: 'management' });
      expect(container(objects, name).resources).toEqual({
        requests: { cpu: '300m', memory: '1Gi' },
        limits: { cpu: '1', memory: '3Gi' },
      });
    }
    expect(container(objects, 'gauth-auth-ui').resources).toEqual({
      limits: { cpu: '500m', memory: '1Gi' },
      requests: { cpu: '100m', memory: '512Mi' },
    });
  });

  it("applies optional.*: the product's user and group, its rolling strategy", () => {
    for (const deployment of ofKind<Workload>(objects, 'Deployment')) {
      expect(deployment.spec.template.spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 500,
        runAsGroup: 500,
        fsGroup: 500,
      });
      expect(deployment.spec.template.spec.containers[0]!.securityContext).toMatchObject({
        runAsUser: 500,
        runAsGroup: 500,
        readOnlyRootFilesystem: true,
      });
      expect(deployment.spec.strategy).toEqual({
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: 10, maxUnavailable: 0 },
      });
    }
  });

  it('routes the public and internal hosts with the product ingress class and annotations', () => {
    const ingresses = ofKind<{ spec: { ingressClassName: string; rules: { host: string }[] } }>(objects, 'Ingress');
    expect(
      ingresses
        .map((ingress) => `${ingress.spec.ingressClassName} ${ingress.spec.rules[0]!.host} ${ingress.metadata.name}`)
        .sort(),
    ).toEqual([
      'nginx gauth-int.example.com gauth-auth-internal',
      'nginx gauth-int.example.com gauth-auth-ui-internal',
      'nginx gauth-int.example.com gauth-environment-internal',
      'nginx gauth.example.com gauth-auth',
      'nginx gauth.example.com gauth-auth-ui',
      'nginx gauth.example.com gauth-environment',
    ]);
    expect(byName(objects, 'Ingress', 'gauth-auth').metadata.annotations).toMatchObject({
      'nginx.ingress.kubernetes.io/proxy-body-size': '0',
      'route.openshift.io/termination': 'edge',
    });
  });

  it('creates services.secret.client_id and imports services.auth.jks in the migrations Job', () => {
    const job = byName<Workload>(objects, 'Job', 'gauth-auth-migrations').spec.template.spec;
    const env = Object.fromEntries((job.containers[0]!.env ?? []).map((variable) => [variable.name, variable]));
    expect(env.BOOTSTRAP_CLIENT_ID?.value).toBe('gauth_client');
    expect(env.SIGNING_KEY_ALIAS?.value).toBe('gws-auth-key');
    expect(env.SIGNING_KEYSTORE_FILE?.value).toBe('/etc/cxauth/keystore/keystore');
    const hookSecret = byName<{ data: Record<string, string>; metadata: { annotations: Record<string, string> } }>(
      objects,
      'Secret',
      'gauth-auth-migrations',
    );
    expect(hookSecret.metadata.annotations['helm.sh/hook-weight']).toBe('-10');
    const read = (name: string) => {
      const ref = env[name]?.valueFrom?.secretKeyRef;
      expect(ref?.name).toBe('gauth-auth-migrations');
      return Buffer.from(hookSecret.data[ref!.key]!, 'base64').toString();
    };
    expect(read('BOOTSTRAP_CLIENT_SECRET')).toBe('ci-client-secret');
    expect(read('SIGNING_KEYSTORE_PASSWORD')).toBe('ci-keystore-password');
    expect(read('SIGNING_KEY_PASSWORD')).toBe('ci-key-password');
    expect(hookSecret.data.keystore).toBe('Y2kta2V5c3RvcmUtYnl0ZXM=');
    expect(job.volumes).toContainEqual(
      expect.objectContaining({
        name: 'keystore',
        secret: expect.objectContaining({ secretName: 'gauth-auth-migrations' }),
      }),
    );
    // what the Job sets is what auth-api's migrate entry point accepts
    expect(() =>
      loadConfig('migrate', bootstrapConfigSchema, {
        BOOTSTRAP_CLIENT_ID: 'gauth_client',
        BOOTSTRAP_CLIENT_SECRET: read('BOOTSTRAP_CLIENT_SECRET'),
        SIGNING_KEYSTORE_FILE: env.SIGNING_KEYSTORE_FILE!.value,
        SIGNING_KEYSTORE_PASSWORD: read('SIGNING_KEYSTORE_PASSWORD'),
        SIGNING_KEY_PASSWORD: read('SIGNING_KEY_PASSWORD'),
        SIGNING_KEY_ALIAS: env.SIGNING_KEY_ALIAS!.value,
        ENCRYPTION_KEY: read('ENCRYPTION_KEY'),
      }),
    ).not.toThrow();
  });

  it("keeps the migrations Job deadline under Helm's default 5-minute timeout", () => {
    const job = byName<{ spec: { activeDeadlineSeconds: number; backoffLimit: number } }>(
      objects,
      'Job',
      'gauth-auth-migrations',
    );
    expect(job.spec.activeDeadlineSeconds).toBeLessThan(300);
  });

  it('monitoring: ServiceMonitors for the three services, a Grafana dashboard and alert rules with the PagerDuty label', () => {
    expect(
      ofKind(objects, 'ServiceMonitor')
        .map((monitor) => monitor.metadata.name)
        .sort(),
    ).toEqual(['gauth-auth', 'gauth-auth-ui', 'gauth-environment']);
    const dashboards = byName<{ data: Record<string, string> }>(objects, 'ConfigMap', 'gauth-dashboards');
    expect(dashboards.metadata.labels).toMatchObject({ grafana_dashboard: '1' });
    const dashboard = JSON.parse(dashboards.data['cxauth.json']!) as {
      panels: { title: string; gridPos: { x: number; y: number }; targets: { expr: string }[] }[];
    };
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(8);
    const positions = dashboard.panels.map((panel) => `${panel.gridPos.x},${panel.gridPos.y}`);
    expect(new Set(positions).size).toBe(positions.length);
    const exprs = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)).join('\n');
    for (const metric of [
      'http_request_duration_seconds_count',
      'http_request_duration_seconds_bucket',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'kube_deployment_status_replicas_available',
      // auth-api's own metrics (README "Operations"; apps/auth-api/src/metrics).
      'auth_token_requests_total',
      'auth_token_validations_total',
      'auth_sign_ins_total',
      'auth_refresh_family_revocations_total',
      'auth_signing_key_age_seconds',
      'cxauth_redis_errors_total',
      'cxauth_postgres_errors_total',
      'cxauth_job_items_total',
      'cxauth_job_runs_total',
    ]) {
      expect(exprs).toContain(metric);
    }
    expect(exprs).not.toMatch(/\$ns|\$base/);
    const rules = byName<{ spec: { groups: { rules: { alert: string; labels: Record<string, string> }[] }[] } }>(
      objects,
      'PrometheusRule',
      'gauth',
    );
    const alerts = rules.spec.groups[0]!.rules;
    expect(alerts.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'CxauthHighErrorRate',
        'CxauthRefreshTokenReuse',
        'CxauthRedisErrors',
        'CxauthPostgresErrors',
        'CxauthJobFailing',
      ]),
    );
    for (const rule of alerts) {
      if (rule.labels.severity === 'critical') expect(rule.labels.pagerduty).toBe('true');
      else expect(rule.labels.pagerduty).toBeUndefined();
    }
  });

  it('leaves ServiceMonitor and PrometheusRule out where the Prometheus Operator is not installed', () => {
    const plain = render('cxauth', { values: [GAUTH_FILE] });
    expect(ofKind(plain, 'ServiceMonitor')).toEqual([]);
    expect(ofKind(plain, 'PrometheusRule')).toEqual([]);
    expect(ofKind(plain, 'ConfigMap').map((map) => map.metadata.name)).toContain('gauth-dashboards');
  });

  it('prints NOTES with the product names and the bootstrap', () => {
    const notes = renderNotes('cxauth', { values: [GAUTH_FILE] });
    expect(notes).toContain('http://gauth-auth.gauth/auth/v3');
    expect(notes).toContain('http://gauth-environment.gauth/environment/v3');
    expect(notes).toContain('logs job/gauth-auth-migrations');
    expect(notes).toContain('The client "gauth_client" (services.secret.client_id)');
    expect(notes).toContain('helm test gauth');
    for (const secret of ['ci-client-secret', 'ci-keystore-password', 'ci-postgres-password'])
      expect(notes).not.toContain(secret);
  });
});

describe('values that neither layout knows', () => {
  it('refuses an unknown top-level key with a hint naming both layouts', () => {
    const error = renderError('cxauth', { values: [GAUTH_FILE], set: ['servics.location=/USW1'] });
    expect(error).toContain('unknown values key(s) servics');
    expect(error).toContain(
      "cxauth takes its own keys (global, auth-api, auth-ui, environment-api) and the Genesys gauth chart's layout",
    );
  });

  it.each([
    ['services.auth.replica=3', 'replica'],
    ['postgres.hostname=db', 'hostname'],
    ['monitoring.dashboard=true', 'dashboard'],
  ])('refuses the misspelled gauth key %s', (set, key) => {
    expect(renderError('cxauth', { values: [GAUTH_FILE], set: [set] })).toMatch(
      new RegExp(`Additional property ${key} is not allowed`),
    );
  });

  it('explains that the Azure Key Vault CSI option is not supported and what to use instead', () => {
    const error = renderError('cxauth', {
      values: [GAUTH_FILE],
      set: ['services.secrets.useSecretProviderClass=true'],
    });
    expect(error).toContain('services.secrets.useSecretProviderClass is not supported by cxauth');
  });

  it('the gauth file is the operator file of the reference layout (every top-level key of §4.1 present)', () => {
    const keys = Object.keys(parse(readFileSync(join(CHARTS_DIR, GAUTH_FILE), 'utf8')) as object).sort();
    expect(keys).toEqual([
      'COLOR',
      'image',
      'ingress',
      'internal_ingress',
      'monitoring',
      'optional',
      'pod_autoscaler',
      'postgres',
      'redis',
      'services',
    ]);
  });
});

describe('blue/green (COLOR, gauth-auth-active)', () => {
  const base = ['cxauth/ci/default-values.yaml'];

  it('a colored release names its workloads by color, labels its pods and keeps the stable Services', () => {
    const objects = render('cxauth', { values: base, set: ['COLOR=blue'] });
    expect(
      ofKind(objects, 'Deployment')
        .map((deployment) => deployment.metadata.name)
        .sort(),
    ).toEqual(['gauth-auth-blue', 'gauth-auth-ui-blue', 'gauth-environment-blue']);
    const deployment = byName<Workload>(objects, 'Deployment', 'gauth-auth-blue');
    expect(deployment.spec.selector.matchLabels['cxauth.io/color']).toBe('blue');
    expect(byName<ServiceSpec>(objects, 'Service', 'gauth-auth-blue').spec.selector['cxauth.io/color']).toBe('blue');
    expect(byName<ServiceSpec>(objects, 'Service', 'gauth-auth').spec.selector['cxauth.io/color']).toBe('blue');
    // environment-api of the blue release validates tokens on the blue auth-api
    expect(configOf(objects, 'gauth-environment-blue').AUTH_API_URL).toBe('http://gauth-auth-blue');
    expect(byName(objects, 'Job', 'gauth-auth-blue-migrations')).toBeDefined();
  });

  it('a green release beside it routes nothing; the routing release switches every stable Service by color', () => {
    const green = render('cxauth', {
      values: base,
      release: 'gauth-green',
      set: ['COLOR=green', 'global.baseName=gauth', 'global.routing.enabled=false'],
    });
    expect(
      ofKind(green, 'Service')
        .map((service) => service.metadata.name)
        .sort(),
    ).toEqual(['gauth-auth-green', 'gauth-auth-ui-green', 'gauth-environment-green']);
    expect(ofKind(green, 'Ingress')).toEqual([]);
    const switched = render('cxauth', { values: base, set: ['COLOR=blue', 'global.routing.activeColor=green'] });
    for (const name of ['gauth-auth', 'gauth-auth-active', 'gauth-environment', 'gauth-auth-ui']) {
      const selector = byName<ServiceSpec>(switched, 'Service', name).spec.selector;
      expect(selector).toMatchObject({ 'cxauth.io/color': 'green', 'app.kubernetes.io/part-of': 'cxauth' });
      expect(selector).not.toHaveProperty('app.kubernetes.io/instance');
    }
    // the pods of the green release carry what the switched Services select
    const greenPods = byName<Workload>(green, 'Deployment', 'gauth-auth-green').spec.template.metadata!.labels!;
    expect(greenPods).toMatchObject(byName<ServiceSpec>(switched, 'Service', 'gauth-auth').spec.selector);
    expect(byName(switched, 'Service', 'gauth-auth-active').metadata.labels).toMatchObject({ gauth_release: 'green' });
  });
});

describe('in-cluster TLS', () => {
  const objects = render('cxauth', {
    values: ['cxauth/ci/default-values.yaml'],
    set: [
      'global.tls.enabled=true',
      'global.tls.certManager.enabled=true',
      'global.tls.certManager.issuerRef.name=cluster-ca',
      'global.tls.certManager.issuerRef.kind=ClusterIssuer',
    ],
    apiVersions: CLUSTER_APIS,
  });

  it('issues a cert-manager Certificate per service for its in-cluster names', () => {
    const certificates = ofKind<{ spec: { secretName: string; dnsNames: string[]; issuerRef: object } }>(
      objects,
      'Certificate',
    );
    expect(certificates).toHaveLength(3);
    const auth = certificates.find((certificate) => certificate.metadata.name === 'gauth-auth')!;
    expect(auth.spec.secretName).toBe('gauth-auth-tls');
    expect(auth.spec.dnsNames).toEqual([
      'gauth-auth',
      'gauth-auth.gauth',
      'gauth-auth.gauth.svc',
      'gauth-auth.gauth.svc.cluster.local',
    ]);
    expect(auth.spec.issuerRef).toEqual({ name: 'cluster-ca', kind: 'ClusterIssuer', group: 'cert-manager.io' });
    for (const object of objects) expect(() => validateObject(object)).not.toThrow();
  });

  it('mounts the certificate, serves HTTPS, and probes, Services, callers and the ingress follow', () => {
    const auth = container(objects, 'gauth-auth');
    expect(auth.volumeMounts).toContainEqual({ name: 'tls', mountPath: '/etc/cxauth/tls', readOnly: true });
    expect(auth.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'management', scheme: 'HTTPS' });
    expect(configOf(objects, 'gauth-auth')).toMatchObject({
      TLS_CERT_FILE: '/etc/cxauth/tls/tls.crt',
      TLS_KEY_FILE: '/etc/cxauth/tls/tls.key',
      NODE_EXTRA_CA_CERTS: '/etc/cxauth/tls/ca.crt',
    });
    expect(configOf(objects, 'gauth-environment').AUTH_API_URL).toBe('https://gauth-auth');
    expect(byName<ServiceSpec>(objects, 'Service', 'gauth-auth').spec.ports[0]).toMatchObject({
      name: 'https',
      port: 443,
    });
    const ingress = byName<{
      spec: { rules: { http: { paths: { backend: { service: { port: { name: string } } } }[] } }[] };
    }>(objects, 'Ingress', 'gauth-auth');
    expect(ingress.metadata.annotations).toMatchObject({ 'nginx.ingress.kubernetes.io/backend-protocol': 'HTTPS' });
    expect(ingress.spec.rules[0]!.http.paths[0]!.backend.service.port.name).toBe('https');
  });

  it('refuses TLS without a certificate source', () => {
    expect(
      renderError('cxauth', { values: ['cxauth/ci/default-values.yaml'], set: ['global.tls.enabled=true'] }),
    ).toContain('global.tls.enabled needs global.tls.secretName');
  });
});

describe('chart options', () => {
  it('one combined Ingress per host for controllers that do not merge Ingresses', () => {
    const objects = render('cxauth', {
      values: ['cxauth/ci/production-values.yaml'],
      set: ['global.combinedIngress=true'],
    });
    const ingresses = ofKind<{
      spec: { rules: { host: string; http: { paths: { path: string; backend: { service: { name: string } } }[] } }[] };
    }>(objects, 'Ingress');
    expect(ingresses.map((ingress) => ingress.metadata.name).sort()).toEqual(['gauth', 'gauth-internal']);
    const paths = ingresses.find((ingress) => ingress.metadata.name === 'gauth')!.spec.rules[0]!.http.paths;
    expect(paths.map((path) => `${path.path} -> ${path.backend.service.name}`).sort()).toEqual([
      '/auth -> gauth-auth',
      '/auth/sign-in.html -> gauth-auth-ui',
      '/environment -> gauth-environment',
      '/ui/auth -> gauth-auth-ui',
    ]);
  });

  it('extraEnv, extraEnvFrom, extraVolumes, extraVolumeMounts, initContainers and sidecars reach the pod', () => {
    const objects = render('auth-api', {
      values: ['auth-api/ci/default-values.yaml'],
      set: [
        'extraEnv[0].name=HTTP_PROXY',
        'extraEnv[0].value=http://proxy:3128',
        'extraEnvFrom[0].secretRef.name=more-settings',
        'extraVolumes[0].name=extra',
        'extraVolumes[0].emptyDir.medium=Memory',
        'extraVolumeMounts[0].name=extra',
        'extraVolumeMounts[0].mountPath=/extra',
        'initContainers[0].name=wait',
        'initContainers[0].image=busybox:1.36',
        'sidecars[0].name=shipper',
        'sidecars[0].image=fluent-bit:3',
      ],
    });
    const pod = byName<Workload>(objects, 'Deployment', 'gauth-auth').spec.template.spec;
    const main = pod.containers[0]!;
    expect(main.env).toContainEqual({ name: 'HTTP_PROXY', value: 'http://proxy:3128' });
    expect(main.envFrom).toContainEqual({ secretRef: { name: 'more-settings' } });
    expect(main.volumeMounts).toContainEqual({ name: 'extra', mountPath: '/extra' });
    expect(pod.volumes).toContainEqual({ name: 'extra', emptyDir: { medium: 'Memory' } });
    expect(pod.initContainers?.map((c) => c.name)).toEqual(['wait']);
    expect(pod.containers.map((c) => c.name)).toEqual(['auth-api', 'shipper']);
    for (const object of objects) expect(() => validateObject(object)).not.toThrow();
  });

  it('a helm test pod per service asks readiness through the Service', () => {
    const objects = render('cxauth', { values: ['cxauth/ci/default-values.yaml'] });
    const tests = ofKind<Pod>(objects, 'Pod');
    expect(tests.map((pod) => pod.metadata.name).sort()).toEqual([
      'gauth-auth-test',
      'gauth-auth-ui-test',
      'gauth-environment-test',
    ]);
    for (const pod of tests) {
      expect(pod.metadata.annotations?.['helm.sh/hook']).toBe('test');
      expect(pod.spec.containers[0]!.args?.join(' ')).toContain(
        `http://${pod.metadata.name.replace(/-test$/, '')}:9090/health/ready`,
      );
    }
  });

  it('postgres.deploy and redis.deploy run trial databases the services use; Redis appends and never evicts', () => {
    const objects = render('cxauth', {
      values: ['cxauth/ci/default-values.yaml'],
      set: ['postgres.deploy=true', 'redis.deploy=true'],
    });
    for (const object of objects) expect(() => validateObject(object)).not.toThrow();
    const sets = ofKind<Workload>(objects, 'StatefulSet');
    expect(sets.map((set) => set.metadata.name).sort()).toEqual(['gauth-postgres', 'gauth-redis']);
    for (const set of sets) expect(set.metadata.annotations?.['helm.sh/hook']).toBe('pre-install');
    const redis = byName<Workload>(objects, 'StatefulSet', 'gauth-redis').spec.template.spec.containers[0]!;
    expect(redis.args?.join(' ')).toContain('--appendonly yes --appendfsync everysec --maxmemory-policy noeviction');
    expect(configOf(objects, 'gauth-auth')).toMatchObject({
      DATABASE_URL: 'postgres://gauth@gauth-postgres:5432/gauth',
      REDIS_URL: 'redis://gauth-redis:6379/0',
    });
    const off = render('cxauth', { values: ['cxauth/ci/default-values.yaml'] });
    expect(ofKind(off, 'StatefulSet')).toEqual([]);
  });
});
