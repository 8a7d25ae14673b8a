import { Injectable } from '@nestjs/common';
import type { DirectoryUser } from '@cxauth/domain';
import { ContactCenterResolver } from '../users/contact-center-resolver';
import { ExternalUserDirectory } from '../users/directories/external-user.directory';
import { LocalUserDirectory, type SsoProfile } from '../users/directories/local-user.directory';
import { SsoAccountLockout } from './sso-account-lockout';
import type { SsoIdentity } from './sso-identity';
import { SsoFailure } from './sso-failure';

const MAX_USERNAME_LENGTH = 255;

/** `defaultAuthorities` plus those of every mapped group the identity is in (each once). */
function authoritiesOf(
  groups: unknown,
  settings: { defaultAuthorities: string[]; groupAuthorities?: Record<string, string[]> },
): string[] {
  const names = (Array.isArray(groups) ? groups : [groups]).filter(
    (group): group is string => typeof group === 'string',
  );
  const table = settings.groupAuthorities ?? {};
  const mapped = names.flatMap((group) => (Object.hasOwn(table, group) ? (table[group] ?? []) : []));
  return [...new Set([...settings.defaultAuthorities, ...mapped])];
}

function claim(claims: Record<string, unknown>, name: string, maxLength = 320): string | undefined {
  // A SAML attribute may carry several values: the first one.
  const raw = claims[name];
  const value = Array.isArray(raw) ? (raw as unknown[])[0] : raw;
  return typeof value === 'string' && value.length > 0 && value.length <= maxLength ? value : undefined;
}

/** The longest first or last name a local user keeps (its column); a longer one from the IdP is left out. */
const MAX_NAME_LENGTH = 255;

/** The signed-in user, and the fields of a just-in-time user this sign-in brought in step with the IdP. */
export interface SsoUser {
  user: DirectoryUser;
  updated: string[];
}

/**
 * The user an IdP identity stands for: the user of the mapped user-name claim in the contact
 * center's directory (a local user first, then its Configuration Server or LDAP directory), or, with
 * `jitProvisioning`, a local user created from the claims. A user created that way (just in time) is
 * brought in step with the IdP at each later sign-in: its authorities become `defaultAuthorities` plus
 * the `groupAuthorities` of the groups the IdP names now, its names and e-mail those the IdP sent;
 * other users keep what their directory says. The session then carries that user exactly
 * as after a password sign-in (same id, authorities and tenant binding), and the password path's
 * refusals apply: a disabled local user (`sso_disabled`) and a locked account (`sso_locked`,
 * SsoAccountLockout) do not sign in.
 */
@Injectable()
export class SsoUserResolver {
  constructor(
    private readonly contactCenters: ContactCenterResolver,
    private readonly local: LocalUserDirectory,
    private readonly external: ExternalUserDirectory,
    private readonly lockout: SsoAccountLockout,
  ) {}

  async resolve(identity: SsoIdentity): Promise<SsoUser> {
    const { provider, claims } = identity;
    const mapping = provider.type === 'oidc' ? provider.settings.claims : provider.settings.attributes;
    const username = claim(claims, mapping.username);
    if (!username || username.length > MAX_USERNAME_LENGTH || /[\\\s]/.test(username)) {
      throw new SsoFailure('sso_unknown_user', `claim ${mapping.username} is missing or not a user name`);
    }
    const contactCenter = await this.contactCenters.byId(provider.contactCenterId);
    if (!contactCenter) throw new SsoFailure('sso_unknown_idp', `contact center ${provider.contactCenterId} is gone`);
    const profile: SsoProfile = {
      firstName: claim(claims, mapping.firstName, MAX_NAME_LENGTH),
      lastName: claim(claims, mapping.lastName, MAX_NAME_LENGTH),
      email: claim(claims, mapping.email),
      authorities: authoritiesOf(claims[mapping.groups], provider.settings),
    };
    const local = await this.local.findInContactCenter(contactCenter.id, username);
    const found = local ?? (await this.external.findInContactCenter(contactCenter.id, username));
    if (found) {
      await this.lockout.assertNotLocked(contactCenter.id, username, found.id);
      // A just-in-time user follows the IdP; any other user keeps its directory's authorities and names.
      const synced = local ? await this.local.syncProvisioned(contactCenter, username, profile) : null;
      return synced ?? { user: found, updated: [] };
    }
    const id = `${contactCenter.id}\\${username}`;
    // A disabled local user is found nowhere (as for a password); it is not provisioned again either.
    if (await this.local.hasUser(contactCenter.id, username)) {
      throw new SsoFailure('sso_disabled', `user ${username} of contact center ${contactCenter.id} is disabled`, id);
    }
    if (!provider.settings.jitProvisioning) {
      throw new SsoFailure('sso_unknown_user', `no user ${username} in contact center ${contactCenter.id}`);
    }
    // Failed passwords may have locked the name before the user exists: no user is created for it then.
    await this.lockout.assertNotLocked(contactCenter.id, username, id);
    const created = await this.local.provision(contactCenter, { username, ...profile });
    // Null only when a disabled user of that name was created meanwhile: disabled stays disabled.
    if (!created) throw new SsoFailure('sso_disabled', `user ${username} is disabled`, id);
    return { user: created, updated: [] };
  }
}
