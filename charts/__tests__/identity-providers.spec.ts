import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { render, renderError, removeChartsWorkDir, selfSigned, validateObject, type K8sObject } from '@cxauth/testing';
import { parseIdentityProvidersFile } from '@cxauth/environment-api';

// The charts' identityProviders values (docs/sso.md "From the Helm chart"), rendered by the real helm:
// a Secret of its own, mounted read-only as a directory, IDENTITY_PROVIDERS_FILE pointing at it, and a
// document environment-api's own parser accepts.

interface Workload {
  spec: {
    template: {
      metadata: { annotations: Record<string, string> };
      spec: {
        containers: {
          name: string;
          envFrom?: { configMapRef?: { name: string } }[];
          volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
        }[];
        volumes: {
          name: string;
          secret?: { secretName: string; items?: { key: string; path: string }[] };
        }[];
      };
    };
  };
}
type Secret = K8sObject & { data: Record<string, string> };
type ConfigMap = K8sObject & { data: Record<string, string> };

const CLIENT_SECRET = 'ci-idp-client-secret';
const ENTRA_CC = '0b6f3c8e-1d2a-4c59-9f0e-6a1b2c3d4e5f';
const OKTA_CC = '7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6';
const dir = mkdtempSync(join(tmpdir(), 'cxauth-idp-values-'));
const idpCert = selfSigned('entra');
const spKeys = selfSigned('cxauth-sp');

/** The two examples of docs/sso.md: an Entra ID SAML tenant and an Okta OIDC tenant. */
const providers = [
  {
    contactCenterId: ENTRA_CC,
    type: 'saml',
    saml: {
      idpEntityId: 'https://sts.windows.net/00000000-0000-0000-0000-000000000001/',
      ssoUrl: 'https://login.microsoftonline.com/00000000-0000-0000-0000-000000000001/saml2',
      signingCertificates: [idpCert.cert],
      spCertificate: spKeys.cert,
      spPrivateKey: spKeys.key,
    },
    defaultAuthorities: ['ROLE_AGENT'],
  },
  {
    contactCenterId: OKTA_CC,
    type: 'oidc',
    oidc: {
      issuer: 'https://acme.okta.com',
      clientId: '0oa1b2c3d4e5f6g7h8i9',
      clientSecret: CLIENT_SECRET,
      claims: { username: 'login' },
    },
    jitProvisioning: true,
    groupAuthorities: { 'cc-supervisors': ['ROLE_SUPERVISOR'] },
  },
];

function valuesFile(name: string, values: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, stringify(values));
  return file;
}

const serviceValues = (chart: string) => `${chart}/ci/default-values.yaml`;
const withProviders = valuesFile('providers.yaml', { identityProviders: providers });
const umbrellaWithProviders = valuesFile('umbrella.yaml', { 'environment-api': { identityProviders: providers } });

const find = <T>(objects: K8sObject[], kind: string, name: string) =>
  objects.find((object) => object.kind === kind && object.metadata.name === name) as (K8sObject & T) | undefined;
const deployment = (objects: K8sObject[], name = 'gauth-environment') => find<Workload>(objects, 'Deployment', name)!;
const configOf = (objects: K8sObject[], name = 'gauth-environment') =>
  find<ConfigMap>(objects, 'ConfigMap', name)!.data;
const container = (objects: K8sObject[], name?: string) => deployment(objects, name).spec.template.spec.containers[0]!;

afterAll(() => {
  removeChartsWorkDir();
  rmSync(dir, { recursive: true, force: true });
});

