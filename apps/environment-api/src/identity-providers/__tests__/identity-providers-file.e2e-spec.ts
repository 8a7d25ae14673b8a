import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDENTITY_PROVIDER_SECRET_SEAL } from '@cxauth/persistence';
import { SecretBox } from '@cxauth/platform';
import {
  createTestApp,
  createTestStorage,
  selfSigned,
  TEST_SERVICE_ENV,
  type TestApp,
  type TestDatabase,
} from '@cxauth/testing';
import { environmentApiConfigSchema } from '../../environment-api.config';
import { environmentApiService } from '../../environment-api.service';
import { environmentBody, OPS } from '../../__tests__/environment-test-app';
import { IdentityProvidersFileSync } from '../file/identity-providers-file.sync';

// environment-api applying IDENTITY_PROVIDERS_FILE (the charts' identityProviders values) on real
// PostgreSQL: at boot, at each poll after a change, refusing invalid files, and with two replicas.

const DIST_MAIN = join(__dirname, '../../../../../dist/apps/environment-api/src/main.js');
const dir = mkdtempSync(join(tmpdir(), 'cxauth-idp-file-'));
const file = join(dir, 'identity-providers.json');
const idpCert = selfSigned('idp');
const spKeys = selfSigned('sp');

let database: TestDatabase;
let storageEnv: Record<string, string>;
let fileEnv: Record<string, string>;
let replica1: TestApp;
let replica2: TestApp | undefined;
const environmentId = randomUUID();
const contactCenters = { oidc: randomUUID(), saml: randomUUID(), api: randomUUID(), later: randomUUID() };

const oidcEntry = (overrides: Record<string, unknown> = {}) => ({
  contactCenterId: contactCenters.oidc,
  type: 'oidc',
  oidc: {
    issuer: 'https://login.microsoftonline.com/tenant/v2.0',
    clientId: 'cxauth-file',
    clientSecret: 'file-Secret-1',
    ...overrides,
  },
});
const samlEntry = () => ({
  contactCenterId: contactCenters.saml,
  type: 'saml',
  saml: {
    idpEntityId: 'http://www.okta.com/exk1',
    ssoUrl: 'https://acme.okta.com/app/acme_cxauth/exk1/sso/saml',
    signingCertificates: [idpCert.cert],
    spCertificate: spKeys.cert,
    spPrivateKey: spKeys.key,
  },
  jitProvisioning: true,
  defaultAuthorities: ['ROLE_AGENT'],
});
const laterEntry = () => ({ ...oidcEntry(), contactCenterId: contactCenters.later });
const writeProviders = (entries: unknown[]) => writeFileSync(file, JSON.stringify(entries, null, 2));

interface Row {
  contact_center_id: string;
  type: string;
  managed_by: string;
  settings: Record<string, unknown>;
  secret_encrypted: string;
  updated_at: Date;
}
const rows = () =>
  database.query<Row>(
    'SELECT contact_center_id, type, managed_by, settings, secret_encrypted, updated_at FROM identity_provider ORDER BY contact_center_id',
  );
const rowOf = async (id: string) => (await rows()).find((row) => row.contact_center_id === id);
/** The audit trail's events of the file (actor IDENTITY_PROVIDERS_FILE), oldest first. */
const fileAudit = () =>
  database.query<{ type: string; outcome: string; target: string | null; detail: Record<string, string> }>(
    `SELECT type, outcome, target, detail FROM audit_event WHERE actor = 'IDENTITY_PROVIDERS_FILE' ORDER BY id`,
  );
const sync = (app: TestApp) => app.service.app.get(IdentityProvidersFileSync).sync();
const path = (id: string) => `/environment/v3/contact-centers/${id}/identity-provider`;

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function createContactCenter(app: TestApp, environmentId: string, id: string, domain: string): Promise<void> {
  await app
    .http()
    .post('/environment/v3/contact-centers')
    .auth(OPS.user, OPS.password)
    .send({ data: { id, environmentId, domains: [domain], auth: 'local' } })
    .expect(200);
}

