import { readFileSync } from 'node:fs';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  ConfigServerGatewayDirectory,
  ConsulDiscovery,
  DirectoryMetrics,
  EndpointSource,
  LDAP_DEFAULTS,
  LdapUserDirectory,
  parseConsulServiceName,
  PersonDirectory,
  StaticEndpoints,
} from '@cxauth/directories';
import { DirectoryUnavailableException } from '@cxauth/domain';
import {
  ConfigServerRecord,
  ContactCenterEntity,
  ENVIRONMENT_PASSWORD_SEAL,
  EnvironmentEntity,
  LDAP_BIND_PASSWORD_SEAL,
  StoredLdapDirectory,
} from '@cxauth/persistence';
import { APP_CONFIG, CorsConfig, SecretBox, ServiceMetrics } from '@cxauth/platform';
import type { ResolvedContactCenter } from '../contact-center-resolver';
import type { DirectoriesConfig } from './directories.config';

/** The `auth` values whose users live in an external directory. */
export const EXTERNAL_DIRECTORY_KINDS = new Set(['configServer', 'ldap']);

/** Defaults when the environment leaves `remoteTimeout` / `localTimeout` unset (seconds). */
const DEFAULT_REMOTE_TIMEOUT_SECONDS = 5;
const DEFAULT_LOCAL_TIMEOUT_SECONDS = 3;

interface Entry {
  version: string;
  directory: Promise<PersonDirectory>;
}

type Config = DirectoriesConfig & CorsConfig;

/**
 * The external directory of each contact center, built from its settings (the environment's
 * Configuration Server fields, or the contact center's LDAP settings) and kept while they do not
 * change. Every sign-in resolves the contact center from PostgreSQL anyway; its `version` (the rows'
 * `updated_at`) tells when to rebuild, so a change applies on every replica at the next sign-in,
 * without a restart or a message bus.
 */
