/**
 * A user name as contact-center users type it: `tenant\user`. The tenant is one of a contact
 * center's `domains`. A leading backslash (`\user`) or no backslash means "no tenant".
 */
export interface TenantUserName {
  tenant: string | null;
  username: string;
}

export function parseTenantUserName(raw: string, tenantField?: string | null): TenantUserName {
  const separator = raw.indexOf('\\');
  if (separator < 0) {
    const tenant = tenantField?.trim();
    return { tenant: tenant ? tenant : null, username: raw };
  }
  const tenant = raw.slice(0, separator).trim();
  return { tenant: tenant ? tenant : null, username: raw.slice(separator + 1) };
}
