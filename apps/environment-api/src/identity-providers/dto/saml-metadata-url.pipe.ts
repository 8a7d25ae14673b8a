import { Injectable, PipeTransform } from '@nestjs/common';
import { DomainException } from '@cxauth/domain';
import { fetchSamlIdpMetadata } from '@cxauth/platform';
import { metadataUrlSchema } from './identity-provider.dto';

/** A write waits this long for the IdP's metadata document. */
const FETCH_TIMEOUT_MS = 10_000;

const invalid = (field: string, message: string) =>
  new DomainException('VALIDATION_FAILED', `${field}: ${message}`, { errors: [{ field, message }] });

/**
 * Runs before the schema: a SAML provider given by `metadataUrl` has its document fetched now, and
 * passed on as `metadataXml`, so the schema fills and checks the fields from it (a bad URL or document
 * is a 400 at write, not a failed sign-in later).
 */
@Injectable()
export class SamlMetadataUrlPipe implements PipeTransform<unknown, Promise<unknown>> {
  async transform(body: unknown): Promise<unknown> {
    const data = (body as { data?: { type?: unknown; saml?: unknown } } | undefined)?.data;
    const saml = data?.type === 'saml' ? data.saml : undefined;
    if (typeof saml !== 'object' || saml === null || !('metadataUrl' in saml)) return body;
    const field = 'data.saml.metadataUrl';
    if ('metadataXml' in saml) throw invalid(field, 'give metadataUrl or metadataXml, not both');
    const url = metadataUrlSchema.safeParse(saml.metadataUrl);
    if (!url.success) throw invalid(field, url.error.issues[0]?.message ?? 'is not a valid URL');
    try {
      const metadataXml = await fetchSamlIdpMetadata(url.data, FETCH_TIMEOUT_MS);
      return { ...(body as object), data: { ...data, saml: { ...saml, metadataXml } } };
    } catch (error) {
      throw invalid(field, (error as Error).message.slice(0, 200));
    }
  }
}