@Injectable()
export class ContactCenterDirectories implements OnModuleDestroy {
  private readonly logger = new Logger(ContactCenterDirectories.name);
  private readonly entries = new Map<string, Entry>();
  private readonly metrics: DirectoryMetrics;
  private readonly consul?: ConsulDiscovery;
  private readonly gatewayCa?: string;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: Config,
    private readonly secrets: SecretBox,
    serviceMetrics: ServiceMetrics,
  ) {
    this.metrics = new DirectoryMetrics(serviceMetrics.registry);
    this.gatewayCa = config.CONFIG_SERVER_TLS_CA_FILE
      ? readFileSync(config.CONFIG_SERVER_TLS_CA_FILE, 'utf8')
      : undefined;
    if (config.CONSUL_URL) {
      this.consul = new ConsulDiscovery(
        {
          url: config.CONSUL_URL,
          token: config.CONSUL_TOKEN,
          datacenter: config.CONSUL_DATACENTER,
          ca: config.CONSUL_CA_FILE ? readFileSync(config.CONSUL_CA_FILE, 'utf8') : undefined,
          waitSeconds: config.CONSUL_WAIT_SECONDS,
          initialTimeoutMs: 5_000,
        },
        this.metrics,
        (level, message) => this.logger[level === 'warn' ? 'warn' : 'log'](message),
      );
    }
  }

  /** The contact center's external directory, or null when its users are local only. */
  async forContactCenter(contactCenter: ResolvedContactCenter): Promise<PersonDirectory | null> {
    if (!EXTERNAL_DIRECTORY_KINDS.has(contactCenter.auth)) return null;
    const current = this.entries.get(contactCenter.id);
    if (current?.version === contactCenter.version) return current.directory;
    const directory = this.build(contactCenter);
    this.entries.set(contactCenter.id, { version: contactCenter.version, directory });
    // A failed build is not kept: the next sign-in tries again.
    directory.catch(() => {
      if (this.entries.get(contactCenter.id)?.directory === directory) this.entries.delete(contactCenter.id);
    });
    if (current) void current.directory.then((old) => old.close()).catch(() => undefined);
    return directory;
  }

  async onModuleDestroy(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    await Promise.allSettled(entries.map(async (entry) => (await entry.directory).close()));
    this.consul?.close();
  }

  private async build(contactCenter: ResolvedContactCenter): Promise<PersonDirectory> {
    const row = await this.dataSource.getRepository(ContactCenterEntity).findOne({
      where: { id: contactCenter.id },
      relations: { environment: true },
    });
    const environment = row?.environment;
    if (!row || !environment) throw this.misconfigured(contactCenter, 'the contact center is gone');
    const profileTtlMs = this.config.DIRECTORY_PROFILE_CACHE_SECONDS * 1000;
    if (contactCenter.auth === 'ldap') {
      const ldap = row.directory?.ldap;
      if (!ldap) throw this.misconfigured(contactCenter, 'auth is ldap but no LDAP settings are stored');
      return new LdapUserDirectory(this.ldapSettings(ldap, row.id), {
        metrics: this.metrics,
        environmentId: environment.id,
        profileTtlMs,
      });
    }
    const configServer = this.configServerFor(environment);
    if (!configServer) throw this.misconfigured(contactCenter, 'the environment lists no Configuration Server');
    const stored = row.directory?.configServer;
    return new ConfigServerGatewayDirectory(
      {
        environmentId: environment.id,
        endpoints: this.endpoints(configServer),
        username: environment.username,
        password: this.secrets.open(environment.passwordEncrypted, {
          purpose: ENVIRONMENT_PASSWORD_SEAL,
          id: environment.id,
        }),
        appName: environment.appName,
        tls: environment.tlsEnabled,
        ca: this.gatewayCa,
        requestTimeoutMs: (environment.remoteTimeout || DEFAULT_REMOTE_TIMEOUT_SECONDS) * 1000,
        healthTimeoutMs: (environment.localTimeout || DEFAULT_LOCAL_TIMEOUT_SECONDS) * 1000,
        centralGatewayUrl: this.config.CONFIG_SERVER_GATEWAY_URL,
        ...(stored?.tenantDbid !== undefined && { tenantDbid: stored.tenantDbid }),
        allowPasswordChange: stored?.allowPasswordChange ?? false,
        profileTtlMs,
        failureThreshold: this.config.DIRECTORY_FAILURE_THRESHOLD,
        probeIntervalMs: this.config.DIRECTORY_PROBE_INTERVAL_MS,
      },
      {
        metrics: this.metrics,
        onEvent: ({ level, message }) => this.logger[level === 'warn' ? 'warn' : 'log'](message),
      },
    );
  }

  /** The entry for this deployment's location (`LOCATION`), else one for `/`, else the first. */
  private configServerFor(environment: EnvironmentEntity): ConfigServerRecord | undefined {
    const here = this.config.LOCATION.toLowerCase();
    const servesHere = (server: ConfigServerRecord) =>
      server.locations
        .split(',')
        .map((location) => location.trim().toLowerCase())
        .includes(here);
    return (
      environment.configServers.find(servesHere) ??
      environment.configServers.find((server) => server.locations.trim() === '/') ??
      environment.configServers[0]
    );
  }

  /** Consul-named addresses resolve through Consul when it is configured; others are fixed (primary, backup). */
  private endpoints(server: ConfigServerRecord): EndpointSource {
    const consulName = this.consul ? parseConsulServiceName(server.primaryAddress) : null;
    if (this.consul && consulName) return this.consul.source(consulName);
    const list = [{ host: server.primaryAddress, port: server.primaryPort }];
    if (server.backupAddress) list.push({ host: server.backupAddress, port: server.backupPort ?? server.primaryPort });
    return new StaticEndpoints(list);
  }

  private ldapSettings(stored: StoredLdapDirectory, contactCenterId: string) {
    const ad = stored.activeDirectory;
    return {
      urls: stored.urls,
      startTls: stored.startTls,
      caCertificate: stored.caCertificate,
      bindMode: stored.bindMode,
      bindDn: stored.bindDn,
      bindPassword: stored.bindPasswordEncrypted
        ? this.secrets.open(stored.bindPasswordEncrypted, { purpose: LDAP_BIND_PASSWORD_SEAL, id: contactCenterId })
        : undefined,
      userBaseDn: stored.userBaseDn,
      userFilter: stored.userFilter ?? (ad ? LDAP_DEFAULTS.activeDirectoryUserFilter : LDAP_DEFAULTS.userFilter),
      userDnTemplate: stored.userDnTemplate,
      attributes: {
        ...(ad ? LDAP_DEFAULTS.activeDirectoryAttributes : LDAP_DEFAULTS.attributes),
        ...stored.attributes,
      },
      groupBaseDn: stored.groupBaseDn,
      groupFilter: stored.groupFilter ?? LDAP_DEFAULTS.groupFilter,
      groupNameAttribute: stored.groupNameAttribute ?? LDAP_DEFAULTS.groupNameAttribute,
      groupAuthorities: stored.groupAuthorities,
      defaultAuthorities: stored.defaultAuthorities,
      activeDirectory: ad,
      allowPasswordChange: stored.allowPasswordChange,
      timeoutMs: stored.timeoutMs ?? LDAP_DEFAULTS.timeoutMs,
      connectTimeoutMs: stored.connectTimeoutMs ?? LDAP_DEFAULTS.connectTimeoutMs,
      poolSize: stored.poolSize ?? LDAP_DEFAULTS.poolSize,
      pageSize: stored.pageSize ?? LDAP_DEFAULTS.pageSize,
    };
  }

  private misconfigured(contactCenter: ResolvedContactCenter, reason: string): DirectoryUnavailableException {
    this.logger.error(`contact center ${contactCenter.id}: ${reason}`);
    return new DirectoryUnavailableException(`${contactCenter.auth}:${contactCenter.id}`, reason);
  }
}
