/**
 * The floor: the least a Redis-backed token service on Fastify can do per request, and nothing more.
 * Basic client authentication against one fixed secret (no hashing), an opaque token stored in Redis
 * under its SHA-256 with one `SET … EX`, validation with one `GET`. No logging, metrics, CORS,
 * security headers, scopes or error envelopes. It shows what throughput is left once the HTTP
 * server and the Redis round trip are paid; no product can reach it.
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';
import Redis from 'ioredis';

const clientId = process.env.CLIENT_ID ?? 'bench_opaque';
const expected = Buffer.from(`${clientId}:${process.env.CLIENT_SECRET ?? ''}`);
const ttl = Number(process.env.TOKEN_TTL_SECONDS ?? 43200);
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', {
  keyPrefix: process.env.REDIS_KEY_PREFIX ?? 'floor-bench:',
});
const app = Fastify({ logger: false });

app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
  done(null, Object.fromEntries(new URLSearchParams(body as string)));
});

function clientAuthenticated(header: string | undefined): boolean {
  if (!header?.startsWith('Basic ')) return false;
  const presented = Buffer.from(header.slice(6), 'base64');
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

const key = (token: string) => `at:${createHash('sha256').update(token).digest('hex')}`;

app.post('/token', async (request, reply) => {
  if (!clientAuthenticated(request.headers.authorization)) return reply.code(401).send({ error: 'invalid_client' });
  const token = randomUUID();
  const now = Math.floor(Date.now() / 1000);
  const record = { clientId, subject: clientId, scope: '*', issuedAt: now, expiresAt: now + ttl };
  await redis.set(key(token), JSON.stringify(record), 'EX', ttl);
  void reply.header('cache-control', 'no-store');
  return { access_token: token, token_type: 'bearer', expires_in: ttl, scope: '*' };
});

app.post('/introspect', async (request, reply) => {
  if (!clientAuthenticated(request.headers.authorization)) return reply.code(401).send({ error: 'invalid_client' });
  const token = (request.body as Record<string, string> | undefined)?.token ?? '';
  const value = await redis.get(key(token));
  if (!value) return { active: false };
  const record = JSON.parse(value) as { clientId: string; scope: string; expiresAt: number };
  return { active: true, client_id: record.clientId, scope: record.scope, exp: record.expiresAt };
});

app.get('/userinfo', async (request, reply) => {
  const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
  const value = await redis.get(key(token));
  if (!value) return reply.code(401).send({ error: 'invalid_token' });
  const record = JSON.parse(value) as { subject: string };
  return { username: record.subject, authorities: [], properties: {} };
});

app.get('/', async () => ({ ready: true }));

app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).then(
  () => process.stdout.write(`floor listening on ${process.env.PORT}\n`),
  (error: unknown) => {
    process.stderr.write(`floor failed to start: ${String(error)}\n`);
    process.exit(1);
  },
);
process.once('SIGTERM', () => {
  void app.close().then(() => redis.quit().finally(() => process.exit(0)));
});
