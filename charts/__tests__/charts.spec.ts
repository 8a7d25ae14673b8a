import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { z } from 'zod';
import { databaseConfigSchema, loadConfig, requiredVariables, serviceConfigSchema } from '@cxauth/platform';
import { authApiConfigSchema } from '@cxauth/auth-api';
import { authUiConfigSchema } from '@cxauth/auth-ui';
import { environmentApiConfigSchema } from '@cxauth/environment-api';
import {
  ALL_CHARTS,
  CHARTS_DIR,
  chartsWorkDir,
  ciValues,
  helm,
  K8sObject,
  makeTestCertificates,
  ofKind,
  render,
  renderError,
  renderNotes,
  removeChartsWorkDir,
  ROOT,
  SERVICE_CHARTS,
  ServiceChart,
  validateObject,
} from '@cxauth/testing';

const { schemas, schemaFile, serviceDefaultsTemplate, DEFAULTS_FILE } = require('../scripts/schemas.js') as {
  schemas: () => Record<string, unknown>;
  schemaFile: (chart: string) => string;
  serviceDefaultsTemplate: () => string;
  DEFAULTS_FILE: string;
};

/** Object names for release "gauth": the product's Service names. */
const NAMES: Record<ServiceChart, string> = {
  'auth-api': 'gauth-auth',
  'auth-ui': 'gauth-auth-ui',
  'environment-api': 'gauth-environment',
};
/** What the management listener serves for probes. */
const PROBE_PATHS = ['/health', '/health/live', '/health/ready'];
/** The CRDs of a cluster with the Prometheus Operator and cert-manager. */
const CLUSTER_APIS = [
  'monitoring.coreos.com/v1/ServiceMonitor',
  'monitoring.coreos.com/v1/PrometheusRule',
  'cert-manager.io/v1/Certificate',
];

const CONFIG_SCHEMAS: Record<ServiceChart, z.ZodObject> = {
  'auth-api': authApiConfigSchema,
  'auth-ui': authUiConfigSchema,
  'environment-api': environmentApiConfigSchema,
};

/** The secret values the ci files use; none may appear outside a Secret. */
const CI_SECRETS = [
  'ci-ops-password',
  'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
  'ci-postgres-password',
  'ci-redis-password',
  'ci-client-secret',
  'ci-consul-token',
  'ci-keystore-password',
  'ci-key-password',
  '$2b$10$abcdefghijklmnopqrstuu5Uw1bYq3cQzX7f6zJ3pQ8O0oS9eYk9e',
];
const SECRET_VARIABLE = /PASSWORD|SECRET|ENCRYPTION_KEY|TOKEN/;

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string }; configMapKeyRef?: { name: string; key: string } };
}
interface Probe {
  httpGet?: { path: string; port: string | number };
}
interface Container {
  name: string;
  args?: string[];
  ports?: { name: string; containerPort: number }[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  startupProbe?: Probe;
  livenessProbe?: Probe;
  readinessProbe?: Probe;
  securityContext?: Record<string, unknown> & { capabilities?: { drop?: string[] } };
  volumeMounts?: { name: string; mountPath: string }[];
}
interface PodSpec {
  containers: Container[];
  securityContext?: Record<string, unknown> & { seccompProfile?: { type: string } };
  automountServiceAccountToken?: boolean;
  volumes?: { name: string; emptyDir?: object }[];
}
interface Workload {
  spec: { replicas?: number; template: { metadata: { annotations?: Record<string, string> }; spec: PodSpec } };
}
interface NetworkPolicyPort {
  port: number | string;
  protocol: string;
}
interface NetworkPolicySpec {
  spec: {
    policyTypes: string[];
    ingress: { ports?: NetworkPolicyPort[]; from?: object[] }[];
    egress: { ports?: NetworkPolicyPort[]; to?: object[] }[];
  };
}

const renders = new Map<string, K8sObject[]>();
function rendered(file: string): K8sObject[] {
  const chart = file.split('/')[0]!;
  const cached = renders.get(file);
  if (cached) return cached;
  const objects = render(chart, { values: [file], apiVersions: CLUSTER_APIS });
  renders.set(file, objects);
  return objects;
}

function byName<T>(objects: K8sObject[], kind: string, name: string): K8sObject & T {
  const found = objects.find((object) => object.kind === kind && object.metadata.name === name);
  if (!found) throw new Error(`${kind}/${name} not rendered`);
  return found as K8sObject & T;
}

/** Which service a Deployment runs (its container name). */
function serviceOf(deployment: K8sObject & Workload): ServiceChart {
  const name = deployment.spec.template.spec.containers[0]!.name;
  if (!(SERVICE_CHARTS as readonly string[]).includes(name)) throw new Error(`unexpected container ${name}`);
  return name as ServiceChart;
}

/**
 * The environment a container starts with: envFrom ConfigMaps plus env entries, secret references
 * resolved from the rendered Secrets. References to Secrets the operator brings are returned as
 * `undefined` values (the name is set; the value is not ours to know).
 */
function containerEnv(objects: K8sObject[], container: Container): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = {};
  for (const source of container.envFrom ?? []) {
    if (!source.configMapRef) throw new Error('only ConfigMaps are expected in envFrom');
    Object.assign(env, byName<{ data: Record<string, string> }>(objects, 'ConfigMap', source.configMapRef.name).data);
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (ref) {
      const secret = objects.find((object) => object.kind === 'Secret' && object.metadata.name === ref.name) as
        | (K8sObject & { data: Record<string, string> })
        | undefined;
      env[variable.name] = secret ? Buffer.from(secret.data[ref.key] ?? '', 'base64').toString('utf8') : undefined;
      if (secret && secret.data[ref.key] === undefined) throw new Error(`Secret ${ref.name} has no key ${ref.key}`);
    } else {
      env[variable.name] = variable.value;
    }
  }
  return env;
}

