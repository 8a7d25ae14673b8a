import { randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { AuthApiTestContext, createClient, OPS, startAuthApi } from '../../testing/auth-api-test-app';
import { seedContactCenter } from '../../users/__tests__/users-test-fixture';

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

const TOKEN_ENDPOINT = 'http://localhost:8080/auth/v3/oauth/token';

describe('jwt-bearer grant (RFC 7523)', () => {
  let ctx: AuthApiTestContext;
  let privateKey: PrivateKey;
  let otherKey: PrivateKey;

  beforeAll(async () => {
    ctx = await startAuthApi();
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    otherKey = (await generateKeyPair('ES256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1' };
    await createClient(ctx.app, {
      client_id: 'signer',
      client_secret: 'signer-secret',
      authorities: ['ROLE_SIGNER'],
      authorizedGrantTypes: [JWT_BEARER],
      jwks: { keys: [jwk] },
    });
  });
  afterAll(async () => {
    await ctx.close();
  });

  const assertion = (claims: Record<string, unknown> = {}, key: PrivateKey = privateKey, lifetime = 120) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ jti: randomUUID(), ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('signer')
      .setSubject((claims.sub as string) ?? 'signer')
      .setAudience((claims.aud as string) ?? TOKEN_ENDPOINT)
      .setIssuedAt(now)
      .setExpirationTime(now + lifetime)
      .sign(key);
  };
  const grant = (form: Record<string, string>, basic = false) => {
    const request = ctx.app.http().post('/auth/v3/oauth/token').type('form');
    return (basic ? request.auth('signer', 'signer-secret') : request).send({ grant_type: JWT_BEARER, ...form });
  };

  it('issues a client token for an assertion with sub = client_id (the assertion authenticates the client)', async () => {
    const response = await grant({ assertion: await assertion() });
    expect(response.status).toBe(200);
    expect(response.body.token_type).toBe('bearer');
    expect(response.body.refresh_token).toBeUndefined();
    const userinfo = await ctx.app
      .http()
      .get('/auth/v3/userinfo')
      .set('Authorization', `Bearer ${response.body.access_token}`);
    expect(userinfo.body).toEqual({ username: 'signer', authorities: ['ROLE_SIGNER'], properties: {} });
  });

  it('asserts users only of the contact centers the client is bound to, never the ops user', async () => {
    const cc = await seedContactCenter(ctx.database, ['t100']);
    const other = await seedContactCenter(ctx.database, ['t200']);
    for (const [contactCenterId, username] of [
      [cc.contactCenterId, 'agent1'],
      [other.contactCenterId, 'agent2'],
    ]) {
      await ctx.app
        .http()
        .post('/auth/v3/ops/users')
        .auth(OPS.username, OPS.password)
        .send({ data: { contactCenterId, username, password: 'correct horse battery' } })
        .expect(200);
    }
    const agent1 = `${cc.contactCenterId}\\agent1`;
    // Unbound: no user at all.
    expect((await grant({ assertion: await assertion({ sub: agent1 }) })).status).toBe(400);
    await ctx.app
      .http()
      .put('/auth/v3/ops/clients/signer')
      .auth(OPS.username, OPS.password)
      .send({ data: { contactCenterIds: [cc.contactCenterId] } })
      .expect(200);
    const response = await grant({ assertion: await assertion({ sub: agent1 }) }, true);
    expect(response.status).toBe(200);
    const userinfo = await ctx.app
      .http()
      .get('/auth/v3/userinfo')
      .set('Authorization', `Bearer ${response.body.access_token}`);
    expect(userinfo.body.username).toBe(agent1);
    for (const sub of ['ops', `${other.contactCenterId}\\agent2`]) {
      const refused = await grant({ assertion: await assertion({ sub }) });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('invalid_grant');
    }
  });

  it('refuses a replayed jti', async () => {
    const jwt = await assertion({ jti: 'once' });
    expect((await grant({ assertion: jwt })).status).toBe(200);
    const replay = await grant({ assertion: jwt });
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual({
      error: 'invalid_grant',
      error_description: 'Assertion has already been used (jti replay)',
    });
  });

  it('refuses an expired assertion', async () => {
    const response = await grant({ assertion: await assertion({}, privateKey, -120) });
    expect(response.status).toBe(400);
    expect(response.body.error_description).toBe('Assertion has expired');
  });

  it('refuses a wrong audience', async () => {
    const response = await grant({ assertion: await assertion({ aud: 'https://elsewhere.example.com/token' }) });
    expect(response.status).toBe(400);
    expect(response.body.error_description).toBe('Assertion audience is not this token endpoint');
  });

  it('refuses an assertion signed by an unknown key, and a forged signature under a known kid', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unknownKid = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256', kid: 'not-registered' })
      .setIssuer('signer')
      .setSubject('signer')
      .setAudience(TOKEN_ENDPOINT)
      .setExpirationTime(now + 60)
      .sign(otherKey);
    const unknown = await grant({ assertion: unknownKid }, true);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error_description).toBe('Assertion is signed with an unknown key');
    const forged = await grant({ assertion: await assertion({}, otherKey) }, true);
    expect(forged.status).toBe(400);
    expect(forged.body.error_description).toBe('Assertion signature is invalid');
  });

  it('refuses an assertion that lives too long, one without jti, and an unknown user', async () => {
    const long = await grant({ assertion: await assertion({}, privateKey, 7200) });
    expect(long.body.error_description).toBe('Assertion lifetime is too long');
    const now = Math.floor(Date.now() / 1000);
    const noJti = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('signer')
      .setSubject('signer')
      .setAudience(TOKEN_ENDPOINT)
      .setExpirationTime(now + 60)
      .sign(privateKey);
    expect((await grant({ assertion: noJti })).body.error_description).toBe('Assertion needs a jti');
    const unknownUser = await grant({ assertion: await assertion({ sub: 'nobody' }) });
    expect(unknownUser.body.error_description).toBe('Assertion subject is unknown');
  });

  it('answers invalid_client when the issuer is not a client with keys, invalid_request without assertion', async () => {
    const stranger = await new SignJWT({ jti: randomUUID() })
      .setProtectedHeader({ alg: 'ES256' })
      .setIssuer('stranger')
      .setSubject('stranger')
      .setAudience(TOKEN_ENDPOINT)
      .setExpirationTime('1m')
      .sign(privateKey);
    const response = await grant({ assertion: stranger });
    expect(response.status).toBe(401);
    expect(response.body.error).toBe('invalid_client');
    const missing = await grant({}, true);
    expect(missing.status).toBe(400);
    expect(missing.body.error_description).toBe('assertion is required');
  });

  describe("keys published at the client's jwksUri", () => {
    let server: Server;
    let remoteKey: PrivateKey;
    let requests = 0;

    beforeAll(async () => {
      const pair = await generateKeyPair('ES256', { extractable: true });
      remoteKey = pair.privateKey;
      const body = JSON.stringify({
        keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'remote-1', alg: 'ES256', use: 'sig' }],
      });
      server = createServer((_request, response) => {
        requests += 1;
        response.writeHead(200, { 'content-type': 'application/json' }).end(body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      await createClient(ctx.app, {
        client_id: 'remote-signer',
        client_secret: 'remote-secret',
        authorizedGrantTypes: [JWT_BEARER],
        jwksUri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
      });
    });
    afterAll(async () => {
      await new Promise((resolve) => server.close(resolve));
    });

    it('verifies assertions with the fetched keys (and caches them)', async () => {
      const sign = async () =>
        new SignJWT({ jti: randomUUID() })
          .setProtectedHeader({ alg: 'ES256', kid: 'remote-1' })
          .setIssuer('remote-signer')
          .setSubject('remote-signer')
          .setAudience(TOKEN_ENDPOINT)
          .setExpirationTime('2m')
          .sign(remoteKey);
      const first = await ctx.app
        .http()
        .post('/auth/v3/oauth/token')
        .type('form')
        .send({ grant_type: JWT_BEARER, assertion: await sign() });
      expect(first.status).toBe(200);
      const second = await ctx.app
        .http()
        .post('/auth/v3/oauth/token')
        .type('form')
        .send({ grant_type: JWT_BEARER, assertion: await sign() });
      expect(second.status).toBe(200);
      expect(requests).toBe(1);
      const wrongKey = await new SignJWT({ jti: randomUUID() })
        .setProtectedHeader({ alg: 'ES256', kid: 'remote-1' })
        .setIssuer('remote-signer')
        .setSubject('remote-signer')
        .setAudience(TOKEN_ENDPOINT)
        .setExpirationTime('2m')
        .sign(otherKey);
      const refused = await ctx.app
        .http()
        .post('/auth/v3/oauth/token')
        .type('form')
        .send({ grant_type: JWT_BEARER, assertion: wrongKey });
      expect(refused.status).toBe(400);
      expect(refused.body.error).toBe('invalid_grant');
    });
  });
});
