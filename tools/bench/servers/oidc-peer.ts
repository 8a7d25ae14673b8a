/**
 * The peer: node-oidc-provider (9.x, certified) configured like our benchmark clients —
 * `bench_opaque` (opaque client_credentials tokens) and `bench_jwt` (RFC 9068 JWT access tokens
 * signed ES256, via a resource indicator resolved by default) — with token introspection on.
 * `PEER_STORE=redis` uses a Redis adapter; `memory` its built-in in-memory LRU adapter.
 *
 * env: PORT, PEER_STORE (redis|memory), REDIS_URL, REDIS_KEY_PREFIX, CLIENT_SECRET, TOKEN_TTL_SECONDS
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { redisAdapterFactory } from './oidc-redis-adapter';

interface ProviderInstance {
  listen(port: number, host: string, callback: () => void): Server;
}
type ProviderConstructor = new (issuer: string, configuration: Record<string, unknown>) => ProviderInstance;

// oidc-provider is ESM-only and ships no types; Node ≥ 20.19 can require() it.
const { Provider } = require('oidc-provider') as { Provider: ProviderConstructor };

const port = Number(process.env.PORT);
const store = process.env.PEER_STORE === 'redis' ? 'redis' : 'memory';
const clientSecret = process.env.CLIENT_SECRET ?? '';
const ttl = Number(process.env.TOKEN_TTL_SECONDS ?? 43200);
if (!port || clientSecret.length < 16) {
  process.stderr.write('oidc-peer: PORT and CLIENT_SECRET (≥ 16 chars) are required\n');
  process.exit(78);
}

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
const redis =
  store === 'redis'
    ? redisAdapterFactory(
        process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        process.env.REDIS_KEY_PREFIX ?? 'oidc-bench:',
      )
    : undefined;

const client = (clientId: string) => ({
  client_id: clientId,
  client_secret: clientSecret,
  grant_types: ['client_credentials'],
  response_types: [],
  redirect_uris: [],
  token_endpoint_auth_method: 'client_secret_basic',
});

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [client('bench_opaque'), client('bench_jwt')],
  jwks: {
    keys: [
      { ...ec, kid: 'es256', alg: 'ES256', use: 'sig' },
      { ...rsa, kid: 'rs256', alg: 'RS256', use: 'sig' },
    ],
  },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  ...(redis ? { adapter: redis.adapter } : {}),
  ttl: { ClientCredentials: ttl, AccessToken: ttl },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    introspection: { enabled: true, allowedPolicy: async () => true },
    revocation: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: async (_ctx: unknown, requesting: { clientId: string }) =>
        requesting.clientId === 'bench_jwt' ? 'urn:cxauth:bench:api' : undefined,
      useGrantedResource: async () => true,
      getResourceServerInfo: async () => ({
        scope: 'api',
        audience: 'urn:cxauth:bench:api',
        accessTokenTTL: ttl,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`oidc-peer (${store}) listening on ${port}\n`);
});
server.keepAliveTimeout = 65_000;
process.once('SIGTERM', () => {
  server.close(() => {
    void redis?.client.quit().finally(() => process.exit(0));
    if (!redis) process.exit(0);
  });
  server.closeAllConnections?.();
});
