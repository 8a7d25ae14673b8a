import { Inject, Injectable, Logger } from '@nestjs/common';
import { sha256Hex } from '@cxauth/domain';
import {
  APP_CONFIG,
  fetchSamlIdpMetadata,
  parseSamlIdpMetadata,
  type SamlIdpMetadata,
  samlMetadataFields,
} from '@cxauth/platform';
import type { ActiveSamlProvider } from './identity-provider.registry';
import type { SsoConfig } from './sso.config';

interface Entry {
  url: string;
  /** The last document read and parsed; null until one was. */
  metadata: SamlIdpMetadata | null;
  fetchedAt: number;
  attemptedAt: number;
  inflight: Promise<void> | null;
}

/**
 * The metadata of SAML IdPs configured by `metadataUrl`, per replica: read at first use, again when
 * older than `SSO_METADATA_REFRESH_SECONDS`, and when a response is signed with a key we do not know
 * (a certificate rollover). Reads of one IdP are single-flight and at least `SSO_METADATA_RETRY_SECONDS`
 * apart, so neither failures nor forged responses cause a fetch storm; a failed read keeps the last
 * good document (at first, the one read when the provider was written).
 */
@Injectable()
export class SamlIdpMetadataSource {
  private readonly logger = new Logger(SamlIdpMetadataSource.name);
  private readonly entries = new Map<string, Entry>();

  constructor(@Inject(APP_CONFIG) private readonly config: SsoConfig) {}

  /** The provider with the IdP fields of its current metadata (as stored without a metadataUrl). */
  async current(provider: ActiveSamlProvider): Promise<ActiveSamlProvider> {
    const entry = this.entry(provider);
    if (!entry) return provider;
    if (Date.now() - entry.fetchedAt >= this.config.SSO_METADATA_REFRESH_SECONDS * 1000)
      await this.read(provider.contactCenterId, entry);
    return apply(provider, entry);
  }

  /**
   * After a signature check failed: reads the metadata again (within the bounds above) and answers the
   * provider with the new certificates, or null when they did not change.
   */
  async rollover(provider: ActiveSamlProvider): Promise<ActiveSamlProvider | null> {
    const entry = this.entry(provider);
    if (!entry) return null;
    const before = apply(provider, entry).settings.signingCertificates;
    await this.read(provider.contactCenterId, entry);
    const renewed = apply(provider, entry);
    return sameList(before, renewed.settings.signingCertificates) ? null : renewed;
  }

  private entry(provider: ActiveSamlProvider): Entry | null {
    const url = provider.settings.metadataUrl;
    if (!url) return null;
    const existing = this.entries.get(provider.contactCenterId);
    if (existing?.url === url) return existing;
    const entry: Entry = { url, metadata: null, fetchedAt: 0, attemptedAt: 0, inflight: null };
    this.entries.set(provider.contactCenterId, entry);
    return entry;
  }

  private async read(contactCenterId: string, entry: Entry): Promise<void> {
    if (entry.inflight) return entry.inflight;
    if (Date.now() - entry.attemptedAt < this.config.SSO_METADATA_RETRY_SECONDS * 1000) return;
    entry.attemptedAt = Date.now();
    entry.inflight = (async () => {
      try {
        const xml = await fetchSamlIdpMetadata(entry.url, this.config.SSO_IDP_TIMEOUT_SECONDS * 1000);
        entry.metadata = parseSamlIdpMetadata(xml);
        entry.fetchedAt = Date.now();
      } catch (error) {
        this.logger.warn(
          `contact center ${contactCenterId}: IdP metadata not renewed, the last good one stays: ${(error as Error).message.slice(0, 300)}`,
        );
      } finally {
        entry.inflight = null;
      }
    })();
    return entry.inflight;
  }
}

function apply(provider: ActiveSamlProvider, entry: Entry): ActiveSamlProvider {
  if (!entry.metadata) return provider;
  // The SSO URL of the provider's binding; the stored one where the document no longer offers that binding.
  const { ssoUrl, authnRequestBinding, sloUrl, logoutRequestBinding, ...fields } = samlMetadataFields(
    entry.metadata,
    provider.settings.authnRequestBinding ?? 'redirect',
    provider.settings.logoutRequestBinding ?? 'redirect',
  );
  return {
    ...provider,
    settings: {
      ...provider.settings,
      ...fields,
      ...(ssoUrl && { ssoUrl }),
      authnRequestBinding,
      ...(sloUrl && { sloUrl }),
      logoutRequestBinding,
    },
    // The SP instance is rebuilt when the row or the document changes.
    version: `${provider.version}/${sha256Hex(JSON.stringify(entry.metadata))}`,
  };
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
