import { createSign, randomUUID } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import fastify, { FastifyInstance, FastifyReply } from 'fastify';
import * as samlify from 'samlify';
import { freePort } from '@cxauth/platform';
import { KeyAndCertificate, selfSigned } from '@cxauth/testing';

// The SP's AuthnRequests are checked for their signature below; the XML schema check is not the point here.
samlify.setSchemaValidator({ validate: () => Promise.resolve('skipped') });

const escapeXml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
const escapeHtml = escapeXml;

/** What a response says; every field can be overridden to make a bad one. */
export interface ResponseValues {
  nameId: string;
  attributes?: Record<string, string>;
  inResponseTo?: string;
  audience?: string;
  recipient?: string;
  destination?: string;
  issuer?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  issueInstant?: Date;
  /** The AuthnStatement's SessionIndex (single logout names the session by it). */
  sessionIndex?: string;
  /** Encrypt the assertion to the SP's encryption certificate (from its metadata). */
  encrypted?: boolean;
}

export interface ParsedLogoutRequest {
  id: string;
  nameId: string;
  sessionIndex: string | undefined;
  relayState: string;
}

export interface ParsedAuthnRequest {
  id: string;
  relayState: string;
}

/**
 * A SAML 2.0 IdP built with samlify (a different library from the SP's node-saml, so each checks the
 * other): it verifies the SP's signed AuthnRequests (HTTP-Redirect) and signs its responses' assertions
 * with its own key, in the test process on a free port.
 */
export class TestSamlIdp {
  readonly entityId = 'https://idp.test.example/saml';
  readonly keys = selfSigned('cxauth-test-idp');
  private server?: FastifyInstance;
  url = '';

  get ssoUrl(): string {
    return `${this.url}/sso`;
  }

  /** Its single sign-on endpoint for the HTTP-POST binding (a URL of its own, so tests see which one was used). */
  get ssoPostUrl(): string {
    return `${this.url}/sso-post`;
  }

  /** The AuthnRequests /sso-post received over HTTP-POST (each signature verified by samlify), in order. */
  readonly receivedPostRequests: ParsedAuthnRequest[] = [];

  /**
   * Its single logout endpoint (HTTP-Redirect), published in its metadata. A browser sent there with
   * cxauth's LogoutRequest gets it verified and answered (see `answerLogouts`); HTTP tests read the URL.
   */
  get sloUrl(): string {
    return `${this.url}/slo`;
  }

  /** Its single logout endpoint for the HTTP-POST binding (published in its metadata with `sloBindings` naming post). */
  get sloPostUrl(): string {
    return `${this.url}/slo-post`;
  }

  /** How /slo answers a browser: the SP's metadata (of the contact center signing out) and the binding of the answer. */
  private logouts?: { spMetadata: () => Promise<string>; binding: 'post' | 'redirect' };
  /** The LogoutRequests /slo received (each verified by samlify), in order. */
  readonly receivedLogouts: ParsedLogoutRequest[] = [];

  /** Makes /slo answer browsers' LogoutRequests of this SP with a signed LogoutResponse over `binding`. */
  answerLogouts(spMetadata: () => Promise<string>, binding: 'post' | 'redirect'): void {
    this.logouts = { spMetadata, binding };
  }

  private readonly own = new Map<boolean, ReturnType<typeof samlify.IdentityProvider>>();

