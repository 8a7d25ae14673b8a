import {
  AuthApiTestContext,
  createClient,
  OPS,
  SEED_CREATE_CLIENT_BODY,
  startAuthApi,
} from '../../testing/auth-api-test-app';
import { sha256Hex } from '@cxauth/domain';

/** 256 random bits, base64url (OPAQUE_TOKEN_FORMAT=random, the default). */
const OPAQUE = /^[A-Za-z0-9_-]{43}$/;

describe('POST /auth/v3/oauth/token', () => {
  let ctx: AuthApiTestContext;
  let seedSecret: string;

  beforeAll(async () => {
    ctx = await startAuthApi();
    const created = await ctx.app
      .http()
      .post('/auth/v3/ops/clients')
      .set('Content-Type', 'application/json')
      .auth(OPS.username, OPS.password)
      .send(SEED_CREATE_CLIENT_BODY);
    seedSecret = created.body.data.client_secret;
    await createClient(ctx.app, {
      client_id: 'svc',
      client_secret: 'svc-secret-1',
      authorities: ['ROLE_SERVICE'],
      authorizedGrantTypes: ['client_credentials'],
      accessTokenExpirationTimeout: 600,
    });
    await createClient(ctx.app, {
      client_id: 'spa',
      clientType: 'PUBLIC',
      authorizedGrantTypes: ['authorization_code', 'refresh_token'],
      redirectURIs: ['https://spa.example.com/cb'],
    });
    await createClient(ctx.app, {
      client_id: 'narrow',
      client_secret: 'narrow-secret',
      scope: ['read', 'write'],
      authorizedGrantTypes: ['client_credentials'],
    });
  });
  afterAll(async () => {
    await ctx.close();
  });

  const token = () => ctx.app.http().post('/auth/v3/oauth/token');

  describe('seed 001 "create an authentication token" (verbatim form and Basic auth)', () => {
    it('answers a bearer token with refresh_token, expires_in and scope "*"', async () => {
      const response = await token()
        .auth('external_api_client', seedSecret)
        .type('form')
        .send('username=ops&client_id=external_api_client&grant_type=password&password=ops');
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['pragma']).toBe('no-cache');
      expect(response.body).toEqual({
        access_token: expect.stringMatching(OPAQUE),
        token_type: 'bearer',
        refresh_token: expect.stringMatching(OPAQUE),
        expires_in: 43200,
        scope: '*',
      });
      expect(Object.keys(response.body)).toEqual([
        'access_token',
        'token_type',
        'refresh_token',
        'expires_in',
        'scope',
      ]);
      const stored = await ctx.redis.get(`${ctx.prefix}at:${sha256Hex(response.body.access_token)}`);
      expect(JSON.parse(stored!)).toMatchObject({ clientId: 'external_api_client', subject: 'ops', scope: '*' });
      expect(await ctx.redis.ttl(`${ctx.prefix}at:${sha256Hex(response.body.access_token)}`)).toBeGreaterThan(43000);
      expect(await ctx.redis.keys(`${ctx.prefix}*${response.body.access_token}*`)).toEqual([]);
      const rows = await ctx.database.query<{ token_hash: string; subject: string }>(
        'SELECT token_hash, subject FROM refresh_token WHERE client_id = $1',
        ['external_api_client'],
      );
      expect(rows).toContainEqual({ token_hash: sha256Hex(response.body.refresh_token), subject: 'ops' });
    });

    it('refuses a wrong user password with invalid_grant (400)', async () => {
      const response = await token()
        .auth('external_api_client', seedSecret)
        .type('form')
        .send({ username: 'ops', client_id: 'external_api_client', grant_type: 'password', password: 'nope' });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'invalid_grant', error_description: 'Bad credentials' });
      expect(response.headers['cache-control']).toBe('no-store');
    });
  });

  describe('client_credentials', () => {
    it('issues an opaque token with the client authorities and no refresh token', async () => {
      const response = await token()
        .auth('svc', 'svc-secret-1')
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        access_token: expect.stringMatching(OPAQUE),
        token_type: 'bearer',
        expires_in: 600,
        scope: '*',
      });
      const record = JSON.parse((await ctx.redis.get(`${ctx.prefix}at:${sha256Hex(response.body.access_token)}`))!);
      expect(record).toMatchObject({ subject: 'svc', authorities: ['ROLE_SERVICE'] });
    });

    it('accepts client_secret_post and JSON bodies', async () => {
      const form = await token()
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: 'svc', client_secret: 'svc-secret-1' });
      expect(form.status).toBe(200);
      const json = await token().send({
        grant_type: 'client_credentials',
        client_id: 'svc',
        client_secret: 'svc-secret-1',
      });
      expect(json.status).toBe(200);
    });

    it('checks requested scopes against the client', async () => {
      const ok = await token()
        .auth('narrow', 'narrow-secret')
        .type('form')
        .send({ grant_type: 'client_credentials', scope: 'read' });
      expect(ok.status).toBe(200);
      expect(ok.body.scope).toBe('read');
      const none = await token()
        .auth('narrow', 'narrow-secret')
        .type('form')
        .send({ grant_type: 'client_credentials' });
      expect(none.body.scope).toBe('read write');
      const bad = await token()
        .auth('narrow', 'narrow-secret')
        .type('form')
        .send({ grant_type: 'client_credentials', scope: 'admin' });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toBe('invalid_scope');
    });

    it('refuses a grant the client is not registered for (unauthorized_client)', async () => {
      const response = await token()
        .auth('svc', 'svc-secret-1')
        .type('form')
        .send({ grant_type: 'password', username: 'ops', password: 'ops' });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('unauthorized_client');
    });
  });

  describe('client authentication', () => {
    it('answers 401 invalid_client with WWW-Authenticate for a wrong secret', async () => {
      const response = await token().auth('svc', 'wrong').type('form').send({ grant_type: 'client_credentials' });
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: 'invalid_client', error_description: 'Bad client credentials' });
      expect(response.headers['www-authenticate']).toMatch(/^Basic realm="cxauth"/);
      expect(response.headers['cache-control']).toBe('no-store');
    });

    it('answers 401 for an unknown client and for no credentials at all', async () => {
      const unknown = await token().auth('ghost', 'whatever').type('form').send({ grant_type: 'client_credentials' });
      expect(unknown.status).toBe(401);
      const none = await token().type('form').send({ grant_type: 'client_credentials' });
      expect(none.status).toBe(401);
      expect(none.body.error).toBe('invalid_client');
      expect(none.headers['www-authenticate']).toBeDefined();
    });

    it('answers 401 for a wrong client_secret_post secret', async () => {
      const response = await token()
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: 'svc', client_secret: 'bad' });
      expect(response.status).toBe(401);
    });

    it('refuses a client_id field that differs from the Basic client', async () => {
      const response = await token()
        .auth('svc', 'svc-secret-1')
        .type('form')
        .send({ grant_type: 'client_credentials', client_id: 'narrow' });
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('invalid_client');
    });

    it('lets a PUBLIC client identify itself with client_id alone, never a confidential one', async () => {
      // Identified (the grant itself fails, not the client): 400 invalid_grant rather than 401.
      const pub = await token()
        .type('form')
        .send({ grant_type: 'refresh_token', client_id: 'spa', refresh_token: 'not-a-token' });
      expect(pub.status).toBe(400);
      expect(pub.body.error).toBe('invalid_grant');
      // The password grant needs a proven secret: never for a PUBLIC client.
      const password = await token()
        .type('form')
        .send({ grant_type: 'password', client_id: 'spa', username: 'ops', password: 'ops' });
      expect(password.status).toBe(400);
      expect(password.body.error).toBe('unauthorized_client');
      const confidential = await token().type('form').send({ grant_type: 'client_credentials', client_id: 'svc' });
      expect(confidential.status).toBe(401);
    });

    it('stops accepting a secret as soon as the client is deleted (cache invalidated)', async () => {
      await createClient(ctx.app, {
        client_id: 'temp',
        client_secret: 'temp-secret',
        authorizedGrantTypes: ['client_credentials'],
      });
      expect(
        (await token().auth('temp', 'temp-secret').type('form').send({ grant_type: 'client_credentials' })).status,
      ).toBe(200);
      await ctx.app.http().delete('/auth/v3/ops/clients/temp').auth(OPS.username, OPS.password).expect(200);
      expect(
        (await token().auth('temp', 'temp-secret').type('form').send({ grant_type: 'client_credentials' })).status,
      ).toBe(401);
    });

    it('stops accepting the old secret after a secret rotation', async () => {
      await createClient(ctx.app, {
        client_id: 'rot',
        client_secret: 'rot-secret-1',
        authorizedGrantTypes: ['client_credentials'],
      });
      expect(
        (await token().auth('rot', 'rot-secret-1').type('form').send({ grant_type: 'client_credentials' })).status,
      ).toBe(200);
      await ctx.app
        .http()
        .put('/auth/v3/ops/clients/rot')
        .auth(OPS.username, OPS.password)
        .send({ data: { client_secret: 'rot-secret-2' } })
        .expect(200);
      expect(
        (await token().auth('rot', 'rot-secret-1').type('form').send({ grant_type: 'client_credentials' })).status,
      ).toBe(401);
      expect(
        (await token().auth('rot', 'rot-secret-2').type('form').send({ grant_type: 'client_credentials' })).status,
      ).toBe(200);
    });
  });

  describe('malformed requests', () => {
    it('missing grant_type → invalid_request', async () => {
      const response = await token().auth('svc', 'svc-secret-1').type('form').send({});
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'invalid_request', error_description: 'grant_type is required' });
    });

    it('unknown grant_type → unsupported_grant_type', async () => {
      const response = await token().auth('svc', 'svc-secret-1').type('form').send({ grant_type: 'magic' });
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('unsupported_grant_type');
    });

    it('repeated parameter → invalid_request', async () => {
      const response = await token()
        .auth('svc', 'svc-secret-1')
        .type('form')
        .send('grant_type=client_credentials&scope=a&scope=b');
      expect(response.status).toBe(400);
      expect(response.body.error).toBe('invalid_request');
    });

    it('password grant without password → invalid_request', async () => {
      const response = await token()
        .auth('external_api_client', seedSecret)
        .type('form')
        .send({ grant_type: 'password', username: 'ops' });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'invalid_request', error_description: 'password is required' });
    });

    it('invalid JSON and 1 MB bodies get RFC-shaped 4xx answers', async () => {
      const json = await token()
        .auth('svc', 'svc-secret-1')
        .set('Content-Type', 'application/json')
        .send('{"grant_type":');
      expect(json.status).toBe(400);
      expect(json.body.error).toBe('invalid_request');
      const big = await token()
        .auth('svc', 'svc-secret-1')
        .type('form')
        .send(`grant_type=client_credentials&x=${'a'.repeat(1024 * 1024)}`);
      expect(big.status).toBe(413);
      expect(big.body.error).toBe('invalid_request');
      expect(big.headers['cache-control']).toBe('no-store');
    });

    it('a text/plain body → 415 invalid_request (no parser takes it)', async () => {
      const response = await token()
        .auth('svc', 'svc-secret-1')
        .set('Content-Type', 'text/plain')
        .send('grant_type=client_credentials');
      expect(response.status).toBe(415);
      expect(response.body).toEqual({
        error: 'invalid_request',
        error_description: 'Unsupported Media Type: text/plain',
      });
    });
  });
});