const allCiFiles = ALL_CHARTS.flatMap((chart) => ciValues(chart));

let caFile: string | undefined;
afterAll(() => {
  removeChartsWorkDir();
  if (caFile) rmSync(dirname(caFile), { recursive: true, force: true });
});

/** A throw-away CA certificate file (made once), for settings the apps check to be readable PEM. */
function testCaFile(): string {
  caFile ??= makeTestCertificates(mkdtempSync(join(tmpdir(), 'cxauth-charts-ca-'))).ca;
  return caFile;
}

describe('chart sources', () => {
  it.each(ALL_CHARTS)('%s values.schema.json is the generated one (node charts/scripts/schemas.js)', (chart) => {
    const committed = JSON.parse(readFileSync(schemaFile(chart), 'utf8')) as unknown;
    expect(committed).toEqual(schemas()[chart]);
  });

  it('cxauth-common is a library chart and the service charts only include it', () => {
    expect(readFileSync(join(CHARTS_DIR, 'cxauth-common', 'Chart.yaml'), 'utf8')).toMatch(/^type: library$/m);
    for (const chart of SERVICE_CHARTS) {
      const templates = readdirSync(join(CHARTS_DIR, chart, 'templates')).sort();
      expect(templates).toEqual(['NOTES.txt', 'component.yaml']);
      expect(readFileSync(join(CHARTS_DIR, chart, 'templates', 'component.yaml'), 'utf8').trim()).toBe(
        `{{- include "cxauth-common.component" (dict "root" . "component" "${chart}" "values" .Values) }}`,
      );
    }
  });

  it("the library's service defaults are the service charts' values.yaml (node charts/scripts/schemas.js)", () => {
    expect(readFileSync(DEFAULTS_FILE, 'utf8')).toBe(serviceDefaultsTemplate());
  });

  it.each(ALL_CHARTS)('%s depends on the library through file:// only, resolved offline', (chart) => {
    const chartYaml = readFileSync(join(CHARTS_DIR, chart, 'Chart.yaml'), 'utf8');
    expect(chartYaml).toContain('repository: file://../cxauth-common');
    expect(chartYaml).not.toMatch(/repository: (https?|oci):/);
    // chartsWorkDir() ran `helm dependency update`; `helm dependency build` (from Chart.lock) works too
    const build = helm(['dependency', 'build', chart]);
    expect(build.status).toBe(0);
    expect(existsSync(join(chartsWorkDir(), chart, 'charts', 'cxauth-common-0.1.0.tgz'))).toBe(true);
    expect(readFileSync(join(chartsWorkDir(), chart, 'Chart.lock'), 'utf8')).toContain(
      'repository: file://../cxauth-common',
    );
  });
});