  /**
   * The IdP entity, encrypting its assertions or not (built once each for its own keys: samlify warns
   * at each build that it has no logout endpoint).
   */
  private idp(
    keys: KeyAndCertificate = this.keys,
    encrypting = false,
    ssoBindings: SsoBinding[] = ['redirect', 'post'],
    sloBindings: SsoBinding[] = ['redirect'],
  ) {
    const own = keys === this.keys && ssoBindings.length === 2 && sloBindings.join() === 'redirect';
    const cached = own ? this.own.get(encrypting) : undefined;
    if (cached) return cached;
    const locations = { redirect: this.ssoUrl, post: this.ssoPostUrl };
    const sloLocations = { redirect: this.sloUrl, post: this.sloPostUrl };
    const idp = samlify.IdentityProvider({
      isAssertionEncrypted: encrypting,
      entityID: this.entityId,
      privateKey: keys.key,
      signingCert: keys.cert,
      wantAuthnRequestsSigned: true,
      // samlify checks the signatures of the SP's logout messages only when its own entity asks for them.
      wantLogoutRequestSigned: true,
      wantLogoutResponseSigned: true,
      requestSignatureAlgorithm: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
      nameIDFormat: ['urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified'],
      singleSignOnService: ssoBindings.map((binding) => ({ Binding: BINDINGS[binding], Location: locations[binding] })),
      singleLogoutService: sloBindings.map((binding) => ({
        Binding: BINDINGS[binding],
        Location: sloLocations[binding],
      })),
    });
    if (own) this.own.set(encrypting, idp);
    return idp;
  }

  /**
   * The IdP's metadata document (samlify writes it), with its own signing certificate or that of `keys`,
   * offering single sign-on over both bindings (or `ssoBindings`).
   */
  metadata(keys: KeyAndCertificate = this.keys, ssoBindings?: SsoBinding[], sloBindings?: SsoBinding[]): string {
    return this.idp(keys, false, ssoBindings, sloBindings).getMetadata();
  }

  /** The SP as its metadata (from cxauth's metadata endpoint) describes it; `signedLogout`: sign logout messages to it. */
  sp(metadata: string, signedLogout = true) {
    return samlify.ServiceProvider({
      metadata,
      wantLogoutRequestSigned: signedLogout,
      wantLogoutResponseSigned: signedLogout,
    });
  }

  /** Parses and verifies a signed AuthnRequest from the URL cxauth sent the browser to. */
  async parseRequest(spMetadata: string, url: string): Promise<ParsedAuthnRequest> {
    const { query, octetString } = redirectMessage(url, 'SAMLRequest');
    const result = await this.idp().parseLoginRequest(this.sp(spMetadata), 'redirect', { query, octetString });
    return { id: String(result.extract.request?.id ?? ''), relayState: query.RelayState ?? '' };
  }

  /** Parses and verifies (XML signature, by samlify) an AuthnRequest the browser posted (HTTP-POST binding). */
  async parsePostRequest(spMetadata: string, form: Record<string, string>): Promise<ParsedAuthnRequest> {
    const result = await this.idp().parseLoginRequest(this.sp(spMetadata), 'post', { body: form });
    return { id: String(result.extract.request?.id ?? ''), relayState: form.RelayState ?? '' };
  }

  /** Parses and verifies (signature, by samlify) the LogoutRequest cxauth sent the browser to our SLO URL with. */
  async parseLogoutRequest(spMetadata: string, url: string): Promise<ParsedLogoutRequest> {
    const { query, octetString } = redirectMessage(url, 'SAMLRequest');
    const { extract } = await this.idp().parseLogoutRequest(this.sp(spMetadata), 'redirect', { query, octetString });
    return {
      id: String(extract.request?.id ?? ''),
      nameId: String(extract.nameID ?? ''),
      sessionIndex: typeof extract.sessionIndex === 'string' ? extract.sessionIndex : undefined,
      relayState: query.RelayState ?? '',
    };
  }

  /** Parses and verifies (XML signature, by samlify) a LogoutRequest the browser posted (HTTP-POST binding). */
  async parsePostLogoutRequest(spMetadata: string, form: Record<string, string>): Promise<ParsedLogoutRequest> {
    const { extract } = await this.idp().parseLogoutRequest(this.sp(spMetadata), 'post', { body: form });
    return {
      id: String(extract.request?.id ?? ''),
      nameId: String(extract.nameID ?? ''),
      sessionIndex: typeof extract.sessionIndex === 'string' ? extract.sessionIndex : undefined,
      relayState: form.RelayState ?? '',
    };
  }

