import { Injectable } from '@nestjs/common';
import { ClientRegistry } from '../clients/client-registry.service';
import type { AuthenticatedClient } from './authenticated-client';
import { type ClientAuthMethod } from '@cxauth/domain';

const MAX_CREDENTIAL_LENGTH = 1024;

/** RFC 6749 §2.3.1: Basic credentials are form-urlencoded before base64; accept both forms. */
function formDecode(value: string): string {
  // Most credentials contain neither: skip the regex and decodeURIComponent on every token request.
  if (!value.includes('%') && !value.includes('+')) return value;
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

/** The checks behind every client-authentication strategy. */
@Injectable()
export class ClientAuthenticator {
  constructor(private readonly registry: ClientRegistry) {}

  /** A CONFIDENTIAL client with its secret; null on any mismatch (unknown client and wrong secret alike). */
  async withSecret(clientId: string, secret: string, method: ClientAuthMethod): Promise<AuthenticatedClient | null> {
    if (!clientId || !secret || clientId.length > MAX_CREDENTIAL_LENGTH || secret.length > MAX_CREDENTIAL_LENGTH)
      return null;
    const decodedId = method === 'client_secret_basic' ? formDecode(clientId) : clientId;
    const candidates = decodedId === clientId ? [clientId] : [clientId, decodedId];
    for (const id of candidates) {
      const client = await this.registry.find(id);
      if (!client || client.clientType !== 'CONFIDENTIAL') continue;
      if (await this.registry.verifySecret(client, secret)) return { client, method };
      const decoded = method === 'client_secret_basic' ? formDecode(secret) : secret;
      if (decoded !== secret && (await this.registry.verifySecret(client, decoded))) return { client, method };
    }
    return null;
  }

  /** A PUBLIC client identified by its id alone. */
  async publicClient(clientId: string): Promise<AuthenticatedClient | null> {
    if (!clientId || clientId.length > MAX_CREDENTIAL_LENGTH) return null;
    const client = await this.registry.find(clientId);
    if (!client || client.clientType !== 'PUBLIC') return null;
    return { client, method: 'none' };
  }

  /** The client named by a jwt-bearer assertion's `iss`; the grant verifies the assertion's signature. */
  async assertionIssuer(clientId: string): Promise<AuthenticatedClient | null> {
    if (!clientId || clientId.length > MAX_CREDENTIAL_LENGTH) return null;
    const client = await this.registry.find(clientId);
    if (!client || (!client.jwks && !client.jwksUri)) return null;
    return { client, method: 'jwt-bearer-assertion' };
  }
}
