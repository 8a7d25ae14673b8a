import { parse, serialize, SerializeOptions } from 'cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** The browser session (HttpOnly; only auth-api reads it). */
export const SESSION_COOKIE = 'cxauth_session';
/** Binds a pending sign-in to the browser that started it (login CSRF defence). */
export const FLOW_COOKIE = 'cxauth_flow';
/** The session cookie is only sent to auth-api. */
export const COOKIE_PATH = '/auth/v3';
/**
 * The flow cookie also reaches auth-ui's pages (/ui/auth), which pass it on when they ask auth-api for
 * the page's context: the CSRF token is given only to the browser that started the sign-in.
 */
export const FLOW_COOKIE_PATH = '/';

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  const value = parse(header)[name];
  // Our values are base64url; anything else is not ours.
  return value && /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
}

function baseOptions(request: FastifyRequest, path = COOKIE_PATH): SerializeOptions {
  return { path, httpOnly: true, sameSite: 'lax', secure: request.protocol === 'https' };
}

export function setCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  value: string,
  maxAgeSeconds: number,
  path = COOKIE_PATH,
): void {
  appendSetCookie(reply, serialize(name, value, { ...baseOptions(request, path), maxAge: maxAgeSeconds }));
}

export function clearCookie(request: FastifyRequest, reply: FastifyReply, name: string): void {
  appendSetCookie(reply, serialize(name, '', { ...baseOptions(request), maxAge: 0, expires: new Date(0) }));
}

function appendSetCookie(reply: FastifyReply, cookie: string): void {
  const existing = reply.getHeader('set-cookie');
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing.map(String) : [String(existing)];
  reply.header('set-cookie', [...list, cookie]);
}
