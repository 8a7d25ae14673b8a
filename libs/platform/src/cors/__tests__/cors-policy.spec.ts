import { normalizeOrigin, parseOriginList } from '../cors-origins';
import { CorsPolicy } from '../cors-policy';

describe('origins', () => {
  it.each([
    ['https://App.Example.com', 'https://app.example.com'],
    ['https://app.example.com/', 'https://app.example.com'],
    ['https://app.example.com:443', 'https://app.example.com'],
    ['http://localhost:8080', 'http://localhost:8080'],
    [' https://x.example ', 'https://x.example'],
  ])('%s → %s', (input, expected) => {
    expect(normalizeOrigin(input)).toBe(expected);
  });

  it.each([
    '*',
    'app.example.com',
    'https://x.example/path',
    'ftp://x.example',
    'https://u:p@x.example',
    'https://x.example?q=1',
    '',
  ])('refuses %j', (input) => {
    expect(normalizeOrigin(input)).toBeNull();
  });

  it('splits a cors-origins value, deduplicates, and reports what is not an origin', () => {
    expect(parseOriginList('https://a.example, https://A.example,,https://b.example:8443 , nope')).toEqual({
      origins: ['https://a.example', 'https://b.example:8443'],
      invalid: ['nope'],
    });
  });
});

describe('CorsPolicy', () => {
  it('allows nothing before the first load, then follows the default while the list is empty', async () => {
    let origins: string[] = [];
    const allow = new CorsPolicy({ load: async () => origins, defaultPolicy: 'allow', refreshIntervalMs: 0 });
    expect(allow.isAllowed('https://x.example')).toBe(false);
    await allow.start();
    expect(allow.isAllowed('https://x.example')).toBe(true);
    const deny = new CorsPolicy({ load: async () => origins, defaultPolicy: 'deny', refreshIntervalMs: 0 });
    await deny.start();
    expect(deny.isAllowed('https://x.example')).toBe(false);

    origins = ['https://X.example/', 'garbage'];
    await allow.refresh();
    expect(allow.allowedOrigins).toEqual(['https://x.example']);
    expect(allow.isAllowed('https://x.example')).toBe(true);
    expect(allow.isAllowed('https://y.example')).toBe(false);
  });

  it('keeps the last known list when a reload fails', async () => {
    let fail = false;
    const policy = new CorsPolicy({
      load: async () => {
        if (fail) throw new Error('database away');
        return ['https://kept.example'];
      },
      defaultPolicy: 'allow',
      refreshIntervalMs: 0,
    });
    await policy.start();
    fail = true;
    await policy.refresh();
    expect(policy.isAllowed('https://kept.example')).toBe(true);
    expect(policy.isAllowed('https://other.example')).toBe(false);
  });

  it('coalesces concurrent reloads and still picks up the latest change', async () => {
    let calls = 0;
    let origins = ['https://one.example'];
    const policy = new CorsPolicy({
      load: async () => {
        calls++;
        await new Promise((resolve) => setTimeout(resolve, 20));
        return origins;
      },
      defaultPolicy: 'allow',
      refreshIntervalMs: 0,
    });
    const first = policy.refresh();
    origins = ['https://two.example'];
    await Promise.all([policy.refresh(), policy.refresh(), first]);
    expect(calls).toBe(2);
    expect(policy.allowedOrigins).toEqual(['https://two.example']);
  });

  it('reloads on its timer', async () => {
    let origins = ['https://a.example'];
    const policy = new CorsPolicy({ load: async () => origins, defaultPolicy: 'allow', refreshIntervalMs: 30 });
    await policy.start();
    origins = ['https://b.example'];
    await new Promise((resolve) => setTimeout(resolve, 120));
    policy.stop();
    expect(policy.allowedOrigins).toEqual(['https://b.example']);
  });
});
