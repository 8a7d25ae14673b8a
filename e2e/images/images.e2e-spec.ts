// The three images, built here without network inside the build (tools/images/build.sh), run the way
// the chart runs them: the chart-rendered environment and security settings (read-only root, the
// chart's numeric user, no capabilities, /tmp as the only writable path), on real PostgreSQL and Redis.
// What a cluster would provide instead is the only change: ports (host network, so free ports rather
// than 8080/9090) and Service DNS names (127.0.0.1 and those ports).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ingressRoutes, RoutingProxy } from '@cxauth/local-stack';
import { freePort } from '@cxauth/platform';
import {
  createTestDatabase,
  K8sObject,
  ofKind,
  removeChartsWorkDir,
  render,
  ROOT,
  SERVICE_CHARTS,
  ServiceChart,
  TEST_DATABASE_ADMIN_URL,
  TEST_REDIS_URL,
  TestDatabase,
  uniqueRedisPrefix,
} from '@cxauth/testing';
import { runProvisioningFlow } from '../provisioning/provisioning-flow';

const run = promisify(execFile);
const WORK = join(ROOT, 'tmp', 'images');
const CONTAINERS_CONF = join(WORK, 'containers.conf');
const podmanEnv = { ...process.env, CONTAINERS_CONF };
const podman = (args: string[]) => run('podman', args, { env: podmanEnv, maxBuffer: 16 * 1024 * 1024 });

interface Container {
  name: string;
  image: string;
  args?: string[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string } }[];
  securityContext?: {
    runAsUser?: number;
    runAsGroup?: number;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
  };
  startupProbe?: { httpGet?: { path: string } };
  livenessProbe?: { httpGet?: { path: string } };
  readinessProbe?: { httpGet?: { path: string } };
}
interface Workload {
  spec: { template: { spec: { containers: Container[] } } };
}

/** The environment a container starts with, secrets resolved from the rendered Secrets. */
function environmentOf(objects: K8sObject[], container: Container): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const map = objects.find(
      (object) => object.kind === 'ConfigMap' && object.metadata.name === source.configMapRef?.name,
    );
    Object.assign(env, (map as { data?: Record<string, string> } | undefined)?.data);
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    if (!ref) {
      env[variable.name] = variable.value ?? '';
      continue;
    }
    const secret = objects.find((object) => object.kind === 'Secret' && object.metadata.name === ref.name) as
      | { data: Record<string, string> }
      | undefined;
    if (!secret?.data[ref.key]) throw new Error(`${variable.name}: Secret ${ref.name} key ${ref.key} not rendered`);
    env[variable.name] = Buffer.from(secret.data[ref.key]!, 'base64').toString('utf8');
  }
  return env;
}

