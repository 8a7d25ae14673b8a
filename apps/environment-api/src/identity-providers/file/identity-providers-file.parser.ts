import { DomainException } from '@cxauth/domain';
import { ZodValidationPipe } from '@cxauth/platform';
import { uuidSchema } from '../../common/schemas';
import { metadataUrlSchema, putIdentityProviderSchema } from '../dto/identity-provider.dto';
import { SamlMetadataUrlPipe } from '../dto/saml-metadata-url.pipe';
import type { FileIdentityProvider, IdentityProviderData } from '../identity-provider.service';

/** Larger files are refused (a provider with metadata and keys is a few KiB). */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
const MAX_PROVIDERS = 10_000;

/** IDENTITY_PROVIDERS_FILE cannot be read or is not valid; the message names the entry and the field. */
export class IdentityProvidersFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityProvidersFileError';
  }
}

/**
 * A SAML `metadataUrl` of the file could not be read (or its document used): the IdP's trouble, maybe
 * passing, not the file's. Nothing is applied; the next poll tries again (and a boot goes on).
 */
export class IdentityProviderMetadataUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IdentityProviderMetadataUnavailableError';
  }
}

/** Whether SamlMetadataUrlPipe will fetch this entry's metadata (so a failure of the pipe is the fetch's). */
function fetchesMetadata(data: Record<string, unknown>): boolean {
  const saml = data.type === 'saml' ? data.saml : undefined;
  return (
    typeof saml === 'object' &&
    saml !== null &&
    'metadataUrl' in saml &&
    !('metadataXml' in saml) &&
    metadataUrlSchema.safeParse((saml as { metadataUrl: unknown }).metadataUrl).success
  );
}

const validation = new ZodValidationPipe(putIdentityProviderSchema);
const metadataUrl = new SamlMetadataUrlPipe();

/** Where a JSON syntax error is, without quoting the text around it (it may hold a secret). */
function syntaxErrorAt(text: string, error: unknown): string {
  const position = /at position (\d+)/.exec((error as Error).message)?.[1];
  if (position === undefined) return 'is not valid JSON';
  const before = text.slice(0, Number(position)).split('\n');
  return `is not valid JSON (line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1})`;
}

/**
 * Reads the document of IDENTITY_PROVIDERS_FILE: a JSON array of `{contactCenterId, ...}` where the
 * rest is exactly the `data` of PUT /contact-centers/{id}/identity-provider, checked by the same pipes
 * as the API (SAML `metadataUrl` fetched, schema). Messages name the entry and field the way the
 * chart's values do: `identityProviders[1].oidc.issuer: must be an https:// URL ...`.
 */
export async function parseIdentityProvidersFile(text: string): Promise<FileIdentityProvider[]> {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new IdentityProvidersFileError(syntaxErrorAt(text, error));
  }
  if (!Array.isArray(document))
    throw new IdentityProvidersFileError('must be a JSON array of identity providers ([] for none)');
  if (document.length > MAX_PROVIDERS)
    throw new IdentityProvidersFileError(`holds more than ${MAX_PROVIDERS} identity providers`);
  const seen = new Map<string, string>();
  const providers: FileIdentityProvider[] = [];
  // Every bad entry is named, not only the first.
  const problems: string[] = [];
  const unavailable: string[] = [];
  for (const [index, entry] of document.entries()) {
    const at = `identityProviders[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${at}: must be an object`);
      continue;
    }
    const { contactCenterId: given, ...data } = entry as Record<string, unknown>;
    const id = uuidSchema.safeParse(given);
    if (!id.success) {
      problems.push(`${at}.contactCenterId: must be a contact center id (UUID)`);
      continue;
    }
    const contactCenterId = id.data.toLowerCase();
    const twin = seen.get(contactCenterId);
    if (twin) {
      problems.push(`${at}.contactCenterId: ${contactCenterId} is already in ${twin}`);
      continue;
    }
    seen.set(contactCenterId, at);
    let withMetadata: unknown;
    try {
      withMetadata = await metadataUrl.transform({ data });
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      const message = `${error.message.replace(/^data\./, `${at}.`)} (contact center ${contactCenterId})`;
      if (fetchesMetadata(data)) unavailable.push(message);
      else problems.push(message);
      continue;
    }
    try {
      const body = validation.transform(withMetadata);
      providers.push({ at, contactCenterId, data: body.data as IdentityProviderData });
    } catch (error) {
      if (!(error instanceof DomainException)) throw error;
      // The API's messages name `data.<field>`; here the entry is the data.
      const message = error.message.replace(/(^|; )data\./g, `$1${at}.`);
      problems.push(`${message} (contact center ${contactCenterId})`);
    }
  }
  if (problems.length) throw new IdentityProvidersFileError(problems.join('; '));
  if (unavailable.length) throw new IdentityProviderMetadataUnavailableError(unavailable.join('; '));
  return providers;
}
