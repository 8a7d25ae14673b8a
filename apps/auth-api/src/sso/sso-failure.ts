/**
 * Why an SSO sign-in was refused; each reason is also the `error` of auth-ui's error page.
 * The detail goes only to the log (an event for the operator), never to the browser.
 */
export type SsoFailureReason =
  | 'sso_unsolicited'
  | 'sso_expired'
  | 'sso_idp_error'
  | 'sso_idp_unavailable'
  | 'sso_invalid_response'
  | 'sso_unknown_idp'
  | 'sso_unknown_user'
  | 'sso_locked'
  | 'sso_disabled';

export class SsoFailure extends Error {
  constructor(
    readonly reason: SsoFailureReason,
    readonly detail: string,
    /** The user refused (`<contact-center-id>\\<username>`), when the IdP's identity named one. */
    readonly user?: string,
  ) {
    super(`${reason}: ${detail}`);
  }
}
