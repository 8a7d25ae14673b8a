import { once } from 'node:events';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  createTestStorage,
  ServiceProcess,
  startServiceProcess,
  TEST_SERVICE_ENV,
  TestDatabase,
} from '@cxauth/testing';

const AUTH_API = join(__dirname, '../../dist/apps/auth-api/src/main.js');

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: Record<string, unknown> }[];
}

/** An OTLP/HTTP receiver stand-in: records what arrives at POST /v1/traces (OTLP JSON). */
class OtlpReceiver {
  readonly requests: { url: string; body: Record<string, unknown> }[] = [];
  private server?: Server;

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.requests.push({
          url: `${req.method} ${req.url}`,
          body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>,
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  spans(): (ExportedSpan & { service: unknown })[] {
    type Body = {
      resourceSpans?: {
        resource: { attributes: { key: string; value: { stringValue?: string } }[] };
        scopeSpans: { spans: ExportedSpan[] }[];
      }[];
    };
    return this.requests.flatMap(({ body }) =>
      ((body as Body).resourceSpans ?? []).flatMap((resource) =>
        resource.scopeSpans.flatMap((scope) =>
          scope.spans.map((span) => ({
            ...span,
            service: resource.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue,
          })),
        ),
      ),
    );
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

async function waitFor(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function stop(service: ServiceProcess): Promise<void> {
  if (service.child.exitCode !== null) return;
  service.child.kill('SIGTERM');
  await once(service.child, 'exit');
}

const SPAN_KIND_SERVER = 2;
const SPAN_KIND_CLIENT = 3;

describe('OpenTelemetry traces (built auth-api against an OTLP/HTTP receiver stand-in)', () => {
  const receiver = new OtlpReceiver();
  let database: TestDatabase;
  let env: Record<string, string>;

  beforeAll(async () => {
    const storage = await createTestStorage();
    database = storage.database;
    const endpoint = await receiver.start();
    env = {
      ...TEST_SERVICE_ENV,
      ...storage.env,
      LOG_LEVEL: 'info',
      LOG_REQUESTS: 'all',
      OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
      // The SDK's batch delay (default 5 s), shortened so the test does not wait.
      OTEL_BSP_SCHEDULE_DELAY: '100',
    };
  }, 60_000);
  afterAll(async () => {
    await receiver.stop();
    await database.drop();
  });

  const tokenRequest = (url: string, headers: Record<string, string> = {}) =>
    fetch(`${url}/auth/v3/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from('ops:ops').toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        ...headers,
      },
      body: new URLSearchParams({ grant_type: 'password', username: 'ops', password: 'ops' }).toString(),
    });

  it('continues an incoming traceparent: server span, PostgreSQL and Redis child spans, trace id in the log line', async () => {
    const service = await startServiceProcess(AUTH_API, { ...env, OTEL_TRACES_ENABLED: 'true' });
    try {
      const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
      const parentId = '00f067aa0ba902b7';
      const response = await tokenRequest(service.url, { traceparent: `00-${traceId}-${parentId}-01` });
      // Any answer will do (the ops client may not hold the password grant): the request was traced.
      expect(response.status).toBeLessThan(500);

      await waitFor(() => receiver.spans().some((span) => span.traceId === traceId && span.kind === SPAN_KIND_SERVER));
      const server = receiver.spans().find((span) => span.traceId === traceId && span.kind === SPAN_KIND_SERVER)!;
      expect(server.parentSpanId).toBe(parentId);
      expect(server.service).toBe('auth-api');
      expect(receiver.requests.every((request) => request.url === 'POST /v1/traces')).toBe(true);

      await waitFor(() =>
        receiver
          .spans()
          .some(
            (span) =>
              span.traceId === traceId &&
              span.kind === SPAN_KIND_CLIENT &&
              /^(pg|redis|ioredis)/i.test(span.name + JSON.stringify(span.attributes)),
          ),
      );
      const children = receiver.spans().filter((span) => span.traceId === traceId && span.spanId !== server.spanId);
      const systems = children.map(
        (span) => span.attributes.find((a) => a.key === 'db.system' || a.key === 'db.system.name')?.value.stringValue,
      );
      expect(systems).toEqual(expect.arrayContaining(['postgresql']));
      expect(systems.some((system) => system === 'redis')).toBe(true);

      const line = service.output
        .join('')
        .split('\n')
        .filter((text) => text.includes('request completed') && text.includes('/oauth/token'))
        .map((text) => JSON.parse(text) as Record<string, unknown>)[0];
      expect(line).toMatchObject({ trace_id: traceId, span_id: expect.stringMatching(/^[0-9a-f]{16}$/) });
      // Nothing secret went out in the spans.
      expect(JSON.stringify(receiver.requests)).not.toMatch(/ops:ops|b3BzOm9wcw/);
    } finally {
      await stop(service);
    }
  }, 90_000);

  it('names the ids trace.id and span.id in ECS lines', async () => {
    const service = await startServiceProcess(AUTH_API, { ...env, OTEL_TRACES_ENABLED: 'true', LOG_FORMAT: 'ecs' });
    try {
      const traceId = '5bf92f3577b34da6a3ce929d0e0e4737';
      await tokenRequest(service.url, { traceparent: `00-${traceId}-00f067aa0ba902b8-01` });
      await waitFor(() => service.output.join('').includes(`"trace.id":"${traceId}"`));
      const line = service.output
        .join('')
        .split('\n')
        .find((text) => text.includes(`"trace.id":"${traceId}"`))!;
      expect(JSON.parse(line)).toMatchObject({ 'span.id': expect.stringMatching(/^[0-9a-f]{16}$/) });
    } finally {
      await stop(service);
    }
  }, 90_000);

  it('sends nothing and logs no trace ids when tracing is off (the default)', async () => {
    const before = receiver.requests.length;
    const service = await startServiceProcess(AUTH_API, env);
    try {
      const response = await tokenRequest(service.url, {
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      });
      expect(response.status).toBeLessThan(500);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(receiver.requests.length).toBe(before);
      expect(service.output.join('')).not.toContain('trace_id');
    } finally {
      await stop(service);
    }
  }, 90_000);
});