describe('helm lint --strict', () => {
  it.each(ALL_CHARTS)('%s passes with its default values', (chart) => {
    const result = helm(['lint', '--strict', chart]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    // lint renders leniently: the required-value failures (see below) are only reported
    for (const line of result.stderr.split('\n').filter(Boolean))
      expect(line).toMatch(/\[INFO\] Fail: global\.\S+ .*(is required|must be)/);
  });

  it.each(allCiFiles)('passes with %s', (file) => {
    const result = helm(['lint', '--strict', file.split('/')[0]!, '--values', file]);
    expect(result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
    // lint runs templates leniently (fail() only logs); a clean render must not log any failure
    expect(result.stderr).not.toMatch(/Fail:/);
  });
});

describe.each(allCiFiles)('helm template with %s', (file) => {
  const chart = file.split('/')[0]!;

  it('renders objects that are valid Kubernetes resources', () => {
    const objects = rendered(file);
    expect(ofKind(objects, 'Deployment').length).toBe(chart === 'cxauth' ? 3 : 1);
    for (const object of objects) expect(() => validateObject(object)).not.toThrow();
  });

  it('probes hit the management port the app listens on, at the paths it serves', () => {
    for (const deployment of ofKind<Workload>(rendered(file), 'Deployment')) {
      const container = deployment.spec.template.spec.containers[0]!;
      const env = containerEnv(rendered(file), container);
      // every app's PORT and MANAGEMENT_PORT come from the shared serviceConfigSchema fragment
      expect(CONFIG_SCHEMAS[serviceOf(deployment)].shape.MANAGEMENT_PORT).toBe(
        serviceConfigSchema.shape.MANAGEMENT_PORT,
      );
      const ports = serviceConfigSchema.pick({ PORT: true, MANAGEMENT_PORT: true });
      const config = loadConfig('chart', ports, { PORT: env.PORT, MANAGEMENT_PORT: env.MANAGEMENT_PORT });
      const containerPorts = Object.fromEntries((container.ports ?? []).map((port) => [port.name, port.containerPort]));
      expect(containerPorts).toEqual({ http: config.PORT, management: config.MANAGEMENT_PORT });
      for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
        expect(probe?.httpGet?.port).toBe('management');
        expect(PROBE_PATHS).toContain(probe?.httpGet?.path);
      }
      if (!file.includes('gauth-override')) {
        expect(container.startupProbe?.httpGet).toEqual({ path: '/health/live', port: 'management' });
        expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'management' });
        expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'management' });
      }
    }
  });

  it("sets every variable the app's config schema requires, and the result passes the app's validation", () => {
    const objects = rendered(file);
    for (const deployment of ofKind<Workload>(objects, 'Deployment')) {
      const service = serviceOf(deployment);
      const env = containerEnv(objects, deployment.spec.template.spec.containers[0]!);
      const required = requiredVariables(CONFIG_SCHEMAS[service]);
      expect(required.filter((name) => !(name in env))).toEqual([]);
      const resolvable = Object.values(env).every((value) => value !== undefined);
      if (resolvable) {
        // CA files are mounted from Secrets in the pod; here a real PEM stands in for each.
        const local = Object.fromEntries(
          Object.entries(env).map(([name, value]) => [name, name.endsWith('_CA_FILE') ? testCaFile() : value]),
        ) as Record<string, string>;
        expect(() => loadConfig(service, CONFIG_SCHEMAS[service], local)).not.toThrow();
      }
      // the entry point the container runs exists in the source tree
      const main = deployment.spec.template.spec.containers[0]!.args?.[0] ?? '';
      expect(main).toBe(`dist/apps/${service}/src/main.js`);
      expect(existsSync(join(ROOT, main.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    }
  });

  it('never puts a secret in a ConfigMap, an env value or an annotation', () => {
    const objects = rendered(file);
    for (const configMap of ofKind<{ data?: Record<string, string> }>(objects, 'ConfigMap')) {
      for (const [key, value] of Object.entries(configMap.data ?? {})) {
        expect(key).not.toMatch(SECRET_VARIABLE);
        for (const secret of CI_SECRETS) expect(value).not.toContain(secret);
      }
    }
    for (const workload of [...ofKind<Workload>(objects, 'Deployment'), ...ofKind<Workload>(objects, 'Job')]) {
      const pod = workload.spec.template;
      for (const container of pod.spec.containers) {
        for (const variable of container.env ?? []) {
          if (SECRET_VARIABLE.test(variable.name)) expect(variable.valueFrom?.secretKeyRef).toBeDefined();
          for (const secret of CI_SECRETS) expect(variable.value ?? '').not.toContain(secret);
        }
      }
      const text = JSON.stringify([workload.metadata, pod.metadata]);
      for (const secret of CI_SECRETS) expect(text).not.toContain(secret);
    }
  });

  it('runs non-root, read-only, without capabilities, with seccomp and no service-account token', () => {
    const objects = rendered(file);
    for (const workload of [...ofKind<Workload>(objects, 'Deployment'), ...ofKind<Workload>(objects, 'Job')]) {
      const pod = workload.spec.template.spec;
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
      expect(Number.isInteger(pod.securityContext?.runAsUser)).toBe(true);
      expect(pod.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(pod.volumes).toContainEqual({ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } });
      for (const container of pod.containers) {
        expect(container.securityContext).toMatchObject({
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          runAsNonRoot: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
      }
    }
    for (const account of ofKind<{ automountServiceAccountToken?: boolean }>(objects, 'ServiceAccount')) {
      expect(account.automountServiceAccountToken).toBe(false);
    }
  });

  it('rolls the pods when config or secrets change (checksum annotations)', () => {
    for (const deployment of ofKind<Workload>(rendered(file), 'Deployment')) {
      const annotations = deployment.spec.template.metadata.annotations ?? {};
      expect(annotations['checksum/config']).toMatch(/^[a-f0-9]{64}$/);
      expect(annotations['checksum/secret']).toMatch(/^[a-f0-9]{64}$/);
    }
  });

  it('runs the schema migrations in one pre-install/pre-upgrade hook Job before the Deployments', () => {
    const objects = rendered(file);
    const jobs = ofKind<Workload>(objects, 'Job');
    const migrating = chart === 'auth-ui' ? 0 : 1; // the umbrella: auth-api's Job only
    expect(jobs).toHaveLength(migrating);
    for (const job of jobs) {
      const annotations = job.metadata.annotations ?? {};
      expect(annotations['helm.sh/hook']?.split(',').sort()).toEqual(['pre-install', 'pre-upgrade']);
      const args = job.spec.template.spec.containers[0]!.args ?? [];
      expect(args).toHaveLength(1);
      expect(args[0]).toMatch(/^dist\/apps\/(auth-api|environment-api)\/src\/migrate\.js$/);
      expect(existsSync(join(ROOT, args[0]!.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
      const jobEnv = containerEnv(objects, job.spec.template.spec.containers[0]!);
      expect(requiredVariables(databaseConfigSchema).filter((name) => !(name in jobEnv))).toEqual([]);
      if (Object.values(jobEnv).every((value) => value !== undefined)) {
        expect(() => loadConfig('migrate', databaseConfigSchema, jobEnv as Record<string, string>)).not.toThrow();
      }
      // whatever the Job reads must exist before it: a hook Secret with a lower weight, or the operator's Secret
      for (const variable of job.spec.template.spec.containers[0]!.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        const secret = ref && objects.find((object) => object.kind === 'Secret' && object.metadata.name === ref.name);
        if (!secret) continue;
        expect(secret.metadata.annotations?.['helm.sh/hook']).toBe('pre-install,pre-upgrade');
        expect(Number(secret.metadata.annotations?.['helm.sh/hook-weight'])).toBeLessThan(
          Number(annotations['helm.sh/hook-weight']),
        );
      }
    }
    // the Deployments are ordinary release objects: Helm applies them only after the pre-* hooks succeeded
    for (const deployment of ofKind(objects, 'Deployment'))
      expect(deployment.metadata.annotations?.['helm.sh/hook']).toBeUndefined();
    for (const configMap of ofKind(objects, 'ConfigMap'))
      expect(configMap.metadata.annotations?.['helm.sh/hook']).toBeUndefined();
  });

  it('has either an HPA or a replica count, never both', () => {
    const objects = rendered(file);
    const hpas = ofKind<{ spec: { scaleTargetRef: { name: string; kind: string } } }>(
      objects,
      'HorizontalPodAutoscaler',
    );
    for (const deployment of ofKind<Workload>(objects, 'Deployment')) {
      const hpa = hpas.find((candidate) => candidate.spec.scaleTargetRef.name === deployment.metadata.name);
      if (hpa) {
        expect(hpa.apiVersion).toBe('autoscaling/v2');
        expect(hpa.spec.scaleTargetRef.kind).toBe('Deployment');
        expect(deployment.spec).not.toHaveProperty('replicas');
      } else {
        expect(deployment.spec.replicas).toBeGreaterThanOrEqual(1);
      }
    }
    expect(hpas.length).toBe(file.includes('production') ? ofKind(objects, 'Deployment').length : 0);
  });
});

describe('NetworkPolicy', () => {
  const portsOf = (rules: { ports?: NetworkPolicyPort[] }[]) =>
    rules.flatMap((rule) => (rule.ports ?? []).map((port) => `${port.port}/${port.protocol}`)).sort();

  it.each([
    ['auth-api', ['2020/TCP', '26379/TCP', '53/TCP', '53/UDP', '6432/TCP', '8501/TCP', '8888/TCP']],
    ['environment-api', ['26379/TCP', '53/TCP', '53/UDP', '6432/TCP', '8080/TCP', '8501/TCP']],
    ['auth-ui', ['53/TCP', '53/UDP', '8080/TCP']],
  ] as const)(
    '%s egress goes only to DNS, PostgreSQL, Redis, Consul and Configuration Server ports',
    (chart, expected) => {
      const objects = render('cxauth', { values: ['cxauth/ci/production-values.yaml'] });
      const policy = byName<NetworkPolicySpec>(objects, 'NetworkPolicy', NAMES[chart]);
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      // every egress rule is limited by port: no allow-all rule
      for (const rule of policy.spec.egress) expect(rule.ports?.length).toBeGreaterThan(0);
      expect(portsOf(policy.spec.egress)).toEqual([...expected]);
      if (chart === 'environment-api') {
        // the only in-cluster destination: this release's auth-api pods (token validation)
        const toAuthApi = policy.spec.egress.find((rule) => rule.to);
        expect(toAuthApi?.to).toEqual([
          {
            podSelector: {
              matchLabels: { 'app.kubernetes.io/name': 'auth-api', 'app.kubernetes.io/instance': 'gauth' },
            },
          },
        ]);
        const authApi = byName<Workload & { spec: { template: { metadata: { labels: Record<string, string> } } } }>(
          objects,
          'Deployment',
          'gauth-auth',
        );
        expect(authApi.spec.template.metadata.labels).toMatchObject({
          'app.kubernetes.io/name': 'auth-api',
          'app.kubernetes.io/instance': 'gauth',
        });
      }
    },
  );

  it('lets in the ingress controller and in-cluster callers on the HTTP port, Prometheus on the management port', () => {
    const objects = render('auth-api', { values: ['auth-api/ci/production-values.yaml'] });
    const policy = byName<NetworkPolicySpec>(objects, 'NetworkPolicy', 'gauth-auth');
    expect(policy.spec.ingress).toEqual([
      {
        ports: [{ port: 'http', protocol: 'TCP' }],
        from: [
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } },
          { podSelector: {} },
          { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'gws' } } },
        ],
      },
      {
        ports: [{ port: 'management', protocol: 'TCP' }],
        from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }],
      },
    ]);
  });

  it('opens every Redis node port (Cluster) and the PostgreSQL port', () => {
    const objects = render('environment-api', {
      values: ['environment-api/ci/existing-secrets-values.yaml'],
      set: ['networkPolicy.enabled=true', 'global.redis.cluster_nodes=r0:7000\\,r1:7001\\,r2:7000'],
    });
    const policy = byName<NetworkPolicySpec>(objects, 'NetworkPolicy', 'gauth-environment');
    expect(portsOf(policy.spec.egress)).toEqual(['53/TCP', '53/UDP', '5432/TCP', '7000/TCP', '7001/TCP', '8080/TCP']);
  });
});

