import { Inject, Injectable } from '@nestjs/common';
import { Argon2Gate } from '../crypto/argon2-gate';
import { ClientRegistry } from '../clients/client-registry.service';
import type { AuthenticatedClient } from './authenticated-client';
import {
  clientAccountKey,
  type ClientAuthMethod,
  LOGIN_THROTTLE,
  type LoginThrottle,
  type RegisteredClient,
} from '@cxauth/domain';

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
  constructor(
    private readonly registry: ClientRegistry,
    private readonly argon2: Argon2Gate,
    @Inject(LOGIN_THROTTLE) private readonly throttle: LoginThrottle,
  ) {}

  /**
   * A CONFIDENTIAL client with its secret; null on any mismatch (unknown client and wrong secret alike,
   * in the same time: an unknown client costs one argon2 verification too). A secret that verified
   * before answers at once with no throttle read or write (the client_credentials hot path); every
   * other check counts against the client id and the source IP (`origin.ip`) and is refused while either
   * is locked (TooManyFailedAttempts), so a locked-out client id cannot be guessed on, while a service
   * already holding its good secret keeps working.
   */
  async withSecret(
    clientId: string,
    secret: string,
    method: ClientAuthMethod,
    origin?: { ip?: string; id?: string },
  ): Promise<AuthenticatedClient | null> {
    if (!clientId || !secret || clientId.length > MAX_CREDENTIAL_LENGTH || secret.length > MAX_CREDENTIAL_LENGTH)
      return null;
    const basic = method === 'client_secret_basic';
    const decodedId = basic ? formDecode(clientId) : clientId;
    const secrets = basic && formDecode(secret) !== secret ? [secret, formDecode(secret)] : [secret];
    const clients: RegisteredClient[] = [];
    for (const id of decodedId === clientId ? [clientId] : [clientId, decodedId]) {
      const client = await this.registry.find(id);
      if (client?.clientType === 'CONFIDENTIAL') clients.push(client);
    }
    for (const client of clients) {
      if (secrets.some((candidate) => this.registry.knowsSecret(client, candidate))) return { client, method };
    }
    const subject = {
      credential: 'client' as const,
      account: clientAccountKey(decodedId),
      source: origin?.ip,
      requestId: origin?.id,
    };
    return this.throttle.attempt(subject, async () => {
      for (const client of clients) {
        for (const candidate of secrets) {
          if (await this.registry.verifySecret(client, candidate)) return { client, method };
        }
      }
      if (clients.length === 0) await this.argon2.verifyDummy(secret);
      return null;
    });
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
