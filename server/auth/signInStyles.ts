/**
 * The sign-in page's stylesheet: the app's own design tokens (src/styles/tokens.css, read once at
 * start), then the few rules this page needs, written on those tokens. So the page a patient signs
 * in on has the app's colours, and a change of colour is made in one file. The server serves the
 * built app from this repository, so the file is always beside it.
 */
import { readFileSync } from 'node:fs';

const APP_TOKENS = new URL('../../src/styles/tokens.css', import.meta.url);

const SIGN_IN_RULES = `
*, *::before, *::after { box-sizing: border-box; }
html { font-family: var(--font); line-height: 1.5; color: var(--color-text); background: var(--color-bg); -webkit-text-size-adjust: 100%; }
body { margin: 0; min-width: 320px; }
.app-header { background: var(--color-primary); color: #fff; }
.app-header__inner, main { max-width: 60rem; margin: 0 auto; padding-left: var(--space-4); padding-right: var(--space-4); }
.app-header__inner { padding-top: var(--space-2); padding-bottom: var(--space-2); }
.brand { display: inline-flex; align-items: center; gap: var(--space-2); min-height: var(--touch); font-weight: 700; font-size: 1.125rem; }
.brand__mark { width: 22px; height: 22px; border-radius: 6px; background: #fff; box-shadow: inset 0 6px 0 #9fd8e3; }
main { padding-top: var(--space-5); padding-bottom: var(--space-6); }
h1 { font-size: 1.6rem; margin: 0 0 var(--space-4); }
h2 { font-size: 1.25rem; margin: 0 0 var(--space-1); }
p { margin: 0 0 var(--space-4); }
.choices { display: grid; gap: var(--space-5); grid-template-columns: 1fr; align-items: start; }
@media (min-width: 45rem) { .choices { grid-template-columns: 1fr 1fr; } }
.card { background: var(--color-surface); border: 1px solid var(--color-border); border-radius: var(--radius); box-shadow: var(--shadow); padding: var(--space-5); }
.field { margin: 0 0 var(--space-4); }
label { display: block; font-weight: 600; margin-bottom: var(--space-1); }
.hint { margin: 0 0 var(--space-1); color: var(--color-muted); font-size: .9rem; }
input { display: block; width: 100%; min-height: var(--touch); padding: var(--space-2) var(--space-3); font: inherit; border: 1px solid var(--color-border-strong); border-radius: var(--radius-small); background: var(--color-surface); color: inherit; }
input[aria-invalid="true"] { border: 2px solid var(--color-danger); }
input:focus-visible, button:focus-visible { outline: 3px solid var(--color-focus); outline-offset: 2px; }
button { min-height: var(--touch); padding: var(--space-2) var(--space-5); font: inherit; font-weight: 600; color: #fff; background: var(--color-primary); border: 0; border-radius: var(--radius-small); cursor: pointer; }
button:hover { background: var(--color-primary-dark); }
.error { color: var(--color-danger); background: var(--color-danger-soft); border-left: 4px solid var(--color-danger); padding: var(--space-2) var(--space-3); margin: 0 0 var(--space-4); }
.field .error { margin: 0 0 var(--space-1); }
.forgotten { margin: var(--space-4) 0 0; padding-top: var(--space-4); border-top: 1px solid var(--color-border); }
`;

export const SIGN_IN_CSS = `${readFileSync(APP_TOKENS, 'utf8')}${SIGN_IN_RULES}`;