describe('values checks at render time', () => {
  it.each([
    ['auth-api', 'global.postgres.hots=db', 'hots'],
    ['auth-ui', 'replica=3', 'replica'],
    ['environment-api', 'networkPolicy.enable=true', 'enable'],
    ['cxauth', 'auth-api.autoscaling.enbled=true', 'enbled'],
    ['cxauth', 'global.servics.location=/USW1', 'servics'],
  ])('%s refuses the misspelled key %s', (chart, set, key) => {
    const values = [`${chart}/ci/default-values.yaml`];
    const error = renderError(chart, { values, set: [set] });
    expect(error).toContain("values don't meet the specifications of the schema");
    expect(error).toMatch(new RegExp(`Additional property ${key} is not allowed`));
  });

  it.each([
    ['global.postgres.port=abc', 'port'],
    ['global.redis.mode=replicated', 'mode'],
    ['global.services.secret.encryption_key=c2hvcnQ=', 'encryption_key'],
  ])('refuses the wrong value %s', (set, key) => {
    const error = renderError('auth-api', { values: ['auth-api/ci/default-values.yaml'], set: [set] });
    expect(error).toContain(key);
    expect(error).toContain('schema');
  });

  it('refuses a secret passed as a plain env value', () => {
    const error = renderError('auth-api', {
      values: ['auth-api/ci/default-values.yaml'],
      set: ['env.ADMIN_PASSWORD=plain-text'],
    });
    expect(error).toContain('env: Must not validate the schema (not)');
  });

  it.each(['auth-api', 'environment-api', 'cxauth'])(
    '%s fails with a clear message without an admin password',
    (chart) => {
      const error = renderError(chart, {
        values: [`${chart}/ci/default-values.yaml`],
        set: ['global.services.secret.admin_password='],
      });
      expect(error).toContain('global.services.secret.admin_password is required');
      expect(error).toContain('The chart has no default password');
    },
  );

  it.each([
    ['global.services.secret.encryption_key=', 'global.services.secret.encryption_key is required'],
    ['global.postgres.password=', 'global.postgres.password is required'],
    ['global.postgres.host=', 'global.postgres.host is required'],
    ['global.redis.password=', 'global.redis.password is required'],
    ['global.redis.cluster_nodes=', 'global.redis.cluster_nodes is required'],
    ['global.consul.enabled=true', 'global.consul.url is required'],
  ])('fails with a clear message when %s', (set, message) => {
    expect(renderError('auth-api', { values: ['auth-api/ci/default-values.yaml'], set: [set] })).toContain(message);
  });

  it('fails with every default value: nothing to connect to, no password', () => {
    expect(renderError('auth-api')).toContain('global.services.secret.admin_password is required');
    expect(renderError('cxauth')).toContain('is required');
  });

  it('auth-ui needs no secret and renders with its defaults', () => {
    const objects = render('auth-ui');
    expect(ofKind(objects, 'Secret')).toEqual([]);
    expect(ofKind(objects, 'Deployment')).toHaveLength(1);
  });

  it('needs no Redis password when Redis has none', () => {
    const objects = render('auth-api', {
      values: ['auth-api/ci/default-values.yaml'],
      set: ['global.redis.password_required=false', 'global.redis.password='],
    });
    const container = byName<Workload>(objects, 'Deployment', 'gauth-auth').spec.template.spec.containers[0]!;
    expect((container.env ?? []).map((variable) => variable.name)).not.toContain('REDIS_PASSWORD');
  });
});