/** `podman run` as the chart's securityContext says, with the environment in a file. */
function runArgs(container: Container, env: Record<string, string>, envDir: string, name: string): string[] {
  const security = container.securityContext ?? {};
  expect(security).toMatchObject({ readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
  const envFile = join(envDir, `${name}.env`);
  writeFileSync(
    envFile,
    Object.entries(env)
      .map(([key, value]) => `${key}=${value}`)
      .join('\n'),
    { mode: 0o600 },
  );
  return [
    ...['--name', name, '--network', 'host', '--read-only', '--read-only-tmpfs=false', '--tmpfs', '/tmp:rw,size=64m'],
    ...[
      '--user',
      `${security.runAsUser}:${security.runAsGroup}`,
      '--cap-drop',
      'ALL',
      '--security-opt',
      'no-new-privileges',
    ],
    ...['--env-file', envFile, '--pull', 'never', container.image, ...(container.args ?? [])],
  ];
}

async function waitFor200(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} not 200 within ${timeoutMs} ms (${last})`);
}

describe('container images, run as the chart runs them', () => {
  const suffix = randomBytes(4).toString('hex');
  const envDir = mkdtempSync(join(tmpdir(), 'cxauth-image-env-'));
  const started: string[] = [];
  let images: { image: string; bytes: number }[] = [];
  let database: TestDatabase;
  let objects: K8sObject[];
  let proxy: RoutingProxy | undefined;
  const ports: Record<ServiceChart, { http: number; management: number }> = {} as never;

  beforeAll(async () => {
    mkdirSync(WORK, { recursive: true });
    const build = await run(join(ROOT, 'tools', 'images', 'build.sh'), [], {
      maxBuffer: 16 * 1024 * 1024,
      timeout: 25 * 60_000,
    });
    images = build.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { image: string; bytes: number });
    writeFileSync(join(ROOT, 'dist', 'image-sizes.json'), `${JSON.stringify(images, null, 2)}\n`);
    console.log(images.map((entry) => `${entry.image}: ${(entry.bytes / 1e6).toFixed(1)} MB`).join('\n'));

    database = await createTestDatabase({ migrated: false });
    const admin = new URL(TEST_DATABASE_ADMIN_URL);
    const redis = new URL(TEST_REDIS_URL);
    objects = render('cxauth', {
      values: ['cxauth/ci/default-values.yaml'],
      set: [
        'global.image.registry=localhost',
        'global.services.secret.admin_password=images-ops-password',
        'global.services.location=/USW1',
        'global.services.secret.client_id=gauth_client',
        'global.services.secret.client_secret=gauth-client-secret',
        `global.postgres.host=${admin.hostname}`,
        `global.postgres.port=${admin.port || 5432}`,
        `global.postgres.db=${database.name}`,
        `global.postgres.username=${decodeURIComponent(admin.username)}`,
        // trust authentication on the test server: any password is accepted
        'global.postgres.password=unused',
        `global.redis.cluster_nodes=${redis.hostname}:${redis.port || 6379}`,
        'global.redis.password_required=false',
        `global.redis.key_prefix=${uniqueRedisPrefix()}`,
      ],
    });
    for (const chart of SERVICE_CHARTS) ports[chart] = { http: await freePort(), management: await freePort() };
  }, 30 * 60_000);

  afterAll(async () => {
    await proxy?.close();
    for (const name of started) await podman(['rm', '-f', '-t', '2', name]).catch(() => undefined);
    rmSync(envDir, { recursive: true, force: true });
    await database?.drop();
    removeChartsWorkDir();
  });

  it('builds the three images without local-only packages', async () => {
    expect(images.map((entry) => entry.image).sort()).toEqual(
      SERVICE_CHARTS.map((chart) => `localhost/cxauth/${chart}:0.1.0`),
    );
    for (const { bytes } of images) expect(bytes).toBeLessThan(400e6);
    const probe = `for (const m of ['ioredis-mock','@electric-sql/pglite','@electric-sql/pglite-socket','@fastify/http-proxy']) { try { require.resolve(m); console.log('present ' + m); } catch {} }`;
    const { stdout } = await podman([
      'run',
      '--rm',
      '--network',
      'none',
      '--pull',
      'never',
      'localhost/cxauth/auth-api:0.1.0',
      '-e',
      probe,
    ]);
    expect(stdout.trim()).toBe('');
  }, 60_000);

  it('runs the migrations Job twice: the first applies the schema and creates the chart client, the second changes nothing', async () => {
    const [job] = ofKind<Workload>(objects, 'Job');
    const container = job!.spec.template.spec.containers[0]!;
    expect(container.image).toBe('localhost/cxauth/auth-api:0.1.0');
    const env = environmentOf(objects, container);
    const summaries = [];
    for (const attempt of [1, 2]) {
      const name = `cxauth-smoke-migrate-${attempt}-${suffix}`;
      started.push(name);
      const { stdout } = await podman(['run', '--rm', ...runArgs(container, env, envDir, name)]);
      summaries.push(
        JSON.parse(
          stdout
            .trim()
            .split('\n')
            .find((line) => line.includes('migrations applied'))!,
        ) as {
          applied: string[];
          bootstrap: { client: { outcome: string } };
        },
      );
    }
    expect(summaries[0]!.applied.length).toBeGreaterThan(0);
    expect(summaries[0]!.bootstrap.client.outcome).toBe('created');
    expect(summaries[1]!.applied).toEqual([]);
    expect(summaries[1]!.bootstrap.client.outcome).toBe('unchanged');
  }, 120_000);

  it('starts each service from its image with the rendered environment, and each passes its probes', async () => {
    const authUrl = `http://127.0.0.1:${ports['auth-api'].http}`;
    for (const chart of SERVICE_CHARTS) {
      const deployment = ofKind<Workload>(objects, 'Deployment').find(
        (candidate) => candidate.spec.template.spec.containers[0]!.name === chart,
      )!;
      const container = deployment.spec.template.spec.containers[0]!;
      const env = {
        ...environmentOf(objects, container),
        PORT: String(ports[chart].http),
        MANAGEMENT_PORT: String(ports[chart].management),
        ...(chart === 'auth-api' ? {} : { AUTH_API_URL: authUrl }),
        // the drain delay only matters behind a Service; the test stops containers right away
        SHUTDOWN_DELAY_MS: '0',
      };
      const name = `cxauth-smoke-${chart}-${suffix}`;
      started.push(name);
      await podman(['run', '-d', ...runArgs(container, env, envDir, name)]);
      for (const probe of [container.startupProbe, container.livenessProbe, container.readinessProbe]) {
        await waitFor200(`http://127.0.0.1:${ports[chart].management}${probe!.httpGet!.path}`, 60_000).catch(
          async (error: Error) => {
            const { stdout, stderr } = await podman(['logs', name]).catch(() => ({ stdout: '', stderr: '' }));
            throw new Error(`${error.message}\n${stdout}${stderr}`);
          },
        );
      }
      const { stdout } = await podman([
        'inspect',
        '--format',
        '{{.Config.User}} {{.HostConfig.ReadonlyRootfs}} {{.HostConfig.CapDrop}}',
        name,
      ]);
      expect(stdout.trim()).toMatch(/^65532:65532 true \[.*CAP_.*\]$/);
    }
  }, 240_000);

  it('answers the seed 001 provisioning commands (curl, verbatim) through one path-routing base URL', async () => {
    proxy = await RoutingProxy.listen('127.0.0.1', 0);
    proxy.route(
      ingressRoutes({
        authApi: `http://127.0.0.1:${ports['auth-api'].http}`,
        environmentApi: `http://127.0.0.1:${ports['environment-api'].http}`,
        authUi: `http://127.0.0.1:${ports['auth-ui'].http}`,
      }),
    );
    const port = Number(new URL(proxy.url).port);
    const result = await runProvisioningFlow(`http://127.0.0.1:${port}`, {
      ops: { username: 'ops', password: 'images-ops-password' },
    });
    expect(result.clientSecret).toBeTruthy();
    // 256 random bits, base64url (OPAQUE_TOKEN_FORMAT=random, the default).
    expect(result.accessToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.environmentId).toMatch(/^[0-9a-f-]{36}$/);
    // the chart's own client works too
    const token = await fetch(`http://127.0.0.1:${port}/auth/v3/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('gauth_client:gauth-client-secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(200);
  }, 120_000);
});
