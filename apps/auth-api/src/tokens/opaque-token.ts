import { randomUUID } from 'node:crypto';
import { randomToken } from '@cxauth/platform';

export type OpaqueTokenFormat = 'random' | 'uuid';

/**
 * A new opaque token value: 256 random bits in base64url by default (RFC 6749 §10.10 asks for at least
 * 128), or a UUIDv4 (122 random bits) where a consumer expects the product's token shape.
 */
export function newOpaqueToken(format: OpaqueTokenFormat): string {
  return format === 'uuid' ? randomUUID() : randomToken();
}
