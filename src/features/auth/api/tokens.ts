/**
 * The token endpoint (RFC 6749): the code exchange with the PKCE verifier and the rotating refresh,
 * both as the public client `nz-appointments-app` (no secret), form-encoded. What comes back is kept
 * in memory only.
 */
import { scopeList } from '../../../../domain/smartScopes';

export const APP_CLIENT_ID = 'nz-appointments-app';

export interface TokenSet {
  accessToken: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  scope: string;
  refreshToken?: string;
  /** The patient in context: the patient who signed in, or the one an EHR launch opened. */
  patient?: string;
  /** From the id token, for "Signed in as". */
  name?: string;
  /** The id token itself: the hint that makes sign-out the app's own request. */
  idToken?: string;
}

export class TokenRequestFailed extends Error {
  constructor(
    message: string,
    /** The server said the grant is no good (invalid_grant and the like), not that it was unreachable. */
    readonly refused: boolean,
  ) {
    super(message);
  }
}

/** An id token's `name`: read without checking the signature, for display only (it came straight from the token endpoint). */
export function idTokenName(idToken: unknown): string | undefined {
  if (typeof idToken !== 'string') return undefined;
  try {
    const payload = idToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(atob(payload), (character) => character.charCodeAt(0))),
    ) as { name?: unknown };
    return typeof claims.name === 'string' && claims.name.trim() !== '' ? claims.name.trim() : undefined;
  } catch {
    return undefined;
  }
}

export function parseTokenResponse(raw: unknown, requestedAt: number, previous?: TokenSet): TokenSet {
  const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  if (
    typeof value.access_token !== 'string' ||
    value.access_token === '' ||
    String(value.token_type).toLowerCase() !== 'bearer'
  ) {
    throw new TokenRequestFailed('The sign-in server answered without a usable access token.', true);
  }
  const expiresIn = typeof value.expires_in === 'number' && value.expires_in > 0 ? value.expires_in : 300;
  const scope = typeof value.scope === 'string' ? value.scope : (previous?.scope ?? '');
  const patient = typeof value.patient === 'string' ? value.patient : previous?.patient;
  const name = idTokenName(value.id_token) ?? previous?.name;
  const idToken = typeof value.id_token === 'string' ? value.id_token : previous?.idToken;
  // A refresh token is rotated when a new one comes back; otherwise the old one stays good.
  const refreshToken = typeof value.refresh_token === 'string' ? value.refresh_token : previous?.refreshToken;
  return {
    accessToken: value.access_token,
    expiresAt: requestedAt + expiresIn * 1000,
    scope: scopeList(scope).join(' '),
    ...(refreshToken ? { refreshToken } : {}),
    ...(patient ? { patient } : {}),
    ...(name ? { name } : {}),
    ...(idToken ? { idToken } : {}),
  };
}

async function postForm(tokenEndpoint: string, form: Record<string, string>, fetchFn: typeof fetch): Promise<unknown> {
  let response: Response;
  try {
    response = await fetchFn(tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      credentials: 'omit',
    });
  } catch {
    throw new TokenRequestFailed('The sign-in server cannot be reached. Check the connection, then try again.', false);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const described = (body as { error_description?: unknown } | undefined)?.error_description;
    const reason =
      typeof described === 'string' && described !== ''
        ? described
        : `The sign-in server refused (${response.status}).`;
    throw new TokenRequestFailed(reason, response.status >= 400 && response.status < 500);
  }
  return body;
}

export async function exchangeCode(
  request: { tokenEndpoint: string; code: string; redirectUri: string; verifier: string },
  fetchFn: typeof fetch,
  now: () => number,
): Promise<TokenSet> {
  const requestedAt = now();
  const body = await postForm(
    request.tokenEndpoint,
    {
      grant_type: 'authorization_code',
      code: request.code,
      redirect_uri: request.redirectUri,
      client_id: APP_CLIENT_ID,
      code_verifier: request.verifier,
    },
    fetchFn,
  );
  return parseTokenResponse(body, requestedAt);
}

export async function refreshTokens(
  tokenEndpoint: string,
  previous: TokenSet,
  fetchFn: typeof fetch,
  now: () => number,
): Promise<TokenSet> {
  if (!previous.refreshToken) throw new TokenRequestFailed('There is no refresh token: sign in again.', true);
  const requestedAt = now();
  const body = await postForm(
    tokenEndpoint,
    { grant_type: 'refresh_token', refresh_token: previous.refreshToken, client_id: APP_CLIENT_ID },
    fetchFn,
  );
  return parseTokenResponse(body, requestedAt, previous);
}
