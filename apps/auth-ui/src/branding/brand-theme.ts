import { createHash } from 'node:crypto';
import { colord, extend } from 'colord';
import a11yPlugin from 'colord/plugins/a11y';

extend([a11yPlugin]);

/** WCAG 2.x AA for normal text. */
const MIN_CONTRAST = 4.5;
const WHITE = '#ffffff';
const INK = '#1b2330';

/** A contact center's colour as page styles, with the hash that lets CSP allow exactly this inline style. */
export interface BrandTheme {
  css: string;
  /** For `style-src`: `'sha256-…'`. */
  cspSource: string;
}

/**
 * The stylesheet's colour variables for a contact center's `#rrggbb` colour. Whatever the colour, text
 * keeps 4.5:1: buttons get white or ink text, whichever reads better (or a darker shade of the colour
 * when neither does), and links and focus rings use a shade dark enough on white.
 */
export function brandTheme(color: string): BrandTheme {
  const brand = colord(color);
  let dark = brand;
  while (dark.contrast(WHITE) < MIN_CONTRAST) dark = dark.darken(0.04);
  const onBrand = brand.contrast(WHITE) >= brand.contrast(INK) ? WHITE : INK;
  const button = brand.contrast(onBrand) >= MIN_CONTRAST ? brand : dark;
  const onButton = button === dark ? WHITE : onBrand;
  const css =
    `:root{--brand:${brand.toHex()};--brand-dark:${dark.toHex()};` +
    `--button:${button.toHex()};--on-button:${onButton}}`;
  return { css, cspSource: `'sha256-${createHash('sha256').update(css).digest('base64')}'` };
}
