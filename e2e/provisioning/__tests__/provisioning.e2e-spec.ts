import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@cxauth/platform';
import { startInProcessStack } from '../in-process-stack';
import { basic, getJson, preflight, sendJson, StackUnderTest } from '../provisioning-checks';
import { ProvisioningResult, runProvisioningFlow } from '../provisioning-flow';

/**
 * Seed 001, verbatim (see seed-001.ts for the exact list of substitutions), with the real `curl`,
 * against the three services behind one path-routing base URL — on real PostgreSQL and Redis, and
 * on the embedded local stack (`npm start`: PGlite and the in-memory store). Set
 * PROVISIONING_BASE_URL to run it against a stack that is already running instead.
 */
interface RunningStack extends StackUnderTest {
  stop(): Promise<void>;
}

/** `npm start` (dist/tools/local-stack/main.js) in a child process, LOCATION /USW1. */
async function startLocalStack(): Promise<RunningStack> {
  const main = join(__dirname, '../../../dist/tools/local-stack/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: build first (node tools/build.mjs; npm test does)`);
  const dataDir = mkdtempSync(join(tmpdir(), 'cxauth-provisioning-'));
  const port = await freePort();
  const output: string[] = [];
  const child: ChildProcess = spawn(process.execPath, [main], {
    env: {
      PATH: process.env.PATH,
      CXAUTH_PORT: String(port),
      CXAUTH_DATA_DIR: dataDir,
      LOCATION: '/USW1',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local stack did not start: ${output.join('')}`)), 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      output.push(chunk.toString());
      if (output.join('').includes('Ctrl-C stops everything.')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local stack exited with ${code}: ${output.join('')}`));
    });
  });
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    opsUser: 'ops',
    opsPassword: 'ops',
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGINT');
        await once(child, 'exit');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const external = process.env.PROVISIONING_BASE_URL;
const targets: [string, () => Promise<RunningStack>][] = external
  ? [
      [
        `the running stack at ${external}`,
        async () => ({
          baseUrl: external.replace(/\/$/, ''),
          opsUser: process.env.PROVISIONING_OPS_USER ?? 'ops',
          opsPassword: process.env.PROVISIONING_OPS_PASSWORD ?? 'ops',
          stop: async () => undefined,
        }),
      ],
    ]
  : [
      ['the three services on real PostgreSQL and Redis', () => startInProcessStack({ configServerGateway: true })],
      ['the embedded local stack (npm start)', startLocalStack],
    ];

