/**
 * The server-rendered sign-in page: one form for clinic staff, one for patients. Plain HTML with
 * its stylesheet served as a file, so the Content-Security-Policy needs no inline scripts or styles.
 */
import { AUTHORIZE_FIELDS, type FormValues, single } from './authorizeRequest';
import { APP_CLIENT_NAME } from './clients';

export type SignInAs = 'staff' | 'patient';

export interface SignInPageModel {
  /** The authorization request's parameters, carried through as hidden fields. */
  request: FormValues;
  formAction: string;
  stylesheet: string;
  /** The application asking (its registered client_name), when it is not this server's own app. */
  clientName?: string;
  failure?: { as: SignInAs; message: string };
  /** What was typed, kept after a failure; never a password or code. */
  typed?: { username?: string; nhi?: string; birthDate?: string };
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function html(text: string): string {
  return text.replace(/[&<>"']/g, (character) => escapes[character]);
}

function hiddenFields(request: FormValues): string {
  return AUTHORIZE_FIELDS.map((name) => {
    const value = single(request, name);
    return typeof value === 'string' ? `<input type="hidden" name="${name}" value="${html(value)}">` : '';
  }).join('\n        ');
}

interface Field {
  id: string;
  name: string;
  label: string;
  type: string;
  autocomplete: string;
  value?: string;
  hint?: string;
  extra?: string;
}

function field(input: Field, failedHere: boolean, errorId: string, first: boolean): string {
  const described = [input.hint ? `${input.id}-hint` : undefined, failedHere ? errorId : undefined]
    .filter(Boolean)
    .join(' ');
  return `<div class="field">
          <label for="${input.id}">${input.label}</label>
          ${input.hint ? `<p class="hint" id="${input.id}-hint">${input.hint}</p>` : ''}
          <input id="${input.id}" name="${input.name}" type="${input.type}" autocomplete="${input.autocomplete}" required${input.value ? ` value="${html(input.value)}"` : ''}${described ? ` aria-describedby="${described}"` : ''}${failedHere ? ' aria-invalid="true"' : ''}${failedHere && first ? ' autofocus' : ''}${input.extra ? ` ${input.extra}` : ''}>
        </div>`;
}

function signInForm(
  model: SignInPageModel,
  as: SignInAs,
  heading: string,
  intro: string,
  fields: Field[],
  button: string,
): string {
  const failed = model.failure?.as === as;
  const errorId = `${as}-error`;
  return `<section class="card" aria-labelledby="${as}-heading">
      <h2 id="${as}-heading">${heading}</h2>
      <p>${intro}</p>
      ${failed ? `<p class="error" id="${errorId}" role="alert">${html(model.failure?.message ?? '')}</p>` : ''}
      <form method="post" action="${html(model.formAction)}">
        ${hiddenFields(model.request)}
        <input type="hidden" name="sign_in_as" value="${as}">
        ${fields.map((input, index) => field(input, failed, errorId, index === 0)).join('\n        ')}
        <button type="submit">${button}</button>
      </form>
    </section>`;
}

export function signInPage(model: SignInPageModel): string {
  const typed = model.typed ?? {};
  const staff = signInForm(
    model,
    'staff',
    'Clinic staff',
    'Sign in with your clinic username and password.',
    [
      {
        id: 'username',
        name: 'username',
        label: 'Username',
        type: 'text',
        autocomplete: 'username',
        value: typed.username,
        extra: 'autocapitalize="none" spellcheck="false"',
      },
      { id: 'password', name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' },
    ],
    'Sign in as staff',
  );
  const patient = signInForm(
    model,
    'patient',
    'Patients',
    'Sign in with your NHI number, your date of birth and the portal code your clinic gave you.',
    [
      {
        id: 'nhi',
        name: 'nhi',
        label: 'NHI number',
        type: 'text',
        autocomplete: 'off',
        value: typed.nhi,
        hint: 'Seven characters, like ZAC5361. It is on your prescriptions and clinic letters.',
        extra: 'autocapitalize="characters" spellcheck="false" maxlength="10"',
      },
      {
        id: 'birth-date',
        name: 'birth_date',
        label: 'Date of birth',
        type: 'date',
        autocomplete: 'bday',
        value: typed.birthDate,
      },
      {
        id: 'portal-code',
        name: 'portal_code',
        label: 'Portal code',
        type: 'password',
        autocomplete: 'off',
        hint: 'Eight letters and digits, like ABCD-2345, from your clinic.',
        extra: 'autocapitalize="characters" spellcheck="false"',
      },
    ],
    'Sign in as patient',
  );
  return `<!doctype html>
<html lang="en-NZ">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <!-- same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with the form's
         POST, which the login-CSRF check refuses; other sites still get no referrer. -->
    <meta name="referrer" content="same-origin">
    <title>${model.failure ? 'Sign-in failed - ' : ''}Sign in - NZ Appointments</title>
    <link rel="stylesheet" href="${html(model.stylesheet)}">
  </head>
  <body>
    <main>
      <h1>Sign in to NZ Appointments</h1>
      ${model.clientName && model.clientName !== APP_CLIENT_NAME ? `<p class="client">${html(model.clientName)} is asking to use your NZ Appointments account.</p>` : ''}
      <div class="choices">
    ${staff}
    ${patient}
      </div>
    </main>
  </body>
</html>
`;
}

function messagePage(title: string, heading: string, body: string, stylesheet: string): string {
  return `<!doctype html>
<html lang="en-NZ">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${title} - NZ Appointments</title>
    <link rel="stylesheet" href="${html(stylesheet)}">
  </head>
  <body>
    <main>
      <h1>${heading}</h1>
      ${body}
    </main>
  </body>
</html>
`;
}

export function signedOutPage(stylesheet: string): string {
  return messagePage(
    'Signed out',
    'You are signed out',
    '<p>You can close this page. To use the appointments app again, open it and sign in.</p>',
    stylesheet,
  );
}

/**
 * Asked before a sign-out that did not come from the app (no id_token_hint): a link on another site
 * must not end someone's session unasked. The form posts back here; only this origin's pages can.
 */
export function confirmSignOutPage(action: string, back: string | undefined, stylesheet: string): string {
  return messagePage(
    'Sign out?',
    'Sign out?',
    `<p>Do you want to sign out of the appointments app on this device?</p>
      <form method="post" action="${html(action)}">
        ${back ? `<input type="hidden" name="post_logout_redirect_uri" value="${html(back)}">` : ''}
        <button type="submit">Sign out</button>
      </form>`,
    stylesheet,
  );
}

/** A page for a sign-in link that cannot be followed (unknown app, untrusted return address). */
export function signInProblemPage(message: string, stylesheet: string): string {
  return messagePage(
    'Cannot sign in',
    'Cannot sign in',
    `<p class="error" role="alert">${html(message)}</p>
      <p>Go back to the appointments app and start again. If this keeps happening, tell the clinic.</p>`,
    stylesheet,
  );
}

export const SIGN_IN_CSS = `*, *::before, *::after { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; line-height: 1.5; color: #1b1f24; background: #f4f6f8; }
body { margin: 0; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 1.25rem; }
h2 { font-size: 1.25rem; margin: 0 0 .25rem; }
.choices { display: grid; gap: 1.25rem; grid-template-columns: 1fr; }
@media (min-width: 45rem) { .choices { grid-template-columns: 1fr 1fr; } }
.card { background: #fff; border: 1px solid #c9d1d9; border-radius: .5rem; padding: 1.25rem; }
.field { margin: 0 0 1rem; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
.hint { margin: 0 0 .25rem; color: #4a5561; font-size: .9rem; }
input { display: block; width: 100%; min-height: 2.75rem; padding: .5rem .75rem; font: inherit; border: 1px solid #6b7783; border-radius: .375rem; background: #fff; color: inherit; }
input[aria-invalid="true"] { border: 2px solid #b3261e; }
input:focus-visible, button:focus-visible { outline: 3px solid #0b57d0; outline-offset: 2px; }
button { min-height: 2.75rem; padding: .5rem 1.25rem; font: inherit; font-weight: 600; color: #fff; background: #0b57d0; border: 0; border-radius: .375rem; cursor: pointer; }
button:hover { background: #0842a0; }
.error { color: #8c1d18; background: #fdecea; border-left: 4px solid #b3261e; padding: .5rem .75rem; margin: 0 0 1rem; }
`;
