import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IDENTITY_PROVIDER_SECRET_SEAL } from '@cxauth/persistence';
import { SecretBox } from '@cxauth/platform';
import { selfSigned } from '@cxauth/testing';
import {
  environmentBody,
  EnvironmentTestContext,
  OPS,
  startEnvironmentApi,
} from '../../__tests__/environment-test-app';

let ctx: EnvironmentTestContext;
let contactCenterId: string;
const api = () => ctx.app.http();
const path = (id = contactCenterId) => `/environment/v3/contact-centers/${id}/identity-provider`;

const oidcBody = (oidc: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  data: {
    type: 'oidc',
    oidc: {
      issuer: 'https://login.example.com/tenant/v2.0',
      clientId: 'cxauth',
      clientSecret: 'idp-Secret-1',
      ...oidc,
    },
    ...extra,
  },
});

beforeAll(async () => {
  ctx = await startEnvironmentApi();
  const environmentId = randomUUID();
  await api()
    .post('/environment/v3/environments')
    .auth(OPS.user, OPS.password)
    .send(environmentBody({ id: environmentId }))
    .expect(200);
  contactCenterId = randomUUID();
  await api()
    .post('/environment/v3/contact-centers')
    .auth(OPS.user, OPS.password)
    .send({ data: { id: contactCenterId, environmentId, domains: ['sso1'], auth: 'local' } })
    .expect(200);
});
afterAll(async () => ctx?.close());

