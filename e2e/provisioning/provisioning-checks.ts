import type { ProvisioningResult } from './provisioning-flow';

/** Reads back every write of the flow and the behaviours around it; returns problems, empty when all is well. */
export interface StackUnderTest {
  baseUrl: string;
  opsUser: string;
  opsPassword: string;
}

export function basic(stack: StackUnderTest): string {
  return `Basic ${Buffer.from(`${stack.opsUser}:${stack.opsPassword}`).toString('base64')}`;
}

/** The envelope as the tests read it. */
export interface EnvelopeBody {
  status?: { code?: number; message?: string; detail?: unknown };
  path?: string;
  data?: Record<string, unknown>;
}

export interface JsonAnswer {
  status: number;
  body: EnvelopeBody;
}

export async function getJson(stack: StackUnderTest, path: string, authorization: string): Promise<JsonAnswer> {
  const response = await fetch(`${stack.baseUrl}${path}`, { headers: { authorization, accept: 'application/json' } });
  return { status: response.status, body: ((await response.json().catch(() => ({}))) ?? {}) as EnvelopeBody };
}

export async function sendJson(
  stack: StackUnderTest,
  method: string,
  path: string,
  authorization: string,
  body: unknown,
): Promise<JsonAnswer> {
  const response = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: ((await response.json().catch(() => ({}))) ?? {}) as EnvelopeBody };
}

export function preflight(stack: StackUnderTest, path: string, origin: string): Promise<Response> {
  return fetch(`${stack.baseUrl}${path}`, {
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type',
    },
  });
}

export type { ProvisioningResult };
