/**
 * Checks an authorization request (RFC 6749 4.1.1 with PKCE, RFC 7636, and SMART's `aud` and
 * `launch`), the same way for the GET that shows the sign-in page and for the POST of its form.
 * A bad client or redirect_uri must never lead to a redirect (the redirect target is not trusted
 * yet); every other problem is reported back to the client on its redirect_uri.
 */
import { findSmartClient, isAllowedRedirect, type ClientRegistry, type SmartClient } from './clients';
import { normalUrl } from './urls';

export interface AuthorizeParams {
  client: SmartClient;
  redirectUri: string;
  scope: string;
  state: string;
  codeChallenge: string;
  aud?: string;
  launch?: string;
  prompt?: 'login' | 'none';
}

/** The request's parameters, to carry through the sign-in form as hidden fields. */
export const AUTHORIZE_FIELDS = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'aud',
  'launch',
  'prompt',
] as const;

export type AuthorizeCheck =
  | { ok: true; params: AuthorizeParams }
  /** Shown as a page: nothing trustworthy to redirect to. */
  | { ok: false; page: string }
  | { ok: false; redirectUri: string; error: string; description: string; state?: string };

export type FormValues = Record<string, string | string[] | undefined>;

/** A parameter's single value; a repeated parameter is an error (RFC 6749 3.1). */
export function single(values: FormValues, name: string): string | undefined | null {
  const value = values[name];
  if (Array.isArray(value)) return value.length === 1 ? value[0] : value.length === 0 ? undefined : null;
  return value;
}

const PKCE_CHALLENGE = /^[A-Za-z0-9\-._~]{43,128}$/;

export function checkAuthorizeRequest(
  values: FormValues,
  registry: ClientRegistry,
  serverOrigin: string,
  fhirBase: string,
): AuthorizeCheck {
  const clientId = single(values, 'client_id');
  const client = findSmartClient(registry, clientId);
  if (!client)
    return {
      ok: false,
      page: `This sign-in link is for an application this server does not know${clientId ? ` ("${clientId.slice(0, 60)}")` : ''}.`,
    };
  const redirectUri = single(values, 'redirect_uri');
  if (!redirectUri || !isAllowedRedirect(registry, client, redirectUri, serverOrigin)) {
    return {
      ok: false,
      page: 'This sign-in link would send you back to an address this server does not trust, so it has been stopped.',
    };
  }
  const state = single(values, 'state');
  const fail = (error: string, description: string) => ({
    ok: false as const,
    redirectUri,
    error,
    description,
    state: state ?? undefined,
  });
  for (const name of AUTHORIZE_FIELDS)
    if (single(values, name) === null) return fail('invalid_request', `The parameter ${name} is repeated.`);
  if (single(values, 'response_type') !== 'code')
    return fail('unsupported_response_type', 'Only response_type=code is supported.');
  if (!state) return fail('invalid_request', 'state is required.');
  const codeChallenge = single(values, 'code_challenge');
  if (single(values, 'code_challenge_method') !== 'S256' || !codeChallenge || !PKCE_CHALLENGE.test(codeChallenge)) {
    return fail(
      'invalid_request',
      'PKCE is required: send code_challenge (43-128 characters) with code_challenge_method=S256.',
    );
  }
  const aud = single(values, 'aud') || undefined;
  if (aud !== undefined && !sameUrl(aud, fhirBase))
    return fail('invalid_request', `aud must be this FHIR server's base URL, ${fhirBase}.`);
  const prompt = single(values, 'prompt') || undefined;
  if (prompt !== undefined && prompt !== 'login' && prompt !== 'none')
    return fail('invalid_request', 'prompt may only be "login" or "none".');
  return {
    ok: true,
    params: {
      client,
      redirectUri,
      scope: single(values, 'scope') ?? '',
      state,
      codeChallenge,
      aud,
      launch: single(values, 'launch') || undefined,
      prompt,
    },
  };
}

function sameUrl(a: string, b: string): boolean {
  try {
    return normalUrl(a) === normalUrl(b);
  } catch {
    return false;
  }
}

/**
 * The client's redirect_uri with the answer added. No `iss` (RFC 9207 makes it optional): SMART
 * clients read an `iss` there as the FHIR server's base URL, which the authorization server's issuer
 * is not, so a SMART client sent it would look for the FHIR server in the wrong place.
 */
export function redirectWith(redirectUri: string, answer: Record<string, string | undefined>): string {
  const url = new URL(redirectUri);
  for (const [name, value] of Object.entries(answer)) if (value !== undefined) url.searchParams.set(name, value);
  return url.href;
}
