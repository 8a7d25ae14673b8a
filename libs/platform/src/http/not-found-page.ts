import { createHash } from 'node:crypto';
import Negotiator from 'negotiator';
import type { FastifyRequest } from 'fastify';

/** A complete HTML answer and the Content-Security-Policy that lets it render (no more). */
export interface HtmlPage {
  html: string;
  contentSecurityPolicy: string;
}

/** A service's own page for paths it does not serve (auth-ui renders its localized, branded one). */
export type NotFoundPageRenderer = (request: FastifyRequest) => HtmlPage;

/**
 * Browsers ask for HTML first (`text/html,…,*\/*;q=0.8`); API clients ask for JSON, for anything
 * (`*\/*`) or for nothing, and keep the envelope.
 */
export function prefersHtml(request: FastifyRequest): boolean {
  return new Negotiator({ headers: request.headers }).mediaType(['application/json', 'text/html']) === 'text/html';
}

// One inline stylesheet, allowed by its hash: the page needs no other request.
const STYLE =
  'body{margin:0;background:#eef1f6;color:#1b2330;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}' +
  'main{max-width:30rem;margin:12vh auto 0;padding:2rem 1.75rem;background:#fff;border-radius:10px;' +
  'box-shadow:0 1px 2px rgba(16,24,40,.08),0 8px 24px rgba(16,24,40,.08)}' +
  'h1{font-size:1.5rem;margin:0 0 .5rem}p{color:#4a5565;margin:0 0 1rem}a{color:#084a8c}';
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

/** The platform's page for a path no route serves (English; auth-ui serves a localized one). */
export const defaultNotFoundPage: NotFoundPageRenderer = () => ({
  html:
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<meta name="robots" content="noindex"><title>Page not found</title><style>${STYLE}</style></head>` +
    '<body><main><h1>Page not found</h1><p>There is nothing at this address. Check it for typing mistakes.</p>' +
    '<p><a href="/ui/auth/sign-in.html">Go to the sign-in page</a></p></main></body></html>\n',
  contentSecurityPolicy: `default-src 'none'; style-src ${STYLE_HASH}; frame-ancestors 'none'; base-uri 'none'; form-action 'none'`,
});
