import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { once } from 'node:events';
import { connect, Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { authApiConfigSchema, authApiService } from '@cxauth/auth-api';
import { createTestApp, createTestStorage, TestApp, TestDatabase } from '@cxauth/testing';
import { ingressRoutes, RoutingProxy, Upstreams } from '../routing-proxy';

async function startRoutingProxy(upstreams: Upstreams): Promise<RoutingProxy> {
  const proxy = await RoutingProxy.listen('127.0.0.1', 0);
  proxy.route(ingressRoutes(upstreams));
  return proxy;
}

/** What a stand-in upstream saw (for the pass-through checks that need no real service). */
interface Seen {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
}

async function startUpstream(status: number, seen: Seen[]): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    seen.push({ method: request.method, url: request.url, headers: request.headers });
    request.resume();
    request.on('end', () => response.writeHead(status, { 'content-type': 'text/plain' }).end(`upstream ${status}`));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** One raw HTTP/1.1 exchange on an open socket: writes `head`, optionally waits for 100 Continue, then the body. */
class RawConnection {
  private buffer = '';
  constructor(private readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (this.buffer += chunk));
  }

  static async open(url: string): Promise<RawConnection> {
    const { hostname, port } = new URL(url);
    const socket = connect(Number(port), hostname);
    await once(socket, 'connect');
    return new RawConnection(socket);
  }

  write(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Waits until the buffered bytes match, then consumes up to the end of the match. */
  async expect(pattern: RegExp, timeoutMs = 10_000): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this.buffer);
      if (match) {
        this.buffer = this.buffer.slice(match.index + match[0].length);
        return match;
      }
      if (Date.now() > deadline || this.socket.destroyed)
        throw new Error(`no ${pattern} in ${JSON.stringify(this.buffer)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** A complete response with a Content-Length body. */
  async response(): Promise<{ status: number; head: string; body: string }> {
    const [, status, head] = await this.expect(/HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n/);
    const length = Number(/content-length: (\d+)/i.exec(head!)?.[1] ?? 0);
    const [body] = length ? await this.expect(new RegExp(`^[\\s\\S]{${length}}`)) : [''];
    return { status: Number(status), head: head!, body };
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('routing proxy (the ingress stand-in of npm start and the e2e tests)', () => {
  let database: TestDatabase;
  let authApi: TestApp;
  let proxy: RoutingProxy;
  const seen: Seen[] = [];
  let failing: { server: Server; url: string };

  beforeAll(async () => {
    const storage = await createTestStorage();
    database = storage.database;
    authApi = await createTestApp(authApiConfigSchema, authApiService, { ...storage.env, TRUST_PROXY: 'true' });
    failing = await startUpstream(503, seen);
    proxy = await startRoutingProxy({ authApi: authApi.service.url, environmentApi: failing.url });
  });

  afterAll(async () => {
    await proxy?.close();
    failing?.server.close();
    await authApi?.close();
    await database?.drop();
  });

  beforeEach(() => {
    seen.length = 0;
  });

  it('passes a 503 on GET straight through, once (an ingress does not retry)', async () => {
    const started = Date.now();
    const response = await fetch(`${proxy.url}/environment/v3/environments`);
    expect(response.status).toBe(503);
    expect(await response.text()).toBe('upstream 503');
    expect(seen).toHaveLength(1);
    // The proxy added no waiting of its own (a retrying proxy took over a second here).
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('forwards the raw path, query and headers, adding X-Forwarded-*', async () => {
    const response = await fetch(`${proxy.url}/environment/v3/a%2Fb/..%2f..%2fetc?x=%20y`, {
      headers: { 'x-request-id': 'trace-1' },
    });
    expect(response.status).toBe(503);
    expect(seen[0]).toMatchObject({
      method: 'GET',
      url: '/environment/v3/a%2Fb/..%2f..%2fetc?x=%20y',
      headers: expect.objectContaining({
        'x-request-id': 'trace-1',
        'x-forwarded-for': '127.0.0.1',
        'x-forwarded-proto': 'http',
        'x-forwarded-host': expect.stringContaining('127.0.0.1'),
      }),
    });
  });

  it('lets an encoded path reach the service, which gives its own answer', async () => {
    const path = '/auth/v3/ops/clients/..%2f..%2fetc%2fpasswd';
    const headers = { authorization: `Basic ${Buffer.from('ops:ops').toString('base64')}` };
    const direct = await fetch(`${authApi.service.url}${path}`, { headers });
    const proxied = await fetch(`${proxy.url}${path}`, { headers });
    expect(proxied.status).toBe(direct.status);
    const body = await proxied.json();
    expect(body).toEqual(await direct.json());
    // The service's envelope, not a proxy answer.
    expect(body).toEqual({ status: { code: 5, message: expect.any(String) } });
    expect(proxied.headers.get('x-request-id')).toBeTruthy();
  });

  it('answers Expect: 100-continue with a body over the service limit by the service 413, and the connection stays usable', async () => {
    const connection = await RawConnection.open(proxy.url);
    try {
      const body = Buffer.alloc(2 * 1024 * 1024, 'a');
      connection.write(
        'POST /auth/v3/oauth/token HTTP/1.1\r\nHost: localhost\r\n' +
          `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
      );
      // curl waits for 100 Continue (or a final answer) before it sends the body.
      const [interim] = await connection.expect(/HTTP\/1\.1 (100|413)[^\r]*\r\n/);
      if (interim.includes('100')) {
        await connection.expect(/^\r\n/);
        connection.write(body);
      }
      const tooLarge = await connection.response();
      expect(tooLarge.status).toBe(413);
      expect(JSON.parse(tooLarge.body)).toEqual({ error: 'invalid_request', error_description: expect.any(String) });

      // The next request on the same connection is answered.
      connection.write('GET /auth/v3/.well-known/openid-configuration HTTP/1.1\r\nHost: localhost\r\n\r\n');
      const next = await connection.response();
      expect(next.status).toBe(200);
      expect(JSON.parse(next.body)).toMatchObject({ issuer: expect.any(String) });
    } finally {
      connection.close();
    }
  });

  it('answers 502 when the service behind a path is down, and 404 for paths no service owns', async () => {
    const down = await startUpstream(200, []);
    down.server.close();
    await once(down.server, 'close');
    const lonely = await startRoutingProxy({ authUi: down.url });
    try {
      const response = await fetch(`${lonely.url}/ui/auth/sign-in.html`);
      expect(response.status).toBe(502);
      expect(await response.text()).toContain('Bad gateway');
      expect((await fetch(`${lonely.url}/nowhere`)).status).toBe(404);
    } finally {
      await lonely.close();
    }
  });

  it('answers 503 with Retry-After while the stack is still starting', async () => {
    const starting = await RoutingProxy.listen('127.0.0.1', 0);
    try {
      const response = await fetch(`${starting.url}/auth/v3/.well-known/openid-configuration`);
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
    } finally {
      await starting.close();
    }
  });

  it('refuses a port that is taken, with EADDRINUSE', async () => {
    const port = Number(new URL(proxy.url).port);
    await expect(RoutingProxy.listen('127.0.0.1', port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});