describe.each(targets)('seed 001 provisioning, verbatim, against %s', (_name, start) => {
  let stack: RunningStack;
  let result: ProvisioningResult;
  let bearer: string;

  beforeAll(async () => {
    stack = await start();
    result = await runProvisioningFlow(stack.baseUrl);
    bearer = `Bearer ${result.accessToken}`;
  }, 120_000);
  afterAll(async () => stack?.stop(), 30_000);

  it('every command answered as the document shows (status code 0, a bearer token, paths)', () => {
    const [client, token, environment, contactCenter, dataCenter, cors] = result.transcript.map(
      (step) => step.json as Record<string, unknown>,
    );
    expect(client).toMatchObject({
      status: { code: 0 },
      data: {
        client_id: 'external_api_client',
        name: 'external_api_client',
        clientType: 'CONFIDENTIAL',
        internalClient: true,
      },
    });
    expect(token).toMatchObject({
      access_token: expect.any(String),
      token_type: 'bearer',
      expires_in: expect.any(Number),
    });
    expect(environment).toEqual({ status: { code: 0 }, path: `/environments/${result.environmentId}` });
    expect(contactCenter).toEqual({ status: { code: 0 }, path: `/contact-centers/${result.contactCenterId}` });
    expect(dataCenter!.status).toEqual({ code: 0 });
    expect(cors!.status).toEqual({ code: 0 });
  });

  it('GETs reflect every write', async () => {
    const client = await getJson(stack, '/auth/v3/ops/clients/external_api_client', basic(stack));
    expect(client.status).toBe(200);
    expect(client.body.data).toMatchObject({ client_id: 'external_api_client', authorities: ['ROLE_INTERNAL_CLIENT'] });
    expect(JSON.stringify(client.body)).not.toContain(result.clientSecret);

    const environment = await getJson(stack, `/environment/v3/environments/${result.environmentId}`, bearer);
    expect(environment.status).toBe(200);
    expect(environment.body.data).toMatchObject({
      id: result.environmentId,
      username: 'default',
      appName: 'Cloud',
      tenant: 'Environment',
      configServers: [{ primaryAddress: '172.24.132.84', primaryPort: 2020, readOnly: false, locations: '/USW1' }],
    });
    expect(environment.body.data).not.toHaveProperty('password');

    const contactCenter = await getJson(stack, `/environment/v3/contact-centers/${result.contactCenterId}`, bearer);
    expect(contactCenter.body.data).toMatchObject({
      id: result.contactCenterId,
      environmentId: result.environmentId,
      domains: [result.domain],
      auth: 'configServer',
    });

    const dataCenters = await getJson(stack, '/environment/v3/data-centers', basic(stack));
    expect(dataCenters.body.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ location: '/usw1', entryPoint: stack.baseUrl, readOnly: false }),
      ]),
    );

    const settings = await getJson(stack, `/environment/v3/contact-centers/${result.contactCenterId}/settings`, bearer);
    expect(settings.body.data?.settings).toEqual([
      expect.objectContaining({
        name: 'cors-origins',
        location: '/',
        shared: true,
        value: result.corsOrigins.join(','),
      }),
    ]);
    const cors = await getJson(stack, '/environment/v3/cors', bearer);
    expect(cors.body.data?.origins).toEqual(expect.arrayContaining(result.corsOrigins));
  });

  it('ends with an agent of the new contact center signing in through its Configuration Server', async () => {
    // The environment the seed created (Configuration Server 172.24.132.84:2020, user "default",
    // appName "Cloud") is reached through the gateway; the simulator serves the sample persons.
    const token = await fetch(`${stack.baseUrl}/auth/v3/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`external_api_client:${result.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'password',
        username: `${result.domain}\\agent1`,
        password: 'agent1-Password!',
      }),
    });
    const body = (await token.json()) as { access_token?: string };
    expect(token.status).toBe(200);
    const userinfo = await getJson(stack, '/auth/v3/userinfo', `Bearer ${body.access_token}`);
    expect(userinfo.body).toMatchObject({
      cmeUserName: 'agent1',
      dbid: 1001,
      contactCenterId: result.contactCenterId,
      environmentId: result.environmentId,
    });
  });

  it('answers preflights from an allowed origin and refuses one from another origin', async () => {
    const allowed = await preflight(stack, '/environment/v3/environments', result.corsOrigins[0]!);
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(result.corsOrigins[0]);
    expect(allowed.headers.get('access-control-allow-credentials')).toBe('true');
    const refused = await preflight(stack, '/environment/v3/environments', 'https://not-listed.example.org');
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a read-only region refuses a write and names the writable entry point', async () => {
    const euw1 = await sendJson(stack, 'POST', '/environment/v3/data-centers', basic(stack), {
      data: { location: '/euw1', entryPoint: 'https://gauth.euw1.example.com', readOnly: false },
    });
    expect(euw1.body.status).toEqual({ code: 0 });
    const list = await getJson(stack, '/environment/v3/data-centers', basic(stack));
    const usw1 = (list.body.data as unknown as { id: string; location: string }[]).find(
      (dc) => dc.location === '/usw1',
    )!;
    await sendJson(stack, 'PUT', `/environment/v3/data-centers/${usw1.id}`, basic(stack), { data: { readOnly: true } });
    try {
      const refused = await sendJson(stack, 'POST', '/environment/v3/environments', bearer, {
        data: {
          username: 'u',
          password: 'p',
          appName: 'Cloud',
          configServers: [{ primaryAddress: 'cfg', primaryPort: 8888 }],
        },
      });
      expect(refused.status).toBe(403);
      expect(refused.body.status).toMatchObject({
        code: 10,
        message: expect.stringContaining('https://gauth.euw1.example.com'),
      });
    } finally {
      await sendJson(stack, 'PUT', `/environment/v3/data-centers/${usw1.id}`, basic(stack), {
        data: { readOnly: false },
      });
    }
  });
});
