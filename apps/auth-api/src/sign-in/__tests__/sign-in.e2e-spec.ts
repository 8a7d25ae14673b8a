import { createHash, randomBytes } from 'node:crypto';
import supertest from 'supertest';
import { AuthApiTestContext, createClient, OPS, startAuthApi } from '../../testing/auth-api-test-app';
import { PendingSignInStore } from '../../authorize/pending-sign-in.store';
import { cookiesOf, cookieValue, referenceFrom, seedTenant, seedUser } from './browser-fixture';
import { sha256Hex } from '@cxauth/domain';

const CALLBACK = 'https://app.example.com/callback';
const PUBLIC_CALLBACK = 'https://spa.example.com/cb';
const PASSWORD = 'Correct-Horse-42';

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(params: Record<string, string>): string {
  return `/auth/v3/oauth/authorize?${new URLSearchParams(params).toString()}`;
}

describe('browser sign-in (authorize, sign-in, sessions)', () => {
  let ctx: AuthApiTestContext;
  let confidentialSecret: string;

  beforeAll(async () => {
    ctx = await startAuthApi({ TRUST_PROXY: 'true', SIGN_IN_FAILURE_MIN_MS: '300', LOGIN_THROTTLE_DELAY_MS: '0' });
    const contactCenterId = await seedTenant(ctx.database, 't100');
    // An SSO tenant: an enabled identity provider (its IdP is never contacted by these tests).
    const ssoTenant = await seedTenant(ctx.database, 'ssotenant', 'saml');
    await ctx.database.query(
      `INSERT INTO identity_provider (contact_center_id, type, settings) VALUES ($1, 'oidc', '{"issuer":"https://idp.invalid"}')`,
      [ssoTenant],
    );
    // auth "saml" without an identity provider: still a password tenant.
    await seedTenant(ctx.database, 'samlnoidp', 'saml');
    await seedUser(ctx.app, contactCenterId, 'agent1', PASSWORD);
    const created = await createClient(ctx.app, {
      client_id: 'wwe',
      name: 'Workspace Web Edition',
      clientType: 'CONFIDENTIAL',
      // Like the product's applications: no PKCE.
      requirePkce: false,
      client_secret: 'wwe-secret',
      authorities: [],
      scope: ['*'],
      authorizedGrantTypes: ['authorization_code', 'refresh_token'],
      redirectURIs: [CALLBACK],
      accessTokenExpirationTimeout: 3600,
      refreshTokenExpirationTimeout: 43200,
    });
    confidentialSecret = String(created.client_secret ?? 'wwe-secret');
    await createClient(ctx.app, {
      client_id: 'legacy',
      name: 'Legacy implicit app',
      clientType: 'PUBLIC',
      authorities: [],
      scope: ['*'],
      authorizedGrantTypes: ['implicit'],
      redirectURIs: ['https://legacy.example.com/'],
      accessTokenExpirationTimeout: 600,
      refreshTokenExpirationTimeout: 600,
    });
    await createClient(ctx.app, {
      client_id: 'spa',
      name: 'Agent SPA',
      clientType: 'PUBLIC',
      authorities: [],
      scope: ['*'],
      authorizedGrantTypes: ['authorization_code'],
      redirectURIs: [PUBLIC_CALLBACK],
      accessTokenExpirationTimeout: 3600,
      refreshTokenExpirationTimeout: 43200,
    });
  });

  afterAll(async () => {
    await ctx?.close();
  });

  const browser = () => supertest.agent(ctx.app.service.url);

  /** authorize → sign-in page reference, context (CSRF token) */
  async function startAuthorization(agent: supertest.Agent, params: Record<string, string>) {
    const response = await agent.get(authorizeUrl(params));
    expect(response.status).toBe(302);
    expect(response.headers.location!).toMatch(/^\/ui\/auth\/sign-in\.html\?request=[A-Za-z0-9_-]{43}$/);
    const reference = referenceFrom(response.headers.location!);
    const context = await agent.get(`/auth/v3/sign-in/context?request=${reference}`);
    expect(context.status).toBe(200);
    return { reference, csrf: context.body.data.csrfToken as string, context: context.body.data, response };
  }

  async function signInAs(
    agent: supertest.Agent,
    reference: string,
    csrf: string,
    username = 't100\\agent1',
    password = PASSWORD,
  ) {
    return agent.post('/auth/v3/sign-in').type('form').send({ request: reference, csrf, username, password });
  }

  describe('GET /oauth/authorize: problems shown on the error page, never sent to the redirect_uri', () => {
    it.each([
      ['missing client_id', { response_type: 'code', redirect_uri: CALLBACK }, 'invalid_request'],
      ['unknown client', { response_type: 'code', client_id: 'nope', redirect_uri: CALLBACK }, 'invalid_client'],
      ['missing redirect_uri', { response_type: 'code', client_id: 'wwe' }, 'invalid_redirect_uri'],
      [
        'foreign redirect_uri',
        { response_type: 'code', client_id: 'wwe', redirect_uri: 'https://evil.example.net/callback' },
        'invalid_redirect_uri',
      ],
      [
        'prefix of a registered URI',
        { response_type: 'code', client_id: 'wwe', redirect_uri: `${CALLBACK}/../../evil` },
        'invalid_redirect_uri',
      ],
      [
        'registered URI plus a query',
        { response_type: 'code', client_id: 'wwe', redirect_uri: `${CALLBACK}?next=https://evil.example.net` },
        'invalid_redirect_uri',
      ],
      [
        'registered URI with another case',
        { response_type: 'code', client_id: 'wwe', redirect_uri: CALLBACK.toUpperCase() },
        'invalid_redirect_uri',
      ],
      [
        'userinfo trick',
        { response_type: 'code', client_id: 'wwe', redirect_uri: 'https://app.example.com@evil.example.net/callback' },
        'invalid_redirect_uri',
      ],
    ])('%s', async (_name, params, error) => {
      const response = await browser().get(authorizeUrl(params as Record<string, string>));
      expect(response.status).toBe(302);
      expect(response.headers.location!).toBe(`/ui/auth/error.html?error=${error}`);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['set-cookie']).toBeUndefined();
    });
  });

  describe('GET /oauth/authorize: RFC 6749 errors returned to the verified redirect_uri with state', () => {
    it.each([
      ['missing response_type', { client_id: 'wwe', redirect_uri: CALLBACK }, 'invalid_request'],
      [
        'unknown response_type',
        { response_type: 'id_token', client_id: 'wwe', redirect_uri: CALLBACK },
        'unsupported_response_type',
      ],
      [
        'implicit not enabled',
        { response_type: 'token', client_id: 'wwe', redirect_uri: CALLBACK },
        'unauthorized_client',
      ],
      [
        'PKCE plain refused',
        {
          response_type: 'code',
          client_id: 'wwe',
          redirect_uri: CALLBACK,
          code_challenge: pkce().challenge,
          code_challenge_method: 'plain',
        },
        'invalid_request',
      ],
      [
        'malformed code_challenge',
        {
          response_type: 'code',
          client_id: 'wwe',
          redirect_uri: CALLBACK,
          code_challenge: 'short',
          code_challenge_method: 'S256',
        },
        'invalid_request',
      ],
    ])('%s', async (_name, params, error) => {
      const response = await browser().get(authorizeUrl({ ...(params as Record<string, string>), state: 'xyz' }));
      expect(response.status).toBe(302);
      const location = new URL(response.headers.location!);
      expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
      // response_type=token answers in the fragment (RFC 6749 §4.2.2.1), code in the query.
      const answer =
        (params as Record<string, string>).response_type === 'token'
          ? new URLSearchParams(location.hash.slice(1))
          : location.searchParams;
      expect(answer.get('error')).toBe(error);
      expect(answer.get('state')).toBe('xyz');
      expect(answer.get('code')).toBeNull();
    });

    it('requires PKCE (S256) for a PUBLIC client', async () => {
      const response = await browser().get(
        authorizeUrl({ response_type: 'code', client_id: 'spa', redirect_uri: PUBLIC_CALLBACK, state: 's1' }),
      );
      const location = new URL(response.headers.location!);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
    });

    it('refuses a repeated parameter', async () => {
      const response = await browser().get(
        `${authorizeUrl({ response_type: 'code', client_id: 'wwe', redirect_uri: CALLBACK })}&state=a&state=b`,
      );
      expect(new URL(response.headers.location!).searchParams.get('error')).toBe('invalid_request');
    });

    it('prompt=none without a session answers login_required', async () => {
      const response = await browser().get(
        authorizeUrl({ response_type: 'code', client_id: 'wwe', redirect_uri: CALLBACK, prompt: 'none', state: 'p' }),
      );
      const location = new URL(response.headers.location!);
      expect(location.searchParams.get('error')).toBe('login_required');
      expect(location.searchParams.get('state')).toBe('p');
    });
  });

  describe('PKCE setting (requirePkce; PKCE_REQUIRED_FOR_NEW_CLIENTS, default true)', () => {
    it('a new confidential client requires PKCE unless told; a code request without code_challenge is invalid_request', async () => {
      const registered = await createClient(ctx.app, {
        client_id: 'pkce-default',
        client_secret: 'pkce-default-secret',
        authorizedGrantTypes: ['authorization_code'],
        redirectURIs: [CALLBACK],
      });
      expect(registered.requirePkce).toBe(true);
      const params = { response_type: 'code', client_id: 'pkce-default', redirect_uri: CALLBACK, state: 'pk' };
      const refused = await browser().get(authorizeUrl(params));
      const location = new URL(refused.headers.location!);
      expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
      expect(location.searchParams.get('state')).toBe('pk');
      const { challenge } = pkce();
      await startAuthorization(browser(), { ...params, code_challenge: challenge, code_challenge_method: 'S256' });

      // Turned off by the ops API: the product's way (no PKCE) works; GET shows the setting.
      const ops = supertest(ctx.app.service.url);
      const off = await ops
        .put('/auth/v3/ops/clients/pkce-default')
        .auth(OPS.username, OPS.password)
        .send({ data: { requirePkce: false } });
      expect(off.status).toBe(200);
      expect(
        (await ops.get('/auth/v3/ops/clients/pkce-default').auth(OPS.username, OPS.password)).body.data.requirePkce,
      ).toBe(false);
      await startAuthorization(browser(), params);
      const [row] = await ctx.database.query<{ require_pkce: boolean }>(
        'SELECT require_pkce FROM oauth_client WHERE client_id = $1',
        ['pkce-default'],
      );
      expect(row!.require_pkce).toBe(false);
    });

    it('a PUBLIC client always requires PKCE, whatever requirePkce says', async () => {
      const spa = await supertest(ctx.app.service.url).get('/auth/v3/ops/clients/spa').auth(OPS.username, OPS.password);
      expect(spa.body.data.requirePkce).toBe(true);
      const refused = await browser().get(
        authorizeUrl({ response_type: 'code', client_id: 'spa', redirect_uri: PUBLIC_CALLBACK, state: 'x' }),
      );
      expect(new URL(refused.headers.location!).searchParams.get('error')).toBe('invalid_request');
    });
  });

  describe('GET /sign-in/context: the CSRF token only for the browser that started the sign-in', () => {
    it("the reference alone (no flow cookie, or another browser's) is 403 without the token", async () => {
      const agent = browser();
      const params = { response_type: 'code', client_id: 'wwe', redirect_uri: CALLBACK, state: 'c' };
      const { reference, csrf, response } = await startAuthorization(agent, params);
      expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const flow = cookieValue(cookiesOf(response).get('cxauth_flow'));
      const other = browser();
      await other.get(authorizeUrl(params));
      for (const attempt of [
        browser().get(`/auth/v3/sign-in/context?request=${reference}`),
        other.get(`/auth/v3/sign-in/context?request=${reference}`),
        browser().get(`/auth/v3/sign-in/context?request=${reference}`).set('cookie', `cxauth_flow=${flow}x`),
      ]) {
        const answer = await attempt;
        expect(answer.status).toBe(403);
        expect(answer.body.status.code).toBe(4);
        expect(answer.text).not.toContain(csrf);
      }
      // The starting browser's cookie alone (as auth-ui passes it on) is enough.
      const forwarded = await browser()
        .get(`/auth/v3/sign-in/context?request=${reference}`)
        .set('cookie', `cxauth_flow=${flow}`);
      expect(forwarded.status).toBe(200);
      expect(forwarded.body.data.csrfToken).toBe(csrf);
      // Unknown references stay 404.
      const unknown = await agent.get(`/auth/v3/sign-in/context?request=${'A'.repeat(43)}`);
      expect(unknown.status).toBe(404);
    });
  });

  describe('the happy path', () => {
    it('authorize → sign-in page → code at the redirect_uri → tokens (PKCE) → session reused', async () => {
      const agent = browser();
      const { verifier, challenge } = pkce();
      const { reference, csrf, context, response } = await startAuthorization(agent, {
        response_type: 'code',
        client_id: 'spa',
        redirect_uri: PUBLIC_CALLBACK,
        state: 'st-1',
        nonce: 'n-1',
        code_challenge: challenge,
        code_challenge_method: 'S256',
        hideTenant: 'true',
        locale: 'de',
        tenant: 't100',
      });
      // The browser is bound to the pending request by an HttpOnly cookie; Redis keeps only a hash of the reference.
      const flowCookie = cookiesOf(response).get('cxauth_flow');
      // Path=/ so that auth-ui's pages receive it and pass it on for the page's context.
      expect(flowCookie).toMatch(/Path=\/;/);
      expect(flowCookie).toMatch(/HttpOnly/);
      expect(flowCookie).toMatch(/SameSite=Lax/);
      expect(await ctx.redis.exists(`${ctx.prefix}sign-in:pending:${sha256Hex(reference)}`)).toBe(1);
      expect(await ctx.redis.exists(`${ctx.prefix}sign-in:pending:${reference}`)).toBe(0);
      expect(context).toMatchObject({
        purpose: 'authorize',
        hideTenant: true,
        locale: 'de',
        clientId: 'spa',
        clientName: 'Agent SPA',
        tenant: 't100',
        redirectOrigin: 'https://spa.example.com',
      });

      const signIn = await signInAs(agent, reference, csrf);
      expect(signIn.status).toBe(302);
      const location = new URL(signIn.headers.location!);
      expect(`${location.origin}${location.pathname}`).toBe(PUBLIC_CALLBACK);
      expect(location.searchParams.get('state')).toBe('st-1');
      const code = location.searchParams.get('code')!;
      expect(code).toBeTruthy();
      const sessionCookie = cookiesOf(signIn).get('cxauth_session');
      expect(sessionCookie).toMatch(/HttpOnly/);
      expect(sessionCookie).toMatch(/SameSite=Lax/);
      expect(sessionCookie).toMatch(/Path=\/auth\/v3/);
      expect(sessionCookie).not.toMatch(/Secure/);
      const sessionValue = cookieValue(sessionCookie);
      const stored = JSON.parse((await ctx.redis.get(`${ctx.prefix}session:${sha256Hex(sessionValue)}`))!);
      expect(stored.user.username).toBe('agent1');
      expect(await ctx.redis.exists(`${ctx.prefix}session:${sessionValue}`)).toBe(0);
      // The pending request is single use.
      expect(await ctx.redis.exists(`${ctx.prefix}sign-in:pending:${sha256Hex(reference)}`)).toBe(0);

      const token = await supertest(ctx.app.service.url).post('/auth/v3/oauth/token').type('form').send({
        grant_type: 'authorization_code',
        code,
        redirect_uri: PUBLIC_CALLBACK,
        client_id: 'spa',
        code_verifier: verifier,
      });
      expect(token.status).toBe(200);
      expect(token.body.access_token).toEqual(expect.any(String));

      // With the session, authorize answers at once with a new code.
      const again = await agent.get(
        authorizeUrl({
          response_type: 'code',
          client_id: 'spa',
          redirect_uri: PUBLIC_CALLBACK,
          state: 'st-2',
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }),
      );
      const second = new URL(again.headers.location!);
      expect(second.searchParams.get('code')).toBeTruthy();
      expect(second.searchParams.get('code')).not.toBe(code);
      expect(second.searchParams.get('state')).toBe('st-2');

      // Replaying the same sign-in form does not mint another code.
      const replay = await signInAs(agent, reference, csrf);
      expect(replay.headers.location!).toBe('/ui/auth/error.html?error=request_expired');
    });

    it('a replayed code is refused and revokes the tokens of its first redemption', async () => {
      const agent = browser();
      const { reference, csrf } = await startAuthorization(agent, {
        response_type: 'code',
        client_id: 'wwe',
        redirect_uri: CALLBACK,
        state: 'r',
      });
      const signIn = await signInAs(agent, reference, csrf);
      const code = new URL(signIn.headers.location!).searchParams.get('code')!;
      const redeem = () =>
        supertest(ctx.app.service.url)
          .post('/auth/v3/oauth/token')
          .auth('wwe', confidentialSecret)
          .type('form')
          .send({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK });
      const first = await redeem();
      expect(first.status).toBe(200);
      const replay = await redeem();
      expect(replay.status).toBe(400);
      expect(replay.body.error).toBe('invalid_grant');
      const refresh = await supertest(ctx.app.service.url)
        .post('/auth/v3/oauth/token')
        .auth('wwe', confidentialSecret)
        .type('form')
        .send({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token });
      expect(refresh.status).toBe(400);
      expect(refresh.body.error).toBe('invalid_grant');
    });

    it('implicit (response_type=token) only for a client that enables it: token in the fragment, no refresh token', async () => {
      const agent = browser();
      const { reference, csrf } = await startAuthorization(agent, {
        response_type: 'token',
        client_id: 'legacy',
        redirect_uri: 'https://legacy.example.com/',
        state: 'imp',
      });
      const signIn = await signInAs(agent, reference, csrf);
      const location = new URL(signIn.headers.location!);
      expect(location.search).toBe('');
      const fragment = new URLSearchParams(location.hash.slice(1));
      expect(fragment.get('token_type')).toBe('bearer');
      expect(fragment.get('expires_in')).toBe('600');
      expect(fragment.get('state')).toBe('imp');
      expect(fragment.get('refresh_token')).toBeNull();
      const userinfo = await supertest(ctx.app.service.url)
        .get('/auth/v3/userinfo')
        .set('authorization', `Bearer ${fragment.get('access_token')}`);
      expect(userinfo.status).toBe(200);
    });

    it('sets Secure on cookies behind TLS (X-Forwarded-Proto with TRUST_PROXY)', async () => {
      const agent = browser();
      const response = await agent
        .get(authorizeUrl({ response_type: 'code', client_id: 'wwe', redirect_uri: CALLBACK }))
        .set('x-forwarded-proto', 'https');
      expect(cookiesOf(response).get('cxauth_flow')).toMatch(/; Secure/);
      expect(response.headers['strict-transport-security']).toBeDefined();
    });
  });

  describe('POST /sign-in failures', () => {
    it('unknown user and wrong password get the same answer in similar time, with no session', async () => {
      const agent = browser();
      const { reference, csrf } = await startAuthorization(agent, {
        response_type: 'code',
        client_id: 'wwe',
        redirect_uri: CALLBACK,
      });
      const timed = async (username: string, password: string) => {
        const started = process.hrtime.bigint();
        const response = await signInAs(agent, reference, csrf, username, password);
        return { response, ms: Number(process.hrtime.bigint() - started) / 1e6 };
      };
      const wrongPassword = await timed('t100\\agent1', 'not-the-password');
      const unknownUser = await timed('t100\\nobody', 'not-the-password');
      const unknownTenant = await timed('t999\\agent1', 'not-the-password');
      for (const attempt of [wrongPassword, unknownUser, unknownTenant]) {
        expect(attempt.response.status).toBe(302);
        expect(attempt.response.headers.location!).toBe(
          `/ui/auth/sign-in.html?request=${reference}&error=invalid_credentials`,
        );
        expect(cookiesOf(attempt.response).has('cxauth_session')).toBe(false);
        expect(attempt.ms).toBeGreaterThanOrEqual(295);
      }
      // Every failure is padded to the same floor (above); beyond it only load varies the times, so
      // the bound is a ratio loose enough for a busy 2-core machine, not a wall-clock spread.
      const times = [wrongPassword.ms, unknownUser.ms, unknownTenant.ms];
      expect(Math.max(...times) / Math.min(...times)).toBeLessThan(5);
      const context = await agent.get(`/auth/v3/sign-in/context?request=${reference}`);
      expect(context.body.data).toMatchObject({ failures: 3, username: 't999\\agent1' });
      // The same page still works with the right password.
      const ok = await signInAs(agent, reference, csrf);
      expect(new URL(ok.headers.location!).searchParams.get('code')).toBeTruthy();
    });

    it('locks the account after 10 failures, whatever the page: a new page does not reset the count', async () => {
      const page = async () => {
        const agent = browser();
        const flow = await startAuthorization(agent, {
          response_type: 'code',
          client_id: 'wwe',
          redirect_uri: CALLBACK,
        });
        return { agent, ...flow };
      };
      for (let i = 0; i < 10; i += 1) {
        const { agent, reference, csrf } = await page();
        const attempt = await signInAs(agent, reference, csrf, 't100\\guessed', `wrong ${i}`);
        expect(attempt.headers.location!).toBe(`/ui/auth/sign-in.html?request=${reference}&error=invalid_credentials`);
      }
      const fresh = await page();
      const locked = await signInAs(fresh.agent, fresh.reference, fresh.csrf, 't100\\guessed', 'anything');
      expect(locked.headers.location!).toBe('/ui/auth/error.html?error=too_many_attempts');
      const unlock = await ctx.app
        .http()
        .delete('/auth/v3/ops/lockouts')
        .query({ user: 't100\\guessed' })
        .auth('ops', 'ops');
      expect(unlock.status).toBe(200);
    });

    it('refuses a wrong CSRF token, a browser without the flow cookie, and a foreign Origin', async () => {
      const agent = browser();
      const { reference, csrf } = await startAuthorization(agent, {
        response_type: 'code',
        client_id: 'wwe',
        redirect_uri: CALLBACK,
      });
      const wrongToken = await signInAs(agent, reference, 'x'.repeat(43));
      expect(wrongToken.headers.location!).toBe('/ui/auth/error.html?error=csrf');
      const otherBrowser = await signInAs(browser(), reference, csrf);
      expect(otherBrowser.headers.location!).toBe('/ui/auth/error.html?error=csrf');
      const crossSite = await agent
        .post('/auth/v3/sign-in')
        .set('origin', 'https://evil.example.net')
        .type('form')
        .send({ request: reference, csrf, username: 't100\\agent1', password: PASSWORD });
      expect(crossSite.headers.location!).toBe('/ui/auth/error.html?error=csrf');
      const fetchMetadata = await agent
        .post('/auth/v3/sign-in')
        .set('sec-fetch-site', 'cross-site')
        .type('form')
        .send({ request: reference, csrf, username: 't100\\agent1', password: PASSWORD });
      expect(fetchMetadata.headers.location!).toBe('/ui/auth/error.html?error=csrf');
      for (const response of [wrongToken, otherBrowser, crossSite, fetchMetadata])
        expect(cookiesOf(response).has('cxauth_session')).toBe(false);
      // None of these consumed the pending request; Origin "null" (Referrer-Policy: no-referrer) is accepted.
      const ok = await agent
        .post('/auth/v3/sign-in')
        .set('origin', 'null')
        .set('sec-fetch-site', 'same-origin')
        .type('form')
        .send({ request: reference, csrf, username: 't100\\agent1', password: PASSWORD });
      expect(new URL(ok.headers.location!).searchParams.get('code')).toBeTruthy();
    });

    it('an unknown or expired request reference goes to the error page', async () => {
      const agent = browser();
      const { reference, csrf } = await startAuthorization(agent, {
        response_type: 'code',
        client_id: 'wwe',
        redirect_uri: CALLBACK,
      });
      await ctx.redis.del(`${ctx.prefix}sign-in:pending:${sha256Hex(reference)}`);
      const expired = await signInAs(agent, reference, csrf);
      expect(expired.headers.location!).toBe('/ui/auth/error.html?error=request_expired');
      const missing = await agent.post('/auth/v3/sign-in').type('form').send({ username: 'a', password: 'b' });
      expect(missing.headers.location!).toBe('/ui/auth/error.html?error=request_expired');
      const context = await agent.get(`/auth/v3/sign-in/context?request=${reference}`);
      expect(context.status).toBe(404);
      expect(context.body.status.code).toBe(5);
    });

    it('a failed attempt finishing after a successful one cannot bring the consumed request back', async () => {
      const agent = browser();
      const { reference } = await startAuthorization(agent, {
        response_type: 'code',
        client_id: 'wwe',
        redirect_uri: CALLBACK,
      });
      const store = ctx.app.service.app.get(PendingSignInStore);
      const loaded = (await store.find(reference))!;
      expect(await store.take(reference)).not.toBeNull();
      await store.update(reference, { ...loaded, failures: 1 });
      expect(await store.find(reference)).toBeNull();
      expect(await ctx.redis.exists(`${ctx.prefix}sign-in:pending:${sha256Hex(reference)}`)).toBe(0);
    });

    it('bad form input is a 400, never a 500', async () => {
      const tooLong = await browser()
        .post('/auth/v3/sign-in')
        .type('form')
        .send({ username: 'x'.repeat(600), password: 'y' });
      expect(tooLong.status).toBe(400);
      const json = await browser()
        .post('/auth/v3/sign-in')
        .set('content-type', 'application/json')
        .send('{"username":');
      expect(json.status).toBe(400);
      const big = await browser()
        .post('/auth/v3/sign-in')
        .type('form')
        .send(`username=${'a'.repeat(1024 * 1024)}`);
      expect(big.status).toBe(413);
    });
  });

  describe('sessions', () => {
    async function signedInAgent() {
      const agent = browser();
      const { reference, csrf } = await startAuthorization(agent, {
        response_type: 'code',
        client_id: 'wwe',
        redirect_uri: CALLBACK,
      });
      const response = await signInAs(agent, reference, csrf);
      return { agent, value: cookieValue(cookiesOf(response).get('cxauth_session')) };
    }

    it('GET /ping: 200 with a session, 403 without', async () => {
      const { agent } = await signedInAgent();
      const ok = await agent.get('/auth/v3/ping');
      expect(ok.status).toBe(200);
      expect(ok.body).toEqual({ status: { code: 0 } });
      const anonymous = await browser().get('/auth/v3/ping');
      expect(anonymous.status).toBe(403);
      expect(anonymous.body.status.code).toBe(4);
    });

    it('rotates the session id at sign-in and ends the old one', async () => {
      const { agent, value: before } = await signedInAgent();
      const { reference, csrf } = await startAuthorization(agent, {
        response_type: 'code',
        client_id: 'wwe',
        redirect_uri: CALLBACK,
        prompt: 'login',
      });
      const response = await signInAs(agent, reference, csrf);
      const after = cookieValue(cookiesOf(response).get('cxauth_session'));
      expect(after).not.toBe(before);
      expect(await ctx.redis.exists(`${ctx.prefix}session:${sha256Hex(before)}`)).toBe(0);
      expect(await ctx.redis.exists(`${ctx.prefix}session:${sha256Hex(after)}`)).toBe(1);
    });

    it('an idle session expires', async () => {
      const { agent, value } = await signedInAgent();
      const key = `${ctx.prefix}session:${sha256Hex(value)}`;
      const session = JSON.parse((await ctx.redis.get(key))!);
      session.lastSeenAt -= 3601;
      await ctx.redis.set(key, JSON.stringify(session), 'EX', 60);
      expect((await agent.get('/auth/v3/ping')).status).toBe(403);
      expect(await ctx.redis.exists(key)).toBe(0);
      const authorize = await agent.get(
        authorizeUrl({ response_type: 'code', client_id: 'wwe', redirect_uri: CALLBACK }),
      );
      expect(authorize.headers.location!).toMatch(/^\/ui\/auth\/sign-in\.html\?request=/);
    });

    it('a session ends at the absolute timeout however busy', async () => {
      const { agent, value } = await signedInAgent();
      const key = `${ctx.prefix}session:${sha256Hex(value)}`;
      const session = JSON.parse((await ctx.redis.get(key))!);
      session.absoluteExpiresAt = Math.floor(Date.now() / 1000) - 1;
      await ctx.redis.set(key, JSON.stringify(session), 'EX', 60);
      expect((await agent.get('/auth/v3/ping')).status).toBe(403);
    });

    it('browser sign-out (session cookie, no Bearer) ends the session and redirects only to registered URIs', async () => {
      const attempts: [Record<string, string>, string][] = [
        [{ client_id: 'wwe', redirectUri: 'https://evil.example.net/' }, '/ui/auth/signed-out.html'],
        [{ client_id: 'wwe', redirectUri: `${CALLBACK}/../evil` }, '/ui/auth/signed-out.html'],
        [{ client_id: 'spa', redirectUri: CALLBACK }, '/ui/auth/signed-out.html'],
        [{ redirectUri: CALLBACK }, '/ui/auth/signed-out.html'],
        [{ client_id: 'wwe', redirectUri: CALLBACK }, CALLBACK],
      ];
      for (const [query, expected] of attempts) {
        const { agent, value } = await signedInAgent();
        const response = await agent.get(`/auth/v3/sign-out?${new URLSearchParams(query).toString()}`);
        expect(response.status).toBe(302);
        expect(response.headers.location!).toBe(expected);
        expect(cookiesOf(response).get('cxauth_session')).toMatch(/Max-Age=0/);
        expect(await ctx.redis.exists(`${ctx.prefix}session:${sha256Hex(value)}`)).toBe(0);
        expect((await agent.get('/auth/v3/ping')).status).toBe(403);
      }
    });

    it('the Redis TTL follows the idle timeout', async () => {
      const { value } = await signedInAgent();
      const ttl = await ctx.redis.ttl(`${ctx.prefix}session:${sha256Hex(value)}`);
      expect(ttl).toBeGreaterThan(3500);
      expect(ttl).toBeLessThanOrEqual(3600);
    });
  });

  describe('POST /auth-scheme', () => {
    it.each([
      ['t100\\agent1', undefined, { scheme: 'basic' }],
      ['agent1', 'ssotenant', { scheme: 'saml', protocol: 'oidc' }],
      ['ssotenant\\someone', undefined, { scheme: 'saml', protocol: 'oidc' }],
      ['SSOTenant\\someone', undefined, { scheme: 'saml', protocol: 'oidc' }],
      ['samlnoidp\\someone', undefined, { scheme: 'basic' }],
      ['nobody', 'unknown-tenant', { scheme: 'basic' }],
    ])('%s (tenant %s) → %j', async (userName, tenant, data) => {
      const response = await browser()
        .post('/auth/v3/auth-scheme')
        .send({ data: tenant ? { userName, tenant } : { userName }, operationId: 'op-1' });
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ status: { code: 0 }, data });
    });

    it('refuses unknown fields and a missing userName', async () => {
      const unknown = await browser()
        .post('/auth/v3/auth-scheme')
        .send({ data: { userName: 'a', extra: 1 } });
      expect(unknown.status).toBe(400);
      expect(unknown.body.status.code).toBe(2);
      const missing = await browser().post('/auth/v3/auth-scheme').send({ data: {} });
      expect(missing.status).toBe(400);
    });
  });

  describe('GET /sign-in (a sign-in or password change outside an authorization)', () => {
    it('starts a pending sign-in and sends the browser to the page', async () => {
      const agent = browser();
      const response = await agent.get('/auth/v3/sign-in?locale=fr&hideTenant=true');
      expect(response.status).toBe(302);
      const reference = referenceFrom(response.headers.location!);
      const context = await agent.get(`/auth/v3/sign-in/context?request=${reference}`);
      expect(context.body.data).toMatchObject({
        purpose: 'sign-in',
        locale: 'fr',
        hideTenant: true,
        clientId: null,
        redirectOrigin: null,
      });
      const signIn = await signInAs(agent, reference, context.body.data.csrfToken);
      // signed-in.html gets a reference that says whom this browser's session belongs to.
      const signedIn = referenceFrom(signIn.headers.location!);
      expect(signIn.headers.location!).toBe(`/ui/auth/signed-in.html?request=${signedIn}`);
      const shown = await agent.get(`/auth/v3/sign-in/context?request=${signedIn}`);
      expect(shown.body.data).toMatchObject({ purpose: 'signed-in', locale: 'fr', username: expect.any(String) });
      expect((await agent.get('/auth/v3/ping')).status).toBe(200);
    });

    it('next=signed-in answers from the session cookie: a reference with a session, session=none without', async () => {
      const agent = browser();
      const none = await agent.get('/auth/v3/sign-in?next=signed-in&locale=de');
      expect(none.headers.location!).toBe('/ui/auth/signed-in.html?session=none&locale=de');
      const start = await agent.get('/auth/v3/sign-in');
      const reference = referenceFrom(start.headers.location!);
      const context = await agent.get(`/auth/v3/sign-in/context?request=${reference}`);
      await signInAs(agent, reference, context.body.data.csrfToken);
      const live = await agent.get('/auth/v3/sign-in?next=signed-in');
      expect(live.headers.location!).toMatch(/^\/ui\/auth\/signed-in\.html\?request=[A-Za-z0-9_-]{43}$/);
      // A signed-in reference cannot be used as a sign-in form.
      const replay = await signInAs(agent, referenceFrom(live.headers.location!), context.body.data.csrfToken);
      expect(replay.headers.location!).toBe('/ui/auth/error.html?error=request_expired');
    });

    it('refuses a bad next or locale', async () => {
      expect((await browser().get('/auth/v3/sign-in?next=https://evil.example.net')).status).toBe(400);
      expect((await browser().get('/auth/v3/sign-in?locale=<script>')).status).toBe(400);
    });
  });

  // Last: a second auth-api in this process, after the shared one has done its work.
  describe('PKCE setting, product layout', () => {
    it('PKCE_REQUIRED_FOR_NEW_CLIENTS=false: new confidential clients do not require it; discovery still lists S256', async () => {
      const product = await startAuthApi({ PKCE_REQUIRED_FOR_NEW_CLIENTS: 'false' });
      try {
        const created = await createClient(product.app, {
          client_id: 'installer-app',
          client_secret: 'installer-secret',
          authorizedGrantTypes: ['authorization_code'],
          redirectURIs: [CALLBACK],
        });
        expect(created.requirePkce).toBe(false);
        const told = await createClient(product.app, {
          client_id: 'careful-app',
          client_secret: 'careful-secret',
          requirePkce: true,
          authorizedGrantTypes: ['authorization_code'],
          redirectURIs: [CALLBACK],
        });
        expect(told.requirePkce).toBe(true);
        const discovery = await supertest(product.app.service.url).get('/auth/v3/.well-known/openid-configuration');
        expect(discovery.body.code_challenge_methods_supported).toEqual(['S256']);
      } finally {
        await product.close();
      }
    });
  });
});
