import type { DirectoryUser } from '../ports/user-directory.port';

/** The body of GET /auth/v3/userinfo (Genesys `CloudUserDetails`). */
export interface CloudUserDetails {
  username: string;
  authorities: string[];
  cmeUserName?: string;
  loginName?: string;
  dbid?: number;
  contactCenterId?: string;
  environmentId?: string;
  properties: Record<string, string>;
}

/** The body of GET /auth/v3/openid/userinfo (Genesys `OpenIdUserInfo`). */
export interface OpenIdUserInfo {
  sub: string;
  aud?: string;
  email?: string;
  given_name?: string;
  family_name?: string;
  user_name: string;
  contact_center_id?: string;
  environment_id?: string;
  dbid?: number;
  authorities: string[];
  properties: Record<string, string>;
}

/**
 * DirectoryUser → CloudUserDetails (docs/users.md "User details"):
 * - `username` is the system-wide unique id (`<contact-center-id>\<username>`, or `ops`);
 * - `cmeUserName` and `loginName` are the name the user signs in with, set only for users of a
 *   contact center (the reference leaves them unset for the cloud ops user);
 * - `authorities` are plain strings (e.g. `"ROLE_OPS"`);
 * - `properties` are the user's stored properties plus `firstName`, `lastName`, `email` where known
 *   and not already set.
 */
export function toCloudUserDetails(user: DirectoryUser): CloudUserDetails {
  const details: CloudUserDetails = {
    username: user.id,
    authorities: [...user.authorities],
    properties: standardProperties(user),
  };
  if (user.contactCenterId) {
    details.cmeUserName = user.username;
    details.loginName = user.username;
    details.contactCenterId = user.contactCenterId;
  }
  if (user.environmentId) details.environmentId = user.environmentId;
  if (user.dbid !== undefined) details.dbid = user.dbid;
  return details;
}

/** DirectoryUser → OpenIdUserInfo; `audience` is the client the token was issued to. */
export function toOpenIdUserInfo(user: DirectoryUser, audience?: string): OpenIdUserInfo {
  const info: OpenIdUserInfo = {
    sub: user.id,
    user_name: user.username,
    authorities: [...user.authorities],
    properties: standardProperties(user),
  };
  if (audience) info.aud = audience;
  if (user.email) info.email = user.email;
  if (user.firstName) info.given_name = user.firstName;
  if (user.lastName) info.family_name = user.lastName;
  if (user.contactCenterId) info.contact_center_id = user.contactCenterId;
  if (user.environmentId) info.environment_id = user.environmentId;
  if (user.dbid !== undefined) info.dbid = user.dbid;
  return info;
}

function standardProperties(user: DirectoryUser): Record<string, string> {
  const properties: Record<string, string> = { ...user.properties };
  if (user.firstName && properties.firstName === undefined) properties.firstName = user.firstName;
  if (user.lastName && properties.lastName === undefined) properties.lastName = user.lastName;
  if (user.email && properties.email === undefined) properties.email = user.email;
  return properties;
}
