/**
 * The server-rendered sign-in page: one form for patients, then one for clinic staff, under the
 * app's name and colours. Plain HTML with its stylesheet served as a file (signInStyles.ts), so the
 * Content-Security-Policy needs no inline scripts or styles.
 */
import { BIRTH_DATE_EXAMPLE } from '../../domain/birthDate';
import { PRODUCT_NAME } from '../../domain/product';
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
  /** A failure names the one field at fault (its id), or none when the details as a whole did not match. */
  failure?: { as: SignInAs; message: string; field?: string };
  /** What was typed, kept after a failure; a password never, a portal code only when it was not tried. */
  typed?: { username?: string; nhi?: string; birthDate?: string; portalCode?: string };
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

/** How a form failed, as its fields show it: which are marked, where the message is, which gets the focus. */
interface FormFailure {
  message: string;
  errorId: string;
  /** The one field at fault; undefined marks them all (the details as a whole did not match). */
  field?: string;
}

function field(input: Field, failure: FormFailure | undefined, first: boolean): string {
  const atThisField = failure?.field === input.id;
  const marked = failure !== undefined && (failure.field === undefined || atThisField);
  const focused = failure !== undefined && (atThisField || (failure.field === undefined && first));
  const described = [input.hint ? `${input.id}-hint` : undefined, marked ? failure?.errorId : undefined]
    .filter(Boolean)
    .join(' ');
  return `<div class="field">
          <label for="${input.id}">${input.label}</label>
          ${input.hint ? `<p class="hint" id="${input.id}-hint">${input.hint}</p>` : ''}
          ${atThisField ? `<p class="error" id="${failure.errorId}" role="alert">${html(failure.message)}</p>` : ''}
          <input id="${input.id}" name="${input.name}" type="${input.type}" autocomplete="${input.autocomplete}" required${input.value ? ` value="${html(input.value)}"` : ''}${described ? ` aria-describedby="${described}"` : ''}${marked ? ' aria-invalid="true"' : ''}${focused ? ' autofocus' : ''}${input.extra ? ` ${input.extra}` : ''}>
        </div>`;
}

interface SignInForm {
  as: SignInAs;
  heading: string;
  intro: string;
  fields: Field[];
  button: string;
  /** After the form: what to do when a detail is not at hand. */
  footnote?: string;
}

function signInForm(model: SignInPageModel, form: SignInForm): string {
  const { as } = form;
  const failure: FormFailure | undefined =
    model.failure?.as === as
      ? { message: model.failure.message, errorId: `${as}-error`, field: model.failure.field }
      : undefined;
  const formError =
    failure && failure.field === undefined
      ? `<p class="error" id="${failure.errorId}" role="alert">${html(failure.message)}</p>`
      : '';
  return `<section class="card" aria-labelledby="${as}-heading">
      <h2 id="${as}-heading">${form.heading}</h2>
      <p>${form.intro}</p>
      ${formError}
      <form method="post" action="${html(model.formAction)}">
        ${hiddenFields(model.request)}
        <input type="hidden" name="sign_in_as" value="${as}">
        ${form.fields.map((input, index) => field(input, failure, index === 0)).join('\n        ')}
        <button type="submit">${form.button}</button>
      </form>
      ${form.footnote ?? ''}
    </section>`;
}

function patientForm(model: SignInPageModel): string {
  const typed = model.typed ?? {};
  return signInForm(model, {
    as: 'patient',
    heading: 'Patients',
    intro: 'Sign in with your NHI number, your date of birth and the portal code your clinic gave you.',
    fields: [
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
        // Text, not a date input: a phone's date picker starts at today and scrolls decades, and
        // desktop ones follow the browser's locale; day/month/year typed is what people here know.
        type: 'text',
        autocomplete: 'bday',
        value: typed.birthDate,
        hint: `Day, month and year, like ${BIRTH_DATE_EXAMPLE}.`,
        extra: 'spellcheck="false" maxlength="10"',
      },
      {
        id: 'portal-code',
        name: 'portal_code',
        label: 'Portal code',
        type: 'password',
        autocomplete: 'off',
        value: typed.portalCode,
        hint: 'Eight letters and digits, like ABCD-2345, from your clinic.',
        extra: 'autocapitalize="characters" spellcheck="false"',
      },
    ],
    button: 'Sign in as patient',
    footnote: `<p class="forgotten"><strong>Forgot your portal code?</strong> Phone your clinic or ask at reception:
        they will check who you are and give you a new one.</p>`,
  });
}

function staffForm(model: SignInPageModel): string {
  return signInForm(model, {
    as: 'staff',
    heading: 'Clinic staff',
    intro: 'Sign in with your clinic username and password.',
    fields: [
      {
        id: 'username',
        name: 'username',
        label: 'Username',
        type: 'text',
        autocomplete: 'username',
        value: model.typed?.username,
        extra: 'autocapitalize="none" spellcheck="false"',
      },
      { id: 'password', name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' },
    ],
    button: 'Sign in as staff',
  });
}

/** The product's header, as the app shows it, so a patient knows this page is part of it. */
function productHeader(): string {
  return `<header class="app-header">
      <div class="app-header__inner">
        <span class="brand"><span class="brand__mark" aria-hidden="true"></span>${PRODUCT_NAME}</span>
      </div>
    </header>`;
}

/** Patients first: most people signing in are patients on a phone, where the first form is the one on screen. */
export function signInPage(model: SignInPageModel): string {
  return `<!doctype html>
<html lang="en-NZ">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <!-- same-origin, not no-referrer: under no-referrer a browser sends "Origin: null" with the form's
         POST, which the login-CSRF check refuses; other sites still get no referrer. -->
    <meta name="referrer" content="same-origin">
    <title>${model.failure ? 'Sign-in failed - ' : ''}Sign in - ${PRODUCT_NAME}</title>
    <link rel="stylesheet" href="${html(model.stylesheet)}">
  </head>
  <body>
    ${productHeader()}
    <main>
      <h1>Sign in</h1>
      ${model.clientName && model.clientName !== APP_CLIENT_NAME ? `<p class="client">${html(model.clientName)} is asking to use your ${html(PRODUCT_NAME)} account.</p>` : ''}
      <div class="choices">
    ${patientForm(model)}
    ${staffForm(model)}
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
    <title>${title} - ${PRODUCT_NAME}</title>
    <link rel="stylesheet" href="${html(stylesheet)}">
  </head>
  <body>
    ${productHeader()}
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