describe('identity provider of a contact center (PUT/GET/DELETE /contact-centers/{id}/identity-provider)', () => {
  it('stores an OIDC provider with defaults, seals the client secret and never returns it', async () => {
    const put = await api()
      .put(path())
      .auth(OPS.user, OPS.password)
      .send(oidcBody({}, { jitProvisioning: true }));
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      status: { code: 0 },
      data: {
        contactCenterId,
        type: 'oidc',
        enabled: true,
        jitProvisioning: true,
        defaultAuthorities: [],
        oidc: {
          issuer: 'https://login.example.com/tenant/v2.0',
          clientId: 'cxauth',
          clientSecretSet: true,
          scopes: ['openid', 'profile', 'email'],
          claims: { username: 'preferred_username', firstName: 'given_name', lastName: 'family_name', email: 'email' },
        },
      },
    });
    expect(JSON.stringify(put.body)).not.toContain('idp-Secret-1');
    const get = await api().get(path()).auth(OPS.user, OPS.password);
    expect(get.body.data).toEqual(put.body.data);
    const [row] = await ctx.database.query<{ secret_encrypted: string; settings: unknown }>(
      'SELECT secret_encrypted, settings FROM identity_provider WHERE contact_center_id = $1',
      [contactCenterId],
    );
    expect(row!.secret_encrypted).not.toContain('idp-Secret-1');
    expect(JSON.stringify(row!.settings)).not.toContain('idp-Secret-1');
    const box = new SecretBox({ ENCRYPTION_KEY: ctx.env.ENCRYPTION_KEY! });
    expect(box.open(row!.secret_encrypted, { purpose: IDENTITY_PROVIDER_SECRET_SEAL, id: contactCenterId })).toBe(
      'idp-Secret-1',
    );
  });

  it('a replace without clientSecret keeps the stored one for the same client, but a new client id needs one', async () => {
    const kept = await api()
      .put(path())
      .auth(OPS.user, OPS.password)
      .send({
        data: { type: 'oidc', enabled: false, oidc: { issuer: 'https://idp.example.com', clientId: 'cxauth' } },
      });
    expect(kept.status).toBe(200);
    expect(kept.body.data).toMatchObject({
      enabled: false,
      oidc: { clientSecretSet: true, issuer: 'https://idp.example.com' },
    });
    const newClient = await api()
      .put(path())
      .auth(OPS.user, OPS.password)
      .send({ data: { type: 'oidc', oidc: { issuer: 'https://idp.example.com', clientId: 'other' } } });
    expect(newClient.status).toBe(400);
    expect(newClient.body.status).toMatchObject({ code: 2 });
    expect(newClient.body.status.message).toContain('clientSecret');
  });

  it.each([
    ['no oidc settings', { data: { type: 'oidc' } }, 'oidc'],
    ['an unknown type', { data: { type: 'kerberos', oidc: {} } }, 'type'],
    ['saml without its settings', { data: { type: 'saml' } }, 'saml'],
    ['a plain-http issuer on a network host', oidcBody({ issuer: 'http://idp.example.com' }), 'issuer'],
    ['an issuer with a query', oidcBody({ issuer: 'https://idp.example.com/?x=1' }), 'issuer'],
    ['not a URL', oidcBody({ issuer: 'idp' }), 'issuer'],
    ['scopes without openid', oidcBody({ scopes: ['profile'] }), 'scopes'],
    ['a bad claim name', oidcBody({ claims: { username: 'a b' } }), 'username'],
    ['an unknown field', oidcBody({ extra: 1 }), 'extra'],
    ['a bad authority', oidcBody({}, { defaultAuthorities: ['1bad'] }), 'defaultAuthorities'],
    ['an empty client id', oidcBody({ clientId: '' }), 'clientId'],
  ])('refuses %s with 400 in the envelope', async (_name, body, field) => {
    const response = await api().put(path()).auth(OPS.user, OPS.password).send(body);
    expect(response.status).toBe(400);
    expect(response.body.status.code).toBe(2);
    expect(JSON.stringify(response.body)).toContain(field);
  });

  describe('SAML', () => {
    const idpCert = selfSigned('idp');
    const spKeys = selfSigned('sp');
    const otherKeys = selfSigned('other');
    const samlBody = (saml: Record<string, unknown> = {}) => ({
      data: {
        type: 'saml',
        saml: {
          idpEntityId: 'https://sts.windows.net/tenant/',
          ssoUrl: 'https://login.example.com/saml2',
          signingCertificates: [idpCert.cert],
          spCertificate: spKeys.cert,
          spPrivateKey: spKeys.key,
          ...saml,
        },
      },
    });

    it('stores a SAML provider with defaults; the SP key is sealed and never returned', async () => {
      const put = await api().put(path()).auth(OPS.user, OPS.password).send(samlBody());
      expect(put.status).toBe(200);
      expect(put.body.data).toMatchObject({
        type: 'saml',
        saml: {
          idpEntityId: 'https://sts.windows.net/tenant/',
          nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
          attributes: { username: 'NameID' },
          allowIdpInitiated: false,
          authnRequestBinding: 'redirect',
          spPrivateKeySet: true,
        },
      });
      expect(JSON.stringify(put.body)).not.toContain('PRIVATE KEY');
      const kept = await api()
        .put(path())
        .auth(OPS.user, OPS.password)
        .send(samlBody({ spPrivateKey: undefined }));
      expect(kept.body.data.saml.spPrivateKeySet).toBe(true);
    });

    it.each([
      [
        'a certificate that is not one',
        { signingCertificates: ['-----BEGIN CERTIFICATE-----\nnope\n-----END CERTIFICATE-----'] },
        'signingCertificates',
      ],
      ['no IdP certificate', { signingCertificates: [] }, 'signingCertificates'],
      ['an SP key of another certificate', { spPrivateKey: otherKeys.key }, 'spPrivateKey'],
      ['an SP key that is not a key', { spPrivateKey: 'secret' }, 'spPrivateKey'],
      ['a plain-http SSO URL', { ssoUrl: 'http://idp.example.com/sso' }, 'ssoUrl'],
      ['a plain-http SLO URL', { sloUrl: 'http://idp.example.com/slo' }, 'sloUrl'],
      ['a NameID format that is not a URN', { nameIdFormat: 'email' }, 'nameIdFormat'],
    ])('refuses %s with 400', async (_name, saml, field) => {
      const response = await api().put(path()).auth(OPS.user, OPS.password).send(samlBody(saml));
      expect(response.status).toBe(400);
      expect(response.body.status.code).toBe(2);
      expect(JSON.stringify(response.body)).toContain(field);
    });

    it("takes the IdP's entity ID, SSO URL and signing certificate from its metadata document", async () => {
      const base64 = idpCert.cert.replace(/-----[^-]+-----|\s/g, '');
      const metadataXml =
        `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="http://www.okta.com/exk1"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
        `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${base64}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>` +
        `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://example.okta.com/app/x/sso/saml-post"/>` +
        `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://example.okta.com/app/x/sso/saml"/>` +
        `</md:IDPSSODescriptor></md:EntityDescriptor>`;
      const { idpEntityId: _e, ssoUrl: _s, signingCertificates: _c, ...rest } = samlBody().data.saml;
      const response = await api()
        .put(path())
        .auth(OPS.user, OPS.password)
        .send({ data: { type: 'saml', saml: { ...rest, metadataXml } } });
      expect(response.status).toBe(200);
      expect(response.body.data.saml).toMatchObject({
        idpEntityId: 'http://www.okta.com/exk1',
        ssoUrl: 'https://example.okta.com/app/x/sso/saml',
      });
      expect(response.body.data.saml.signingCertificates[0].replace(/\s/g, '')).toBe(idpCert.cert.replace(/\s/g, ''));
      expect(response.body.data.saml).not.toHaveProperty('metadataXml');
      // AuthnRequests over HTTP-POST: the SSO URL of that binding (Okta publishes another one).
      const post = await api()
        .put(path())
        .auth(OPS.user, OPS.password)
        .send({ data: { type: 'saml', saml: { ...rest, metadataXml, authnRequestBinding: 'post' } } });
      expect(post.status).toBe(200);
      expect(post.body.data.saml).toMatchObject({
        authnRequestBinding: 'post',
        ssoUrl: 'https://example.okta.com/app/x/sso/saml-post',
      });

      const broken = await api()
        .put(path())
        .auth(OPS.user, OPS.password)
        .send({ data: { type: 'saml', saml: { ...rest, metadataXml: '<html/>' } } });
      expect(broken.status).toBe(400);
      expect(broken.body.status.message).toContain('metadataXml');
    });

    it("reads the metadata from a URL with a query (Entra ID's App Federation Metadata Url)", async () => {
      const base64 = idpCert.cert.replace(/-----[^-]+-----|\s/g, '');
      const queries: string[] = [];
      const server = createServer((request, response) => {
        queries.push(request.url ?? '');
        response
          .writeHead(200, { 'content-type': 'application/samlmetadata+xml' })
          .end(
            `<EntityDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://sts.windows.net/tenant-1/"><IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">` +
              `<KeyDescriptor use="signing"><KeyInfo xmlns="http://www.w3.org/2000/09/xmldsig#"><X509Data><X509Certificate>${base64}</X509Certificate></X509Data></KeyInfo></KeyDescriptor>` +
              `<SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://login.microsoftonline.com/tenant-1/saml2"/>` +
              `</IDPSSODescriptor></EntityDescriptor>`,
          );
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const metadataUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tenant-1/federationmetadata/2007-06/federationmetadata.xml?appid=0f1e2d3c`;
        const { idpEntityId: _e, ssoUrl: _s, signingCertificates: _c, ...rest } = samlBody().data.saml;
        const response = await api()
          .put(path())
          .auth(OPS.user, OPS.password)
          .send({ data: { type: 'saml', saml: { ...rest, metadataUrl } } });
        expect(response.status).toBe(200);
        expect(response.body.data.saml).toMatchObject({
          metadataUrl,
          idpEntityId: 'https://sts.windows.net/tenant-1/',
          ssoUrl: 'https://login.microsoftonline.com/tenant-1/saml2',
        });
        expect(queries).toEqual(['/tenant-1/federationmetadata/2007-06/federationmetadata.xml?appid=0f1e2d3c']);
        // A fragment or credentials stay refused.
        const refused = await api()
          .put(path())
          .auth(OPS.user, OPS.password)
          .send({ data: { type: 'saml', saml: { ...rest, metadataUrl: `${metadataUrl}#frag` } } });
        expect(refused.status).toBe(400);
        expect(refused.body.status.message).toContain('metadataUrl');
      } finally {
        server.close();
      }
    });

    it('a new SP certificate needs its key', async () => {
      const response = await api()
        .put(path())
        .auth(OPS.user, OPS.password)
        .send(samlBody({ spCertificate: otherKeys.cert, spPrivateKey: undefined }));
      expect(response.status).toBe(400);
      expect(response.body.status.message).toContain('spPrivateKey');
    });
  });

  it('accepts http only for a loopback issuer (a local IdP)', async () => {
    const response = await api()
      .put(path())
      .auth(OPS.user, OPS.password)
      .send(oidcBody({ issuer: 'http://127.0.0.1:9999' }));
    expect(response.status).toBe(200);
  });

  it('answers 404 for an unknown contact center, 400 for a malformed id, 401 without credentials', async () => {
    const unknown = await api().put(path(randomUUID())).auth(OPS.user, OPS.password).send(oidcBody());
    expect(unknown.status).toBe(404);
    expect(unknown.body.status.code).toBe(5);
    expect((await api().get(path('nope')).auth(OPS.user, OPS.password)).status).toBe(400);
    expect((await api().put(path()).send(oidcBody())).status).toBe(401);
  });

  it('DELETE removes it (then 404), and deleting the contact center removes its provider', async () => {
    expect((await api().delete(path()).auth(OPS.user, OPS.password)).body).toEqual({ status: { code: 0 } });
    expect((await api().get(path()).auth(OPS.user, OPS.password)).status).toBe(404);
    expect((await api().delete(path()).auth(OPS.user, OPS.password)).status).toBe(404);
    await api().put(path()).auth(OPS.user, OPS.password).send(oidcBody()).expect(200);
    await api().delete(`/environment/v3/contact-centers/${contactCenterId}`).auth(OPS.user, OPS.password).expect(200);
    expect(await ctx.database.query('SELECT 1 FROM identity_provider')).toEqual([]);
  });
});
