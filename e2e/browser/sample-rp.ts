import { createHash, randomBytes } from 'node:crypto';
import fastify, { FastifyInstance } from 'fastify';
import { Browser, chromium } from 'playwright-core';
import { freePort } from '@cxauth/platform';

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * A sample relying party (a web app on another origin): "Sign in" starts authorization code + PKCE,
 * /callback exchanges the code server-side and shows the user info.
 */
export interface SampleRelyingParty {
  url: string;
  clientId: string;
  redirectUri: string;
  close(): Promise<void>;
}

export async function startSampleRelyingParty(authBaseUrl: string, clientId: string): Promise<SampleRelyingParty> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const redirectUri = `${url}/callback`;
  const pending = new Map<string, string>();
  const tokens = new Map<string, string>();
  const server: FastifyInstance = fastify({ logger: false });
  const page = (title: string, body: string) =>
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>${escape(title)}</title></head><body><h1>${escape(title)}</h1>${body}</body></html>`;

  server.get('/', async (_request, reply) =>
    reply
      .type('text/html')
      .send(page('Sample app', '<p>You are not signed in.</p><a id="sign-in" href="/login">Sign in</a>')),
  );
  server.get('/login', async (request, reply) => {
    const state = randomBytes(16).toString('base64url');
    const verifier = randomBytes(32).toString('base64url');
    pending.set(state, verifier);
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: redirectUri,
      scope: 'openid',
      state,
      nonce: randomBytes(8).toString('hex'),
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      ...((request.query as Record<string, string>).locale
        ? { locale: (request.query as Record<string, string>).locale }
        : {}),
      ...((request.query as Record<string, string>).tenant
        ? { tenant: (request.query as Record<string, string>).tenant }
        : {}),
    });
    return reply.redirect(`${authBaseUrl}/auth/v3/oauth/authorize?${query.toString()}`);
  });
  server.get('/callback', async (request, reply) => {
    const { code, state, error } = request.query as Record<string, string | undefined>;
    const verifier = state ? pending.get(state) : undefined;
    if (error || !code || !verifier)
      return reply
        .status(400)
        .type('text/html')
        .send(page('Sign-in failed', `<p id="error">${escape(error ?? 'bad state')}</p>`));
    pending.delete(state!);
    const tokenResponse = await fetch(`${authBaseUrl}/auth/v3/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        client_id: clientId,
        code_verifier: verifier,
      }),
    });
    const token = (await tokenResponse.json()) as Record<string, string>;
    if (!tokenResponse.ok)
      return reply
        .status(502)
        .type('text/html')
        .send(page('Token exchange failed', `<p id="error">${escape(JSON.stringify(token))}</p>`));
    const userinfo = await fetch(`${authBaseUrl}/auth/v3/userinfo`, {
      headers: { authorization: `Bearer ${token.access_token}` },
    });
    const user = (await userinfo.json()) as Record<string, unknown>;
    const sid = randomBytes(16).toString('hex');
    tokens.set(sid, token.access_token!);
    const properties = (user.properties ?? {}) as Record<string, unknown>;
    const rows = ['username', 'loginName', 'firstName', 'lastName', 'email', 'dbid', 'employeeId']
      .map(
        (field) =>
          `<dt>${field}</dt><dd id="user-${field}">${escape(String(user[field] ?? properties[field] ?? ''))}</dd>`,
      )
      .join('');
    return reply
      .header('set-cookie', `rp_sid=${sid}; Path=/; HttpOnly; SameSite=Lax`)
      .type('text/html')
      .send(
        page(
          'Welcome',
          `<dl id="userinfo">${rows}</dl><p id="id-token">${token.id_token ? 'id_token received' : 'no id_token'}</p><a id="sign-out" href="/logout">Sign out</a>`,
        ),
      );
  });
  server.get('/logout', async (_request, reply) => {
    const query = new URLSearchParams({ client_id: clientId, redirectUri: `${url}/` });
    return reply.redirect(`${authBaseUrl}/auth/v3/sign-out?${query.toString()}`);
  });
  await server.listen({ host: '127.0.0.1', port });
  return { url, clientId, redirectUri, close: () => server.close() };
}

/** Debian's Chromium (apt-get install -y chromium; never a downloaded one), headless, as every browser test runs it; see docs/sign-in.md. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