describe('user directories (Configuration Server gateway, Consul)', () => {
  const production = () => render('cxauth', { values: ['cxauth/ci/production-values.yaml'] });

  it('gives auth-api the gateway, Consul and their CAs; the token comes from a Secret', () => {
    const all = production();
    const deployment = byName<Workload>(all, 'Deployment', 'gauth-auth');
    const container = deployment.spec.template.spec.containers[0]!;
    expect(containerEnv(all, container)).toMatchObject({
      CONFIG_SERVER_GATEWAY_URL: 'https://cs-gateway.gauth.svc:8443',
      CONFIG_SERVER_TLS_CA_FILE: '/etc/cxauth/config-server-ca/ca.crt',
      CONSUL_URL: 'https://consul.consul.svc:8501',
      CONSUL_DATACENTER: 'dc1',
      CONSUL_CA_FILE: '/etc/cxauth/consul-ca/tls.ca',
    });
    const token = (container.env ?? []).find((variable) => variable.name === 'CONSUL_TOKEN');
    expect(token?.valueFrom?.secretKeyRef).toEqual({ name: 'gauth-auth', key: 'consul_token' });
    const secret = byName<{ data: Record<string, string> }>(all, 'Secret', 'gauth-auth');
    expect(Buffer.from(secret.data.consul_token!, 'base64').toString()).toBe('ci-consul-token');
    const volumes = JSON.stringify(deployment.spec.template.spec);
    expect(volumes).toContain('"secretName":"consul-ca"');
    expect(volumes).toContain('"secretName":"cs-gateway-ca"');
  });

  it('keeps them away from auth-ui and environment-api', () => {
    const all = production();
    for (const name of ['gauth-auth-ui', 'gauth-environment']) {
      const container = byName<Workload>(all, 'Deployment', name).spec.template.spec.containers[0]!;
      const env = containerEnv(all, container);
      expect(Object.keys(env).filter((key) => /^(CONSUL|CONFIG_SERVER)_/.test(key))).toEqual([]);
      expect((container.env ?? []).map((variable) => variable.name)).not.toContain('CONSUL_TOKEN');
    }
  });

  it("reads an existing Secret's key for the Consul token, and sets nothing when Consul is off", () => {
    const existing = render('auth-api', {
      values: ['auth-api/ci/production-values.yaml'],
      set: ['global.consul.secret.name_override=consul-acl', 'global.consul.secret.key=token'],
    });
    const container = byName<Workload>(existing, 'Deployment', 'gauth-auth').spec.template.spec.containers[0]!;
    const token = (container.env ?? []).find((variable) => variable.name === 'CONSUL_TOKEN');
    expect(token?.valueFrom?.secretKeyRef).toEqual({ name: 'consul-acl', key: 'token' });
    expect(JSON.stringify(ofKind(existing, 'Secret'))).not.toContain('consul_token');

    const off = render('auth-api', { values: ['auth-api/ci/default-values.yaml'] });
    const plain = byName<Workload>(off, 'Deployment', 'gauth-auth').spec.template.spec.containers[0]!;
    expect(Object.keys(containerEnv(off, plain)).filter((key) => key.startsWith('CONSUL_'))).toEqual([]);
  });
});

