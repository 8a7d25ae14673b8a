import { parse, serialize, SerializeOptions } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The browser session (HttpOnly; only auth-api reads it). */
export const SESSION_COOKIE = 'cxauth_session';
/** Binds a pending sign-in to the browser that started it (login CSRF defence). */
export const FLOW_COOKIE = 'cxauth_flow';
/** Both cookies are only sent to auth-api. */
export const COOKIE_PATH = '/auth/v3';

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  const value = parse(header)[name];
  // Our values are base64url; anything else is not ours.
  return value && /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
}

function baseOptions(request: FastifyRequest): SerializeOptions {
  return { path: COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' };
}

export function setCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  value: string,
  maxAgeSeconds: number,
): void {
  appendSetCookie(reply, serialize(name, value, { ...baseOptions(request), maxAge: maxAgeSeconds }));
}

export function clearCookie(request: FastifyRequest, reply: FastifyReply, name: string): void {
  appendSetCookie(reply, serialize(name, '', { ...baseOptions(request), maxAge: 0, expires: new Date(0) }));
}

function appendSetCookie(reply: FastifyReply, cookie: string): void {
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  reply.header('set-cookie', [...list, cookie]);
}