  /** Parses and verifies (XML signature, by samlify) a LogoutResponse cxauth answered with over HTTP-POST. */
  async parsePostLogoutResponse(spMetadata: string, form: Record<string, string>) {
    const { extract } = await this.idp().parseLogoutResponse(this.sp(spMetadata), 'post', { body: form });
    return {
      inResponseTo: String(extract.response?.inResponseTo ?? ''),
      issuer: String(extract.issuer ?? ''),
      relayState: form.RelayState ?? '',
    };
  }

  /** Parses and verifies (signature, by samlify) the LogoutResponse cxauth answered an IdP LogoutRequest with. */
  async parseLogoutResponse(spMetadata: string, url: string) {
    const { query, octetString } = redirectMessage(url, 'SAMLResponse');
    const { extract } = await this.idp().parseLogoutResponse(this.sp(spMetadata), 'redirect', { query, octetString });
    return {
      inResponseTo: String(extract.response?.inResponseTo ?? ''),
      issuer: String(extract.issuer ?? ''),
      relayState: query.RelayState ?? '',
    };
  }

  /** A base64 LogoutResponse (HTTP-POST binding, signed unless `signed` is false) to cxauth's LogoutRequest `requestId`. */
  logoutResponse(spMetadata: string, requestId: string, signed = true): string {
    const result = this.idp().createLogoutResponse(
      this.sp(spMetadata, signed),
      { extract: { request: { id: requestId } } } as never,
      'post',
    );
    return (result as { context: string }).context;
  }

  /**
   * An IdP-initiated LogoutRequest for the HTTP-POST binding (base64), signed with `keys` (the IdP's own
   * by default) or, with `signed: false`, not signed at all.
   */
  logoutRequest(
    spMetadata: string,
    user: { nameId: string; sessionIndex?: string },
    options: { keys?: KeyAndCertificate; signed?: boolean } = {},
  ): { id: string; context: string } {
    const result = this.idp(options.keys ?? this.keys).createLogoutRequest(
      this.sp(spMetadata, options.signed ?? true),
      'post',
      { logoutNameID: user.nameId, ...(user.sessionIndex && { sessionIndex: user.sessionIndex }) },
    );
    return result as { id: string; context: string };
  }

  /** A base64 SAMLResponse with a signed assertion (signed with `keys`, the IdP's own by default). */
  async response(spMetadata: string, values: ResponseValues, keys?: KeyAndCertificate): Promise<string> {
    const sp = this.sp(spMetadata);
    const acs = sp.entityMeta.getAssertionConsumerService('post') as string;
    const now = values.issueInstant ?? new Date();
    const id = `_${randomUUID()}`;
    const tags: Record<string, string> = {
      ID: id,
      AssertionID: `_${randomUUID()}`,
      Destination: values.destination ?? acs,
      Audience: values.audience ?? sp.entityMeta.getEntityID(),
      SubjectRecipient: values.recipient ?? acs,
      Issuer: values.issuer ?? this.entityId,
      IssueInstant: now.toISOString(),
      StatusCode: 'urn:oasis:names:tc:SAML:2.0:status:Success',
      ConditionsNotBefore: (values.notBefore ?? new Date(now.getTime() - 1000)).toISOString(),
      ConditionsNotOnOrAfter: (values.notOnOrAfter ?? new Date(now.getTime() + 300_000)).toISOString(),
      SubjectConfirmationDataNotOnOrAfter: (values.notOnOrAfter ?? new Date(now.getTime() + 300_000)).toISOString(),
      NameIDFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      NameID: values.nameId,
      InResponseTo: values.inResponseTo ?? '',
    };
    const attributes = Object.entries(values.attributes ?? {})
      .map(
        ([name, value]) =>
          `<saml:Attribute Name="${escapeXml(name)}"><saml:AttributeValue xsi:type="xs:string">${escapeXml(value)}</saml:AttributeValue></saml:Attribute>`,
      )
      .join('');
    const sessionIndex = values.sessionIndex ? ` SessionIndex="${escapeXml(values.sessionIndex)}"` : '';
    const statements = {
      AuthnStatement: `<saml:AuthnStatement AuthnInstant="${now.toISOString()}"${sessionIndex}><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`,
      AttributeStatement: attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '',
    };
    const replace = (template: string) => {
      let context = template;
      for (const [tag, value] of Object.entries(tags)) context = context.split(`{${tag}}`).join(escapeXml(value));
      for (const [tag, xml] of Object.entries(statements)) context = context.split(`{${tag}}`).join(xml);
      // An unsolicited response carries no InResponseTo at all.
      if (!values.inResponseTo) context = context.split(' InResponseTo=""').join('');
      return { id, context };
    };
    const result = await this.idp(keys ?? this.keys, values.encrypted).createLoginResponse(
      sp,
      { extract: { request: { id: '' } } } as never,
      'post',
      {},
      replace,
    );
    return (result as { context: string }).context;
  }

