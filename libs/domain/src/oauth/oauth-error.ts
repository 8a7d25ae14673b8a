/**
 * An RFC 6749 §5.2 error (`{"error","error_description"}`), modelled as oidc-provider models them: one
 * class per error code, with its HTTP status and any headers (e.g. `WWW-Authenticate` for
 * invalid_client). auth-api renders them once, at the edge.
 */
export class OAuthError extends Error {
  constructor(
    public readonly error: string,
    public readonly description: string,
    public readonly status = 400,
    public readonly headers: Record<string, string> = {},
  ) {
    super(description);
    this.name = 'OAuthError';
  }
}

export class InvalidRequest extends OAuthError {
  constructor(description: string) {
    super('invalid_request', description);
  }
}

export class InvalidClient extends OAuthError {
  /** 401 with a challenge for the scheme the client tried (Basic by default). */
  constructor(description = 'Client authentication failed', scheme = 'Basic') {
    super('invalid_client', description, 401, {
      'www-authenticate': `${scheme} realm="cxauth", error="invalid_client"`,
    });
  }
}

export class InvalidGrant extends OAuthError {
  constructor(description: string) {
    super('invalid_grant', description);
  }
}

export class UnauthorizedClient extends OAuthError {
  constructor(description: string) {
    super('unauthorized_client', description);
  }
}

export class UnsupportedGrantType extends OAuthError {
  constructor(description: string) {
    super('unsupported_grant_type', description);
  }
}

export class InvalidScope extends OAuthError {
  constructor(description: string) {
    super('invalid_scope', description);
  }
}

export class InvalidTarget extends OAuthError {
  constructor(description: string) {
    super('invalid_target', description);
  }
}
