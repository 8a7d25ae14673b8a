import { randomBytes } from 'node:crypto';
import type { FastifyReply } from 'fastify';

const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The HTTP-POST binding's page (SAML bindings 3.5.4): a form with the signed message (AuthnRequest,
 * LogoutRequest or LogoutResponse) and RelayState that the browser posts to the IdP's URL. A script
 * allowed by a per-answer nonce submits it at once; without JavaScript the user presses the button.
 * Its own Content-Security-Policy: that one script, no other source, and forms only to the IdP's origin.
 */
export function samlPostPage(action: string, fields: Record<string, string>): { html: string; csp: string } {
  const nonce = randomBytes(18).toString('base64');
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
  const html =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">' +
    '<title>Single sign-on</title></head><body>' +
    `<form id="saml-post" method="post" action="${escapeHtml(action)}">${inputs}` +
    '<p>Continuing to your identity provider…</p>' +
    '<noscript><p>JavaScript is off in this browser: press the button to continue.</p></noscript>' +
    '<button id="saml-continue" type="submit">Continue to your identity provider</button></form>' +
    `<script nonce="${nonce}">document.getElementById('saml-post').submit();</script></body></html>`;
  const csp =
    `default-src 'none'; script-src 'nonce-${nonce}'; form-action ${new URL(action).origin}; ` +
    "frame-ancestors 'none'; base-uri 'none'";
  return { html, csp };
}

/** Answers the page (200, not cached). */
export function sendSamlPostPage(reply: FastifyReply, action: string, fields: Record<string, string>): void {
  const page = samlPostPage(action, fields);
  void reply
    .status(200)
    .header('cache-control', 'no-store')
    .header('content-security-policy', page.csp)
    .type('text/html; charset=utf-8')
    .send(page.html);
}
