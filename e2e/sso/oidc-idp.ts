import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A running test identity provider (node-oidc-provider in a child process). */
export interface TestOidcIdp {
  issuer: string;
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
export async function startOidcIdp(
  clients: TestOidcClient[],
  accounts: Record<string, Record<string, string | string[]>>,
): Promise<TestOidcIdp> {
  const child: ChildProcess = spawn(process.execPath, [join(__dirname, 'oidc-idp-server.mjs')], {
    env: { ...process.env, IDP_CLIENTS: JSON.stringify(clients), IDP_ACCOUNTS: JSON.stringify(accounts) },
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
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
