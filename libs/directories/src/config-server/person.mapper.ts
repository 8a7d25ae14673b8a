import type { DirectoryPerson } from '../person-directory';
import type { GatewayPerson } from './gateway-contract';

/** `Supervisor Level 2` → `ROLE_SUPERVISOR_LEVEL_2`. */
export function roleAuthority(roleName: string): string {
  const name = roleName
    .trim()
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  return `ROLE_${name}`;
}

/**
 * A Configuration Server Person → DirectoryPerson (docs/users.md): agents get `ROLE_AGENT`, each
 * role its `ROLE_<NAME>`; `tenantDBID`, `employeeId` and the agent logins go to the properties.
 */
export function toDirectoryPerson(person: GatewayPerson): DirectoryPerson {
  const authorities = new Set<string>();
  if (person.isAgent) authorities.add('ROLE_AGENT');
  for (const role of person.roles) authorities.add(roleAuthority(role.name));
  const properties: Record<string, string> = { tenantDBID: String(person.tenantDbid) };
  if (person.employeeId) properties.employeeId = person.employeeId;
  if (person.agentLogins.length > 0)
    properties.agentLogins = person.agentLogins.map((login) => login.loginCode).join(',');
  return {
    userName: person.userName,
    dbid: person.dbid,
    ...(person.firstName && { firstName: person.firstName }),
    ...(person.lastName && { lastName: person.lastName }),
    ...(person.emailAddress && { email: person.emailAddress }),
    ...(person.employeeId && { employeeId: person.employeeId }),
    authorities: [...authorities],
    properties,
  };
}
