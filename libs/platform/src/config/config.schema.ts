import { isIP } from 'node:net';
import { z } from 'zod';

/** Environment values are strings; these helpers parse them strictly. */
export const envBoolean = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

/** What Fastify's `trustProxy` takes: no, every hop, a hop count, or the proxies' addresses/CIDRs. */
export type TrustProxy = boolean | number | string[];

function isAddressOrCidr(value: string): boolean {
  const [address, bits, extra] = value.split('/');
  if (extra !== undefined || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  return Number(bits) <= (family === 4 ? 32 : 128);
}

/**
 * TRUST_PROXY: `false`; a hop count (`1` = the ingress controller in front: the client address is the
 * one it appended to X-Forwarded-For, so a client cannot choose its own by sending the header);
 * comma-separated addresses or CIDRs of the proxies; or `true`, every hop (only when the proxy
 * replaces a client-sent X-Forwarded-For).
 */
export const envTrustProxy = z
  .string()
  .trim()
  .transform((value, ctx): TrustProxy => {
    if (value === 'false' || value === 'no') return false;
    if (value === 'true' || value === 'yes') return true;
    if (/^\d{1,2}$/.test(value)) return Number(value) === 0 ? false : Number(value);
    const entries = value.split(',').map((entry) => entry.trim());
    if (entries.every(isAddressOrCidr)) return entries;
    ctx.addIssue({ code: 'custom', message: 'must be false, true, a hop count or comma-separated addresses/CIDRs' });
    return z.NEVER;
  });

export type RequestLogging = 'all' | 'errors' | 'none';

/** Which answers get a `request completed` line; `true` / `false` are read as `all` / `none`. */
export const envRequestLogging = z
  .enum(['all', 'errors', 'none', 'true', 'false'], { message: 'must be all, errors or none' })
  .transform((value): RequestLogging => (value === 'true' ? 'all' : value === 'false' ? 'none' : value));

export const envPort = z.coerce
  .number({ message: 'must be a port number' })
  .int('must be a whole number')
  .min(1, 'must be between 1 and 65535')
  .max(65535, 'must be between 1 and 65535');

export const envInt = (min: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int('must be a whole number')
    .min(min, `must be at least ${min}`)
    .max(max, `must be at most ${max}`);

export const envUrl = (protocols: RegExp, hint: string) =>
  z.string({ message: 'is required' }).regex(protocols, `must be ${hint}`).refine(isParsableUrl, 'is not a valid URL');

function isParsableUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** A port to listen on; 0 picks a free one (tests and the local run use that). */
export const envListenPort = z.coerce
  .number({ message: 'must be a port number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

/** OpenTelemetry traces (every service); read before the rest of the config, see tracing/start-tracing.ts. */
export const tracingConfigSchema = z.object({
  OTEL_TRACES_ENABLED: envBoolean.default(false),
  /** OTLP/HTTP base URL of the collector; spans go to `<base>/v1/traces` as OTLP JSON. */
  OTEL_EXPORTER_OTLP_ENDPOINT: envUrl(/^https?:\/\//, 'an http(s):// URL').default('http://localhost:4318'),
  /** Defaults to the service's own name (auth-api, auth-ui, environment-api). */
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** Share of new traces recorded; a sampled incoming `traceparent` is always followed. */
  OTEL_TRACES_SAMPLER_RATIO: z.coerce
    .number({ message: 'must be a number' })
    .min(0, 'must be between 0 and 1')
    .max(1, 'must be between 0 and 1')
    .default(1),
});

/** Every service: HTTP listener, management listener, limits, logging. */
export const serviceConfigSchema = z.object({
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: envListenPort.default(8080),
  MANAGEMENT_PORT: envListenPort.default(9090),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_REQUESTS: envRequestLogging.default('errors'),
  BODY_LIMIT_BYTES: envInt(1024, 10 * 1024 * 1024).default(100 * 1024),
  REQUEST_TIMEOUT_MS: envInt(100, 600_000).default(30_000),
  KEEP_ALIVE_TIMEOUT_MS: envInt(100, 600_000).default(65_000),
  SHUTDOWN_TIMEOUT_MS: envInt(0, 600_000).default(10_000),
  /** After SIGTERM: unready but still serving this long, so load balancers stop sending before we stop accepting. */
  SHUTDOWN_DELAY_MS: envInt(0, 600_000).default(5_000),
  TRUST_PROXY: envTrustProxy.default(false),
  /** PEM certificate (chain) and key: both listeners serve HTTPS; the files are re-read when they change. */
  TLS_CERT_FILE: z.string().min(1).optional(),
  TLS_KEY_FILE: z.string().min(1).optional(),
  TLS_RELOAD_INTERVAL_MS: envInt(100, 3_600_000).default(30_000),
  /** `json` (our fields) or `ecs` (Elastic Common Schema, @elastic/ecs-pino-format). */
  LOG_FORMAT: z.enum(['json', 'ecs']).default('json'),
  /** Set: log lines are also sent to this Elasticsearch's `_bulk` API (stdout keeps every line). */
  ELASTICSEARCH_URL: envUrl(/^https?:\/\//, 'an http(s):// URL').optional(),
  ELASTICSEARCH_INDEX: z.string().min(1).default('cxauth-{yyyy.MM.dd}'),
  ELASTICSEARCH_API_KEY: z.string().min(1).optional(),
  ELASTICSEARCH_USERNAME: z.string().min(1).optional(),
  ELASTICSEARCH_PASSWORD: z.string().min(1).optional(),
  ELASTICSEARCH_CA_FILE: z.string().min(1).optional(),
  ELASTICSEARCH_BATCH_LINES: envInt(1, 10_000).default(500),
  ELASTICSEARCH_BUFFER_LINES: envInt(1, 1_000_000).default(10_000),
  ELASTICSEARCH_FLUSH_INTERVAL_MS: envInt(10, 60_000).default(1_000),
  ELASTICSEARCH_TIMEOUT_MS: envInt(100, 60_000).default(5_000),
  ...tracingConfigSchema.shape,
});

/** PostgreSQL (auth-api and environment-api). */
export const databaseConfigSchema = z.object({
  DATABASE_URL: envUrl(/^postgres(ql)?:\/\//, 'a postgres:// URL'),
  DATABASE_PASSWORD: z.string().min(1).optional(),
  DATABASE_SSL_MODE: z.enum(['disable', 'require', 'verify-full']).default('disable'),
  DATABASE_SSL_CA_FILE: z.string().min(1).optional(),
  DATABASE_POOL_SIZE: envInt(1, 200).default(10),
  DATABASE_CONNECT_TIMEOUT_MS: envInt(100, 120_000).default(5_000),
  DATABASE_STATEMENT_TIMEOUT_MS: envInt(100, 600_000).default(15_000),
});

/**
 * Redis (auth-api and environment-api). `memory://` is the embedded local-run store: an in-process
 * stand-in that loses every token on restart and is not shared between replicas, so services refuse
 * it unless the local stack says REDIS_ALLOW_IN_MEMORY=true (the production images do not even ship it).
 */
export const redisConfigSchema = z.object({
  REDIS_URL: envUrl(/^(rediss?|memory):\/\//, 'a redis://, rediss:// or memory:// URL'),
  REDIS_ALLOW_IN_MEMORY: envBoolean.default(false),
  REDIS_MODE: z.enum(['standalone', 'sentinel', 'cluster']).default('standalone'),
  REDIS_NODES: z
    .string()
    .regex(/^[^,:\s]+:\d+(,[^,:\s]+:\d+)*$/, 'must be a comma-separated list of host:port')
    .optional(),
  REDIS_SENTINEL_MASTER: z.string().min(1).default('mymaster'),
  REDIS_PASSWORD: z.string().min(1).optional(),
  REDIS_TLS_CA_FILE: z.string().min(1).optional(),
  REDIS_KEY_PREFIX: z.string().default('cxauth:'),
  REDIS_COMMAND_TIMEOUT_MS: envInt(50, 60_000).default(2_000),
  /** Refuse to start (instead of warning) when Redis's maxmemory-policy could evict tokens or sessions. */
  REDIS_REQUIRE_NOEVICTION: envBoolean.default(false),
});

/**
 * Refinement for a service schema that spreads redisConfigSchema's shape (a refinement on that schema
 * itself would be lost in the spread): memory:// only where the local stack allowed it.
 */
export function inMemoryRedisOnlyLocally(
  config: { REDIS_URL: string; REDIS_ALLOW_IN_MEMORY: boolean },
  context: z.RefinementCtx,
): void {
  if (config.REDIS_URL.startsWith('memory:') && !config.REDIS_ALLOW_IN_MEMORY) {
    context.addIssue({
      code: 'custom',
      path: ['REDIS_URL'],
      message:
        "memory:// is the local run's in-memory store (tokens lost on restart, not shared between replicas): give a redis:// or rediss:// URL",
    });
  }
}

export type ServiceConfig = z.infer<typeof serviceConfigSchema>;
export type DatabaseConfig = z.infer<typeof databaseConfigSchema>;
export type RedisConfig = z.infer<typeof redisConfigSchema>;

/** The ops user: HTTP Basic on the ops and environment APIs, and a password-grant user. */
export const opsCredentialsConfigSchema = z.object({
  ADMIN_USERNAME: z.string({ message: 'is required' }).min(1, 'must not be empty').max(255),
  /** Plain text, or a bcrypt hash (`$2a$`, `$2b$`, `$2y$`) as the Genesys chart stores it. */
  ADMIN_PASSWORD: z.string({ message: 'is required' }).min(1, 'must not be empty').max(1024),
  /** Shortest plain ADMIN_PASSWORD accepted at boot (a bcrypt-encoded one is always accepted). */
  ADMIN_PASSWORD_MIN_LENGTH: envInt(1, 1024).default(12),
});

const BCRYPT_HASH = /^\$2[abxy]\$\d{2}\$[./A-Za-z0-9]{53}$/;

export function isBcryptHash(value: string): boolean {
  return BCRYPT_HASH.test(value);
}

/**
 * Refinement for a service schema that spreads opsCredentialsConfigSchema's shape: the ops password
 * opens every ops API, so a short plain one refuses the boot (the local run lowers the minimum for its
 * `ops:ops`).
 */
export function strongAdminPassword(
  config: { ADMIN_PASSWORD: string; ADMIN_PASSWORD_MIN_LENGTH: number },
  context: z.RefinementCtx,
): void {
  const password = config.ADMIN_PASSWORD;
  if (password && !isBcryptHash(password) && password.length < config.ADMIN_PASSWORD_MIN_LENGTH) {
    context.addIssue({
      code: 'custom',
      path: ['ADMIN_PASSWORD'],
      message: `must be at least ${config.ADMIN_PASSWORD_MIN_LENGTH} characters (ADMIN_PASSWORD_MIN_LENGTH), or bcrypt-encoded`,
    });
  }
}

const isEncryptionKey = (value: string) =>
  Buffer.from(value, 'base64').length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(value);

/** AES-256-GCM keys for secrets at rest (signing keys, directory passwords); see SecretBox. */
export const encryptionConfigSchema = z.object({
  ENCRYPTION_KEY: z.string({ message: 'is required' }).refine(isEncryptionKey, {
    message: 'must be 32 random bytes, base64-encoded (openssl rand -base64 32)',
  }),
  /** Keys that sealed older values (comma-separated): they still decrypt, never encrypt (key rotation). */
  ENCRYPTION_PREVIOUS_KEYS: z
    .string()
    .optional()
    .transform((value) => (value ? value.split(',').map((key) => key.trim()) : []))
    .refine((keys) => keys.every(isEncryptionKey), {
      message: 'must be comma-separated keys of 32 bytes each, base64-encoded',
    }),
});

/** Brute-force protection of every password and client-secret check (LoginThrottlePolicy, README "Security"). */
export const loginThrottleConfigSchema = z.object({
  /** Failed attempts of one account that answer without delay. */
  LOGIN_THROTTLE_FREE_FAILURES: envInt(0, 1000).default(3),
  /** Delay of the first failure past the free ones; doubles with each further failure. 0: no delay. */
  LOGIN_THROTTLE_DELAY_MS: envInt(0, 60_000).default(250),
  LOGIN_THROTTLE_MAX_DELAY_MS: envInt(0, 60_000).default(4_000),
  /** Failed attempts of one account within the window that lock it for LOGIN_LOCKOUT_SECONDS (0: never). */
  LOGIN_LOCKOUT_FAILURES: envInt(0, 100_000).default(10),
  LOGIN_FAILURE_WINDOW_SECONDS: envInt(1, 30 * 24 * 3600).default(900),
  LOGIN_LOCKOUT_SECONDS: envInt(1, 30 * 24 * 3600).default(900),
  /** Failed attempts from one source IP within the window that lock it for LOGIN_LOCKOUT_SECONDS (0: never). */
  LOGIN_SOURCE_MAX_FAILURES: envInt(0, 1_000_000).default(100),
  /** Failed attempts of one account, until a success or an unlock, that lock it until an operator unlocks it (0: never). */
  LOGIN_PERMANENT_LOCKOUT_FAILURES: envInt(0, 1_000_000).default(0),
});

export type LoginThrottleConfig = z.infer<typeof loginThrottleConfigSchema>;

export type OpsCredentialsConfig = z.infer<typeof opsCredentialsConfigSchema>;
export type EncryptionConfig = z.infer<typeof encryptionConfigSchema>;

/** Region and CORS (environment-api and auth-api): the origins come from the database. */
export const corsConfigSchema = z.object({
  /** This deployment's location (region), e.g. /USW1; compared with data-center and settings records. */
  LOCATION: z
    .string()
    .regex(/^\/[A-Za-z0-9_-]*$/, 'must look like /USW1 (or / for none)')
    .default('/'),
  /** With no CORS origin configured: allow every origin (the product's behaviour) or deny. */
  CORS_DEFAULT: z.enum(['allow', 'deny']).default('allow'),
  /** Safety-net reload of the CORS origins (changes normally arrive over Redis pub/sub at once). */
  CORS_REFRESH_INTERVAL_MS: envInt(0, 3_600_000).default(60_000),
  /** Take writes even when this location's data center is marked read-only. */
  FORCE_WRITABLE: envBoolean.default(false),
});

export type CorsConfig = z.infer<typeof corsConfigSchema>;