/** environment-api as a real process (dist), for what only a process shows: its exit at boot. */
function bootProcess(env: Record<string, string>) {
  const result = spawnSync(process.execPath, [DIST_MAIN], {
    env: { PATH: process.env.PATH ?? '', ...TEST_SERVICE_ENV, ...storageEnv, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
}

beforeAll(async () => {
  ({ database, env: storageEnv } = await createTestStorage());
  fileEnv = {
    ...storageEnv,
    IDENTITY_PROVIDERS_FILE: file,
    IDENTITY_PROVIDERS_POLL_SECONDS: '1',
    LOG_LEVEL: 'info',
  };
  // The contact centers exist before the file is used (a first environment-api without the file).
  const setup = await createTestApp(environmentApiConfigSchema, environmentApiService, storageEnv);
  await setup
    .http()
    .post('/environment/v3/environments')
    .auth(OPS.user, OPS.password)
    .send(environmentBody({ id: environmentId }))
    .expect(200);
  await createContactCenter(setup, environmentId, contactCenters.oidc, 'file-oidc');
  await createContactCenter(setup, environmentId, contactCenters.saml, 'file-saml');
  await createContactCenter(setup, environmentId, contactCenters.api, 'file-api');
  // An API-managed provider the file will take over later.
  await setup
    .http()
    .put(path(contactCenters.api))
    .auth(OPS.user, OPS.password)
    .send({ data: { type: 'oidc', oidc: { issuer: 'https://api.example.com', clientId: 'c', clientSecret: 's' } } })
    .expect(200);
  await setup.close();
}, 60_000);

afterAll(async () => {
  await replica2?.close();
  await replica1?.close();
  await database?.drop();
  rmSync(dir, { recursive: true, force: true });
});

describe('identity providers from IDENTITY_PROVIDERS_FILE (the charts values)', () => {
  it('refuses to boot on an invalid file, naming the entry and field, and changes nothing', () => {
    writeProviders([samlEntry(), oidcEntry({ issuer: 'http://idp.example.com' })]);
    const before = bootProcess({ IDENTITY_PROVIDERS_FILE: file });
    expect(before.code).toBe(1);
    expect(before.output).toContain(`failed to start: IDENTITY_PROVIDERS_FILE ${file}`);
    expect(before.output).toContain('identityProviders[1].oidc.issuer: must be an https:// URL');
    expect(before.output).toContain(`(contact center ${contactCenters.oidc})`);
    expect(before.output).not.toContain('file-Secret-1');
    expect(before.output).not.toContain('PRIVATE KEY');

    // A JSON syntax error is placed by line and column, without quoting the text (it may be a secret).
    writeFileSync(file, '[{"contactCenterId": "x", "oidc": {"clientSecret": "file-Secret-1"}');
    const syntax = bootProcess({ IDENTITY_PROVIDERS_FILE: file });
    expect(syntax.code).toBe(1);
    expect(syntax.output).toMatch(/IDENTITY_PROVIDERS_FILE \S+: is not valid JSON/);
    expect(syntax.output).not.toContain('file-Secret-1');

    const missing = bootProcess({ IDENTITY_PROVIDERS_FILE: join(dir, 'absent.json') });
    expect(missing.code).toBe(1);
    expect(missing.output).toContain('absent.json cannot be read (ENOENT)');
  }, 120_000);

  it('the invalid boots left the database as it was, and the refusal is in the audit trail', async () => {
    const all = await rows();
    expect(all.map((row) => [row.contact_center_id, row.managed_by])).toEqual([[contactCenters.api, 'api']]);
    const [refusal] = await fileAudit();
    expect(refusal).toMatchObject({ type: 'identity_provider_changed', outcome: 'failure', target: null });
    expect(refusal!.detail.reason).toContain('identityProviders[1].oidc.issuer');
    expect(JSON.stringify(await fileAudit())).not.toContain('file-Secret-1');
  });

  it('applies the file at boot: providers present, secrets sealed, GET shows them without the secret', async () => {
    writeProviders([oidcEntry(), samlEntry(), laterEntry()]);
    replica1 = await createTestApp(environmentApiConfigSchema, environmentApiService, fileEnv);
    // No wait: the boot itself applied the file.
    const oidc = await rowOf(contactCenters.oidc);
    const saml = await rowOf(contactCenters.saml);
    expect(oidc).toMatchObject({ type: 'oidc', managed_by: 'file' });
    expect(saml).toMatchObject({ type: 'saml', managed_by: 'file' });
    expect(oidc!.secret_encrypted).not.toContain('file-Secret-1');
    expect(JSON.stringify(oidc!.settings)).not.toContain('file-Secret-1');
    const box = new SecretBox({ ENCRYPTION_KEY: storageEnv.ENCRYPTION_KEY! });
    const seal = (id: string) => ({ purpose: IDENTITY_PROVIDER_SECRET_SEAL, id });
    expect(box.open(oidc!.secret_encrypted, seal(contactCenters.oidc))).toBe('file-Secret-1');
    expect(box.open(saml!.secret_encrypted, seal(contactCenters.saml))).toBe(spKeys.key);

    const get = await replica1.http().get(path(contactCenters.oidc)).auth(OPS.user, OPS.password);
    expect(get.status).toBe(200);
    expect(get.body.data).toMatchObject({
      contactCenterId: contactCenters.oidc,
      type: 'oidc',
      enabled: true,
      managedBy: 'file',
      oidc: {
        issuer: 'https://login.microsoftonline.com/tenant/v2.0',
        clientId: 'cxauth-file',
        clientSecretSet: true,
        scopes: ['openid', 'profile', 'email'],
      },
    });
    expect(JSON.stringify(get.body)).not.toContain('file-Secret-1');
    const samlGet = await replica1.http().get(path(contactCenters.saml)).auth(OPS.user, OPS.password);
    expect(samlGet.body.data).toMatchObject({
      managedBy: 'file',
      jitProvisioning: true,
      defaultAuthorities: ['ROLE_AGENT'],
      saml: { idpEntityId: 'http://www.okta.com/exk1', spPrivateKeySet: true },
    });
    expect(JSON.stringify(samlGet.body)).not.toContain('PRIVATE KEY');

    // The API-managed provider the file does not name is left alone; the unknown contact center is named.
    expect(await rowOf(contactCenters.api)).toMatchObject({ managed_by: 'api' });
    expect(replica1.logs.join('\n')).toContain(
      `identity provider identityProviders[2] of ${file} not applied: contact center ${contactCenters.later} does not exist`,
    );
    expect(replica1.logs.join('\n')).toContain(`identity provider created from ${file}`);
    expect((await fileAudit()).filter((event) => event.outcome === 'success')).toEqual([
      {
        type: 'identity_provider_changed',
        outcome: 'success',
        target: contactCenters.oidc,
        detail: { file, change: 'created', type: 'oidc' },
      },
      {
        type: 'identity_provider_changed',
        outcome: 'success',
        target: contactCenters.saml,
        detail: { file, change: 'created', type: 'saml' },
      },
    ]);
    expect(replica1.logs.join('\n')).not.toContain('file-Secret-1');
  });

  it('applies a provider once its contact center is created (the next poll, no restart)', async () => {
    await createContactCenter(replica1, environmentId, contactCenters.later, 'file-later');
    const row = await eventually(() => rowOf(contactCenters.later));
    expect(row).toMatchObject({ type: 'oidc', managed_by: 'file' });
  });

  it('a poll of an unchanged file writes nothing (no new seal, same updatedAt)', async () => {
    const before = await rows();
    expect(await sync(replica1)).toBe('unchanged');
    // Same providers, other formatting: read again (by this call or the 1 s poll), nothing rewritten.
    writeFileSync(file, JSON.stringify([oidcEntry(), samlEntry(), laterEntry()]));
    expect(['applied', 'unchanged']).toContain(await sync(replica1));
    expect(await sync(replica1)).toBe('unchanged');
    expect(await rows()).toEqual(before);
  });

  it('the API refuses to write a file-managed provider (409) and still writes its own', async () => {
    const put = await replica1
      .http()
      .put(path(contactCenters.oidc))
      .auth(OPS.user, OPS.password)
      .send({
        data: { type: 'oidc', oidc: { issuer: 'https://other.example.com', clientId: 'x', clientSecret: 'y' } },
      });
    expect(put.status).toBe(409);
    expect(put.body.status.code).toBe(6);
    expect(JSON.stringify(put.body)).toContain('managed by IDENTITY_PROVIDERS_FILE');
    const remove = await replica1.http().delete(path(contactCenters.saml)).auth(OPS.user, OPS.password);
    expect(remove.status).toBe(409);
    expect(await rowOf(contactCenters.saml)).toBeDefined();
    await replica1
      .http()
      .put(path(contactCenters.api))
      .auth(OPS.user, OPS.password)
      .send({ data: { type: 'oidc', oidc: { issuer: 'https://api2.example.com', clientId: 'c' } } })
      .expect(200);
  });

  it('a provider deleted behind the file (here in SQL) is written again at the next poll', async () => {
    const before = await rowOf(contactCenters.saml);
    await database.query('DELETE FROM identity_provider WHERE contact_center_id = $1', [contactCenters.saml]);
    const again = await eventually(() => rowOf(contactCenters.saml));
    expect(again).toMatchObject({ type: 'saml', managed_by: 'file', settings: before!.settings });
  });

  it('a changed file is applied without a restart: update, removal, take-over of an API provider', async () => {
    const oidcBefore = await rowOf(contactCenters.oidc);
    writeProviders([
      oidcEntry({ scopes: ['openid', 'email'], clientSecret: 'file-Secret-2' }),
      laterEntry(),
      { ...oidcEntry({ clientId: 'taken' }), contactCenterId: contactCenters.api },
    ]);
    const updated = await eventually(async () => {
      const row = await rowOf(contactCenters.oidc);
      return row && (row.settings as { scopes: string[] }).scopes.length === 2 ? row : undefined;
    });
    expect(updated.updated_at.getTime()).toBeGreaterThan(oidcBefore!.updated_at.getTime());
    const box = new SecretBox({ ENCRYPTION_KEY: storageEnv.ENCRYPTION_KEY! });
    expect(
      box.open(updated.secret_encrypted, { purpose: IDENTITY_PROVIDER_SECRET_SEAL, id: contactCenters.oidc }),
    ).toBe('file-Secret-2');
    // The SAML provider left the file: removed. The API's provider named in the file: now the file's.
    expect(await rowOf(contactCenters.saml)).toBeUndefined();
    expect(await rowOf(contactCenters.api)).toMatchObject({ managed_by: 'file', settings: { clientId: 'taken' } });
    const logs = await eventually(async () => {
      const text = replica1.logs.join('\n');
      return text.includes('taken over from the API') ? text : undefined;
    });
    expect(logs).toContain(`identity provider updated from ${file}`);
    expect(logs).toContain(`identity provider removed from ${file}`);
    expect(logs).toContain(`identity provider taken over from the API from ${file}`);
    const audit = await fileAudit();
    expect(audit).toContainEqual({
      type: 'identity_provider_deleted',
      outcome: 'success',
      target: contactCenters.saml,
      detail: { file, change: 'removed', type: 'saml' },
    });
    expect(audit).toContainEqual({
      type: 'identity_provider_changed',
      outcome: 'success',
      target: contactCenters.api,
      detail: { file, change: 'taken over from the API', type: 'oidc' },
    });
    expect(logs).not.toContain('file-Secret-2');
  });

  it('an invalid file while running is logged with entry and field, and nothing changes', async () => {
    await expect(sync(replica1)).resolves.toBe('unchanged');
    const before = await rows();
    writeProviders([
      oidcEntry({ clientSecret: 'file-Secret-3' }),
      { ...samlEntry(), saml: { ...samlEntry().saml, spPrivateKey: selfSigned('other').key } },
    ]);
    expect(await sync(replica1)).toBe('refused');
    const logs = replica1.logs.join('\n');
    expect(logs).toContain(`identity providers file ${file} refused, nothing applied`);
    expect(logs).toContain(
      `identityProviders[1].saml.spPrivateKey: does not belong to spCertificate (contact center ${contactCenters.saml})`,
    );
    expect(logs).not.toContain('file-Secret-3');
    // The first entry was valid, but nothing of the file is applied: all or nothing.
    expect(await rows()).toEqual(before);
    // The same bad content is not logged again at every poll.
    const count = replica1.logs.filter((line) => line.includes('refused, nothing applied')).length;
    expect(await sync(replica1)).toBe('refused');
    expect(replica1.logs.filter((line) => line.includes('refused, nothing applied'))).toHaveLength(count);
  });

  it('two replicas applying the same change at once: one writes, the other finds nothing to do', async () => {
    writeProviders([oidcEntry({ clientSecret: 'file-Secret-2' }), laterEntry()]);
    replica2 = await createTestApp(environmentApiConfigSchema, environmentApiService, fileEnv);
    // replica2's boot applied it (the api contact center's provider left the file): it is removed.
    expect(await rowOf(contactCenters.api)).toBeUndefined();
    writeProviders([oidcEntry({ clientSecret: 'file-Secret-4' }), laterEntry(), samlEntry()]);
    const changes = () =>
      [...replica1.logs, ...replica2!.logs].filter(
        (line) => line.includes('identity provider created from') && line.includes(contactCenters.saml),
      ).length;
    const created = changes();
    const outcomes = await Promise.all([sync(replica1), sync(replica2), sync(replica1), sync(replica2)]);
    expect(outcomes.filter((outcome) => outcome === 'refused')).toEqual([]);
    // Exactly one replica created the SAML provider; the other's transaction found it there.
    expect(changes() - created).toBe(1);
    expect(await rowOf(contactCenters.saml)).toMatchObject({ managed_by: 'file' });
    expect((await rows()).map((row) => row.contact_center_id).sort()).toEqual(
      [contactCenters.oidc, contactCenters.saml, contactCenters.later].sort(),
    );

    // An empty list removes every file-managed provider; the advisory lock makes one replica do it.
    const removals = () =>
      [...replica1.logs, ...replica2!.logs].filter((line) => line.includes('identity provider removed from')).length;
    const removed = removals();
    writeProviders([]);
    const emptied = await Promise.all([sync(replica1), sync(replica2), sync(replica1), sync(replica2)]);
    expect(emptied.filter((outcome) => outcome === 'refused')).toEqual([]);
    expect(await rows()).toEqual([]);
    expect(removals() - removed).toBe(3);
  });

  it("a metadataUrl that cannot be read is the IdP's trouble: the boot goes on, nothing is applied, polls retry", async () => {
    const before = await rows();
    const { idpEntityId: _e, ssoUrl: _s, signingCertificates: _c, ...saml } = samlEntry().saml;
    writeProviders([
      oidcEntry({ clientSecret: 'file-Secret-5' }),
      { ...samlEntry(), saml: { ...saml, metadataUrl: 'http://127.0.0.1:1/federationmetadata.xml' } },
    ]);
    const replica3 = await createTestApp(environmentApiConfigSchema, environmentApiService, fileEnv);
    try {
      const logs = replica3.logs.join('\n');
      expect(logs).toContain(`identity providers file ${file} not applied at boot; retried every poll`);
      expect(logs).toContain('identityProviders[1].saml.metadataUrl:');
      expect(await rows()).toEqual(before);
      expect(await sync(replica3)).toBe('refused');
      expect(await rows()).toEqual(before);
    } finally {
      await replica3.close();
    }
    writeProviders([oidcEntry({ clientSecret: 'file-Secret-4' }), laterEntry(), samlEntry()]);
  });

  it('without the file configured, the API may take over a provider the file had written', async () => {
    // The replicas (1 s polls) write it again from the file restored above.
    await eventually(async () => (await rowOf(contactCenters.later))?.managed_by === 'file' || undefined);
    const plain = await createTestApp(environmentApiConfigSchema, environmentApiService, storageEnv);
    try {
      const put = await plain
        .http()
        .put(path(contactCenters.later))
        .auth(OPS.user, OPS.password)
        .send({ data: { type: 'oidc', oidc: { issuer: 'https://api3.example.com', clientId: 'cxauth-file' } } });
      expect(put.status).toBe(200);
      expect(put.body.data.managedBy).toBe('api');
    } finally {
      await plain.close();
    }
  });
});
