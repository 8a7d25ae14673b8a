import { ASSET_PATH, ASSETS } from '../assets/assets';
import type { Translate } from '../i18n/locale';
import { Locale, LOCALES, MessageKey } from '../i18n/messages';
import { html, SafeHtml } from './html';

export interface PageFrame {
  locale: Locale;
  t: Translate;
  title: string;
  /** Shown in the brand block: the contact center when known, otherwise the product name. */
  brandName: string;
  brandSub?: string;
  /** The contact center's logo (an https:// or data:image URL), shown instead of the initial. */
  logo?: string;
  /** The contact center's colours (an inline stylesheet its CSP hash allows). */
  themeCss?: string;
  /** Path and query (without `locale`) the language links point at. */
  languageBase: { path: string; query: Record<string, string> };
}

function languageLinks(frame: PageFrame): SafeHtml {
  const links = (Object.keys(LOCALES) as Locale[]).map((locale) => {
    const query = new URLSearchParams({ ...frame.languageBase.query, locale }).toString();
    const current = locale === frame.locale;
    return html`<li><a href="${frame.languageBase.path}?${query}" lang="${locale}" hreflang="${locale}"${
      current ? html` aria-current="true"` : ''
    }>${LOCALES[locale]['lang.name']}</a></li>`;
  });
  return html`<nav aria-label="${frame.t('link.language')}"><ul>${links}</ul></nav>`;
}

function brandMark(frame: PageFrame): SafeHtml {
  if (frame.logo) return html`<img class="brand-logo" src="${frame.logo}" alt="">`;
  const initial = frame.brandName.trim().charAt(0).toUpperCase() || 'C';
  return html`<div class="brand-mark" aria-hidden="true">${initial}</div>`;
}

export function layout(frame: PageFrame, content: SafeHtml): string {
  return `<!doctype html>${html`<html lang="${frame.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<link rel="icon" type="image/svg+xml" href="${ASSET_PATH}/${ASSETS.icon.name}">
<title>${frame.title} · ${frame.brandName}</title>
<link rel="stylesheet" href="${ASSET_PATH}/${ASSETS.css.name}" integrity="${ASSETS.css.integrity}">
${frame.themeCss ? html`<style>${new SafeHtml(frame.themeCss)}</style>` : ''}
<script src="${ASSET_PATH}/${ASSETS.js.name}" integrity="${ASSETS.js.integrity}" defer></script>
</head>
<body>
<a class="skip" href="#main">${frame.title}</a>
<main id="main">
<div class="card">
<header class="brand">${brandMark(frame)}<div><div class="brand-name">${frame.brandName}</div>${
    frame.brandSub ? html`<div class="brand-sub">${frame.brandSub}</div>` : ''
  }</div></header>
${content}
</div>
</main>
<footer><p>${frame.t('footer.notice')}</p>${languageLinks(frame)}</footer>
</body>
</html>`}\n`;
}

export function alert(
  kind: 'error' | 'ok',
  t: Translate,
  key: MessageKey,
  details: SafeHtml | '' = '',
  id = 'form-alert',
): SafeHtml {
  return kind === 'error'
    ? html`<div class="alert alert-error" role="alert" id="${id}" tabindex="-1"><strong>${t('error.title')}</strong>${t(key)}${details}</div>`
    : html`<div class="alert alert-ok" role="status" id="${id}">${t(key)}</div>`;
}

/** How the tenant is asked for: a field when unknown, nothing when known or hidden (`tenant\user` then). */
export type TenantMode = { kind: 'ask'; value: string } | { kind: 'known'; value: string } | { kind: 'hidden' };

export function tenantMode(hideTenant: boolean, tenant: string | null, typedTenant: string | null): TenantMode {
  if (tenant) return { kind: 'known', value: tenant };
  return hideTenant ? { kind: 'hidden' } : { kind: 'ask', value: typedTenant ?? '' };
}

function tenantField(t: Translate, mode: TenantMode, autofocus: boolean): SafeHtml | '' {
  if (mode.kind === 'hidden') return '';
  if (mode.kind === 'known') return html`<input type="hidden" name="tenant" value="${mode.value}">`;
  return html`<div class="field">
<label for="tenant">${t('field.tenant')}</label>
<span class="hint" id="tenant-hint">${t('field.tenantHint')}</span>
<input type="text" id="tenant" name="tenant" value="${mode.value}" autocomplete="organization" autocapitalize="none" spellcheck="false" maxlength="255" aria-describedby="tenant-hint"${
    autofocus ? html` autofocus` : ''
  }>
</div>`;
}

