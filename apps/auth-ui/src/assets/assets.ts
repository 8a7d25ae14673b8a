import { createHash } from 'node:crypto';
import { FAVICON } from './favicon.asset';
import { SCRIPT } from './script.asset';
import { STYLES } from './styles.asset';

export interface Asset {
  /** Content-hashed file name, e.g. `app.1a2b3c4d5e6f.css`. */
  name: string;
  contentType: string;
  body: string;
  /** For Subresource Integrity. */
  integrity: string;
}

function asset(base: string, extension: string, contentType: string, body: string): Asset {
  const digest = createHash('sha256').update(body, 'utf8');
  const hex = digest.copy().digest('hex').slice(0, 12);
  return { name: `${base}.${hex}.${extension}`, contentType, body, integrity: `sha256-${digest.digest('base64')}` };
}

export const ASSETS = {
  css: asset('app', 'css', 'text/css; charset=utf-8', STYLES),
  js: asset('app', 'js', 'text/javascript; charset=utf-8', SCRIPT),
  icon: asset('favicon', 'svg', 'image/svg+xml', FAVICON),
};

export const ASSET_PATH = '/ui/auth/assets';
