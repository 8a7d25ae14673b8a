import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authUiConfigSchema, authUiService } from '@cxauth/auth-ui';
import { createTestApp, TestApp } from '@cxauth/testing';

/**
 * A stand-in for Elasticsearch's `_bulk` API (no Elasticsearch server can be installed here): it records
 * each request and can answer, fail (500) or stall (hold the request until released).
 */
class BulkStandIn {
  mode: 'ok' | 'fail' | 'stall' = 'ok';
  readonly requests: { url: string; headers: IncomingMessage['headers']; lines: Record<string, unknown>[] }[] = [];
  private readonly stalled: ServerResponse[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const lines = Buffer.concat(chunks)
          .toString()
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as Record<string, unknown>);
        this.requests.push({ url: req.url ?? '', headers: req.headers, lines });
        if (this.mode === 'stall') return void this.stalled.push(res);
        res.writeHead(this.mode === 'ok' ? 200 : 500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: false, items: [] }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
  }

  /** The log documents received (every other line of a `_bulk` body is the action). */
  documents(): Record<string, unknown>[] {
    return this.requests.flatMap((request) => request.lines.filter((_line, index) => index % 2 === 1));
  }

  async stop(): Promise<void> {
    for (const res of this.stalled.splice(0)) res.destroy();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

async function waitFor(predicate: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await predicate())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('log shipping to Elasticsearch (against a _bulk stand-in)', () => {
  const standIn = new BulkStandIn();
  let app: TestApp;
  const shipped = async (outcome: string) => {
    const text = await (await fetch(`${app.service.managementUrl}/metrics`)).text();
    return Number(
      new RegExp(`^cxauth_log_shipping_lines_total\\{outcome="${outcome}"[^}]*\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0,
    );
  };

  beforeAll(async () => {
    const url = await standIn.start();
    app = await createTestApp(authUiConfigSchema, authUiService, {
      LOG_LEVEL: 'info',
      LOG_REQUESTS: 'all',
      LOG_FORMAT: 'ecs',
      ELASTICSEARCH_URL: url,
      ELASTICSEARCH_API_KEY: 'c3RhbmQtaW46a2V5',
      ELASTICSEARCH_INDEX: 'cxauth-logs-{yyyy.MM.dd}',
      ELASTICSEARCH_FLUSH_INTERVAL_MS: '50',
      ELASTICSEARCH_BATCH_LINES: '20',
      ELASTICSEARCH_BUFFER_LINES: '30',
      ELASTICSEARCH_TIMEOUT_MS: '60000',
    });
  });
  afterAll(async () => {
    await app.close();
    await standIn.stop();
  });

  it('ships redacted ECS lines in _bulk batches with the API key and the dated index', async () => {
    await app.http().get('/ui/auth/version.json?password=hunter2-Pa55&XXXcard=4111-dropped');
    await waitFor(() => standIn.documents().some((doc) => JSON.stringify(doc).includes('request completed')));
    const request = standIn.requests[0]!;
    expect(request.url).toBe('/_bulk');
    expect(request.headers.authorization).toBe('ApiKey c3RhbmQtaW46a2V5');
    expect(request.headers['content-type']).toBe('application/x-ndjson');
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '.');
    expect(request.lines[0]).toEqual({ create: { _index: `cxauth-logs-${day}` } });
    const line = standIn.documents().find((doc) => JSON.stringify(doc).includes('request completed'))!;
    expect(line).toMatchObject({
      message: 'request completed',
      'log.level': 'info',
      'ecs.version': expect.any(String),
      'service.name': 'auth-ui',
      'http.request.method': 'GET',
      'http.response.status_code': 200,
    });
    expect(line['url.path']).toContain('/ui/auth/version.json');
    expect(line['@timestamp']).toEqual(expect.any(String));
    const all = JSON.stringify(standIn.documents());
    expect(all).not.toContain('hunter2-Pa55');
    expect(all).not.toContain('4111-dropped');
    await waitFor(async () => (await shipped('shipped')) > 0);
  });

  it('never slows requests when Elasticsearch stalls: the buffer is bounded and the rest is dropped and counted', async () => {
    standIn.mode = 'stall';
    await waitFor(async () => {
      await app.http().get('/ui/auth/version.json');
      return standIn.requests.length > 0 && (await shipped('dropped_buffer_full')) > 0;
    });
    const started = performance.now();
    for (let i = 0; i < 100; i += 1) await app.http().get('/ui/auth/version.json').expect(200);
    const elapsed = performance.now() - started;
    // 100 requests with a stalled Elasticsearch behind the log: generous bound on a loaded machine.
    expect(elapsed).toBeLessThan(10_000);
    expect(await shipped('dropped_buffer_full')).toBeGreaterThanOrEqual(100 - 30);
  });

  it('drops and counts a batch Elasticsearch refuses', async () => {
    await standIn.stop();
    standIn.mode = 'fail';
    const before = await shipped('dropped_failed');
    // The stalled request ends (connection destroyed): its batch counts as failed; later ones too.
    await waitFor(async () => (await shipped('dropped_failed')) > before);
  });
});