interface UserNameFieldOptions {
  mode: TenantMode;
  value: string;
  invalid: boolean;
  autofocus: boolean;
}

function userNameField(t: Translate, options: UserNameFieldOptions): SafeHtml {
  // `tenant\user` is accepted either way; the hint says so where the tenant is not already known.
  const hint =
    options.mode.kind === 'known'
      ? null
      : t(options.mode.kind === 'hidden' ? 'field.usernameHintTenant' : 'field.usernameHint');
  const describedBy = [hint ? 'username-hint' : '', options.invalid ? 'form-alert' : ''].filter(Boolean).join(' ');
  return html`<div class="field">
<label for="username">${t('field.username')}</label>
${hint ? html`<span class="hint" id="username-hint">${hint}</span>` : ''}
<input type="text" id="username" name="username" value="${options.value}" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="512"${
    describedBy ? html` aria-describedby="${describedBy}"` : ''
  }${options.invalid ? html` aria-invalid="true"` : ''}${options.autofocus ? html` autofocus` : ''}>
</div>`;
}

interface PasswordFieldOptions {
  id: string;
  label: MessageKey;
  autocomplete: 'current-password' | 'new-password';
  hint?: SafeHtml;
  hintId?: string;
  invalid?: boolean;
  autofocus?: boolean;
}

const EYE = new SafeHtml(
  '<svg class="eye" viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M12 5C6.5 5 2.3 8.6 1 12c1.3 3.4 5.5 7 11 7s9.7-3.6 11-7c-1.3-3.4-5.5-7-11-7zm0 11.5a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9zm0-7a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5z"/></svg>',
);

/** A password input, full width; the show-password button (JavaScript only) sits inside its right edge. */
function passwordField(t: Translate, options: PasswordFieldOptions): SafeHtml {
  const describedBy = [options.hintId, options.invalid ? 'form-alert' : undefined].filter(Boolean).join(' ');
  return html`<div class="field">
<label for="${options.id}">${t(options.label)}</label>${options.hint ?? ''}
<div class="password-row"><input type="password" id="${options.id}" name="${options.id}" autocomplete="${options.autocomplete}" required maxlength="1024"${
    describedBy ? html` aria-describedby="${describedBy}"` : ''
  }${options.invalid ? html` aria-invalid="true"` : ''}${options.autofocus ? html` autofocus` : ''}>
<button type="button" class="toggle" data-toggle-password="${options.id}" aria-controls="${options.id}" aria-pressed="false" title="${t(
    'action.showPassword',
  )}" hidden>${EYE}<span class="visually-hidden">${t('action.showPassword')}</span></button></div>
</div>`;
}

export interface SignInView {
  reference: string;
  csrfToken: string;
  hideTenant: boolean;
  clientName: string | null;
  tenant: string | null;
  typedTenant: string | null;
  username: string | null;
  error: MessageKey | null;
  locale: Locale;
  /** Show "Continue with single sign-on" (the product's `saml` switch); not when the application named the tenant. */
  offerSso: boolean;
}

function changePasswordLink(locale: Locale, hideTenant: boolean): string {
  const query = new URLSearchParams({ locale });
  if (hideTenant) query.set('hideTenant', 'true');
  return `/ui/auth/change-password.html?${query.toString()}`;
}

/** Focus goes to what needs the user first: after a failure the password, else the first empty field. */
function firstToFocus(mode: TenantMode, username: string, failed: boolean): 'tenant' | 'username' | 'password' {
  if (failed) return 'password';
  if (mode.kind === 'ask' && !mode.value && !username.includes('\\')) return 'tenant';
  return username ? 'password' : 'username';
}

export function signInContent(t: Translate, view: SignInView): SafeHtml {
  const invalid = view.error === 'error.invalid_credentials';
  const mode = tenantMode(view.hideTenant, view.tenant, view.typedTenant);
  const username = view.username ?? '';
  const focus = firstToFocus(mode, username, invalid);
  return html`<h1>${t('page.signIn')}</h1>
<p class="lead">${view.clientName ? t('signIn.to', { client: view.clientName }) : t('signIn.lead')}</p>
${view.error ? alert('error', t, view.error) : ''}
<form method="post" action="/auth/v3/sign-in" data-busy="${t('action.signingIn')}" novalidate>
<input type="hidden" name="request" value="${view.reference}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
${tenantField(t, mode, focus === 'tenant')}
${userNameField(t, { mode, value: username, invalid, autofocus: focus === 'username' })}
${passwordField(t, { id: 'password', label: 'field.password', autocomplete: 'current-password', invalid, autofocus: focus === 'password' })}
<button type="submit" class="primary">${t('action.signIn')}</button>
${
  view.offerSso
    ? html`<button type="submit" name="saml" value="true" class="secondary" id="sso" aria-describedby="sso-hint">${t('action.continueSso')}</button>
<p class="hint" id="sso-hint">${t('signIn.ssoHint')}</p>`
    : ''
}
</form>
<p class="links"><a href="${changePasswordLink(view.locale, view.hideTenant)}">${t('link.changePassword')}</a></p>`;
}

