/**
 * The pages' only stylesheet (served by auth-ui under a content-hashed name; no inline styles except a
 * contact center's colour variables, allowed by hash). Colours meet 4.5:1 text contrast.
 */
export const STYLES = `
:root {
  --bg: #eef1f6; --card: #ffffff; --text: #1b2330; --muted: #4a5565; --line: #c4ccd8; --field: #6b778a;
  --brand: #0b5cad; --brand-dark: #084a8c; --button: #0b5cad; --on-button: #ffffff;
  --focus: #ffbf47; --error: #b3261e; --error-bg: #fdecea; --ok: #1e6b35; --ok-bg: #e7f4ea;
  --radius: 12px;
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body {
  margin: 0; min-height: 100vh; display: flex; flex-direction: column; align-items: center;
  color: var(--text);
  /* The contact center's colour as a band behind the top of the card. */
  background: linear-gradient(var(--brand) 0, var(--brand) 13rem, var(--bg) 13rem) no-repeat, var(--bg);
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
.skip { position: absolute; left: -9999px; top: 0; }
.skip:focus { left: 1rem; top: 1rem; background: var(--card); padding: .5rem 1rem; z-index: 10; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden;
  clip: rect(0, 0, 0, 0); white-space: nowrap; border: 0;
}
main { width: 100%; max-width: 28rem; padding: 4rem 1rem 1.5rem; flex: 1 0 auto; }
.card {
  background: var(--card); border-radius: var(--radius); padding: 2rem 2rem 1.75rem;
  box-shadow: 0 1px 3px rgba(16, 24, 40, .10), 0 12px 32px rgba(16, 24, 40, .12);
}
.brand { display: flex; align-items: center; gap: .85rem; margin: 0 0 1.75rem; padding-bottom: 1.25rem;
  border-bottom: 1px solid #e3e8ef; }
.brand-mark {
  width: 2.75rem; height: 2.75rem; border-radius: 10px; background: var(--button); color: var(--on-button);
  display: grid; place-items: center; font-weight: 700; font-size: 1.2rem; flex: none;
}
.brand-logo { display: block; height: 2.75rem; width: auto; max-width: 10rem; object-fit: contain; flex: none; }
.brand-name { font-weight: 650; font-size: 1.1rem; line-height: 1.3; }
.brand-sub { color: var(--muted); font-size: .875rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 .35rem; letter-spacing: -.01em; }
h1 + form, h1 + .alert { margin-top: 1.25rem; }
.lead { color: var(--muted); margin: 0 0 1.5rem; }
.field { margin-bottom: 1.15rem; }
label { display: block; font-weight: 600; margin-bottom: .3rem; }
.hint { display: block; color: var(--muted); font-size: .875rem; margin: -.1rem 0 .4rem; }
input[type=text], input[type=password] {
  width: 100%; font: inherit; padding: .65rem .8rem; border: 1px solid var(--field); border-radius: 8px;
  background: #fff; color: var(--text); min-height: 2.9rem;
}
input[aria-invalid=true] { border-color: var(--error); border-width: 2px; }
input:focus, button:focus, a:focus { outline: 3px solid var(--focus); outline-offset: 1px; }
input:focus:not(:focus-visible), button:focus:not(:focus-visible) {
  outline: none; box-shadow: 0 0 0 3px color-mix(in srgb, var(--brand-dark) 40%, transparent);
}
/* The show-password button sits inside the field's right edge: the field keeps its full width. */
.password-row { position: relative; }
.password-row:has(.toggle:not([hidden])) input { padding-right: 3.25rem; }
.toggle {
  position: absolute; top: .3rem; right: .3rem; bottom: .3rem; width: 2.6rem;
  display: grid; place-items: center; padding: 0; border: 0; border-radius: 6px;
  background: transparent; color: var(--muted); cursor: pointer;
}
.toggle:hover { background: #eef1f6; color: var(--text); }
.toggle[hidden] { display: none; }
.toggle .eye { width: 1.35rem; height: 1.35rem; fill: currentColor; }
.toggle[aria-pressed=true] { color: var(--brand-dark); }
.toggle[aria-pressed=true]::after {
  content: ''; position: absolute; width: 1.6rem; height: 2px; background: currentColor;
  transform: rotate(-40deg); border-radius: 1px;
}
.primary {
  width: 100%; font: inherit; font-weight: 650; padding: .8rem 1rem; border: 0; border-radius: 8px;
  background: var(--button); color: var(--on-button); cursor: pointer; margin-top: .6rem; min-height: 2.9rem;
}
.primary:hover { filter: brightness(.92); }
.primary[disabled] { opacity: .75; cursor: progress; }
.secondary {
  width: 100%; font: inherit; font-weight: 600; padding: .7rem 1rem; border: 2px solid var(--button); border-radius: 8px;
  background: transparent; color: var(--brand-dark); cursor: pointer; margin-top: .75rem; min-height: 2.9rem;
}
.secondary:hover { background: #eef1f6; }
.secondary + .hint { margin-top: .45rem; }
.alert { border-radius: 8px; padding: .8rem 1rem; margin-bottom: 1.25rem; border-left: 4px solid; }
.alert-error { background: var(--error-bg); border-color: var(--error); color: #5f1410; }
.alert-ok { background: var(--ok-bg); border-color: var(--ok); color: #0f3b1c; }
.alert strong { display: block; margin-bottom: .15rem; }
.rules { margin: .4rem 0 0; padding-left: 1.25rem; }
.links { margin: 1.25rem 0 0; font-size: .95rem; }
a { color: var(--brand-dark); text-underline-offset: 2px; }
footer { width: 100%; max-width: 28rem; padding: 0 1.25rem 2rem; color: var(--muted); font-size: .85rem; }
footer p { margin: 0; }
footer nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; margin: .75rem 0 0; }
footer a[aria-current=true] { font-weight: 700; text-decoration: none; color: var(--text); }
@media (max-width: 30rem) {
  body { background: linear-gradient(var(--brand) 0, var(--brand) 6rem, var(--bg) 6rem) no-repeat, var(--bg); }
  main { padding-top: 1.5rem; }
  .card { padding: 1.5rem 1.25rem; }
}
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
`;
