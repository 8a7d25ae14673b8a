/** The Genesys-compatible response envelope used by the ops and environment APIs. */
export interface EnvelopeStatus {
  code: number;
  message?: string;
  detail?: unknown;
}

export interface Envelope<T = unknown> {
  status: EnvelopeStatus;
  data?: T;
  path?: string;
}

/** Request bodies of the ops and environment APIs are wrapped the same way. */
export interface EnvelopeRequest<T> {
  data: T;
  operationId?: string;
}

export const SUCCESS_CODE = 0;

export function okData<T>(data: T): Envelope<T> {
  return { status: { code: SUCCESS_CODE }, data };
}

export function okPath(path: string): Envelope<never> {
  return { status: { code: SUCCESS_CODE }, path };
}

export function ok(): Envelope<never> {
  return { status: { code: SUCCESS_CODE } };
}
