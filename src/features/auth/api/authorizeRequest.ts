/**
 * The authorization request and the answer the browser brings back. Only what the round trip needs
 * (state, the PKCE verifier, where to return to) is kept, in sessionStorage, and it is removed as
 * soon as the answer arrives; tokens never go there.
 */
import type { SmartEndpoints } from './smartDiscovery';
import { randomToken, s256Challenge } from './pkce';
import { APP_CLIENT_ID } from './tokens';

/** Staff get user/ scopes and patients patient/ ones: the server grants whichever the person who signs in may have. */
export const SIGN_IN_SCOPE = 'openid fhirUser launch/patient offline_access user/*.cruds patient/*.cruds';
export const PENDING_SIGN_IN_KEY = 'nz-appointments.pending-sign-in';
export const CALLBACK_PATH = 'signed-in';

export type KeyValueStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface PendingSignIn {
  state: string;
  verifier: string;
  redirectUri: string;
  /** The app path (with query) to go back to once signed in. */
  returnTo: string;
  tokenEndpoint: string;
  issuer?: string;
}

export interface AuthorizeOptions {
  endpoints: SmartEndpoints;
  /** The FHIR base URL: the `aud` the token is for. */
  fhirBase: string;
  redirectUri: string;
  returnTo: string;
  /** An EHR launch's opaque context. */
  launch?: string;
  /** Ask without showing a sign-in page (OpenID `prompt=none`): a server session signs straight in, or the answer is login_required. */
  silent?: boolean;
}

export async function authorizeUrl(options: AuthorizeOptions, storage: KeyValueStorage): Promise<string> {
  const pending: PendingSignIn = {
    state: randomToken(),
    verifier: randomToken(),
    redirectUri: options.redirectUri,
    returnTo: options.returnTo,
    tokenEndpoint: options.endpoints.tokenEndpoint,
    ...(options.endpoints.issuer ? { issuer: options.endpoints.issuer } : {}),
  };
  storage.setItem(PENDING_SIGN_IN_KEY, JSON.stringify(pending));
  const url = new URL(options.endpoints.authorizationEndpoint);
  const params: Record<string, string> = {
    response_type: 'code',
    client_id: APP_CLIENT_ID,
    redirect_uri: options.redirectUri,
    scope: options.launch ? `launch ${SIGN_IN_SCOPE}` : SIGN_IN_SCOPE,
    state: pending.state,
    aud: options.fhirBase,
    code_challenge: await s256Challenge(pending.verifier),
    code_challenge_method: 'S256',
    ...(options.launch ? { launch: options.launch } : {}),
    ...(options.silent ? { prompt: 'none' } : {}),
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.href;
}

export type SignInAnswer =
  | { kind: 'none' }
  | { kind: 'code'; code: string; pending: PendingSignIn }
  | { kind: 'refused'; message: string; loginRequired: boolean };

const NEEDS_SIGN_IN = new Set([
  'login_required',
  'interaction_required',
  'consent_required',
  'account_selection_required',
]);

function takePending(storage: KeyValueStorage): PendingSignIn | undefined {
  const raw = storage.getItem(PENDING_SIGN_IN_KEY);
  storage.removeItem(PENDING_SIGN_IN_KEY);
  if (!raw) return undefined;
  try {
    const parsed = JSON.parse(raw) as PendingSignIn;
    return typeof parsed.state === 'string' && typeof parsed.verifier === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** The answer on the callback URL, checked against the request this tab started; the record is used up. */
export function readSignInAnswer(url: URL, storage: KeyValueStorage): SignInAnswer {
  const params = url.searchParams;
  if (!params.has('code') && !params.has('error')) return { kind: 'none' };
  const pending = takePending(storage);
  const mismatch = {
    kind: 'refused' as const,
    message: 'This sign-in answer does not belong to a sign-in started here, so it was not used. Sign in again.',
    loginRequired: false,
  };
  if (!pending || params.get('state') !== pending.state) return mismatch;
  const iss = params.get('iss');
  if (iss !== null && pending.issuer !== undefined && iss !== pending.issuer) return mismatch;
  const error = params.get('error');
  if (error) {
    const description = params.get('error_description');
    return {
      kind: 'refused',
      message: description ? `Signing in did not work: ${description}` : `Signing in did not work (${error}).`,
      loginRequired: NEEDS_SIGN_IN.has(error),
    };
  }
  return { kind: 'code', code: params.get('code') ?? '', pending };
}