describe('umbrella wiring', () => {
  const objects = () => render('cxauth', { values: ['cxauth/ci/production-values.yaml'] });

  it('routes /auth, /ui/auth (and the old /auth/sign-in.html) and /environment on one host, public and internal, with TLS', () => {
    const ingresses = ofKind<{
      spec: {
        ingressClassName: string;
        tls: { hosts: string[]; secretName: string }[];
        rules: {
          host: string;
          http: { paths: { path: string; pathType: string; backend: { service: { name: string } } }[] };
        }[];
      };
    }>(objects(), 'Ingress');
    const routes = ingresses
      .flatMap((ingress) => {
        const rule = ingress.spec.rules[0]!;
        return rule.http.paths.map(
          (path) =>
            `${ingress.spec.ingressClassName} ${ingress.spec.tls[0]?.secretName} ${rule.host}${path.path} ${path.pathType} -> ${path.backend.service.name}`,
        );
      })
      .sort();
    expect(routes).toEqual([
      'nginx gauth-tls gauth.example.com/auth Prefix -> gauth-auth',
      'nginx gauth-tls gauth.example.com/auth/sign-in.html Exact -> gauth-auth-ui',
      'nginx gauth-tls gauth.example.com/environment Prefix -> gauth-environment',
      'nginx gauth-tls gauth.example.com/ui/auth Prefix -> gauth-auth-ui',
      'nginx-internal gauth-int-tls gauth-int.example.com/auth Prefix -> gauth-auth',
      'nginx-internal gauth-int-tls gauth-int.example.com/auth/sign-in.html Exact -> gauth-auth-ui',
      'nginx-internal gauth-int-tls gauth-int.example.com/environment Prefix -> gauth-environment',
      'nginx-internal gauth-int-tls gauth-int.example.com/ui/auth Prefix -> gauth-auth-ui',
    ]);
  });

  it('points environment-api at the release auth-api Service and auth-api at the public https URL', () => {
    const all = objects();
    const services = ofKind(all, 'Service').map((service) => service.metadata.name);
    const envConfig = byName<{ data: Record<string, string> }>(all, 'ConfigMap', 'gauth-environment').data;
    expect(envConfig.AUTH_API_URL).toBe('http://gauth-auth');
    expect(services).toContain('gauth-auth');
    expect(envConfig).toMatchObject({ LOCATION: '/USW1', FORCE_WRITABLE: 'true' });
    const authConfig = byName<{ data: Record<string, string> }>(all, 'ConfigMap', 'gauth-auth').data;
    expect(authConfig.PUBLIC_BASE_URL).toBe('https://gauth.example.com');
    expect(authConfig).toMatchObject({
      DATABASE_URL: 'postgres://gauth_owner@pg.example.internal:6432/gauth',
      DATABASE_SSL_MODE: 'verify-full',
      DATABASE_SSL_CA_FILE: '/etc/cxauth/postgres-ca/ca.crt',
      REDIS_URL: 'rediss://redis-0.redis:26379/0',
      REDIS_MODE: 'sentinel',
      REDIS_NODES: 'redis-0.redis:26379,redis-1.redis:26379,redis-2.redis:26379',
      REDIS_SENTINEL_MASTER: 'gauth',
      REDIS_TLS_CA_FILE: '/etc/cxauth/redis-ca/ca.pem',
    });
    // auth-api's background jobs run on a schedule by default (values `housekeeping`); only auth-api has them.
    expect(authConfig).toMatchObject({
      HOUSEKEEPING_ENABLED: 'true',
      HOUSEKEEPING_INTERVAL_SECONDS: '600',
      HOUSEKEEPING_BATCH_SIZE: '5000',
      HOUSEKEEPING_MAX_BATCHES: '50',
      HOUSEKEEPING_REVOKED_RETENTION_SECONDS: '86400',
      SIGNING_KEY_ROTATION_INTERVAL_SECONDS: '7776000',
      SIGNING_KEY_RETENTION_SECONDS: '604800',
    });
    expect(Object.keys(envConfig).filter((name) => name.startsWith('HOUSEKEEPING_'))).toEqual([]);
  });

  it('sets CORS_DEFAULT on every service from global.services.cors_default (allow unless told)', () => {
    const configs = (objects: K8sObject[]) =>
      ofKind(objects, 'ConfigMap')
        .map((map) => (map as K8sObject & { data: Record<string, string> }).data)
        .filter((data) => data.PORT === '8080');
    const byDefault = configs(render('cxauth', { values: ['cxauth/ci/default-values.yaml'] }));
    expect(byDefault).toHaveLength(3);
    for (const data of byDefault) expect(data.CORS_DEFAULT).toBe('allow');
    // cxauth's own layout keeps auth-api's default (new clients require PKCE).
    for (const data of byDefault) expect(data.PKCE_REQUIRED_FOR_NEW_CLIENTS).toBeUndefined();
    const denied = configs(
      render('cxauth', { values: ['cxauth/ci/default-values.yaml'], set: ['global.services.cors_default=deny'] }),
    );
    for (const data of denied) expect(data.CORS_DEFAULT).toBe('deny');
    const error = renderError('auth-api', {
      values: ['auth-api/ci/default-values.yaml'],
      set: ['global.services.cors_default=maybe'],
    });
    expect(error).toMatch(/cors_default/);
  });

  it('uses the operator Secrets by name and key when told to', () => {
    const all = render('cxauth', { values: ['cxauth/ci/existing-secrets-values.yaml'] });
    expect(ofKind(all, 'Secret')).toEqual([]);
    const container = byName<Workload>(all, 'Deployment', 'gauth-auth').spec.template.spec.containers[0]!;
    const refs = Object.fromEntries(
      (container.env ?? []).map((variable) => [variable.name, variable.valueFrom?.secretKeyRef]),
    );
    expect(refs).toEqual({
      ADMIN_PASSWORD: { name: 'gauth-ops', key: 'admin_password' },
      ENCRYPTION_KEY: { name: 'gauth-ops', key: 'encryption_key' },
      ENCRYPTION_PREVIOUS_KEYS: { name: 'gauth-ops', key: 'encryption_previous_keys', optional: true },
      DATABASE_PASSWORD: { name: 'gauth-postgres', key: 'pg-password' },
    });
    const job = byName<Workload>(all, 'Job', 'gauth-auth-migrations').spec.template.spec.containers[0]!;
    expect(job.env?.find((variable) => variable.name === 'DATABASE_PASSWORD')?.valueFrom?.secretKeyRef).toEqual({
      name: 'gauth-postgres',
      key: 'pg-password',
    });
  });

  it('keeps older encryption keys in the Secret after a rotation, and the app accepts them', () => {
    const previous = ['MTExMTExMTExMTExMTExMTExMTExMTExMTExMTExMTE=', 'MjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjIyMjI='];
    const all = render('auth-api', {
      values: ['auth-api/ci/default-values.yaml'],
      set: [`global.services.secret.encryption_previous_keys={${previous.join(',')}}`],
    });
    const container = byName<Workload>(all, 'Deployment', 'gauth-auth').spec.template.spec.containers[0]!;
    const env = containerEnv(all, container);
    expect(env.ENCRYPTION_PREVIOUS_KEYS).toBe(previous.join(','));
    expect(() => loadConfig('auth-api', authApiConfigSchema, env as Record<string, string>)).not.toThrow();
    const none = render('auth-api', { values: ['auth-api/ci/default-values.yaml'] });
    const plain = byName<Workload>(none, 'Deployment', 'gauth-auth').spec.template.spec.containers[0]!;
    expect((plain.env ?? []).map((variable) => variable.name)).not.toContain('ENCRYPTION_PREVIOUS_KEYS');
    expect(
      renderError('auth-api', {
        values: ['auth-api/ci/default-values.yaml'],
        set: ['global.services.secret.encryption_previous_keys={short}'],
      }),
    ).toContain('encryption_previous_keys');
  });

  it('changes checksum/config with the config and checksum/secret with a password', () => {
    const base = ['auth-api/ci/default-values.yaml'];
    const annotations = (set: string[]) =>
      byName<Workload>(render('auth-api', { values: base, set }), 'Deployment', 'gauth-auth').spec.template.metadata
        .annotations!;
    const before = annotations([]);
    const debug = annotations(['logLevel=debug']);
    const rotated = annotations(['global.services.secret.admin_password=another-password']);
    expect(debug['checksum/config']).not.toBe(before['checksum/config']);
    expect(debug['checksum/secret']).toBe(before['checksum/secret']);
    expect(rotated['checksum/secret']).not.toBe(before['checksum/secret']);
    expect(rotated['checksum/config']).toBe(before['checksum/config']);
  });
});

