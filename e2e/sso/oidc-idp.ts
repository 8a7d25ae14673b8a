import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import supertest from 'supertest';

type Accounts = Record<string, Record<string, string | string[]>>;

/** A running test identity provider (node-oidc-provider in a child process). */
export interface TestOidcIdp {
  issuer: string;
  /** Replaces the accounts (login → claims); the next sign-in at the IdP sees them. */
  setAccounts(accounts: Accounts): void;
  close(): Promise<void>;
}

export interface TestOidcClient {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
  /** Where the IdP's end-session endpoint may send the browser back (RP-initiated logout). */
  post_logout_redirect_uris?: string[];
  token_endpoint_auth_method?: string;
}

/** Starts oidc-idp-server.mjs on a free port with these clients and accounts (login → claims). */
export async function startOidcIdp(clients: TestOidcClient[], accounts: Accounts): Promise<TestOidcIdp> {
  const directory = mkdtempSync(join(tmpdir(), 'cxauth-oidc-idp-'));
  const accountsFile = join(directory, 'accounts.json');
  const setAccounts = (next: Accounts) => writeFileSync(accountsFile, JSON.stringify(next));
  setAccounts(accounts);
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-idp-server.mjs')], {
    env: { ...process.env, IDP_CLIENTS: JSON.stringify(clients), IDP_ACCOUNTS_FILE: accountsFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The library's start-up warnings (development adapter and pages, as intended here) are noise; the rest is shown.
  createInterface({ input: child.stderr! }).on('line', (line) => {
    if (!line.startsWith('oidc-provider WARNING')) process.stderr.write(`${line}\n`);
  });
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the test IdP did not start in 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`the test IdP exited (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('READY ')) return;
      clearTimeout(timer);
      resolve(line.slice('READY '.length));
    });
  });
  return {
    issuer,
    setAccounts,
    close: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(directory, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once('exit', done);
        child.kill('SIGTERM');
      }),
  };
}

const attribute = (tag: string, name: string) =>
  new RegExp(`\\s${name}="([^"]*)"`)
    .exec(tag)?.[1]
    ?.replace(/&amp;/g, '&')
    .replace(/&#x2F;/g, '/');

/**
 * Signs in at the IdP without a browser, as `login`: from the authorization URL cxauth sent the browser
 * to, through node-oidc-provider's development pages (each form posted with its hidden fields, the
 * login form with `login` and any password), with the IdP's cookies kept. Answers the URL the IdP
 * then sends the browser to (cxauth's callback).
 */
export async function signInAtOidcIdpOverHttp(
  idp: TestOidcIdp,
  authorizationUrl: string,
  login: string,
): Promise<string> {
  const agent = supertest.agent(idp.issuer);
  let response = await agent.get(authorizationUrl.slice(idp.issuer.length));
  for (let step = 0; step < 12; step++) {
    const location = response.headers.location;
    if (location) {
      const next = new URL(location, idp.issuer).toString();
      if (!next.startsWith(idp.issuer)) return next;
      response = await agent.get(next.slice(idp.issuer.length));
      continue;
    }
    const form = /<form[^>]*>[\s\S]*?<\/form>/.exec(response.text)?.[0];
    if (response.status !== 200 || !form)
      throw new Error(`the IdP answered ${response.status}: ${response.text.slice(0, 300)}`);
    const fields: Record<string, string> = {};
    for (const input of form.match(/<input[^>]*>/g) ?? []) {
      const name = attribute(input, 'name');
      if (name) fields[name] = attribute(input, 'value') ?? '';
    }
    if ('login' in fields) Object.assign(fields, { login, password: 'any-password' });
    const action = new URL(attribute(form.slice(0, form.indexOf('>') + 1), 'action') ?? '', idp.issuer);
    response = await agent.post(`${action.pathname}${action.search}`).type('form').send(fields);
  }
  throw new Error('no answer from the IdP after 12 steps');
}
