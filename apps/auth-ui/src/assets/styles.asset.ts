/** The pages' only stylesheet (served by auth-ui under a content-hashed name; no inline styles). */
export const STYLES = `
:root {
  --bg: #eef1f6; --card: #ffffff; --text: #1b2330; --muted: #4a5565; --line: #c4ccd8;
  --brand: #0b5cad; --brand-dark: #084a8c; --focus: #ffbf47; --error: #b3261e; --error-bg: #fdecea;
  --ok: #1e6b35; --ok-bg: #e7f4ea; --radius: 10px;
  color-scheme: light;
}
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 100%; -webkit-text-size-adjust: 100%; }
body {
  margin: 0; min-height: 100vh; display: flex; flex-direction: column; align-items: center;
  background: var(--bg); color: var(--text);
  font: 1rem/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
.skip { position: absolute; left: -9999px; top: 0; }
.skip:focus { left: 1rem; top: 1rem; background: var(--card); padding: .5rem 1rem; z-index: 10; }
main { width: 100%; max-width: 27rem; padding: 2.5rem 1rem 1rem; flex: 1 0 auto; }
.card {
  background: var(--card); border-radius: var(--radius); padding: 2rem 1.75rem;
  box-shadow: 0 1px 2px rgba(16, 24, 40, .08), 0 8px 24px rgba(16, 24, 40, .08);
}
.brand { display: flex; align-items: center; gap: .75rem; margin-bottom: 1.5rem; }
.brand-mark {
  width: 2.5rem; height: 2.5rem; border-radius: 8px; background: var(--brand); color: #fff;
  display: grid; place-items: center; font-weight: 700; font-size: 1.1rem; flex: none;
}
.brand-name { font-weight: 600; font-size: 1.05rem; }
.brand-sub { color: var(--muted); font-size: .875rem; }
h1 { font-size: 1.5rem; line-height: 1.25; margin: 0 0 .25rem; }
h1 + form, h1 + .alert { margin-top: 1.25rem; }
.lead { color: var(--muted); margin: 0 0 1.5rem; }
.field { margin-bottom: 1.1rem; }
label { display: block; font-weight: 600; margin-bottom: .3rem; }
.hint { display: block; color: var(--muted); font-size: .875rem; margin: -.1rem 0 .35rem; }
input[type=text], input[type=password] {
  width: 100%; font: inherit; padding: .65rem .75rem; border: 1px solid #7a8699; border-radius: 6px;
  background: #fff; color: var(--text); min-height: 2.75rem;
}
input[aria-invalid=true] { border-color: var(--error); border-width: 2px; }
input:focus, button:focus, a:focus { outline: 3px solid var(--focus); outline-offset: 1px; }
input:focus:not(:focus-visible), button:focus:not(:focus-visible) { outline: none; box-shadow: 0 0 0 3px rgba(11,92,173,.35); }
.password-row { display: flex; gap: .5rem; }
.password-row input { flex: 1; }
.toggle {
  font: inherit; font-size: .875rem; padding: 0 .75rem; border: 1px solid var(--line); border-radius: 6px;
  background: #f6f8fb; color: var(--brand-dark); cursor: pointer; min-height: 2.75rem;
}
.toggle[hidden] { display: none; }
.primary {
  width: 100%; font: inherit; font-weight: 600; padding: .75rem 1rem; border: 0; border-radius: 6px;
  background: var(--brand); color: #fff; cursor: pointer; margin-top: .5rem; min-height: 2.75rem;
}
.primary:hover { background: var(--brand-dark); }
.primary[disabled] { opacity: .75; cursor: progress; }
.alert { border-radius: 6px; padding: .75rem 1rem; margin-bottom: 1.25rem; border-left: 4px solid; }
.alert-error { background: var(--error-bg); border-color: var(--error); color: #5f1410; }
.alert-ok { background: var(--ok-bg); border-color: var(--ok); color: #0f3b1c; }
.alert strong { display: block; margin-bottom: .15rem; }
.links { margin-top: 1.25rem; font-size: .95rem; }
a { color: var(--brand-dark); text-underline-offset: 2px; }
footer { width: 100%; max-width: 27rem; padding: 0 1rem 1.5rem; color: var(--muted); font-size: .875rem; }
footer nav ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: 0; margin: .5rem 0 0; }
footer a[aria-current=true] { font-weight: 700; text-decoration: none; color: var(--text); }
@media (max-width: 30rem) {
  main { padding-top: 1rem; }
  .card { padding: 1.5rem 1.1rem; box-shadow: none; border: 1px solid var(--line); }
}
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
`;
