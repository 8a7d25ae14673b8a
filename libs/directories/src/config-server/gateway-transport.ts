import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** Where one gateway (or, behind a central gateway, one Configuration Server) listens. */
export interface GatewayEndpoint {
  host: string;
  port: number;
}

export function endpointKey(endpoint: GatewayEndpoint): string {
  return endpoint.host.includes(':') ? `[${endpoint.host}]:${endpoint.port}` : `${endpoint.host}:${endpoint.port}`;
}

/** The endpoint could not be used: no connection (`connect`), no answer in time (`timeout`), or a broken answer. */
export class GatewayTransportError extends Error {
  constructor(
    public readonly kind: 'connect' | 'timeout' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'GatewayTransportError';
  }
}

export interface GatewayResponse {
  status: number;
  body: unknown;
}

export interface TransportOptions {
  tls: boolean;
  /** PEM CA bundle for https; the system store when absent. */
  ca?: string;
  connectTimeoutMs: number;
}

const MAX_RESPONSE_BYTES = 1024 * 1024;
/** Failures to reach the endpoint at all (a kept-alive socket the peer closed counts too). */
const CONNECTION_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * JSON over HTTP(S) with keep-alive, and the two timeouts the product counts apart: connecting
 * (`auth_cs_connection_timeouts_total`) and waiting for the answer (`auth_cs_command_timeouts_total`).
 */
export class GatewayTransport {
  private readonly agent: HttpAgent | HttpsAgent;

  constructor(private readonly options: TransportOptions) {
    this.agent = options.tls
      ? new HttpsAgent({ keepAlive: true, maxSockets: 32, ca: options.ca })
      : new HttpAgent({ keepAlive: true, maxSockets: 32 });
  }

  send(
    baseUrl: URL,
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body: unknown,
    timeoutMs: number,
  ): Promise<GatewayResponse> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const url = new URL(path.replace(/^\//, ''), baseUrl.href.endsWith('/') ? baseUrl : `${baseUrl.href}/`);
    return new Promise<GatewayResponse>((resolve, reject) => {
      let connected = false;
      const request = (this.options.tls ? httpsRequest : httpRequest)(url, {
        method,
        agent: this.agent,
        headers: {
          accept: 'application/json',
          ...(payload && { 'content-type': 'application/json', 'content-length': String(payload.length) }),
          ...headers,
        },
      });
      const connectTimer = setTimeout(() => {
        if (!connected) request.destroy(new GatewayTransportError('connect', `no connection to ${url.host} in time`));
      }, this.options.connectTimeoutMs);
      const answerTimer = setTimeout(() => {
        request.destroy(
          connected
            ? new GatewayTransportError('timeout', `${url.host} did not answer within ${timeoutMs} ms`)
            : new GatewayTransportError('connect', `no connection to ${url.host} in time`),
        );
      }, timeoutMs);
      const done = () => {
        clearTimeout(connectTimer);
        clearTimeout(answerTimer);
      };
      request.on('socket', (socket) => {
        // A reused keep-alive socket is already connected.
        if (!socket.connecting) connected = true;
        else socket.once(this.options.tls ? 'secureConnect' : 'connect', () => (connected = true));
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        done();
        if (error instanceof GatewayTransportError) return reject(error);
        const kind = !connected || CONNECTION_ERRORS.has(error.code ?? '') ? 'connect' : 'unavailable';
        reject(new GatewayTransportError(kind, `${url.host}: ${error.message}`));
      });
      request.on('response', (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) request.destroy(new GatewayTransportError('unavailable', 'answer too large'));
          else chunks.push(chunk);
        });
        response.on('end', () => {
          done();
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = undefined;
          if (text) {
            try {
              parsed = JSON.parse(text);
            } catch {
              parsed = undefined;
            }
          }
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
        response.on('error', (error) => {
          done();
          reject(new GatewayTransportError('unavailable', `${url.host}: ${error.message}`));
        });
      });
      request.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
