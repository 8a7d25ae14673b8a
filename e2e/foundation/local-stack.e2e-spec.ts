import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@cxauth/testing';

// `npm start` as a newcomer runs it: embedded PGlite and the in-memory store, one base URL.
describe('embedded local stack (npm start)', () => {
  let child: ChildProcess;
  let baseUrl: string;
  let dataDir: string;
  const output: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cxauth-local-'));
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, CXAUTH_PORT: String(port), CXAUTH_DATA_DIR: dataDir };
    child = spawn(process.execPath, [join(__dirname, '../../dist/tools/local-stack/main.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`stack did not start: ${output.join('')}`)), 60_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        output.push(chunk.toString());
        if (output.join('').includes('Ctrl-C stops everything.')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => reject(new Error(`stack exited with ${code}: ${output.join('')}`)));
    });
    baseUrl = `http://127.0.0.1:${port}`;
  }, 90_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      child.kill('SIGINT');
      await once(child, 'exit');
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the base URL and the local-only ops credentials', () => {
    expect(output.join('')).toContain(`cxauth is running at ${baseUrl}`);
    expect(output.join('')).toContain('ops:ops');
  });

  it('routes /ui/auth to auth-ui', async () => {
    const response = await fetch(`${baseUrl}/ui/auth/version.json`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ version: expect.any(String) });
  });

  it("serves the sign-in page at /ui/auth/sign-in.html and at the product's old /auth/sign-in.html", async () => {
    for (const path of ['/ui/auth/sign-in.html', '/auth/sign-in.html']) {
      const response = await fetch(`${baseUrl}${path}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toContain('<form');
    }
  });

  it.each([
    ['/auth/v3/no-such-route', 'auth-api'],
    ['/environment/v3/no-such-route', 'environment-api'],
  ])('routes %s to %s (answers in its envelope)', async (path) => {
    const response = await fetch(`${baseUrl}${path}`);
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ status: { code: 5, message: `Cannot GET ${path}` } });
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('stops cleanly on Ctrl-C', async () => {
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });
});
