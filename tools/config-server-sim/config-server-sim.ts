import { timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { GATEWAY_ERRORS, GATEWAY_HEADERS, gatewayPersonSchema, type GatewayPerson } from '@cxauth/directories';

/** A person of the simulator's data file: the contract's person plus its password. */
const simPersonSchema = gatewayPersonSchema.extend({
  password: z.string().min(1),
  passwordExpired: z.boolean().default(false),
  canChangePassword: z.boolean().default(true),
});

export const simDataSchema = z.object({
  /** What the environment record must carry: `username`, `password` and `appName`. */
  credentials: z.object({ username: z.string(), password: z.string(), appName: z.string().optional() }),
  persons: z.array(simPersonSchema),
});

export type SimData = z.input<typeof simDataSchema>;
type SimPerson = z.infer<typeof simPersonSchema>;

export interface ConfigServerSimOptions {
  data: SimData;
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Serve https with this key and certificate (PEM). */
  tls?: { key: string; cert: string };
}

export interface ConfigServerSim {
  url: string;
  host: string;
  port: number;
  /** Requests answered since start (or the last `resetCounts`), by path. */
  counts: Map<string, number>;
  /** Every `X-Cfg-Server` value seen (the endpoint a central gateway is asked to use). */
  configServersSeen: Set<string>;
  resetCounts(): void;
  /**
   * `refuse`: stop listening (connections are refused, as when the gateway host is down);
   * `unavailable`: answer 503 `config_server_unavailable` (the gateway is up, its Configuration Server is not).
   */
  goDown(mode?: 'refuse' | 'unavailable'): Promise<void>;
  comeUp(): Promise<void>;
  /** Delay every answer by `ms` (0 = normal). */
  slowDown(ms: number): void;
  /** Refuse this person's sign-in (401) even with the right password, until `accept`. */
  reject(userName: string): void;
  accept(userName: string): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 64 * 1024;

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function publicPerson(person: SimPerson): GatewayPerson {
  const { password: _password, passwordExpired: _expired, canChangePassword: _change, ...rest } = person;
  return rest;
}

/**
 * A Configuration Server gateway simulator: serves the gateway contract (docs/config-server-gateway.md)
 * from a data file, and can be told to go down, slow down or reject a person. For tests and `npm start`.
 */
export async function startConfigServerSim(options: ConfigServerSimOptions): Promise<ConfigServerSim> {
  const data = simDataSchema.parse(options.data);
  const persons = new Map(data.persons.map((person) => [person.userName.toLowerCase(), person]));
  const rejected = new Set<string>();
  const changedRevisions = new Map<number, number>();
  let revision = 1;
  let delayMs = 0;
  let mode: 'up' | 'unavailable' | 'refuse' = 'up';
  const counts = new Map<string, number>();
  const configServersSeen = new Set<string>();

  const send = (response: ServerResponse, status: number, body?: unknown) => {
    response.writeHead(status, body === undefined ? {} : { 'content-type': 'application/json' });
    response.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const fail = (response: ServerResponse, status: number, error: string, message?: string) =>
    send(response, status, { error, ...(message && { message }) });

  const readJson = async (request: IncomingMessage): Promise<Record<string, unknown> | null> => {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return null;
      chunks.push(chunk);
    }
    try {
      const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  };

  const authorized = (request: IncomingMessage): boolean => {
    const header = request.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) return false;
    const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const separator = decoded.indexOf(':');
    const username = decoded.slice(0, separator);
    const password = decoded.slice(separator + 1);
    const appName = request.headers[GATEWAY_HEADERS.APPLICATION];
    return (
      separator > 0 &&
      sameSecret(username, data.credentials.username) &&
      sameSecret(password, data.credentials.password) &&
      (data.credentials.appName === undefined || appName === data.credentials.appName)
    );
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://sim');
    counts.set(url.pathname, (counts.get(url.pathname) ?? 0) + 1);
    const configServer = request.headers[GATEWAY_HEADERS.CONFIG_SERVER];
    if (typeof configServer === 'string') configServersSeen.add(configServer);
    if (delayMs > 0) await sleep(delayMs);
    if (mode === 'unavailable') {
      return fail(response, 503, GATEWAY_ERRORS.CONFIG_SERVER_UNAVAILABLE, 'no connection to the Configuration Server');
    }
    if (url.pathname === '/v1/health' && request.method === 'GET') return send(response, 200, { status: 'up' });
    if (!authorized(request)) return fail(response, 401, GATEWAY_ERRORS.UNAUTHORIZED);

    if (url.pathname === '/v1/persons/authenticate' && request.method === 'POST') {
      const body = await readJson(request);
      if (!body || typeof body.userName !== 'string' || typeof body.password !== 'string') {
        return fail(response, 400, 'invalid_request', 'userName and password are required');
      }
      const person = persons.get(body.userName.toLowerCase());
      if (
        !person ||
        person.state !== 'CFGEnabled' ||
        rejected.has(person.userName.toLowerCase()) ||
        !sameSecret(body.password, person.password)
      ) {
        return fail(response, 401, GATEWAY_ERRORS.INVALID_CREDENTIALS);
      }
      if (person.passwordExpired) return fail(response, 403, GATEWAY_ERRORS.PASSWORD_EXPIRED);
      return send(response, 200, publicPerson(person));
    }
    if (url.pathname === '/v1/persons' && request.method === 'GET') {
      const person = persons.get((url.searchParams.get('userName') ?? '').toLowerCase());
      return send(response, 200, { persons: person ? [publicPerson(person)] : [] });
    }
    const byDbid = /^\/v1\/persons\/(\d{1,10})$/.exec(url.pathname);
    if (byDbid && request.method === 'GET') {
      const person = [...persons.values()].find((candidate) => candidate.dbid === Number(byDbid[1]));
      return person ? send(response, 200, publicPerson(person)) : fail(response, 404, 'not_found');
    }
    if (url.pathname === '/v1/persons/password' && request.method === 'POST') {
      const body = await readJson(request);
      const { userName, oldPassword, newPassword } = body ?? {};
      if (typeof userName !== 'string' || typeof oldPassword !== 'string' || typeof newPassword !== 'string') {
        return fail(response, 400, 'invalid_request', 'userName, oldPassword and newPassword are required');
      }
      const person = persons.get(userName.toLowerCase());
      if (!person || person.state !== 'CFGEnabled' || !sameSecret(oldPassword, person.password)) {
        return fail(response, 401, GATEWAY_ERRORS.INVALID_CREDENTIALS);
      }
      if (!person.canChangePassword) return fail(response, 403, GATEWAY_ERRORS.PASSWORD_CHANGE_NOT_ALLOWED);
      if (newPassword.length < 8) return fail(response, 400, GATEWAY_ERRORS.PASSWORD_POLICY, 'at least 8 characters');
      person.password = newPassword;
      person.passwordExpired = false;
      changedRevisions.set(person.dbid, ++revision);
      return send(response, 204);
    }
    if (url.pathname === '/v1/changes' && request.method === 'GET') {
      const since = Number(url.searchParams.get('sinceRevision') ?? 0);
      const changed = [...persons.values()].filter((person) => (changedRevisions.get(person.dbid) ?? 1) > since);
      return send(response, 200, { revision, persons: changed.map(publicPerson), deletedDbids: [] });
    }
    return fail(response, 404, 'not_found');
  };

  const listener = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch(() => fail(response, 500, 'internal_error'));
  };
  const host = options.host ?? '127.0.0.1';
  let server: Server;
  const listen = async (port: number) => {
    server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
    server.keepAliveTimeout = 5_000;
    server.listen(port, host);
    await once(server, 'listening');
    return (server.address() as AddressInfo).port;
  };
  const stop = async () => {
    if (!server.listening) return;
    const closed = once(server, 'close');
    server.close();
    server.closeAllConnections();
    await closed;
  };
  const port = await listen(options.port ?? 0);

  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    host,
    port,
    counts,
    configServersSeen,
    resetCounts: () => counts.clear(),
    goDown: async (downMode = 'refuse') => {
      mode = downMode;
      if (downMode === 'refuse') await stop();
    },
    comeUp: async () => {
      if (mode === 'refuse') await listen(port);
      mode = 'up';
    },
    slowDown: (ms) => {
      delayMs = ms;
    },
    reject: (userName) => rejected.add(userName.toLowerCase()),
    accept: (userName) => rejected.delete(userName.toLowerCase()),
    close: stop,
  };
}

/** The sample persons `npm start` serves (tools/config-server-sim/sample-persons.json). */
export function loadSimData(file: string): SimData {
  return simDataSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
}
