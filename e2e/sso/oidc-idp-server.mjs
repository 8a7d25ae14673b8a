// A real OpenID Connect identity provider for the SSO tests: node-oidc-provider (certified) with its
// development login and consent pages (any password is accepted; the login name is the account).
// It runs as a child process because the package is ESM-only and jest loads modules as CommonJS.
//
// env: IDP_CLIENTS (JSON list of client metadata), IDP_ACCOUNTS_FILE (a JSON file: login -> claims, read
// at each sign-in, so a test can change an account's claims, e.g. its groups, while the IdP runs).
// Prints one line `READY <issuer>` on stdout once it listens on a free loopback port.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const clients = JSON.parse(process.env.IDP_CLIENTS ?? '[]');
const accounts = () => JSON.parse(readFileSync(process.env.IDP_ACCOUNTS_FILE, 'utf8'));

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });

const provider = new Provider(issuer, {
  clients,
  jwks: { keys: [{ ...rsa, kid: 'idp-rs256', alg: 'RS256', use: 'sig' }] },
  cookies: { keys: [randomBytes(32).toString('base64url')] },
  claims: {
    openid: ['sub'],
    profile: ['preferred_username', 'given_name', 'family_name', 'groups'],
    email: ['email'],
  },
  // Claims come from userinfo, as with most enterprise IdPs; the id_token carries sub and nonce.
  conformIdTokenClaims: true,
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, ...(accounts()[id] ?? {}) };
      },
    };
  },
});
provider.on('server_error', (_ctx, error) => process.stderr.write(`idp server_error: ${error.stack}\n`));
server.on('request', provider.callback());
process.stdout.write(`READY ${issuer}\n`);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