describe('identityProviders values (environment-api chart)', () => {
  it('renders nothing for an empty list (the default)', () => {
    const objects = render('environment-api', { values: [serviceValues('environment-api')] });
    expect(find(objects, 'Secret', 'gauth-environment-identity-providers')).toBeUndefined();
    expect(configOf(objects)).not.toHaveProperty('IDENTITY_PROVIDERS_FILE');
    expect(deployment(objects).spec.template.spec.volumes.map((volume) => volume.name)).not.toContain(
      'identity-providers',
    );
  });

  it('renders the list into a Secret (never a ConfigMap), mounted read-only as a directory, and sets the file', () => {
    const objects = render('environment-api', { values: [serviceValues('environment-api'), withProviders] });
    objects.forEach(validateObject);
    const secret = find<Secret>(objects, 'Secret', 'gauth-environment-identity-providers')!;
    expect(secret).toBeDefined();
    const document = Buffer.from(secret.data['identity-providers.json']!, 'base64').toString('utf8');
    expect(JSON.parse(document)).toEqual(providers);
    // Client secrets and keys appear in that Secret only.
    for (const object of objects.filter((item) => item !== secret)) {
      expect(JSON.stringify(object)).not.toContain(CLIENT_SECRET);
      expect(JSON.stringify(object)).not.toContain('PRIVATE KEY');
    }
    expect(configOf(objects)).toMatchObject({
      IDENTITY_PROVIDERS_FILE: '/etc/cxauth/identity-providers/identity-providers.json',
      IDENTITY_PROVIDERS_POLL_SECONDS: '30',
    });
    const pod = deployment(objects).spec.template.spec;
    expect(pod.volumes).toContainEqual({
      name: 'identity-providers',
      secret: {
        secretName: 'gauth-environment-identity-providers',
        items: [{ key: 'identity-providers.json', path: 'identity-providers.json' }],
      },
    });
    // No subPath: the kubelet updates the file in place and environment-api applies it without a restart.
    expect(container(objects).volumeMounts).toContainEqual({
      name: 'identity-providers',
      mountPath: '/etc/cxauth/identity-providers',
      readOnly: true,
    });
  });

  it("environment-api's own parser accepts the rendered document (the same validation as the API)", async () => {
    const objects = render('environment-api', { values: [serviceValues('environment-api'), withProviders] });
    const secret = find<Secret>(objects, 'Secret', 'gauth-environment-identity-providers')!;
    const parsed = await parseIdentityProvidersFile(
      Buffer.from(secret.data['identity-providers.json']!, 'base64').toString('utf8'),
    );
    expect(parsed.map((provider) => [provider.at, provider.contactCenterId, provider.data.type])).toEqual([
      ['identityProviders[0]', ENTRA_CC, 'saml'],
      ['identityProviders[1]', OKTA_CC, 'oidc'],
    ]);
  });

  it('a change of the list does not roll the pods (it is applied without a restart)', () => {
    const before = render('environment-api', { values: [serviceValues('environment-api'), withProviders] });
    const changed = valuesFile('changed.yaml', { identityProviders: [{ ...providers[1], enabled: false }] });
    const after = render('environment-api', { values: [serviceValues('environment-api'), changed] });
    expect(find<Secret>(after, 'Secret', 'gauth-environment-identity-providers')!.data).not.toEqual(
      find<Secret>(before, 'Secret', 'gauth-environment-identity-providers')!.data,
    );
    expect(deployment(after).spec.template.metadata.annotations).toEqual(
      deployment(before).spec.template.metadata.annotations,
    );
  });

  it('mounts an existing Secret instead (identityProvidersExistingSecret), with its key and poll interval', () => {
    const objects = render('environment-api', {
      values: [serviceValues('environment-api')],
      set: [
        'identityProvidersExistingSecret.name=sso-providers',
        'identityProvidersExistingSecret.key=providers.json',
        'identityProvidersPollSeconds=10',
      ],
    });
    expect(objects.filter((object) => object.kind === 'Secret').map((object) => object.metadata.name)).not.toContain(
      'gauth-environment-identity-providers',
    );
    expect(configOf(objects)).toMatchObject({
      IDENTITY_PROVIDERS_FILE: '/etc/cxauth/identity-providers/providers.json',
      IDENTITY_PROVIDERS_POLL_SECONDS: '10',
    });
    expect(deployment(objects).spec.template.spec.volumes).toContainEqual({
      name: 'identity-providers',
      secret: { secretName: 'sso-providers', items: [{ key: 'providers.json', path: 'providers.json' }] },
    });
    expect(container(objects).volumeMounts).toContainEqual({
      name: 'identity-providers',
      mountPath: '/etc/cxauth/identity-providers',
      readOnly: true,
    });
  });

  it('refuses both sources at once, and entries without a contact center or with an unknown key', () => {
    expect(
      renderError('environment-api', {
        values: [serviceValues('environment-api'), withProviders],
        set: ['identityProvidersExistingSecret.name=sso-providers'],
      }),
    ).toContain('set identityProviders or identityProvidersExistingSecret.name, not both');
    const noId = valuesFile('no-id.yaml', { identityProviders: [{ type: 'oidc', oidc: {} }] });
    expect(renderError('environment-api', { values: [serviceValues('environment-api'), noId] })).toMatch(
      /identityProviders\.0: contactCenterId is required/,
    );
    const typo = valuesFile('typo.yaml', { identityProviders: [{ ...providers[1], jitProvisionning: true }] });
    expect(renderError('environment-api', { values: [serviceValues('environment-api'), typo] })).toContain(
      'Additional property jitProvisionning is not allowed',
    );
  });
});

describe('identityProviders values (umbrella chart cxauth)', () => {
  it('passes environment-api.identityProviders through to environment-api only', () => {
    const objects = render('cxauth', { values: [serviceValues('cxauth'), umbrellaWithProviders] });
    const secret = find<Secret>(objects, 'Secret', 'gauth-environment-identity-providers')!;
    expect(JSON.parse(Buffer.from(secret.data['identity-providers.json']!, 'base64').toString('utf8'))).toEqual(
      providers,
    );
    expect(configOf(objects)).toHaveProperty(
      'IDENTITY_PROVIDERS_FILE',
      '/etc/cxauth/identity-providers/identity-providers.json',
    );
    expect(configOf(objects, 'gauth-auth')).not.toHaveProperty('IDENTITY_PROVIDERS_FILE');
    expect(container(objects, 'gauth-auth').volumeMounts?.map((mount) => mount.name)).not.toContain(
      'identity-providers',
    );
  });

  it('renders nothing by default', () => {
    const objects = render('cxauth', { values: [serviceValues('cxauth')] });
    expect(find(objects, 'Secret', 'gauth-environment-identity-providers')).toBeUndefined();
    expect(configOf(objects)).not.toHaveProperty('IDENTITY_PROVIDERS_FILE');
  });
});