  /**
   * The IdP's web pages for a browser: /sso shows a sign-in form for a verified AuthnRequest, /login
   * answers with a page whose button posts the response to the SP's ACS (HTTP-POST binding).
   */
  async start(spMetadata: (spEntityId: string) => Promise<string>): Promise<void> {
    const port = await freePort();
    this.url = `http://127.0.0.1:${port}`;
    const server = fastify({ logger: false });
    server.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    const page = (body: string) =>
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test IdP</title></head><body>${body}</body></html>`;
    server.get('/sso', async (request, reply) => {
      // The SP the request names (its Issuer; the signature is checked against that SP's metadata next).
      const deflated = new URL(`${this.url}${request.url}`).searchParams.get('SAMLRequest') ?? '';
      const issuer = /<(?:\w+:)?Issuer[^>]*>([^<]+)</.exec(
        inflateRawSync(Buffer.from(deflated, 'base64')).toString(),
      )?.[1];
      const spEntityId = issuer ?? '';
      const parsed = await this.parseRequest(await spMetadata(spEntityId), `${this.url}${request.url}`);
      return reply.type('text/html').send(page(loginForm(parsed, spEntityId)));
    });
    // HTTP-POST binding: the browser posts SAMLRequest (base64 XML with an enveloped signature) and RelayState.
    server.post('/sso-post', async (request, reply) => {
      const form = request.body as Record<string, string>;
      const issuer = /<(?:\w+:)?Issuer[^>]*>([^<]+)</.exec(
        Buffer.from(form.SAMLRequest ?? '', 'base64').toString(),
      )?.[1];
      const spEntityId = issuer ?? '';
      let parsed: ParsedAuthnRequest;
      try {
        parsed = await this.parsePostRequest(await spMetadata(spEntityId), form);
      } catch (error) {
        return reply
          .status(400)
          .type('text/plain')
          .send(`refused: ${(error as Error).message}`);
      }
      this.receivedPostRequests.push(parsed);
      return reply.type('text/html').send(page(loginForm(parsed, spEntityId)));
    });
    server.post('/login', async (request, reply) => {
      const form = request.body as Record<string, string>;
      const metadata = await spMetadata(form.sp ?? '');
      const response = await this.response(metadata, {
        nameId: form.user ?? '',
        inResponseTo: form.id,
        attributes: { 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname': 'Grace' },
      });
      const acs = this.sp(metadata).entityMeta.getAssertionConsumerService('post') as string;
      return reply
        .type('text/html')
        .send(
          page(
            `<form method="post" action="${escapeHtml(acs)}"><input type="hidden" name="SAMLResponse" value="${escapeHtml(response)}">` +
              `<input type="hidden" name="RelayState" value="${escapeHtml(form.relay ?? '')}"><button id="idp-continue" type="submit">Continue</button></form>`,
          ),
        );
    });
    // A browser with cxauth's LogoutRequest: over HTTP-Redirect at /slo, over HTTP-POST at /slo-post.
    const answerLogout = async (reply: FastifyReply, parse: (metadata: string) => Promise<ParsedLogoutRequest>) => {
      if (!this.logouts) return reply.status(404).send('no single logout here');
      const metadata = await this.logouts.spMetadata();
      const logout = await parse(metadata);
      this.receivedLogouts.push(logout);
      const sloService = this.sp(metadata).entityMeta.getSingleLogoutService('post') as string;
      if (this.logouts.binding === 'redirect') {
        // HTTP-Redirect: the (unsigned) message deflated into the query, the query signed (RSA-SHA256).
        const unsigned = this.logoutResponse(metadata, logout.id, false);
        return reply.redirect(
          `${sloService}?${signedRedirectQuery(unsigned, logout.relayState, this.keys, 'SAMLResponse')}`,
        );
      }
      // HTTP-POST: a page that posts the signed LogoutResponse back by itself, as IdPs do.
      const response = this.logoutResponse(metadata, logout.id);
      return reply
        .type('text/html')
        .send(
          page(
            `<form method="post" action="${escapeHtml(sloService)}"><input type="hidden" name="SAMLResponse" value="${escapeHtml(response)}">` +
              `<input type="hidden" name="RelayState" value="${escapeHtml(logout.relayState)}"><noscript><button type="submit">Continue</button></noscript></form>` +
              '<script>document.forms[0].submit()</script>',
          ),
        );
    };
    server.get('/slo', (request, reply) =>
      answerLogout(reply, (metadata) => this.parseLogoutRequest(metadata, `${this.url}${request.url}`)),
    );
    server.post('/slo-post', (request, reply) =>
      answerLogout(reply, (metadata) => this.parsePostLogoutRequest(metadata, request.body as Record<string, string>)),
    );
    await server.listen({ host: '127.0.0.1', port });
    this.server = server;
  }

  async close(): Promise<void> {
    await this.server?.close();
  }
}

type SsoBinding = 'redirect' | 'post';
const BINDINGS: Record<SsoBinding, string> = {
  redirect: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect',
  post: 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST',
};

/** The IdP's sign-in form for a verified AuthnRequest. */
function loginForm(parsed: ParsedAuthnRequest, spEntityId: string): string {
  return (
    `<form method="post" action="/login"><label>User <input id="idp-user" name="user"></label>` +
    `<input type="hidden" name="id" value="${escapeHtml(parsed.id)}"><input type="hidden" name="relay" value="${escapeHtml(parsed.relayState)}">` +
    `<input type="hidden" name="sp" value="${escapeHtml(spEntityId)}">` +
    `<button id="idp-sign-in" type="submit">Sign in</button></form>`
  );
}

/** A redirect-binding URL's query and the octet string its signature covers (as sent, RFC 3986 encoded, in this order). */
function redirectMessage(url: string, message: 'SAMLRequest' | 'SAMLResponse') {
  const parsed = new URL(url);
  const query = Object.fromEntries(parsed.searchParams);
  const octetString = parsed.search
    .slice(1)
    .split('&')
    .filter((pair) => new RegExp(`^(${message}|RelayState|SigAlg)=`).test(pair))
    .join('&');
  return { query, octetString };
}

/** A base64 (POST binding) message re-encoded for the HTTP-Redirect binding, without a signature. */
export function asRedirectParameter(base64: string): string {
  return deflateRawSync(Buffer.from(base64, 'base64')).toString('base64');
}

/**
 * The query of an HTTP-Redirect LogoutRequest (or, with `message` SAMLResponse, LogoutResponse) from a
 * base64 unsigned one, signed RSA-SHA256 with `keys` (SAML bindings 3.4.4.1).
 */
export function signedRedirectQuery(
  base64: string,
  relayState: string,
  keys: KeyAndCertificate,
  message: 'SAMLRequest' | 'SAMLResponse' = 'SAMLRequest',
): string {
  const octets = [
    `${message}=${encodeURIComponent(asRedirectParameter(base64))}`,
    `RelayState=${encodeURIComponent(relayState)}`,
    `SigAlg=${encodeURIComponent('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256')}`,
  ].join('&');
  const signature = createSign('RSA-SHA256').update(octets).sign(keys.key, 'base64');
  return `${octets}&Signature=${encodeURIComponent(signature)}`;
}
