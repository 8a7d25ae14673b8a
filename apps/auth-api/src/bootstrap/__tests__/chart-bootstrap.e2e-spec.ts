import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hash as bcryptHash } from '@node-rs/bcrypt';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { migrate, type MigrationResult } from '@cxauth/persistence';
import { databaseConfigSchema, loadConfig } from '@cxauth/platform';
import { createTestApp, createTestStorage, TestApp, TestDatabase } from '@cxauth/testing';
import { authApiConfigSchema } from '../../auth-api.config';
import { authApiService } from '../../auth-api.service';
import { OPS } from '../../testing/auth-api-test-app';
import { authApiBootstrap } from '../auth-api-bootstrap';
import { bootstrapConfigSchema } from '../bootstrap.config';

/** Keystores made at test time: a JKS by Java's keytool (the product's way), a PKCS#12 by openssl. */
function makeKeystores(dir: string) {
  const jks = join(dir, 'gauth.jks');
  execFileSync(
    'keytool',
    [
      ...['-genkeypair', '-alias', 'gws-auth-key', '-keyalg', 'RSA', '-keysize', '2048', '-dname', 'CN=gauth'],
      ...[
        '-validity',
        '30',
        '-storetype',
        'JKS',
        '-keystore',
        jks,
        '-storepass',
        'store-pass-1',
        '-keypass',
        'key-pass-2',
      ],
    ],
    { stdio: 'pipe' },
  );
  const jksCert = execFileSync(
    'keytool',
    ['-exportcert', '-rfc', '-alias', 'gws-auth-key', '-keystore', jks, '-storepass', 'store-pass-1'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const p12 = join(dir, 'next.p12');
  execFileSync('openssl', ['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', join(dir, 'ec.key')]);
  execFileSync('openssl', [
    'req',
    '-x509',
    '-new',
    '-key',
    join(dir, 'ec.key'),
    '-subj',
    '/CN=gauth',
    '-days',
    '1',
    '-out',
    join(dir, 'ec.crt'),
  ]);
  execFileSync('openssl', [
    ...['pkcs12', '-export', '-inkey', join(dir, 'ec.key'), '-in', join(dir, 'ec.crt'), '-name', 'gws-auth-key'],
    ...['-out', p12, '-passout', 'pass:p12-pass-3'],
  ]);
  return {
    jks,
    jksPublicKey: createPublicKey(jksCert),
    p12,
    p12PublicKey: createPublicKey(readFileSync(join(dir, 'ec.crt'))),
  };
}

// The Helm chart's migrations Job: migrations, then the chart's client and the keystore's signing key,
// against real PostgreSQL; then a real auth-api on the same database.
describe('chart bootstrap: services.secret.client_id and services.auth.jks', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxauth-keystore-'));
  const keystores = makeKeystores(dir);
  let database: TestDatabase;
  let storageEnv: Record<string, string>;
  const apps: TestApp[] = [];

  const bootstrap = (env: Record<string, string>): Promise<MigrationResult> =>
    migrate(
      databaseConfigSchema.parse({ DATABASE_URL: database.url }),
      authApiBootstrap.run(
        loadConfig('test', bootstrapConfigSchema, { ENCRYPTION_KEY: storageEnv.ENCRYPTION_KEY, ...env }),
      ),
    );
  const jksEnv = {
    SIGNING_KEYSTORE_FILE: keystores.jks,
    SIGNING_KEYSTORE_PASSWORD: 'store-pass-1',
    SIGNING_KEY_PASSWORD: 'key-pass-2',
  };
  const startApp = async () => {
    const app = await createTestApp(authApiConfigSchema, authApiService, storageEnv);
    apps.push(app);
    return app;
  };
  const token = (app: TestApp, clientId: string, secret: string) =>
    app
      .http()
      .post('/auth/v3/oauth/token')
      .auth(clientId, secret)
      .type('form')
      .send({ grant_type: 'client_credentials' });

  beforeAll(async () => {
    const storage = await createTestStorage();
    database = storage.database;
    storageEnv = storage.env;
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the client and imports the JKS key as the active RS256 signing key, then changes nothing on a rerun', async () => {
    const env = { BOOTSTRAP_CLIENT_ID: 'gauth_client', BOOTSTRAP_CLIENT_SECRET: 'first-secret', ...jksEnv };
    const first = await bootstrap(env);
    expect(first.bootstrap).toMatchObject({
      client: { clientId: 'gauth_client', outcome: 'created' },
      signingKey: { outcome: 'imported', algorithm: 'RS256' },
    });
    const again = await bootstrap(env);
    expect(again.applied).toEqual([]);
    expect(again.bootstrap).toMatchObject({ client: { outcome: 'unchanged' }, signingKey: { outcome: 'unchanged' } });
    expect(await database.query('SELECT kid FROM signing_key')).toHaveLength(1);
    const [client] = await database.query<Record<string, unknown>>(
      'SELECT client_type, internal_client, authorities, scope, authorized_grant_types FROM oauth_client WHERE client_id = $1',
      ['gauth_client'],
    );
    expect(client).toMatchObject({
      client_type: 'CONFIDENTIAL',
      internal_client: true,
      authorities: ['ROLE_INTERNAL_CLIENT'],
      scope: ['*'],
    });
    expect(client!.authorized_grant_types).toEqual(
      expect.arrayContaining(['client_credentials', 'password', 'refresh_token']),
    );
  });

  it('resets the client secret to the configured one, plain or bcrypt-encoded', async () => {
    const rotated = await bootstrap({ BOOTSTRAP_CLIENT_ID: 'gauth_client', BOOTSTRAP_CLIENT_SECRET: 'second-secret' });
    expect(rotated.bootstrap).toEqual({ client: { clientId: 'gauth_client', outcome: 'secret-updated' } });
    const bcrypt = await bcryptHash('third-secret', 10);
    const encoded = await bootstrap({ BOOTSTRAP_CLIENT_ID: 'gauth_client', BOOTSTRAP_CLIENT_SECRET: bcrypt });
    expect(encoded.bootstrap).toEqual({ client: { clientId: 'gauth_client', outcome: 'secret-updated' } });
    const [row] = await database.query<{ secret_hash: string }>(
      'SELECT secret_hash FROM oauth_client WHERE client_id = $1',
      ['gauth_client'],
    );
    expect(row?.secret_hash).toBe(bcrypt);

    const app = await startApp();
    expect((await token(app, 'gauth_client', 'third-secret')).status).toBe(200);
    expect((await token(app, 'gauth_client', 'second-secret')).status).toBe(401);
    expect((await token(app, 'gauth_client', bcrypt)).status).toBe(401);
  });

  it('signs with the keystore key: the JWKS publishes it under its thumbprint and JWTs verify with the certificate', async () => {
    const app = apps[0]!;
    const jwks = (await app.http().get('/auth/v3/jwks')).body as { keys: Record<string, unknown>[] };
    const [imported] = await database.query<{ kid: string }>('SELECT kid FROM signing_key WHERE retired_at IS NULL');
    const published = jwks.keys.find((key) => key.kid === imported!.kid);
    expect(published).toMatchObject({
      kty: 'RSA',
      alg: 'RS256',
      use: 'sig',
      n: keystores.jksPublicKey.export({ format: 'jwk' }).n,
    });
    const created = await app
      .http()
      .post('/auth/v3/ops/clients')
      .auth(OPS.username, OPS.password)
      .send({
        data: {
          client_id: 'jwt-client',
          client_secret: 'jwt-client-secret',
          tokenFormat: 'jwt',
          authorizedGrantTypes: ['client_credentials'],
        },
      });
    expect(created.status).toBe(200);
    const jwt = (await token(app, 'jwt-client', 'jwt-client-secret')).body.access_token as string;
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'RS256', kid: imported!.kid });
    await expect(jwtVerify(jwt, keystores.jksPublicKey)).resolves.toBeDefined();
  });

  it('a new keystore takes over; the old key keeps verifying, and running replicas learn the new kid on first sight', async () => {
    const running = apps[0]!;
    const next = await bootstrap({ SIGNING_KEYSTORE_FILE: keystores.p12, SIGNING_KEYSTORE_PASSWORD: 'p12-pass-3' });
    expect(next.bootstrap).toMatchObject({ signingKey: { outcome: 'imported', algorithm: 'ES256' } });
    const keys = await database.query<{ kid: string; retired: boolean }>(
      'SELECT kid, retired_at > now() AS retired FROM signing_key ORDER BY created_at',
    );
    expect(keys.map((key) => key.retired)).toEqual([true, null]);

    // a new pod signs with the new key; the running one has never loaded it
    const fresh = await startApp();
    const jwt = (await token(fresh, 'jwt-client', 'jwt-client-secret')).body.access_token as string;
    expect(decodeProtectedHeader(jwt)).toMatchObject({ alg: 'ES256' });
    await expect(jwtVerify(jwt, keystores.p12PublicKey)).resolves.toBeDefined();
    // the running replica verifies a JWT of the new key (token exchange checks an id token's signature)
    // after loading the new kid
    const internal = await running
      .http()
      .post('/auth/v3/ops/clients')
      .auth(OPS.username, OPS.password)
      .send({
        data: {
          client_id: 'exchanger',
          client_secret: 'exchanger-secret',
          authorizedGrantTypes: ['password', 'urn:ietf:params:oauth:grant-type:token-exchange'],
        },
      });
    expect(internal.status).toBe(200);
    const idToken = (
      await fresh
        .http()
        .post('/auth/v3/oauth/token')
        .auth('exchanger', 'exchanger-secret')
        .type('form')
        .send({ grant_type: 'password', username: 'ops', password: 'ops', scope: 'openid' })
    ).body.id_token as string;
    expect(decodeProtectedHeader(idToken)).toMatchObject({ kid: keys[1]!.kid });
    const exchanged = await running
      .http()
      .post('/auth/v3/oauth/token')
      .auth('exchanger', 'exchanger-secret')
      .type('form')
      .send({
        grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
        subject_token: idToken,
        subject_token_type: 'urn:ietf:params:oauth:token-type:id_token',
      });
    expect(exchanged.status).toBe(200);
    const jwks = (await running.http().get('/auth/v3/jwks')).body as { keys: { kid: string }[] };
    expect(jwks.keys.map((key) => key.kid).sort()).toEqual(keys.map((key) => key.kid).sort());
    expect(await importJWK(jwks.keys.find((key) => key.kid === keys[0]!.kid) as never)).toBeDefined();
  });

  it('refuses a wrong keystore password or alias with a clear message that names no secret', async () => {
    await expect(bootstrap({ ...jksEnv, SIGNING_KEYSTORE_PASSWORD: 'wrong-pass-9' })).rejects.toThrow(
      /^cannot open keystore .*gauth\.jks: Password verification failed$/,
    );
    await expect(bootstrap({ ...jksEnv, SIGNING_KEY_ALIAS: 'other' })).rejects.toThrow(
      'has no private key entry "other" (entries: gws-auth-key)',
    );
    expect(() =>
      loadConfig('test', bootstrapConfigSchema, { SIGNING_KEYSTORE_FILE: keystores.jks, BOOTSTRAP_CLIENT_ID: 'x' }),
    ).toThrow(
      /SIGNING_KEYSTORE_PASSWORD is required with SIGNING_KEYSTORE_FILE[\s\S]*BOOTSTRAP_CLIENT_SECRET is required with BOOTSTRAP_CLIENT_ID|BOOTSTRAP_CLIENT_SECRET is required with BOOTSTRAP_CLIENT_ID[\s\S]*SIGNING_KEYSTORE_PASSWORD is required/,
    );
  });
});
