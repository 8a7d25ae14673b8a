import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Type } from '@nestjs/common';
import { createTestApp, createTestStorage, TestApp, TestDatabase } from '@cxauth/testing';
import { authApiConfigSchema } from '../../auth-api.config';
import { AUTH_API_DIRECT_ROUTES, AUTH_API_PREFIX, authApiService } from '../../auth-api.service';
import { createClient } from '../../testing/auth-api-test-app';

/**
 * The token, introspection and userinfo endpoints are Fastify routes outside Nest's router
 * (DirectController). They must still get everything the platform gives a Nest route: security headers,
 * request ids, metrics by route template, CORS, the error envelopes, the body parsers and limits.
 */
describe('direct routes (token, introspection, userinfo) keep the platform behaviour', () => {
  let database: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    const storage = await createTestStorage();
    database = storage.database;
    app = await createTestApp(authApiConfigSchema, authApiService, { ...storage.env, CORS_DEFAULT: 'deny' });
    await createClient(app, {
      client_id: 'svc',
      client_secret: 'svc-secret',
      authorizedGrantTypes: ['client_credentials'],
    });
  });
  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  const token = () =>
    app
      .http()
      .post('/auth/v3/oauth/token')
      .auth('svc', 'svc-secret')
      .type('form')
      .send({ grant_type: 'client_credentials' });

  it('answers with the security headers, a request id and no-store', async () => {
    const response = await token().set('x-request-id', 'direct-route-test-1');
    expect(response.status).toBe(200);
    expect(response.headers['x-request-id']).toBe('direct-route-test-1');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['content-type']).toMatch(/^application\/json/);
  });

  it('counts requests under the route template in /metrics', async () => {
    const issued = await token();
    await app.http().get('/auth/v3/userinfo').set('Authorization', `Bearer ${issued.body.access_token}`).expect(200);
    await app.http().get('/auth/v3/userinfo').set('Authorization', 'Bearer unknown').expect(401);
    const text = await (await fetch(`${app.service.managementUrl}/metrics`)).text();
    expect(text).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\/auth\/v3\/oauth\/token"[^}]*status_code="200"[^}]*\} [1-9]/,
    );
    expect(text).toMatch(
      /http_request_duration_seconds_count\{[^}]*route="\/auth\/v3\/userinfo"[^}]*status_code="401"[^}]*\} [1-9]/,
    );
  });

  it('maps what a handler throws through the global filter (RFC 6749 error, envelope on userinfo)', async () => {
    const unsupported = await app
      .http()
      .post('/auth/v3/oauth/token')
      .auth('svc', 'svc-secret')
      .type('form')
      .send({ grant_type: 'urn:example:nothing' });
    expect(unsupported.status).toBe(400);
    expect(unsupported.body).toEqual({ error: 'unsupported_grant_type', error_description: expect.any(String) });

    const badClient = await app
      .http()
      .post('/auth/v3/oauth/introspect')
      .auth('svc', 'wrong')
      .type('form')
      .send({ token: 'x' });
    expect(badClient.status).toBe(401);
    expect(badClient.body.error).toBe('invalid_client');

    const noToken = await app.http().get('/auth/v3/openid/userinfo');
    expect(noToken.status).toBe(401);
    expect(noToken.headers['www-authenticate']).toContain('Bearer');
    expect(noToken.body.status.code).toBe(3);
  });

  it('refuses broken and oversized bodies with a 4xx, never a 500', async () => {
    const broken = await app
      .http()
      .post('/auth/v3/oauth/token')
      .auth('svc', 'svc-secret')
      .type('json')
      .send('{"grant_type":');
    expect(broken.status).toBe(400);
    const huge = await app
      .http()
      .post('/auth/v3/oauth/token')
      .auth('svc', 'svc-secret')
      .type('form')
      .send(`grant_type=client_credentials&scope=${'a'.repeat(2 * 1024 * 1024)}`);
    expect(huge.status).toBe(413);
    const wrongMethod = await app.http().get('/auth/v3/oauth/token');
    expect(wrongMethod.status).toBe(404);
  });

  it('applies the CORS policy: refused preflight 403, no allow header for a refused origin, same origin echoed', async () => {
    const refusedPreflight = await app
      .http()
      .options('/auth/v3/oauth/token')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(refusedPreflight.status).toBe(403);
    expect(refusedPreflight.body.status.code).toBeDefined();
    const refused = await token().set('Origin', 'https://evil.example');
    expect(refused.status).toBe(200);
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(refused.headers.vary).toContain('Origin');

    const sameOrigin = new URL(app.service.url).origin;
    const preflight = await app
      .http()
      .options('/auth/v3/oauth/token')
      .set('Origin', sameOrigin)
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(sameOrigin);
    const allowed = await token().set('Origin', sameOrigin);
    expect(allowed.headers['access-control-allow-origin']).toBe(sameOrigin);
    expect(allowed.headers['access-control-expose-headers']).toBe('X-Request-Id');

    const notAPreflight = await app.http().options('/auth/v3/oauth/token').set('Origin', sameOrigin);
    expect(notAPreflight.status).toBe(400);
    expect(notAPreflight.body.status.code).toBe(1);

    const serverToServer = await token();
    expect(serverToServer.headers.vary).toBe('Origin');
    expect(serverToServer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('registers every *Endpoint of auth-api as a Fastify route, and no Nest controller is named *Endpoint', async () => {
    const sourceRoot = join(__dirname, '../..');
    const endpointFiles = walk(sourceRoot).filter((file) => file.endsWith('.endpoint.ts'));
    expect(endpointFiles.length).toBeGreaterThanOrEqual(3);
    const registered = new Set(AUTH_API_DIRECT_ROUTES.map((table) => table.controller));
    for (const file of endpointFiles) {
      const exported = Object.values((await import(file)) as Record<string, unknown>);
      const endpoints = exported.filter(
        (value): value is Type => typeof value === 'function' && value.name.endsWith('Endpoint'),
      );
      expect(endpoints.length).toBeGreaterThan(0);
      for (const endpoint of endpoints) {
        expect(registered.has(endpoint)).toBe(true);
        // @Controller() sets Nest's `path` metadata; an endpoint must be a plain provider.
        expect(Reflect.getMetadata('path', endpoint)).toBeUndefined();
      }
    }
    const fastify = app.service.app.getHttpAdapter().getInstance();
    for (const table of AUTH_API_DIRECT_ROUTES) {
      for (const route of table.routes) {
        expect(fastify.hasRoute({ method: route.method, url: `/${AUTH_API_PREFIX}/${route.path}` })).toBe(true);
      }
    }
  });
});

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}
