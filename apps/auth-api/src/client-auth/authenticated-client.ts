import { type RegisteredClient, type ClientAuthMethod } from '@cxauth/domain';

/** What client authentication puts on `request.user`. */
export interface AuthenticatedClient {
  client: RegisteredClient;
  method: ClientAuthMethod;
}

export type ClientRequest = {
  body?: unknown;
  headers: Record<string, string | string[] | undefined>;
  /** The caller's IP address (Fastify's `request.ip`). */
  ip?: string;
  /** The request id (Fastify's `request.id`), for the audit trail. */
  id?: string;
};

export function formField(request: ClientRequest, name: string): string | undefined {
  const body = request.body;
  if (!body || typeof body !== 'object') return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