export interface ChangePasswordView {
  reference: string;
  csrfToken: string;
  hideTenant: boolean;
  tenant: string | null;
  typedTenant: string | null;
  username: string | null;
  error: MessageKey | null;
  /** The password rules the last new password broke, as message keys. */
  brokenRules: MessageKey[];
}

export function changePasswordContent(t: Translate, view: ChangePasswordView): SafeHtml {
  const mode = tenantMode(view.hideTenant, view.tenant, view.typedTenant);
  const username = view.username ?? '';
  const wrongPassword = view.error === 'error.invalid_credentials';
  const newPasswordRejected = view.error === 'error.password_policy' || view.error === 'error.password_mismatch';
  const rules = view.brokenRules.length
    ? html`<ul class="rules">${view.brokenRules.map((rule) => html`<li>${t(rule)}</li>`)}</ul>`
    : '';
  // After a refused new password, the user fixes the passwords; otherwise the first empty field.
  const focus = newPasswordRejected ? 'oldPassword' : firstToFocus(mode, username, wrongPassword);
  const newHint = html`<span class="hint" id="new-hint">${t('field.newPasswordHint')}</span>`;
  return html`<h1>${t('page.changePassword')}</h1>
${view.error ? alert('error', t, view.error, rules) : ''}
<form method="post" action="/auth/v3/sign-in/change-password" data-busy="${t('action.changePassword')}" novalidate>
<input type="hidden" name="request" value="${view.reference}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
${tenantField(t, mode, focus === 'tenant')}
${userNameField(t, { mode, value: username, invalid: false, autofocus: focus === 'username' })}
${passwordField(t, { id: 'oldPassword', label: 'field.oldPassword', autocomplete: 'current-password', invalid: wrongPassword, autofocus: focus === 'password' || focus === 'oldPassword' })}
${passwordField(t, { id: 'newPassword', label: 'field.newPassword', autocomplete: 'new-password', hint: newHint, hintId: 'new-hint', invalid: newPasswordRejected })}
${passwordField(t, { id: 'confirmPassword', label: 'field.confirmPassword', autocomplete: 'new-password', invalid: view.error === 'error.password_mismatch' })}
<button type="submit" class="primary">${t('action.changePassword')}</button>
</form>`;
}

export interface SignedInView {
  /** Who the browser's session belongs to, or null when it has none. */
  name: string | null;
  locale: Locale;
}

/** signed-in.html: says who is signed in only when auth-api confirmed this browser's session. */
export function signedInContent(t: Translate, view: SignedInView): SafeHtml {
  const locale = encodeURIComponent(view.locale);
  if (!view.name) {
    return html`<h1>${t('page.notSignedIn')}</h1>
<p class="lead">${t('signedIn.none')}</p>
<p class="links"><a href="/ui/auth/sign-in.html?locale=${locale}">${t('action.signIn')}</a></p>`;
  }
  return html`<h1>${t('page.signedIn')}</h1>
<div class="alert alert-ok" role="status">${t('signedIn.as', { name: view.name })}</div>
<p class="lead">${t('signedIn.body')}</p>
<p class="links"><a href="/auth/v3/sign-out">${t('action.signOut')}</a></p>`;
}

export function messageContent(
  t: Translate,
  heading: MessageKey,
  kind: 'error' | 'ok' | 'plain',
  body: MessageKey,
  link?: { href: string; label: MessageKey },
): SafeHtml {
  const text =
    kind === 'plain'
      ? html`<p class="lead">${t(body)}</p>`
      : kind === 'ok'
        ? alert('ok', t, body)
        : alert('error', t, body);
  return html`<h1>${t(heading)}</h1>
${text}
${link ? html`<p class="links"><a href="${link.href}">${t(link.label)}</a></p>` : ''}`;
}