describe('NOTES.txt', () => {
  it('prints the provisioning commands for the installed release', () => {
    const notes = renderNotes('cxauth', { values: ['cxauth/ci/production-values.yaml'] });
    expect(notes).toContain('export GAUTH=https://gauth.example.com');
    expect(notes).toContain("export OPS='ops:<ops password>'");
    for (const call of [
      'POST "$GAUTH/auth/v3/ops/clients"',
      'POST "$GAUTH/auth/v3/oauth/token"',
      'POST "$GAUTH/environment/v3/environments"',
      'POST "$GAUTH/environment/v3/contact-centers"',
      'POST "$GAUTH/environment/v3/data-centers"',
    ]) {
      expect(notes).toContain(call);
    }
    expect(notes).toContain('"location": "/usw1", "entryPoint": "https://gauth.example.com"');
    expect(notes).toContain('http://gauth-auth.gauth/auth/v3');
    expect(notes).toContain('kubectl -n gauth logs job/gauth-auth-migrations');
    for (const secret of CI_SECRETS) expect(notes).not.toContain(secret);
  });

  it('prints the service URLs and the first provisioning steps for a service chart', () => {
    const notes = renderNotes('auth-api', { values: ['auth-api/ci/default-values.yaml'] });
    expect(notes).toContain('In-cluster callers: http://gauth-auth.gauth/auth/...');
    expect(notes).toContain('Public URL: http://gauth.example.com/auth');
    expect(notes).toContain('export GAUTH=http://gauth.example.com');
    expect(notes).toContain('POST "$GAUTH/auth/v3/ops/clients"');
    for (const secret of CI_SECRETS) expect(notes).not.toContain(secret);
  });
});
