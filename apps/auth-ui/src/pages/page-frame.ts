import type { FastifyRequest } from 'fastify';
import type { HtmlPage } from '@cxauth/platform';
import { brandTheme } from '../branding/brand-theme';
import { negotiateLocale, Translate, translator } from '../i18n/locale';
import type { Locale, MessageKey } from '../i18n/messages';
import type { SignInContext } from './auth-api.client';
import type { SafeHtml } from './html';
import { layout, messageContent, PageFrame } from './templates';

type Query = Record<string, unknown>;

export function text(query: Query, name: string): string | undefined {
  const value = query[name];
  return typeof value === 'string' ? value : undefined;
}

export interface FrameOptions {
  request: FastifyRequest;
  query: Query;
  context: SignInContext | null;
  productName: string;
  title: MessageKey;
  /** Path and query (without `locale`) the language links point at. */
  path: string;
  keep: Record<string, string>;
}

/** A page's frame (language, brand, colours) and the CSP sources its branding needs. */
export interface Frame {
  frame: PageFrame;
  t: Translate;
  styleSources: string[];
  imageSources: string[];
}

export function buildFrame(options: FrameOptions): Frame {
  const { context, query } = options;
  const locale: Locale = negotiateLocale(
    [text(query, 'locale'), context?.locale].filter((value): value is string => Boolean(value)),
    options.request.headers['accept-language'],
  );
  const t = translator(locale);
  const branding = context?.branding ?? null;
  const theme = branding?.color ? brandTheme(branding.color) : null;
  const logo = branding?.logo ?? undefined;
  return {
    frame: {
      locale,
      t,
      title: t(options.title),
      brandName: branding?.name ?? options.productName,
      brandSub: context?.tenant ?? context?.typedTenant ?? undefined,
      logo,
      themeCss: theme?.css,
      languageBase: { path: options.path, query: options.keep },
    },
    t,
    styleSources: theme ? [theme.cspSource] : [],
    // A data: logo is covered by `data:`; an https one needs its origin.
    imageSources: logo?.startsWith('https://') ? [new URL(logo).origin] : [],
  };
}

/**
 * The pages' policy: only this origin's stylesheet and script (plus a contact center's colours by
 * hash and its logo's origin), forms only to this origin and to the pending redirect_uri's origin.
 */
export function pageContentSecurityPolicy(frame: Frame, formOrigin: string | null = null): string {
  const formAction = ["'self'", formOrigin].filter(Boolean).join(' ');
  const style = ["'self'", ...frame.styleSources].join(' ');
  const image = ["'self'", 'data:', ...frame.imageSources].join(' ');
  return (
    `default-src 'none'; script-src 'self'; style-src ${style}; img-src ${image}; form-action ${formAction}; ` +
    "frame-ancestors 'none'; base-uri 'none'"
  );
}

export function renderPage(frame: Frame, content: SafeHtml, formOrigin: string | null = null): HtmlPage {
  return { html: layout(frame.frame, content), contentSecurityPolicy: pageContentSecurityPolicy(frame, formOrigin) };
}

/** auth-ui's page for a path no route serves: localized, with a way back to the sign-in page. */
export function notFoundPage(productName: string) {
  return (request: FastifyRequest): HtmlPage => {
    const query = (request.query ?? {}) as Query;
    const frame = buildFrame({
      request,
      query,
      context: null,
      productName,
      title: 'page.notFound',
      path: '/ui/auth/sign-in.html',
      keep: {},
    });
    const link = { href: `/ui/auth/sign-in.html?locale=${frame.frame.locale}`, label: 'link.signIn' as const };
    return renderPage(frame, messageContent(frame.t, 'page.notFound', 'plain', 'notFound.body', link));
  };
}
