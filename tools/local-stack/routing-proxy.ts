import {
  Agent,
  createServer,
  IncomingHttpHeaders,
  IncomingMessage,
  OutgoingHttpHeaders,
  request as httpRequest,
  Server,
  ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Route {
  /** Path prefix as the production ingress routes it, e.g. `/ui/auth` (matches `/ui/auth` and `/ui/auth/…`). */
  prefix: string;
  upstream: string;
  /** Match the path exactly (an ingress `Exact` path), e.g. the product's old `/auth/sign-in.html`. */
  exact?: boolean;
}

/** The services' upstream URLs; a missing one is simply not routed. */
export interface Upstreams {
  authApi?: string;
  authUi?: string;
  environmentApi?: string;
}

/** The production ingress's path routing (docker/nginx.conf, the charts' Ingresses). */
export function ingressRoutes({ authApi, authUi, environmentApi }: Upstreams): Route[] {
  const routes: Route[] = [];
  if (authApi) routes.push({ prefix: '/auth', upstream: authApi });
  if (environmentApi) routes.push({ prefix: '/environment', upstream: environmentApi });
  if (authUi) {
    routes.push(
      { prefix: '/ui/auth', upstream: authUi },
      // The product's old sign-in page path is auth-ui's (an Exact path ahead of the /auth prefix).
      { prefix: '/auth/sign-in.html', upstream: authUi, exact: true },
    );
  }
  return routes;
}

/** Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection and are never forwarded. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
]);

/** How long a body waits for the service's `100 Continue` before it is sent anyway (as curl waits). */
const CONTINUE_TIMEOUT_MS = 1_000;

/**
 * One base URL in front of the services, routed by path like the production ingress: the matching
 * route (exact paths, then the longest prefix) gets the request as the client sent it — raw path
 * with its encoded characters, headers, a streamed body of any size — and the client gets the
 * service's answer unchanged. The proxy never retries and answers nothing itself except 502 when a
 * service is unreachable, 503 while the stack starts, and 404 for a path no route takes.
 *
 * `Expect: 100-continue` is handled as an ingress does: the client is told to continue here, while
 * the body waits for the service's own `100 Continue`; a service that refuses the request first (413
 * for a body over its limit) is answered without sending it the body; the client's upload is read
 * to its end and dropped first, so its keep-alive connection stays usable. (Generic proxy libraries
 * stream the body at once, so such a refusal raced the service closing its socket and came back as
 * 502, or retried 503s.)
 */
export class RoutingProxy {
  private routes: Route[] | null = null;
  private readonly agent = new Agent({ keepAlive: true });

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /**
   * Binds the port first (so a taken port is reported before any start-up work); requests get 503
   * until `route` is called. Rejects with the listen error (`code: 'EADDRINUSE'` for a taken port).
   */
  static async listen(host: string, port: number): Promise<RoutingProxy> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port: bound } = server.address() as AddressInfo;
    const proxy = new RoutingProxy(server, `http://${host.includes(':') ? `[${host}]` : host}:${bound}`);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => proxy.handle(request, response));
    return proxy;
  }

  route(routes: Route[]): void {
    this.routes = [...routes].sort(
      (a, b) => Number(Boolean(b.exact)) - Number(Boolean(a.exact)) || b.prefix.length - a.prefix.length,
    );
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    this.agent.destroy();
    await closed;
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    if (!this.routes)
      return plain(response, 503, 'cxauth is starting; try again in a moment\n', { 'retry-after': '1' });
    const path = routingPath(request.url ?? '/');
    if (path === '/' && (request.method === 'GET' || request.method === 'HEAD')) {
      response.writeHead(302, { location: '/ui/auth/sign-in.html' }).end();
      return;
    }
    const route = this.routes.find((candidate) =>
      candidate.exact
        ? path === candidate.prefix
        : path === candidate.prefix || path.startsWith(`${candidate.prefix.replace(/\/$/, '')}/`),
    );
    if (!route) return plain(response, 404, 'Not found\n');
    this.forward(request, response, new URL(route.upstream));
  }

  private forward(request: IncomingMessage, response: ServerResponse, upstream: URL): void {
    const expectsContinue = /100-continue/i.test(request.headers.expect ?? '');
    const outgoing = httpRequest({
      host: upstream.hostname,
      port: upstream.port,
      method: request.method,
      path: request.url,
      headers: forwardedHeaders(request),
      agent: this.agent,
    });
    let bodySent = false;
    let refused = false;
    const sendBody = () => {
      if (bodySent || refused) return;
      bodySent = true;
      request.pipe(outgoing);
    };
    if (expectsContinue) {
      outgoing.flushHeaders();
      outgoing.once('continue', sendBody);
      setTimeout(sendBody, CONTINUE_TIMEOUT_MS).unref();
    } else {
      sendBody();
    }
    let answered = false;
    outgoing.once('response', (answer) => {
      refused = !bodySent;
      answer.once('end', () => {
        answered = true;
        // Refused before the body was asked for: this upstream request ends here.
        if (refused) outgoing.destroy();
      });
      const relay = () => {
        response.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
        answer.pipe(response);
      };
      // As an ingress that buffers request bodies: the client finishes its upload, then gets the
      // answer, on a connection that stays open for its next request.
      if (refused && !request.complete) {
        request.once('end', relay);
        request.resume();
      } else {
        relay();
      }
    });
    outgoing.on('error', () => {
      if (!response.headersSent) plain(response, 502, 'Bad gateway: the service behind this path is not reachable\n');
      else if (!answered) response.destroy();
    });
    response.once('close', () => {
      if (!response.writableFinished) outgoing.destroy();
    });
  }
}

function forwardedHeaders(request: IncomingMessage): OutgoingHttpHeaders {
  const headers = withoutHopByHop(request.headers);
  const client = request.socket.remoteAddress ?? '';
  const forwardedFor = request.headers['x-forwarded-for'];
  headers['x-forwarded-for'] = forwardedFor ? `${String(forwardedFor)}, ${client}` : client;
  headers['x-forwarded-proto'] = 'http';
  headers['x-forwarded-host'] = request.headers.host ?? '';
  return headers;
}

function withoutHopByHop(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const named = new Set(
    String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase()),
  );
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name) && !named.has(name)),
  ) as OutgoingHttpHeaders;
}

/** Routes by the path with dot segments resolved (as an ingress matches); the raw URL is what is forwarded. */
function routingPath(rawUrl: string): string {
  try {
    return new URL(rawUrl, 'http://ingress').pathname;
  } catch {
    return rawUrl.split('?')[0] ?? '/';
  }
}

function plain(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(body);
}
