import { AuthApiTestContext, OPS, SEED_CREATE_CLIENT_BODY, startAuthApi } from '../../testing/auth-api-test-app';

describe('ops client API /auth/v3/ops/clients', () => {
  let ctx: AuthApiTestContext;

  beforeAll(async () => {
    ctx = await startAuthApi();
  });
  afterAll(async () => {
    await ctx.close();
  });

  const http = () => ctx.app.http();

  it('creates the seed 001 client verbatim: generated secret once, 6 grant types, createdAt epoch ms', async () => {
    const before = Date.now();
    const response = await http()
      .post('/auth/v3/ops/clients')
      .set('Content-Type', 'application/json')
      .auth('ops', 'ops')
      .send(SEED_CREATE_CLIENT_BODY);
    expect(response.status).toBe(200);
    expect(response.body.status).toEqual({ code: 0 });
    const data = response.body.data;
    expect(data).toMatchObject({
      clientType: 'CONFIDENTIAL',
      scope: ['*'],
      internalClient: true,
      authorizedGrantTypes: [
        'refresh_token',
        'client_credentials',
        'password',
        'authorization_code',
        'urn:ietf:params:oauth:grant-type:token-exchange',
        'urn:ietf:params:oauth:grant-type:jwt-bearer',
      ],
      authorities: ['ROLE_INTERNAL_CLIENT'],
      redirectURIs: [
        'https://gauth.example.com',
        'https://wwe.example.com',
        'https://gws.example.com',
        'https://prov.example.com',
      ],
      accessTokenExpirationTimeout: 43200,
      refreshTokenExpirationTimeout: 43200,
      name: 'external_api_client',
      client_id: 'external_api_client',
    });
    expect(Object.keys(data).slice(0, 11)).toEqual([
      'clientType',
      'scope',
      'internalClient',
      'authorizedGrantTypes',
      'authorities',
      'redirectURIs',
      'accessTokenExpirationTimeout',
      'refreshTokenExpirationTimeout',
      'createdAt',
      'name',
      'client_id',
    ]);
    expect(typeof data.createdAt).toBe('number');
    expect(data.createdAt).toBeGreaterThanOrEqual(before - 5_000);
    expect(data.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(typeof data.encrypted_client_secret).toBe('string');
    expect(data.encrypted_client_secret).not.toContain(data.client_secret);

    const [row] = await ctx.database.query<{ secret_hash: string; authorized_grant_types: string[] }>(
      'SELECT secret_hash, authorized_grant_types FROM oauth_client WHERE client_id = $1',
      ['external_api_client'],
    );
    expect(row!.secret_hash).toMatch(/^\$argon2id\$/);
    expect(row!.secret_hash).not.toContain(data.client_secret);
  });

  it('keeps a given secret and never returns a secret on GET', async () => {
    const created = await http()
      .post('/auth/v3/ops/clients')
      .auth(OPS.username, OPS.password)
      .send({
        data: { client_id: 'svc-a', client_secret: 'secret-svc-a', authorizedGrantTypes: ['client_credentials'] },
      });
    expect(created.status).toBe(200);
    expect(created.body.data.client_secret).toBe('secret-svc-a');
    expect(created.body.data.authorizedGrantTypes).toEqual(['client_credentials']);
    expect(created.body.data.tokenFormat).toBe('opaque');

    const one = await http().get('/auth/v3/ops/clients/svc-a').auth(OPS.username, OPS.password);
    expect(one.status).toBe(200);
    expect(one.body.data.client_id).toBe('svc-a');
    expect(one.body.data).not.toHaveProperty('client_secret');
    expect(one.body.data).not.toHaveProperty('encrypted_client_secret');
    expect(JSON.stringify(one.body)).not.toContain('argon2');

    const list = await http().get('/auth/v3/ops/clients').auth(OPS.username, OPS.password);
    expect(list.status).toBe(200);
    expect(list.body.status.code).toBe(0);
    expect(list.body.data.map((client: { client_id: string }) => client.client_id)).toEqual(
      expect.arrayContaining(['external_api_client', 'svc-a']),
    );
    expect(JSON.stringify(list.body)).not.toMatch(/client_secret|argon2/);
  });

  it('answers 409 in the envelope for a duplicate client_id, leaving the first intact', async () => {
    const response = await http()
      .post('/auth/v3/ops/clients')
      .auth(OPS.username, OPS.password)
      .send({ data: { client_id: 'svc-a', client_secret: 'another-secret', authorizedGrantTypes: ['password'] } });
    expect(response.status).toBe(409);
    expect(response.body).toEqual({ status: { code: 6, message: 'Client svc-a already exists' } });
    const rows = await ctx.database.query<{ authorized_grant_types: string[] }>(
      'SELECT authorized_grant_types FROM oauth_client WHERE client_id = $1',
      ['svc-a'],
    );
    expect(rows).toEqual([{ authorized_grant_types: ['client_credentials'] }]);
  });

  it('updates partially (only redirectURIs, as the installer scripts do)', async () => {
    const response = await http()
      .put('/auth/v3/ops/clients/external_api_client')
      .auth(OPS.username, OPS.password)
      .send({ data: { redirectURIs: ['https://new.example.com/cb'] } });
    expect(response.status).toBe(200);
    expect(response.body.data.redirectURIs).toEqual(['https://new.example.com/cb']);
    expect(response.body.data.authorities).toEqual(['ROLE_INTERNAL_CLIENT']);
    expect(response.body.data).not.toHaveProperty('client_secret');
    const [row] = await ctx.database.query<{ redirect_uris: string[] }>(
      'SELECT redirect_uris FROM oauth_client WHERE client_id = $1',
      ['external_api_client'],
    );
    expect(row!.redirect_uris).toEqual(['https://new.example.com/cb']);
  });

  it('rotates the secret on PUT with client_secret and returns the new one once', async () => {
    const response = await http()
      .put('/auth/v3/ops/clients/svc-a')
      .auth(OPS.username, OPS.password)
      .send({ data: { client_secret: '' } });
    expect(response.status).toBe(200);
    expect(response.body.data.client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses to rename a client on PUT', async () => {
    const response = await http()
      .put('/auth/v3/ops/clients/svc-a')
      .auth(OPS.username, OPS.password)
      .send({ data: { client_id: 'other' } });
    expect(response.status).toBe(400);
    expect(response.body.status.code).toBe(2);
  });

  it('deletes, then answers 404 for the deleted client', async () => {
    const deleted = await http().delete('/auth/v3/ops/clients/svc-a').auth(OPS.username, OPS.password);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ status: { code: 0 } });
    expect(await ctx.database.query('SELECT 1 FROM oauth_client WHERE client_id = $1', ['svc-a'])).toEqual([]);
    const again = await http().get('/auth/v3/ops/clients/svc-a').auth(OPS.username, OPS.password);
    expect(again.status).toBe(404);
    expect(again.body).toEqual({ status: { code: 5, message: 'Client svc-a not found' } });
    const deleteAgain = await http().delete('/auth/v3/ops/clients/svc-a').auth(OPS.username, OPS.password);
    expect(deleteAgain.status).toBe(404);
    const putMissing = await http()
      .put('/auth/v3/ops/clients/svc-a')
      .auth(OPS.username, OPS.password)
      .send({ data: { name: 'x' } });
    expect(putMissing.status).toBe(404);
  });

  describe('authentication', () => {
    it('answers 401 Bad credentials for a wrong ops password', async () => {
      const response = await http().get('/auth/v3/ops/clients').auth('ops', 'wrong');
      expect(response.status).toBe(401);
      expect(response.body).toEqual({ error: 'Unauthorized', error_description: 'Bad credentials' });
    });

    it('answers 401 without credentials, also for writes (nothing written)', async () => {
      const response = await http()
        .post('/auth/v3/ops/clients')
        .send({ data: { client_id: 'sneaky', authorizedGrantTypes: ['client_credentials'] } });
      expect(response.status).toBe(401);
      expect(response.body.error).toBe('Unauthorized');
      expect(await ctx.database.query('SELECT 1 FROM oauth_client WHERE client_id = $1', ['sneaky'])).toEqual([]);
    });
  });

  describe('bad bodies', () => {
    beforeAll(async () => {
      await http()
        .post('/auth/v3/ops/clients')
        .auth(OPS.username, OPS.password)
        .send({
          data: {
            client_id: 'safe-to-update',
            authorizedGrantTypes: ['authorization_code'],
            redirectURIs: ['https://app.example.com/cb'],
          },
        })
        .expect(200);
    });

    const post = (body: unknown) =>
      http()
        .post('/auth/v3/ops/clients')
        .auth(OPS.username, OPS.password)
        .set('Content-Type', 'application/json')
        .send(body as object);

    it('refuses wrong types with 400 VALIDATION_FAILED naming the field', async () => {
      const response = await post({ data: { client_id: 'typed', authorizedGrantTypes: 'password' } });
      expect(response.status).toBe(400);
      expect(response.body.status.code).toBe(2);
      expect(response.body.status.message).toContain('data.authorizedGrantTypes');
    });

    it('refuses unknown fields', async () => {
      const response = await post({ data: { client_id: 'unk', authorizedGrantTypes: ['password'], colour: 'red' } });
      expect(response.status).toBe(400);
      expect(response.body.status.message).toContain('colour');
    });

    it('refuses a missing body, missing client_id and an unknown grant type', async () => {
      expect((await post({})).status).toBe(400);
      expect((await post({ data: { authorizedGrantTypes: ['password'] } })).status).toBe(400);
      const grant = await post({ data: { client_id: 'g', authorizedGrantTypes: ['magic'] } });
      expect(grant.status).toBe(400);
    });

    it('refuses a PUBLIC client with a secret, and authorization_code without redirect URIs', async () => {
      const pub = await post({
        data: {
          client_id: 'pub',
          clientType: 'PUBLIC',
          client_secret: 'abcdefghij',
          authorizedGrantTypes: ['password'],
        },
      });
      expect(pub.status).toBe(400);
      const code = await post({ data: { client_id: 'code', authorizedGrantTypes: ['authorization_code'] } });
      expect(code.status).toBe(400);
      expect(code.body.status.message).toContain('redirectURIs');
    });

    it.each([
      ['a PUBLIC internal client', { clientType: 'PUBLIC', internalClient: true, authorizedGrantTypes: ['implicit'] }],
      ['a PUBLIC client with the password grant', { clientType: 'PUBLIC', authorizedGrantTypes: ['password'] }],
      [
        'a PUBLIC client with token exchange',
        { clientType: 'PUBLIC', authorizedGrantTypes: ['urn:ietf:params:oauth:grant-type:token-exchange'] },
      ],
      ['an http redirect URI off loopback', { redirectURIs: ['http://app.example.com/cb'] }],
      ['a vbscript: redirect URI', { redirectURIs: ['VBScript:msgbox(1)'] }],
      ['a file: redirect URI', { redirectURIs: ['file:///etc/passwd'] }],
      ['a javascript: redirect URI', { redirectURIs: ['javascript:alert(1)'] }],
      ['a data: redirect URI', { redirectURIs: ['data:text/html,x'] }],
    ])('refuses %s with 400 VALIDATION_FAILED, on create and update', async (_label, fields) => {
      const data = { authorizedGrantTypes: ['implicit'], redirectURIs: ['https://app.example.com/cb'], ...fields };
      const created = await post({ data: { client_id: 'unsafe', ...data } });
      expect(created.status).toBe(400);
      expect(created.body.status.code).toBe(2);
      expect((await http().get('/auth/v3/ops/clients/unsafe').auth(OPS.username, OPS.password)).status).toBe(404);
      const update = await http()
        .put('/auth/v3/ops/clients/safe-to-update')
        .auth(OPS.username, OPS.password)
        .send({ data });
      expect(update.status).toBe(400);
      expect(update.body.status.code).toBe(2);
    });

    it('accepts https, loopback http and app-scheme redirect URIs', async () => {
      const response = await post({
        data: {
          client_id: 'native',
          clientType: 'PUBLIC',
          authorizedGrantTypes: ['authorization_code'],
          redirectURIs: ['https://app.example.com/cb', 'http://127.0.0.1:8400/cb', 'com.example.app:/cb'],
        },
      });
      expect(response.status).toBe(200);
    });

    it('answers 400 in the envelope for invalid JSON', async () => {
      const response = await post('{"data": {');
      expect(response.status).toBe(400);
      expect(response.body.status.code).toBe(1);
    });

    it('answers 413 for a 1 MB body', async () => {
      const response = await post(JSON.stringify({ data: { client_id: 'big', description: 'x'.repeat(1024 * 1024) } }));
      expect(response.status).toBe(413);
      expect(response.body.status.code).toBe(7);
      expect(await ctx.database.query('SELECT 1 FROM oauth_client WHERE client_id = $1', ['big'])).toEqual([]);
    });
  });
});
