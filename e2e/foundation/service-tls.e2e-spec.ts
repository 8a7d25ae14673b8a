import { renameSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { authUiConfigSchema, authUiService } from '@cxauth/auth-ui';
import { CertificateChain, createTestApp, IssuedCertificate, TestApp } from '@cxauth/testing';

interface TlsAnswer {
  status: number;
  body: string;
  /** Serial number of the certificate the server presented. */
  serial: string;
}

/** One HTTPS request on a new connection, trusting only the test root CA. */
function get(url: string, ca: string): Promise<TlsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, servername: 'localhost', agent: false }, (res) => {
      const serial = (res.socket as TLSSocket).getPeerCertificate().serialNumber;
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, serial }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Writes the pair the way the kubelet updates a Secret volume: whole files swapped in at once. */
function install(dir: string, certificate: IssuedCertificate): void {
  for (const [name, content] of [
    ['tls.crt', certificate.chain],
    ['tls.key', certificate.key],
  ] as const) {
    writeFileSync(join(dir, `.${name}.new`), content);
    renameSync(join(dir, `.${name}.new`), join(dir, name));
  }
}

// In-cluster TLS (seed 000 connections 5-7): the service serves HTTPS itself with a real chain
// (root → intermediate → leaf) and picks up a renewed certificate without a restart.
describe('a service serving HTTPS from mounted certificate files', () => {
  const pki = new CertificateChain();
  const dir = mkdtempSync(join(tmpdir(), 'cxauth-tls-'));
  let app: TestApp;
  let first: IssuedCertificate;

  beforeAll(async () => {
    first = pki.issue();
    install(dir, first);
    app = await createTestApp(authUiConfigSchema, authUiService, {
      TLS_CERT_FILE: join(dir, 'tls.crt'),
      TLS_KEY_FILE: join(dir, 'tls.key'),
      TLS_RELOAD_INTERVAL_MS: '200',
      LOG_LEVEL: 'info',
    });
  });

  afterAll(async () => {
    await app?.close();
    pki.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the API and the management port (probes, /metrics) over HTTPS, verified against the root CA', async () => {
    expect(app.service.url).toMatch(/^https:\/\//);
    expect(app.service.managementUrl).toMatch(/^https:\/\//);
    const page = await get(`${app.service.url}/ui/auth/version.json`, pki.rootCa);
    expect(page.status).toBe(200);
    expect(JSON.parse(page.body)).toHaveProperty('version');
    for (const path of ['/health', '/health/live', '/health/ready']) {
      expect((await get(`${app.service.managementUrl}${path}`, pki.rootCa)).status).toBe(200);
    }
    expect((await get(`${app.service.managementUrl}/metrics`, pki.rootCa)).body).toMatch(/^# HELP /m);
  });

  it('refuses clients that do not trust the chain and plain HTTP', async () => {
    const stranger = new CertificateChain();
    try {
      await expect(get(`${app.service.url}/ui/auth/version.json`, stranger.rootCa)).rejects.toThrow(
        /self[- ]signed|unable to verify|unable to get local issuer/i,
      );
    } finally {
      stranger.remove();
    }
    await expect(fetch(`${app.service.url.replace('https:', 'http:')}/ui/auth/version.json`)).rejects.toThrow();
  });

  it('reloads a renewed certificate without a restart, and ignores a mismatched pair', async () => {
    const before = await get(`${app.service.url}/ui/auth/version.json`, pki.rootCa);
    const renewed = pki.issue();
    install(dir, renewed);
    const deadline = Date.now() + 10_000;
    let after = before;
    while (after.serial === before.serial && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await get(`${app.service.url}/ui/auth/version.json`, pki.rootCa);
    }
    expect(after.serial).not.toBe(before.serial);
    expect(after.status).toBe(200);
    expect((await get(`${app.service.managementUrl}/health/ready`, pki.rootCa)).serial).toBe(after.serial);
    expect(app.logs.join('\n')).toContain('TLS certificate reloaded');

    // a key that does not match the certificate (a half-finished rotation) is not installed
    writeFileSync(join(dir, 'tls.key'), first.key);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect((await get(`${app.service.url}/ui/auth/version.json`, pki.rootCa)).serial).toBe(after.serial);
    expect(app.logs.join('\n')).toContain('TLS certificate files unreadable or mismatched');
  });
});
