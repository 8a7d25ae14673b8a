import { AuthApiTestContext, startAuthApi } from '../../testing/auth-api-test-app';

/** TRUST_PROXY as a hop count: a client cannot choose its own address by sending X-Forwarded-For. */
describe('TRUST_PROXY=1 (one proxy in front)', () => {
  let ctx: AuthApiTestContext;

  beforeAll(async () => {
    ctx = await startAuthApi({ TRUST_PROXY: '1', LOG_LEVEL: 'info', LOG_REQUESTS: 'all' });
  });
  afterAll(() => ctx.close());

  it('takes the address the proxy appended, not the one the client sent', async () => {
    await ctx.app
      .http()
      .get('/auth/v3/ping')
      .set('X-Forwarded-For', '203.0.113.66, 198.51.100.7')
      .set('X-Request-Id', 'trust-proxy-hops');
    const line = ctx.app.logs.find((entry) => entry.includes('trust-proxy-hops') && entry.includes('remoteAddress'));
    expect(line).toBeDefined();
    expect(JSON.parse(line!).req.remoteAddress).toBe('198.51.100.7');
  });
});
