import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { CachedCounter, ServiceMetrics } from '@cxauth/platform';
import { DirectoryUnavailableException, GRANT_TYPE_ORDER, OAuthError } from '@cxauth/domain';

/** OAuth error codes this service answers; anything else (an unexpected failure) is `error`. */
const OAUTH_OUTCOMES = new Set([
  'invalid_request',
  'invalid_client',
  'invalid_grant',
  'unauthorized_client',
  'unsupported_grant_type',
  'invalid_scope',
  'invalid_target',
  'access_denied',
  'temporarily_unavailable',
]);
const GRANT_LABELS = new Set<string>(GRANT_TYPE_ORDER);

export type ClientTypeLabel = 'confidential' | 'public' | 'unknown';
export type ValidationEndpoint = 'introspection' | 'userinfo';
export type SignInChannel = 'password_grant' | 'sign_in_page';
export type FamilyRevocationReason =
  | 'reuse_detected'
  | 'code_replayed'
  | 'revoked'
  | 'sign_out'
  | 'user_gone'
  | 'exchange_refused';

/** The bounded outcome label of a failure: its OAuth error code, `unavailable` or `error`. */
export function failureOutcome(error: unknown): string {
  if (error instanceof OAuthError) return OAUTH_OUTCOMES.has(error.error) ? error.error : 'error';
  if (error instanceof DirectoryUnavailableException) return 'unavailable';
  return 'error';
}

/**
 * auth-api's own metrics, in the service's registry next to the HTTP histogram and the directory
 * metrics. Every label value comes from a fixed set (never client ids or user names), and every
 * counter reuses its label children (CachedCounter), so counting costs the hot paths a map lookup.
 */
@Injectable()
export class AuthMetrics {
  private readonly tokenRequests: CachedCounter;
  private readonly validations: CachedCounter;
  private readonly signIns: CachedCounter;
  private readonly familyRevocations: CachedCounter;
  private readonly signingKeyAge: Gauge;
  private signingKeyCreatedAt: () => Date | undefined = () => undefined;

  constructor(serviceMetrics: ServiceMetrics) {
    const registers = [serviceMetrics.registry];
    this.tokenRequests = new CachedCounter({
      name: 'auth_token_requests_total',
      help: 'Token endpoint requests by grant type, client type and outcome (success or the OAuth error code)',
      labelNames: ['grant_type', 'client_type', 'outcome'],
      registers,
    });
    this.validations = new CachedCounter({
      name: 'auth_token_validations_total',
      help: 'Token validations by endpoint (introspection, userinfo) and outcome (active, inactive, invalid_client, ...)',
      labelNames: ['endpoint', 'outcome'],
      registers,
    });
    this.signIns = new CachedCounter({
      name: 'auth_sign_ins_total',
      help: 'Password sign-ins by directory (ops, local, contact-center, none), channel and outcome',
      labelNames: ['directory', 'channel', 'outcome'],
      registers,
    });
    this.familyRevocations = new CachedCounter({
      name: 'auth_refresh_family_revocations_total',
      help: 'Refresh-token families revoked, by reason (reuse_detected, code_replayed, revoked, sign_out, user_gone, exchange_refused)',
      labelNames: ['reason'],
      registers,
    });
    const signingKeyCreatedAt = () => this.signingKeyCreatedAt();
    this.signingKeyAge = new Gauge({
      name: 'auth_signing_key_age_seconds',
      help: 'Age of the signing key that signs new JWTs on this replica',
      registers,
      collect() {
        const createdAt = signingKeyCreatedAt();
        if (createdAt) this.set((Date.now() - createdAt.getTime()) / 1000);
      },
    });
  }

  tokenRequest(grantType: string | undefined, clientType: ClientTypeLabel, outcome: string): void {
    const grant = grantType === undefined ? 'none' : GRANT_LABELS.has(grantType) ? grantType : 'other';
    this.tokenRequests.inc(grant, clientType, outcome);
  }

  validation(endpoint: ValidationEndpoint, outcome: string): void {
    this.validations.inc(endpoint, outcome);
  }

  signIn(
    directory: string,
    channel: SignInChannel,
    outcome: 'success' | 'rejected' | 'locked' | 'unavailable' | 'error',
  ): void {
    this.signIns.inc(directory, channel, outcome);
  }

  familyRevoked(reason: FamilyRevocationReason, count = 1): void {
    if (count > 0) this.familyRevocations.inc(reason, '', '', count);
  }

  /** The KeyRing tells where to read the creation time of the key that signs (read at each scrape). */
  setSigningKeySource(createdAt: () => Date | undefined): void {
    this.signingKeyCreatedAt = createdAt;
  }
}
