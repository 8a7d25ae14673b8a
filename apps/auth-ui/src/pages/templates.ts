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

export function layout(frame: PageFrame, content: SafeHtml): string {
  const initial = frame.brandName.trim().charAt(0).toUpperCase() || 'C';
  return `<!doctype html>${html`<html lang="${frame.locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>${frame.title} · ${frame.brandName}</title>
<link rel="stylesheet" href="${ASSET_PATH}/${ASSETS.css.name}" integrity="${ASSETS.css.integrity}">
<script src="${ASSET_PATH}/${ASSETS.js.name}" integrity="${ASSETS.js.integrity}" defer></script>
</head>
<body>
<a class="skip" href="#main">${frame.title}</a>
<main id="main">
<div class="card">
<div class="brand"><div class="brand-mark" aria-hidden="true">${initial}</div><div><div class="brand-name">${frame.brandName}</div>${
    frame.brandSub ? html`<div class="brand-sub">${frame.brandSub}</div>` : ''
  }</div></div>
${content}
</div>
</main>
<footer>${frame.t('footer.secure')}${languageLinks(frame)}</footer>
</body>
</html>`}\n`;
}

export function alert(kind: 'error' | 'ok', t: Translate, key: MessageKey, id = 'form-alert'): SafeHtml {
  return kind === 'error'
    ? html`<div class="alert alert-error" role="alert" id="${id}" tabindex="-1"><strong>${t('error.title')}</strong>${t(key)}</div>`
    : html`<div class="alert alert-ok" role="status" id="${id}">${t(key)}</div>`;
}

export interface SignInView {
  reference: string;
  csrfToken: string;
  hideTenant: boolean;
  clientName: string | null;
  tenant: string | null;
  username: string | null;
  error: MessageKey | null;
  locale: Locale;
}

function changePasswordLink(locale: Locale, hideTenant: boolean): string {
  const query = new URLSearchParams({ locale });
  if (hideTenant) query.set('hideTenant', 'true');
  return `/ui/auth/change-password.html?${query.toString()}`;
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

function passwordField(t: Translate, options: PasswordFieldOptions): SafeHtml {
  const describedBy = [options.hintId, options.invalid ? 'form-alert' : undefined].filter(Boolean).join(' ');
  return html`<div class="field">
<label for="${options.id}">${t(options.label)}</label>${options.hint ?? ''}
<div class="password-row"><input type="password" id="${options.id}" name="${options.id}" autocomplete="${options.autocomplete}" required maxlength="1024"${
    describedBy ? html` aria-describedby="${describedBy}"` : ''
  }${options.invalid ? html` aria-invalid="true"` : ''}${options.autofocus ? html` autofocus` : ''}>
<button type="button" class="toggle" data-toggle-password="${options.id}" data-show="${t('action.showPassword')}" data-hide="${t(
    'action.hidePassword',
  )}" aria-pressed="false" hidden>${t('action.showPassword')}</button></div>
</div>`;
}

/** The optional tenant field of the sign-in and change-password forms (hidden with `hideTenant`). */
function tenantField(t: Translate, value: string): SafeHtml {
  return html`<div class="field">
<label for="tenant">${t('field.tenant')}</label>
<span class="hint" id="tenant-hint">${t('field.tenantHint')}</span>
<input type="text" id="tenant" name="tenant" value="${value}" autocomplete="organization" autocapitalize="none" spellcheck="false" maxlength="255" aria-describedby="tenant-hint">
</div>`;
}

export function signInContent(t: Translate, view: SignInView): SafeHtml {
  const invalid = view.error === 'error.invalid_credentials';
  const describedBy = (hint: string) => (invalid ? `${hint} form-alert` : hint);
  const tenant = view.hideTenant ? '' : tenantField(t, view.tenant ?? '');
  // Focus the first thing that needs the user: the error, else the first empty field.
  const focusUser = !invalid && !(view.username ?? '');
  return html`<h1>${t('page.signIn')}</h1>
<p class="lead">${view.clientName ? t('signIn.to', { client: view.clientName }) : t('signIn.lead')}</p>
${view.error ? alert('error', t, view.error) : ''}
<form method="post" action="/auth/v3/sign-in" data-busy="${t('action.signingIn')}" novalidate>
<input type="hidden" name="request" value="${view.reference}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
${tenant}
<div class="field">
<label for="username">${t('field.username')}</label>
<span class="hint" id="username-hint">${t('field.usernameHint')}</span>
<input type="text" id="username" name="username" value="${view.username ?? ''}" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="512" aria-describedby="${describedBy(
    'username-hint',
  )}"${invalid ? html` aria-invalid="true"` : ''}${focusUser ? html` autofocus` : ''}>
</div>
${passwordField(t, { id: 'password', label: 'field.password', autocomplete: 'current-password', invalid, autofocus: !focusUser })}
<button type="submit" class="primary">${t('action.signIn')}</button>
</form>
<p class="links"><a href="${changePasswordLink(view.locale, view.hideTenant)}">${t('link.changePassword')}</a></p>`;
}

export interface ChangePasswordView {
  reference: string;
  csrfToken: string;
  hideTenant: boolean;
  username: string | null;
  error: MessageKey | null;
}

export function changePasswordContent(t: Translate, view: ChangePasswordView): SafeHtml {
  const tenant = view.hideTenant ? '' : tenantField(t, '');
  const policyError = view.error === 'error.password_policy' || view.error === 'error.password_mismatch';
  return html`<h1>${t('page.changePassword')}</h1>
${view.error ? alert('error', t, view.error) : ''}
<form method="post" action="/auth/v3/sign-in/change-password" data-busy="${t('action.changePassword')}" novalidate>
<input type="hidden" name="request" value="${view.reference}">
<input type="hidden" name="csrf" value="${view.csrfToken}">
${tenant}
<div class="field">
<label for="username">${t('field.username')}</label>
<span class="hint" id="username-hint">${t('field.usernameHint')}</span>
<input type="text" id="username" name="username" value="${view.username ?? ''}" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="512" aria-describedby="username-hint"${
    view.username ? '' : html` autofocus`
  }>
</div>
${passwordField(t, { id: 'oldPassword', label: 'field.oldPassword', autocomplete: 'current-password', invalid: view.error === 'error.invalid_credentials', autofocus: Boolean(view.username) })}
${passwordField(t, {
  id: 'newPassword',
  label: 'field.newPassword',
  autocomplete: 'new-password',
  hint: html`<span class="hint" id="new-hint">${t('field.newPasswordHint')}</span>`,
  hintId: 'new-hint',
  invalid: policyError,
})}
${passwordField(t, { id: 'confirmPassword', label: 'field.confirmPassword', autocomplete: 'new-password', invalid: view.error === 'error.password_mismatch' })}
<button type="submit" class="primary">${t('action.changePassword')}</button>
</form>`;
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
