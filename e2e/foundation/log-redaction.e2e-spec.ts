import { authApiConfigSchema, authApiService } from '@cxauth/auth-api';
import { createTestApp, createTestStorage, TestApp, TestDatabase } from '@cxauth/testing';

// Real auth-api on real PostgreSQL and Redis; every log line it writes is captured.
describe('log redaction', () => {
  let app: TestApp;
  let database: TestDatabase;
  const secrets = {
    password: 'hunter2-Pa55word',
    clientSecret: 'cs-7f3a9e0b5c',
    bearer: 'b3a7e1d2-0c4f-4e8a-9d11-5a6b7c8d9e0f',
    cookie: 'SESSIONID=s3ss10n-v4lu3',
    dropped: 'xxx-value-never-logged',
    masked: '4111111111111111',
  };

  beforeAll(async () => {
    const storage = await createTestStorage();
    database = storage.database;
    app = await createTestApp(authApiConfigSchema, authApiService, { ...storage.env, LOG_LEVEL: 'info' });
  });

  afterAll(async () => {
    await app.close();
    await database.drop();
  });

  it('never writes passwords, client secrets, bearer tokens, cookies, XXX or MMM parameter values', async () => {
    await app
      .http()
      .get(
        `/auth/v3/userinfo?password=${secrets.password}&client_secret=${secrets.clientSecret}` +
          `&XXXcardNumber=${secrets.dropped}&MMMaccount=${secrets.masked}&locale=de`,
      )
      .set('Authorization', `Bearer ${secrets.bearer}`)
      .set('Cookie', secrets.cookie);
    await app
      .http()
      .post('/auth/v3/oauth/token')
      .type('form')
      .send({
        grant_type: 'password',
        username: 'ops',
        password: secrets.password,
        client_secret: secrets.clientSecret,
      })
      .set('Authorization', `Basic ${Buffer.from(`client:${secrets.clientSecret}`).toString('base64')}`);
    await app.http().post('/auth/v3/ops/clients').set('content-type', 'application/json').send('{"data":');

    const output = app.logs.join('\n');
    const requestLines = app.logs.filter((line) => line.includes('"request completed"'));
    expect(requestLines.length).toBeGreaterThanOrEqual(3);
    for (const value of Object.values(secrets)) expect(output).not.toContain(value);
    expect(output).not.toContain('XXXcardNumber');
    expect(output).toContain('MMMaccount=***');
    expect(output).toContain('locale=de');
    for (const line of requestLines) {
      const entry = JSON.parse(line) as { req: { id: string }; res: { statusCode: number }; service: string };
      expect(entry.service).toBe('auth-api');
      expect(entry.req.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(entry.res.statusCode).toBeGreaterThanOrEqual(200);
    }
  });

  it('echoes a well-formed X-Request-Id and logs under it', async () => {
    const response = await app.http().get('/auth/v3/no-such-route').set('X-Request-Id', 'trace-abc.123');
    expect(response.headers['x-request-id']).toBe('trace-abc.123');
    expect(app.logs.some((line) => line.includes('"id":"trace-abc.123"'))).toBe(true);
  });

  it('logs failed answers only by default (LOG_REQUESTS=errors); LOG_REQUESTS=all logs every answer', async () => {
    const linesFor = (logs: string[], id: string) =>
      logs.filter((line) => line.includes('"request completed"') && line.includes(`"id":"${id}"`));
    // The line is written once the answer has gone out, so the client can be a moment ahead of it.
    const firstLineFor = async (logs: string[], id: string) => {
      for (let attempt = 0; attempt < 80 && linesFor(logs, id).length === 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return linesFor(logs, id)[0];
    };
    await app.http().get('/auth/v3/.well-known/openid-configuration').set('X-Request-Id', 'ok-default').expect(200);
    await app.http().get('/auth/v3/userinfo').set('X-Request-Id', 'failed-default').expect(401);
    expect(await firstLineFor(app.logs, 'failed-default')).toContain('"statusCode":401');
    expect(linesFor(app.logs, 'ok-default')).toHaveLength(0);

    const storage = await createTestStorage();
    const everything = await createTestApp(authApiConfigSchema, authApiService, {
      ...storage.env,
      LOG_LEVEL: 'info',
      LOG_REQUESTS: 'all',
    });
    try {
      await everything
        .http()
        .get('/auth/v3/.well-known/openid-configuration')
        .set('X-Request-Id', 'ok-all')
        .expect(200);
      const line = await firstLineFor(everything.logs, 'ok-all');
      expect((JSON.parse(line ?? '{}') as { res?: { statusCode: number } }).res?.statusCode).toBe(200);
    } finally {
      await everything.close();
      await storage.database.drop();
    }
  });
});
