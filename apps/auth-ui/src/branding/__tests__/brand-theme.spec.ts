import { createHash } from 'node:crypto';
import { colord, extend } from 'colord';
import a11yPlugin from 'colord/plugins/a11y';
import { brandTheme } from '../brand-theme';

extend([a11yPlugin]);

function variables(css: string): Record<string, string> {
  return Object.fromEntries([...css.matchAll(/--([\w-]+):(#[0-9a-f]{6})/g)].map((match) => [match[1], match[2]]));
}

describe('brandTheme: any contact-center colour keeps text readable', () => {
  it.each(['#0b5cad', '#ffd400', '#ffffff', '#000000', '#7f7f7f', '#e4002b', '#00a86b', '#9ad0ff'])('%s', (color) => {
    const theme = brandTheme(color);
    const vars = variables(theme.css);
    expect(vars.brand).toBe(color);
    // Button text on the button, and links (the dark shade) on the white card.
    expect(colord(vars['on-button']!).contrast(vars.button!)).toBeGreaterThanOrEqual(4.5);
    expect(colord(vars['brand-dark']!).contrast('#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(theme.cspSource).toBe(`'sha256-${createHash('sha256').update(theme.css).digest('base64')}'`);
  });
});
