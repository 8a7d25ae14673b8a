// The chart against the real services: the probe paths the Deployments use are served on the
// management listener of each app, and the migrations Job's environment is enough for the migrate
// entry point to bring an empty database to the current schema.
import { databaseConfigSchema, loadConfig } from '@cxauth/platform';
import { migrateCommand, runMigrations } from '@cxauth/persistence';
import { createTestApp, createTestDatabase, createTestStorage, TestApp, TestDatabase } from '@cxauth/testing';
import { authApiConfigSchema, authApiService } from '@cxauth/auth-api';
import { authUiConfigSchema, authUiService } from '@cxauth/auth-ui';
import { environmentApiConfigSchema, environmentApiService } from '@cxauth/environment-api';
import { K8sObject, ofKind, removeChartsWorkDir, render, SERVICE_CHARTS, ServiceChart } from '@cxauth/testing';

interface Probe {
  httpGet: { path: string; port: string };
}
interface Container {
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: object }[];
  ports: { name: string; containerPort: number }[];
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
}
interface Workload {
  spec: { template: { spec: { containers: Container[] } } };
}

const SERVICES: Record<ServiceChart, { boot: (env: Record<string, string>) => Promise<TestApp>; storage: boolean }> = {
  'auth-api': { boot: (env) => createTestApp(authApiConfigSchema, authApiService, env), storage: true },
  'auth-ui': { boot: (env) => createTestApp(authUiConfigSchema, authUiService, env), storage: false },
  'environment-api': {
    boot: (env) => createTestApp(environmentApiConfigSchema, environmentApiService, env),
    storage: true,
  },
};

function container(objects: K8sObject[], kind: string): Container {
  const [workload] = ofKind<Workload>(objects, kind);
  if (!workload) throw new Error(`no ${kind} rendered`);
  return workload.spec.template.spec.containers[0]!;
}

afterAll(() => removeChartsWorkDir());

describe.each(SERVICE_CHARTS)('%s probes against the running service', (chart) => {
  let app: TestApp;
  let database: TestDatabase | undefined;
  const probes = container(render(chart, { values: [`${chart}/ci/default-values.yaml`] }), 'Deployment');

  beforeAll(async () => {
    const { boot, storage } = SERVICES[chart];
    let env: Record<string, string> = {};
    if (storage) {
      const created = await createTestStorage();
      database = created.database;
      env = created.env;
    }
    app = await boot(env);
  });

  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it.each(['startupProbe', 'livenessProbe', 'readinessProbe'] as const)(
    '%s answers 200 on the management listener and is not exposed on the HTTP port',
    async (probe) => {
      const { path, port } = probes[probe].httpGet;
      expect(port).toBe('management');
      const management = await fetch(`${app.service.managementUrl}${path}`);
      expect(management.status).toBe(200);
      expect(management.headers.get('content-type')).toContain('application/json');
      const publicPort = await fetch(`${app.service.url}${path}`);
      expect(publicPort.status).toBe(404);
    },
  );

  it('serves /metrics (the ServiceMonitor endpoint) on the management listener', async () => {
    const response = await fetch(`${app.service.managementUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/^# HELP /m);
  });
});

describe('migrations Job environment', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ migrated: false });
  });

  afterAll(async () => {
    await database?.drop();
  });

  it('migrates an empty database with the variables the Job sets, and a second run is a no-op', async () => {
    const objects = render('cxauth', { values: ['cxauth/ci/default-values.yaml'] });
    const job = container(objects, 'Job');
    expect(job.args).toEqual(['dist/apps/auth-api/src/migrate.js']);
    const env: Record<string, string> = {};
    for (const variable of job.env ?? []) {
      if (variable.value !== undefined) env[variable.name] = variable.value;
      else if (variable.name === 'DATABASE_PASSWORD') env[variable.name] = 'ci-postgres-password';
    }
    expect(Object.keys(env).sort()).toEqual([
      'DATABASE_PASSWORD',
      'DATABASE_POOL_SIZE',
      'DATABASE_SSL_MODE',
      'DATABASE_URL',
    ]);
    // the rendered URL names the cluster's PostgreSQL; point the same URL shape at the test server
    const rendered = new URL(env.DATABASE_URL!);
    const target = new URL(database.url);
    rendered.host = target.host;
    rendered.pathname = target.pathname;
    rendered.username = target.username;
    const config = loadConfig('migrate', databaseConfigSchema, { ...env, DATABASE_URL: rendered.toString() });

    const writes: string[] = [];
    const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(chunk.toString());
      return true;
    });
    try {
      await migrateCommand('auth-api', config);
    } finally {
      write.mockRestore();
    }
    const summary = JSON.parse(writes.find((line) => line.includes('migrations applied'))!) as { applied: string[] };
    expect(summary.applied.length).toBeGreaterThan(0);
    const rows = await database.query<{ count: number }>('SELECT count(*)::int AS count FROM cxauth_migrations');
    expect(rows[0]?.count).toBe(summary.applied.length);
    expect(await runMigrations(config)).toEqual([]);
  });
});
