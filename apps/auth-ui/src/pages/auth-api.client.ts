import { Inject, Injectable, Logger } from '@nestjs/common';
import { parse } from 'cookie';
import { APP_CONFIG } from '@cxauth/platform';
import type { AuthUiConfig } from '../auth-ui.config';

/** What auth-api tells auth-ui about a pending sign-in (GET /auth/v3/sign-in/context). */
export interface SignInContext {
  purpose: 'authorize' | 'sign-in' | 'change-password' | 'signed-in';
  csrfToken: string;
  hideTenant: boolean;
  locale: string | null;
  clientId: string | null;
  clientName: string | null;
  /** Origin of the redirect_uri the browser will be sent to after sign-in (for CSP form-action). */
  redirectOrigin: string | null;
  /** The tenant the application named: not asked for again. */
  tenant: string | null;
  /** The tenant typed in the last failed attempt: pre-filled in the Tenant field. */
  typedTenant: string | null;
  /** The contact center's branding settings, when the tenant is known (each null when unset). */
  branding: { name: string | null; logo: string | null; color: string | null } | null;
  username: string | null;
  /** The signed-in user's full name (signed-in pages). */
  displayName: string | null;
  /** Codes of the password rules the last new password broke (change-password). */
  brokenPasswordRules: string[];
}

export class AuthApiUnavailable extends Error {}
/** auth-api gives a page's context only to the browser that started the sign-in (403 otherwise). */
export class SignInFromAnotherBrowser extends Error {}

/**
 * auth-api's browser-binding cookie (HttpOnly, Path=/): auth-ui passes it on and never reads or sets it
 * otherwise. Same name and value format as auth-api's FLOW_COOKIE.
 */
const FLOW_COOKIE = 'cxauth_flow';
const FLOW_VALUE = /^[A-Za-z0-9_-]{16,128}$/;

/** The browser's flow cookie from a Cookie header, when it has one of ours. */
export function flowCookieOf(cookieHeader: string | undefined): string | undefined {
  const value = cookieHeader ? parse(cookieHeader)[FLOW_COOKIE] : undefined;
  return value && FLOW_VALUE.test(value) ? value : undefined;
}

/** Server-to-server reads from auth-api (never from the browser). */
@Injectable()
export class AuthApiClient {
  private readonly logger = new Logger(AuthApiClient.name);
  private readonly base: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AuthUiConfig) {
    this.base = (config.AUTH_API_URL ?? config.PUBLIC_BASE_URL ?? '').replace(/\/+$/, '');
  }

  /**
   * The pending sign-in, or null when it is unknown or expired. `flow` is the browser's flow cookie;
   * SignInFromAnotherBrowser when it is missing or not the one that started the sign-in.
   */
  async signInContext(reference: string, flow: string | undefined): Promise<SignInContext | null> {
    const url = `${this.base}/auth/v3/sign-in/context?request=${encodeURIComponent(reference)}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: { accept: 'application/json', ...(flow ? { cookie: `${FLOW_COOKIE}=${flow}` } : {}) },
        signal: AbortSignal.timeout(this.config.AUTH_API_TIMEOUT_MS),
        redirect: 'error',
      });
    } catch (error) {
      this.logger.warn(`auth-api unreachable: ${(error as Error).message}`);
      throw new AuthApiUnavailable();
    }
    if (response.status === 404) return null;
    if (response.status === 403) throw new SignInFromAnotherBrowser();
    if (!response.ok) {
      this.logger.warn(`auth-api answered ${response.status} for a sign-in context`);
      throw new AuthApiUnavailable();
    }
    const body = (await response.json()) as { data?: SignInContext };
    if (!body.data || typeof body.data.csrfToken !== 'string') throw new AuthApiUnavailable();
    return body.data;
  }
}
