import { randomUUID } from 'node:crypto';
import { authApiConfigSchema, authApiService } from '@cxauth/auth-api';
import { createTestApp, createTestStorage } from '@cxauth/testing';
import { InProcessStack, startInProcessStack } from '../provisioning/in-process-stack';

/**
 * The request shapes Genesys' own clients and scripts send (docs reference §1–2 and seed 001), one test
 * per shape, through one base URL as behind the ingress: generated API clients (swagger-codegen on
 * superagent or OkHttp), the installers' curl commands, and their usual variations.
 */
const OPS = `Basic ${Buffer.from('ops:ops').toString('base64')}`;

interface Answer {
  status: number;
  body: Record<string, unknown> & { status?: { code?: number; message?: string } };
  headers: Headers;
}

describe('requests as Genesys clients and scripts send them', () => {
  let stack: InProcessStack;
  let clientSecret: string;

  async function call(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
    const response = await fetch(`${stack.baseUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: Answer['body'] = {};
    try {
      parsed = text ? (JSON.parse(text) as Answer['body']) : {};
    } catch {
      parsed = { text };
    }
    return { status: response.status, body: parsed, headers: response.headers } satisfies Answer;
  }

  const json = (value: unknown) => JSON.stringify(value);

  /** A fresh password-grant token of the ops user (the seed's second step). */
  async function opsToken(): Promise<string> {
    const answer = await call(
      'POST',
      '/auth/v3/oauth/token',
      {
        authorization: `Basic ${Buffer.from(`compat_client:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      'username=ops&client_id=compat_client&grant_type=password&password=ops',
    );
    expect(answer.status).toBe(200);
    return answer.body.access_token as string;
  }

  async function createEnvironment(token: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const id = randomUUID();
    const answer = await call(
      'POST',
      '/environment/v3/environments',
      { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      json({
        data: {
          id,
          username: 'default',
          password: 'password',
          connectionProtocol: 'addp',
          remoteTimeout: 7,
          appName: 'Cloud',
          traceMode: 'CFGTMBoth',
          tlsEnabled: false,
          configServers: [{ primaryPort: 2020, readOnly: false, primaryAddress: '172.24.132.84', locations: '/USW1' }],
          localTimeout: 5,
          tenant: 'Environment',
          ...overrides,
        },
      }),
    );
    expect(answer).toMatchObject({ status: 200, body: { status: { code: 0 } } });
    return id;
  }

  beforeAll(async () => {
    stack = await startInProcessStack();
    const created = await call(
      'POST',
      '/auth/v3/ops/clients',
      { 'content-type': 'application/json', authorization: OPS },
      json({
        data: {
          client_id: 'compat_client',
          client_secret: '',
          internalClient: true,
          authorities: ['ROLE_INTERNAL_CLIENT'],
          authorizedGrantTypes: ['client_credentials', 'password'],
        },
      }),
    );
    clientSecret = (created.body.data as { client_secret: string }).client_secret;
  }, 60_000);

  afterAll(async () => stack?.stop());

  describe('Content-Type: application/json with an empty body (generated clients, on operations without a body)', () => {
    it('auth-api: POST /sign-out?global=false signs out, and the token stops working', async () => {
      const token = await opsToken();
      const signOut = await call('POST', '/auth/v3/sign-out?global=false', {
        'content-type': 'application/json',
        accept: 'application/json',
        authorization: `Bearer ${token}`,
      });
      expect(signOut).toMatchObject({ status: 200, body: { status: { code: 0 } } });
      expect((await call('GET', '/auth/v3/userinfo', { authorization: `Bearer ${token}` })).status).toBe(401);
    });

    it('auth-api: DELETE /ops/clients/{id} (OkHttp sends Content-Length: 0 and a charset)', async () => {
      await call(
        'POST',
        '/auth/v3/ops/clients',
        { 'content-type': 'application/json', authorization: OPS },
        json({ data: { client_id: 'to-delete', authorizedGrantTypes: ['client_credentials'] } }),
      );
      const deleted = await call(
        'DELETE',
        '/auth/v3/ops/clients/to-delete',
        { 'content-type': 'application/json; charset=utf-8', 'content-length': '0', authorization: OPS },
        '',
      );
      expect(deleted).toMatchObject({ status: 200, body: { status: { code: 0 } } });
    });

    it('environment-api: DELETE /environments/{id}', async () => {
      const id = await createEnvironment(await opsToken());
      const deleted = await call('DELETE', `/environment/v3/environments/${id}`, {
        'content-type': 'application/json',
        authorization: OPS,
      });
      expect(deleted).toMatchObject({ status: 200, body: { status: { code: 0 } } });
    });

    it('auth-ui: answered by the service (404 for a route it lacks), not refused by the body parser', async () => {
      const answer = await call('POST', '/ui/auth/version.json', { 'content-type': 'application/json' }, '');
      expect(answer).toMatchObject({ status: 404, body: { status: { code: 5 } } });
    });

    it('an operation that needs a body says so: 400, code 1', async () => {
      const answer = await call('POST', '/auth/v3/ops/clients', {
        'content-type': 'application/json',
        authorization: OPS,
      });
      expect(answer).toMatchObject({
        status: 400,
        body: { status: { code: 1, message: 'A request body is required' } },
      });
    });
  });

  it('no body and no Content-Type (curl -X POST): POST /sign-out signs out', async () => {
    const token = await opsToken();
    const answer = await call('POST', '/auth/v3/sign-out', { authorization: `Bearer ${token}` });
    expect(answer).toMatchObject({ status: 200, body: { status: { code: 0 } } });
  });

  it.each([
    ['/environment/v3/environments', 'environment-api'],
    ['/auth/v3/ops/clients', 'auth-api'],
  ])('JSON sent without -H Content-Type (curl sends a form) to %s (%s): 415, code 8', async (path) => {
    const answer = await call(
      'POST',
      path,
      { authorization: OPS, 'content-type': 'application/x-www-form-urlencoded' },
      json({ data: { client_id: 'x' } }),
    );
    expect(answer).toMatchObject({ status: 415, body: { status: { code: 8 } } });
    expect(answer.body.status!.message).toContain('application/json');
  });

  it.each(['/environment/v3/environments', '/auth/v3/ops/clients'])(
    'a text/plain body to %s: 415, code 8',
    async (path) => {
      const answer = await call(
        'POST',
        path,
        { authorization: OPS, 'content-type': 'text/plain;charset=UTF-8' },
        json({ data: {} }),
      );
      expect(answer).toMatchObject({ status: 415, body: { status: { code: 8 } } });
    },
  );

  it('trailing slashes: the same resource as without', async () => {
    for (const path of ['/environment/v3/environments', '/auth/v3/ops/clients']) {
      const plain = await call('GET', path, { authorization: OPS });
      const slashed = await call('GET', `${path}/`, { authorization: OPS });
      expect(slashed.status).toBe(200);
      expect(slashed.body).toEqual(plain.body);
    }
    const token = await call(
      'POST',
      '/auth/v3/oauth/token/',
      {
        authorization: `Basic ${Buffer.from(`compat_client:${clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      'grant_type=client_credentials',
    );
    expect(token).toMatchObject({ status: 200, body: { token_type: 'bearer' } });
  });

  it.each(['Bearer', 'bearer', 'BEARER'])('the Authorization scheme written "%s"', async (scheme) => {
    const token = await opsToken();
    const userInfo = await call('GET', '/auth/v3/userinfo', { authorization: `${scheme} ${token}` });
    expect(userInfo).toMatchObject({ status: 200, body: { username: 'ops' } });
    const environments = await call('GET', '/environment/v3/environments', { authorization: `${scheme} ${token}` });
    expect(environments).toMatchObject({ status: 200, body: { status: { code: 0 } } });
  });

  it('field order does not matter: operationId first, client fields reversed, form parameters in any order', async () => {
    const reversed = await call(
      'POST',
      '/auth/v3/ops/clients',
      { 'content-type': 'application/json', authorization: OPS },
      `{"operationId":"op-1","data":{"accessTokenExpirationTimeout":43200,"authorizedGrantTypes":["client_credentials"],"client_secret":"","client_id":"reversed","name":"reversed"}}`,
    );
    expect(reversed).toMatchObject({ status: 200, body: { data: { client_id: 'reversed' } } });
    const token = await call(
      'POST',
      '/auth/v3/oauth/token',
      { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', accept: 'application/json' },
      `password=ops&grant_type=password&client_secret=${encodeURIComponent(clientSecret)}&username=ops&client_id=compat_client`,
    );
    expect(token).toMatchObject({ status: 200, body: { token_type: 'bearer' } });
  });

  it('numbers and booleans sent as strings are read as Jackson reads them', async () => {
    const token = await opsToken();
    const id = await createEnvironment(token, {
      remoteTimeout: '7',
      localTimeout: '5',
      tlsEnabled: 'false',
      configServers: [{ primaryPort: '2020', readOnly: 'false', primaryAddress: '172.24.132.84', locations: '/USW1' }],
    });
    const environment = await call('GET', `/environment/v3/environments/${id}`, { authorization: OPS });
    expect(environment.body.data).toMatchObject({
      remoteTimeout: 7,
      localTimeout: 5,
      tlsEnabled: false,
      configServers: [{ primaryPort: 2020, readOnly: false }],
    });

    const client = await call(
      'POST',
      '/auth/v3/ops/clients',
      { 'content-type': 'application/json', authorization: OPS },
      json({
        data: {
          client_id: 'strings',
          internalClient: 'true',
          accessTokenExpirationTimeout: '43200',
          refreshTokenExpirationTimeout: '2592000',
          authorizedGrantTypes: ['client_credentials'],
        },
      }),
    );
    expect(client.body.data).toMatchObject({
      internalClient: true,
      accessTokenExpirationTimeout: 43200,
      refreshTokenExpirationTimeout: 2592000,
    });

    const wrong = await call(
      'POST',
      '/auth/v3/ops/clients',
      { 'content-type': 'application/json', authorization: OPS },
      json({ data: { client_id: 'wrong', accessTokenExpirationTimeout: '12h', authorizedGrantTypes: ['password'] } }),
    );
    expect(wrong).toMatchObject({ status: 400, body: { status: { code: 2 } } });
    expect(wrong.body.status!.message).toContain('accessTokenExpirationTimeout: must be a number');
  });

  it('discovery lists what the authorize endpoint accepts, implicit included', async () => {
    const discovery = await call('GET', '/auth/v3/.well-known/openid-configuration');
    expect(discovery.body).toMatchObject({
      response_types_supported: ['code', 'token'],
      response_modes_supported: ['query', 'fragment'],
      grant_types_supported: expect.arrayContaining(['authorization_code', 'implicit']),
    });
    await call(
      'POST',
      '/auth/v3/ops/clients',
      { 'content-type': 'application/json', authorization: OPS },
      json({
        data: {
          client_id: 'implicit-app',
          clientType: 'PUBLIC',
          authorizedGrantTypes: ['implicit'],
          redirectURIs: ['https://app.example.com/cb'],
        },
      }),
    );
    for (const responseType of discovery.body.response_types_supported as string[]) {
      const query = new URLSearchParams({
        response_type: responseType,
        client_id: 'implicit-app',
        redirect_uri: 'https://app.example.com/cb',
      });
      const authorize = await fetch(`${stack.baseUrl}/auth/v3/oauth/authorize?${query.toString()}`, {
        redirect: 'manual',
      });
      const location = authorize.headers.get('location')!;
      // Accepted (on to the sign-in page), or refused only because this client lacks that grant.
      if (responseType === 'token') expect(location).toMatch(/^\/ui\/auth\/sign-in\.html\?request=/);
      else expect(location).toContain('error=unauthorized_client');
    }
  });

  it.each(['/auth/v3/no-such-page', '/environment/v3/no-such-page', '/ui/auth/no-such-page'])(
    'an unknown path %s: an HTML page for a browser, the envelope for an API client',
    async (path) => {
      const browser = await call('GET', path, {
        accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8',
      });
      expect(browser.status).toBe(404);
      expect(browser.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(String(browser.body.text)).toMatch(/^<!doctype html>/);
      expect(browser.headers.get('content-security-policy')).not.toContain('unsafe-inline');
      for (const accept of ['application/json', '*/*']) {
        const api = await call('GET', path, { accept });
        expect(api).toMatchObject({ status: 404, body: { status: { code: 5, message: `Cannot GET ${path}` } } });
      }
      expect((await call('GET', path)).body).toEqual({ status: { code: 5, message: `Cannot GET ${path}` } });
    },
  );

  it('the installer scripts\' "client_secret": "secret" is accepted and works, and the weak secret is logged without its value', async () => {
    const created = await call(
      'POST',
      '/auth/v3/ops/clients',
      { 'content-type': 'application/json', authorization: OPS },
      json({ data: { client_id: 'installer', client_secret: 'secret', authorizedGrantTypes: ['client_credentials'] } }),
    );
    expect(created).toMatchObject({ status: 200, body: { data: { client_id: 'installer', client_secret: 'secret' } } });
    const token = await call(
      'POST',
      '/auth/v3/oauth/token',
      {
        authorization: `Basic ${Buffer.from('installer:secret').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      'grant_type=client_credentials',
    );
    expect(token.status).toBe(200);
    const warnings = stack.authApi.logs
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.msg === 'weak client secret accepted for client');
    expect(warnings).toEqual([expect.objectContaining({ level: 'warn', clientId: 'installer', length: 6 })]);
    expect(JSON.stringify(warnings)).not.toMatch(/"secret"/);
  });
});

describe('CLIENT_SECRET_MIN_LENGTH (an operator setting, off by default)', () => {
  it('refuses a shorter secret with 400, code 2, and keeps generated and long ones', async () => {
    const { database, env } = await createTestStorage();
    const app = await createTestApp(authApiConfigSchema, authApiService, { ...env, CLIENT_SECRET_MIN_LENGTH: '12' });
    try {
      const create = (clientId: string, secret: string) =>
        app
          .http()
          .post('/auth/v3/ops/clients')
          .auth('ops', 'ops')
          .send({ data: { client_id: clientId, client_secret: secret, authorizedGrantTypes: ['client_credentials'] } });
      const short = await create('short', 'secret');
      expect(short.status).toBe(400);
      expect(short.body).toEqual({
        status: {
          code: 2,
          message: 'client_secret: must be empty (one is generated) or at least 12 characters',
        },
      });
      expect((await create('generated', '')).status).toBe(200);
      expect((await create('long-enough', 'twelve-chars')).status).toBe(200);
    } finally {
      await app.close();
      await database.drop();
    }
  });
});
