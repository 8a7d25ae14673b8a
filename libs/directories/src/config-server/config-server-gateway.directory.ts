import { randomUUID } from 'node:crypto';
import { DirectoryUnavailableException } from '@cxauth/domain';
import { type DirectoryMetrics, outcomeOf } from '../directory-metrics';
import type {
  AuthenticationOutcome,
  DirectoryPerson,
  PasswordChangeOutcome,
  PersonDirectory,
} from '../person-directory';
import { ProfileCache } from '../profile-cache';
import { EndpointPool, EndpointSource, NoEndpointAvailable } from './endpoint-pool';
import {
  GATEWAY_API_PREFIX,
  GATEWAY_ERRORS,
  GATEWAY_HEADERS,
  gatewayErrorSchema,
  gatewayPersonSchema,
  personListSchema,
} from './gateway-contract';
import {
  endpointKey,
  GatewayEndpoint,
  GatewayResponse,
  GatewayTransport,
  GatewayTransportError,
} from './gateway-transport';
import { toDirectoryPerson } from './person.mapper';

export interface ConfigServerGatewaySettings {
  /** The environment (metrics label, logs). */
  environmentId: string;
  endpoints: EndpointSource;
  /** The environment's `username` / `password` / `appName`: the gateway's credentials. */
  username: string;
  password: string;
  appName: string;
  /** `tlsEnabled` of the environment: https to the gateway, verified against `ca` (or the system store). */
  tls: boolean;
  ca?: string;
  /** `remoteTimeout`: how long one request may take. */
  requestTimeoutMs: number;
  /** `localTimeout`: connection and health-check timeout. */
  healthTimeoutMs: number;
  /**
   * A central gateway serving many Configuration Servers: every call goes here and the selected
   * endpoint travels in `X-Cfg-Server`. Unset: each endpoint is a gateway itself.
   */
  centralGatewayUrl?: string;
  /** Only persons of this Configuration Server tenant (DBID) belong to the contact center. */
  tenantDbid?: number;
  allowPasswordChange: boolean;
  profileTtlMs: number;
  failureThreshold: number;
  probeIntervalMs: number;
}

export interface ConfigServerGatewayDependencies {
  metrics: DirectoryMetrics;
  onEvent?(event: { level: 'warn' | 'info'; message: string; environment: string }): void;
}

const DIRECTORY = 'configServer';

/**
 * The Configuration Server, through the documented HTTP gateway (docs/config-server-gateway.md).
 * Failover between the environment's primary and backup endpoints (or those Consul reports), a
 * circuit breaker per endpoint, a short-lived profile cache (never passwords), and metrics per
 * environment. An outage throws DirectoryUnavailableException, never "wrong password".
 */
export class ConfigServerGatewayDirectory implements PersonDirectory {
  readonly kind = DIRECTORY;
  private readonly transport: GatewayTransport;
  private readonly pool: EndpointPool;
  private readonly profiles: ProfileCache;
  private readonly authorization: string;
  private readonly central?: URL;

  constructor(
    private readonly settings: ConfigServerGatewaySettings,
    private readonly deps: ConfigServerGatewayDependencies,
  ) {
    this.transport = new GatewayTransport({
      tls: settings.tls,
      ca: settings.ca,
      connectTimeoutMs: Math.min(settings.healthTimeoutMs, settings.requestTimeoutMs),
    });
    this.central = settings.centralGatewayUrl ? new URL(settings.centralGatewayUrl) : undefined;
    this.authorization = `Basic ${Buffer.from(`${settings.username}:${settings.password}`).toString('base64')}`;
    this.profiles = new ProfileCache(settings.profileTtlMs);
    this.pool = new EndpointPool(settings.endpoints, {
      failureThreshold: settings.failureThreshold,
      probeIntervalMs: settings.probeIntervalMs,
      probe: (endpoint) => this.probe(endpoint),
      onFailover: (from, error) => {
        this.deps.metrics.endpointFailovers.inc({ environment: settings.environmentId });
        this.deps.onEvent?.({
          level: 'warn',
          message: `Configuration Server gateway ${endpointKey(from)} failed (${error.message}); trying the next endpoint`,
          environment: settings.environmentId,
        });
      },
    });
  }

  async authenticate(userName: string, password: string): Promise<AuthenticationOutcome> {
    return this.timed('authenticate', async () => {
      const response = await this.call('POST', '/persons/authenticate', { userName, password });
      if (response.status === 200) {
        const person = this.accept(response.body);
        if (!person) return { status: 'rejected' } as const;
        this.profiles.set(person);
        return { status: 'authenticated', person } as const;
      }
      const error = errorCode(response.body);
      if (response.status === 401 && error === GATEWAY_ERRORS.INVALID_CREDENTIALS)
        return { status: 'rejected' } as const;
      if (response.status === 403 && error === GATEWAY_ERRORS.PASSWORD_EXPIRED) {
        return { status: 'password-expired' } as const;
      }
      throw this.unexpected(response);
    });
  }

  async findByUserName(userName: string): Promise<DirectoryPerson | null> {
    const cached = this.profiles.get(userName);
    if (cached) return cached;
    return this.timed('find', async () => {
      const response = await this.call('GET', `/persons?userName=${encodeURIComponent(userName)}`);
      if (response.status !== 200) throw this.unexpected(response);
      const list = personListSchema.safeParse(response.body);
      if (!list.success) throw this.unavailable('the gateway answered a malformed person list');
      const person = list.data.persons[0] ? this.accept(list.data.persons[0]) : null;
      if (person) this.profiles.set(person);
      return person;
    });
  }

