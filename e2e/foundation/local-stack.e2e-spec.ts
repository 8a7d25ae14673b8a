import { ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const MAIN = join(__dirname, '../../dist/tools/local-stack/main.js');

/** `node dist/tools/local-stack/main.js` as `npm start` runs it, with only PATH and the given variables. */
function startStack(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const chunks: string[] = [];
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return { child, output: () => chunks.join('') };
}

// `npm start` as a newcomer runs it: embedded PGlite and the in-memory store, one base URL.
describe('embedded local stack (npm start)', () => {
  let child: ChildProcess;
  let output: () => string;
  let port: number;
  let baseUrl: string;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cxauth-local-'));
    // Port 0: the stack takes a free port itself and names it in the banner (no race with other tests).
    ({ child, output } = startStack({ CXAUTH_PORT: '0', CXAUTH_DATA_DIR: dataDir }));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`stack did not start: ${output()}`)), 90_000);
      child.stdout!.on('data', () => {
        if (output().includes('Ctrl-C stops everything.')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`stack exited with ${code}: ${output()}`)));
    });
    port = Number(/cxauth is running at http:\/\/localhost:(\d+)/.exec(output())![1]);
    baseUrl = `http://localhost:${port}`;
  }, 120_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGINT');
      await once(child, 'exit');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the base URL (the issuer’s host), the local-only ops credentials, and nothing else: the banner is last', async () => {
    const text = output();
    expect(text).toMatch(new RegExp(`cxauth is running at ${baseUrl} +\\(started in \\d+\\.\\d s\\)`));
    expect(text).toContain('ops:ops');
    // Quiet by default: no log line before the banner, nothing after it.
    expect(text.trimStart().startsWith('cxauth is running at')).toBe(true);
    expect(text.trimEnd().endsWith('Ctrl-C stops everything.')).toBe(true);
    const discovery = await fetch(`${baseUrl}/auth/v3/.well-known/openid-configuration`);
    expect(((await discovery.json()) as { issuer: string }).issuer).toBe(`${baseUrl}/auth/v3`);
  });

  it('routes /ui/auth to auth-ui', async () => {
    const response = await fetch(`${baseUrl}/ui/auth/version.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ version: expect.any(String) });
  });

  it("serves the sign-in page at /ui/auth/sign-in.html and at the product's old /auth/sign-in.html", async () => {
    for (const path of ['/ui/auth/sign-in.html', '/auth/sign-in.html']) {
      const response = await fetchLikeABrowser(`${baseUrl}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('<form');
    }
  });

  it.each([
    ['/auth/v3/no-such-route', 'auth-api'],
    ['/environment/v3/no-such-route', 'environment-api'],
    ['/no-such-place', 'auth-ui'],
  ])('answers %s from %s, in the envelope for an API client', async (path) => {
    const response = await fetch(`${baseUrl}${path}`, { headers: { accept: 'application/json' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ status: { code: 5, message: `Cannot GET ${path}` } });
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers an unknown path with an HTML page for a browser', async () => {
    const response = await fetch(`${baseUrl}/auth/v3/no-such-page`, {
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' },
    });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('<h1>Page not found</h1>');
  });

  it('lets curl send a large body with Expect: 100-continue: the service answers 413, and the connection is reused', async () => {
    const body = join(dataDir, 'large.json');
    writeFileSync(body, JSON.stringify({ data: { client_id: 'x', padding: 'a'.repeat(2 * 1024 * 1024) } }));
    // Two requests in one curl run: the second reuses the first one's connection when it stays usable.
    const { stdout, stderr } = await promisify(execFile)(
      'curl',
      [
        '-sS',
        '-v',
        '--max-time',
        '20',
        '-u',
        'ops:ops',
        '-H',
        'Content-Type: application/json',
        '--data-binary',
        `@${body}`,
        '-w',
        '\n%{http_code}\n',
        `${baseUrl}/auth/v3/ops/clients`,
        '--next',
        '-sS',
        '-w',
        '\n%{http_code}\n',
        `${baseUrl}/ui/auth/version.json`,
      ],
      { maxBuffer: 10 * 1024 * 1024 },
    );
    expect(stderr).toContain('Expect: 100-continue');
    const [tooLarge, code413, version, code200] = stdout.trim().split('\n');
    expect(code413).toBe('413');
    expect(JSON.parse(tooLarge!)).toEqual({ status: { code: 7, message: expect.any(String) } });
    expect(code200).toBe('200');
    expect(JSON.parse(version!)).toEqual({ version: expect.any(String) });
    expect(stderr).toMatch(/Re-using existing connection/i);
  });

  it('reports a taken port at once, naming CXAUTH_PORT, before doing any start-up work', async () => {
    const otherDataDir = join(dataDir, 'second');
    const second = startStack({ CXAUTH_PORT: String(port), CXAUTH_DATA_DIR: otherDataDir });
    const [code] = (await once(second.child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(second.output()).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(second.output()).toContain('CXAUTH_PORT=');
    // Nothing was started or created: the check came first.
    expect(existsSync(otherDataDir)).toBe(false);
  });

  it('stops cleanly on Ctrl-C', async () => {
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});

/**
 * Follows redirects keeping cookies, as a browser does: the sign-in page is bound to the flow cookie
 * its start sets (fetch alone drops cookies between redirects).
 */
async function fetchLikeABrowser(url: string): Promise<Response> {
  const cookies = new Map<string, string>();
  let next = url;
  for (let hop = 0; hop < 10; hop++) {
    const cookie = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(next, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const separator = pair.indexOf('=');
      if (separator > 0) cookies.set(pair.slice(0, separator).trim(), pair.slice(separator + 1).trim());
    }
    const location = response.headers.get('location');
    if (response.status < 300 || response.status >= 400 || !location) return response;
    next = new URL(location, next).toString();
  }
  throw new Error(`too many redirects from ${url}`);
}
