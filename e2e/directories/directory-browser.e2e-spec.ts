import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ConfigServerSim, loadSimData, startConfigServerSim } from '@cxauth/config-server-sim';
import { SlapdServer } from '@cxauth/testing';
import { launchChromium, SampleRelyingParty, startSampleRelyingParty } from '../browser/sample-rp';
import {
  createClient,
  DirectoryStack,
  ldapDirectory,
  provision,
  seedLdap,
  startDirectoryStack,
} from './directory-stack';

const ARTIFACTS = join(process.cwd(), 'test-artifacts', 'directories');
const SAMPLE = loadSimData(join(__dirname, '../../tools/config-server-sim/sample-persons.json'));

jest.setTimeout(60_000);
// A real browser on a shared CI machine: one retry, and the first failure is logged (never hidden).
jest.retryTimes(1, { logErrorsBeforeRetry: true });

/** Chromium signs in Configuration Server (gateway simulator) and LDAP (real slapd) users. */
describe('browser sign-in through contact-center directories in Chromium', () => {
  let stack: DirectoryStack;
  let sim: ConfigServerSim;
  const slapd = new SlapdServer();
  let rp: SampleRelyingParty;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    sim = await startConfigServerSim({ data: structuredClone(SAMPLE) });
    await slapd.start();
    await seedLdap(slapd);
    stack = await startDirectoryStack();
    const environmentId = randomUUID();
    await provision(stack, 'post', '/environments', {
      id: environmentId,
      username: 'default',
      password: 'password',
      appName: 'Cloud',
      localTimeout: 1,
      remoteTimeout: 2,
      configServers: [{ primaryAddress: '127.0.0.1', primaryPort: sim.port }],
    });
    await provision(stack, 'post', '/contact-centers', { environmentId, domains: ['cs200'], auth: 'configServer' });
    await provision(stack, 'post', '/contact-centers', {
      environmentId,
      domains: ['ldap200'],
      auth: 'ldap',
      directory: { ldap: ldapDirectory(slapd) },
    });
    rp = await startSampleRelyingParty(stack.baseUrl, 'directory-rp');
    await createClient(stack, {
      client_id: 'directory-rp',
      name: 'Agent Desktop',
      clientType: 'PUBLIC',
      authorizedGrantTypes: ['authorization_code'],
      redirectURIs: [rp.redirectUri, `${rp.url}/`],
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await rp?.close();
    await stack?.close();
    await sim?.close();
    await slapd.stop();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
    page = await context.newPage();
  });

  afterEach(() => context.close());

  async function submitSignIn(username: string, password: string): Promise<string> {
    await page.goto(rp.url);
    await page.click('#sign-in');
    await page.waitForURL(/\/ui\/auth\/sign-in\.html\?request=/);
    const reference = new URL(page.url()).searchParams.get('request')!;
    await page.fill('#username', username);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
    return reference;
  }

  it('a Configuration Server person signs in and the app shows the directory fields (DBID, employee id)', async () => {
    await submitSignIn('cs200\\agent1', 'agent1-Password!');
    await page.waitForURL(`${rp.redirectUri}?**`);
    await page.waitForSelector('#userinfo');
    await page.screenshot({ path: join(ARTIFACTS, 'config-server-signed-in.png'), fullPage: true });
    expect(await page.textContent('#user-loginName')).toBe('agent1');
    expect(await page.textContent('#user-firstName')).toBe('Alice');
    expect(await page.textContent('#user-dbid')).toBe('1001');
    expect(await page.textContent('#user-employeeId')).toBe('E-1001');
  });

  it('an LDAP user signs in and the app shows the LDAP attributes', async () => {
    await submitSignIn('ldap200\\lagent', 'lagent-Password!');
    await page.waitForURL(`${rp.redirectUri}?**`);
    await page.waitForSelector('#userinfo');
    expect(await page.textContent('#user-loginName')).toBe('lagent');
    expect(await page.textContent('#user-email')).toBe('lee.agent@example.com');
    expect(await page.textContent('#user-employeeId')).toBe('L-7');
  });

  it('directory down: a clear outage page (503), and the attempt is not counted as a failed password', async () => {
    await sim.goDown('refuse');
    try {
      const statuses: number[] = [];
      page.on('response', (response) => {
        if (response.url().includes('/ui/auth/error.html')) statuses.push(response.status());
      });
      const reference = await submitSignIn('cs200\\agent1', 'agent1-Password!');
      await page.waitForURL(/\/ui\/auth\/error\.html\?error=directory_unavailable/);
      await page.screenshot({ path: join(ARTIFACTS, 'directory-unavailable.png'), fullPage: true });
      expect(await page.textContent('body')).toContain('user directory cannot be reached');
      expect(await page.textContent('body')).not.toContain('incorrect');
      expect(statuses).toEqual([503]);
      const flow = (await page.context().cookies()).find((cookie) => cookie.name === 'cxauth_flow');
      const pending = await stack
        .http()
        .get(`/auth/v3/sign-in/context?request=${reference}`)
        .set('cookie', `cxauth_flow=${flow?.value}`);
      expect(pending.body.data.failures).toBe(0);
    } finally {
      await sim.comeUp();
    }
  });
});