  async changePassword(userName: string, oldPassword: string, newPassword: string): Promise<PasswordChangeOutcome> {
    if (!this.settings.allowPasswordChange) return 'not-allowed';
    return this.timed('change-password', async () => {
      const response = await this.call('POST', '/persons/password', { userName, oldPassword, newPassword });
      if (response.status === 204 || response.status === 200) {
        this.profiles.delete(userName);
        return 'changed' as const;
      }
      const error = errorCode(response.body);
      if (response.status === 401 && error === GATEWAY_ERRORS.INVALID_CREDENTIALS) return 'rejected' as const;
      if (response.status === 403 && error === GATEWAY_ERRORS.PASSWORD_CHANGE_NOT_ALLOWED)
        return 'not-allowed' as const;
      if (response.status === 400 && error === GATEWAY_ERRORS.PASSWORD_POLICY) return 'policy' as const;
      throw this.unexpected(response);
    });
  }

  async close(): Promise<void> {
    this.pool.close();
    this.transport.close();
  }

  /** A person the gateway returned, if it is enabled and (when configured) of the contact center's tenant. */
  private accept(body: unknown): DirectoryPerson | null {
    const parsed = gatewayPersonSchema.safeParse(body);
    if (!parsed.success) throw this.unavailable('the gateway answered a malformed person');
    const person = parsed.data;
    if (person.state !== 'CFGEnabled') return null;
    if (this.settings.tenantDbid !== undefined && person.tenantDbid !== this.settings.tenantDbid) return null;
    return toDirectoryPerson(person);
  }

  private async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<GatewayResponse> {
    const requestId = randomUUID();
    try {
      return await this.pool.execute(async (endpoint) => {
        const response = await this.send(endpoint, method, path, body, requestId, this.settings.requestTimeoutMs);
        // The gateway is up but its Configuration Server is not (or it is overloaded): try the next one.
        if (response.status >= 500) {
          throw new GatewayTransportError('unavailable', `${endpointKey(endpoint)} answered ${response.status}`);
        }
        return response;
      });
    } catch (error) {
      if (error instanceof NoEndpointAvailable) throw this.unavailable(error.message);
      throw error;
    }
  }

  private async send(
    endpoint: GatewayEndpoint,
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    requestId: string,
    timeoutMs: number,
  ): Promise<GatewayResponse> {
    const base = this.central ?? new URL(`${this.settings.tls ? 'https' : 'http'}://${endpointKey(endpoint)}`);
    try {
      return await this.transport.send(
        base,
        method,
        `${stripSlash(base.pathname)}${GATEWAY_API_PREFIX}${path}`,
        {
          authorization: this.authorization,
          [GATEWAY_HEADERS.APPLICATION]: this.settings.appName,
          [GATEWAY_HEADERS.CONFIG_SERVER]: endpointKey(endpoint),
          [GATEWAY_HEADERS.REQUEST_ID]: requestId,
        },
        body,
        timeoutMs,
      );
    } catch (error) {
      if (error instanceof GatewayTransportError) {
        const environment = this.settings.environmentId;
        if (error.kind === 'connect') this.deps.metrics.connectionTimeouts.inc({ environment });
        if (error.kind === 'timeout') this.deps.metrics.commandTimeouts.inc({ environment });
      }
      throw error;
    }
  }

  private async probe(endpoint: GatewayEndpoint): Promise<void> {
    const response = await this.send(
      endpoint,
      'GET',
      '/health',
      undefined,
      randomUUID(),
      this.settings.healthTimeoutMs,
    );
    if (response.status !== 200) {
      throw new GatewayTransportError('unavailable', `${endpointKey(endpoint)} health answered ${response.status}`);
    }
    this.deps.onEvent?.({
      level: 'info',
      message: `Configuration Server gateway ${endpointKey(endpoint)} is back`,
      environment: this.settings.environmentId,
    });
  }

  private timed<T>(operation: string, call: () => Promise<T>): Promise<T> {
    return this.deps.metrics.time(
      { environment: this.settings.environmentId, directory: DIRECTORY, operation },
      call,
      outcomeOf,
      (error) => (error instanceof DirectoryUnavailableException ? 'unavailable' : 'error'),
    );
  }

  private unexpected(response: GatewayResponse): DirectoryUnavailableException {
    const error = errorCode(response.body);
    if (response.status === 401 && error === GATEWAY_ERRORS.UNAUTHORIZED) {
      return this.unavailable("the gateway refused the environment's username, password or appName");
    }
    return this.unavailable(`the gateway answered ${response.status}${error ? ` ${error}` : ''}`);
  }

  private unavailable(reason: string): DirectoryUnavailableException {
    return new DirectoryUnavailableException(`configServer:${this.settings.environmentId}`, reason);
  }
}

function errorCode(body: unknown): string | undefined {
  const parsed = gatewayErrorSchema.safeParse(body);
  return parsed.success ? parsed.data.error : undefined;
}

function stripSlash(path: string): string {
  return path.replace(/\/+$/, '');
}
