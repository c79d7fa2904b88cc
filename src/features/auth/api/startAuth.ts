/**
 * How the app starts against its FHIR server: open (no sign-in), coming back from sign-in with a
 * code, launched by an EHR (`iss` + `launch`), or needing sign-in. A page load has no tokens (they
 * live in memory), so it first asks silently: the server's sign-in session answers at once.
 */
import { fhirBaseUrl } from '../../../lib/fhirClient';
import { authorizeUrl, CALLBACK_PATH, readSignInAnswer, type KeyValueStorage } from './authorizeRequest';
import type { TabCache } from '../../../lib/config';
import { discoverSmart, DiscoveryFailed, type SmartEndpoints } from './smartDiscovery';
import { SmartSession } from './smartSession';
import { exchangeCode, TokenRequestFailed } from './tokens';

export const SIGNED_OUT_PATH = 'signed-out';

export type AuthStart =
  | { kind: 'open' }
  | {
      kind: 'signed-in';
      session: SmartSession;
      /** Where to show the app: the path (and query) the person was on. */ path: string;
    }
  | { kind: 'redirect'; url: string }
  | {
      kind: 'sign-in';
      problem?: string;
      signedOut?: boolean;
      /** The authorization URL to go to when the person chooses to sign in. */ signIn: () => Promise<string>;
    };

export interface StartAuthOptions {
  fhirBaseUrl: string;
  /** The app's root URL (ends in a slash). */
  appBase: string;
  /** The page's URL at start. */
  location: URL;
  /** The page's URL now: where to come back to when sign-in is asked for again later. */
  here: () => URL;
  storage: KeyValueStorage;
  fetch: typeof fetch;
  now: () => number;
  /** Goes to a URL (a full page load): used to sign in again when renewal fails. */
  navigate: (url: string) => void;
  /** Where the server's SMART discovery is kept for the tab's life (sessionStorage); none, it is asked each time. */
  discoveryCache?: TabCache;
}

function appPath(location: URL, appBase: URL): string {
  const path = location.pathname.startsWith(appBase.pathname)
    ? `/${location.pathname.slice(appBase.pathname.length)}`
    : '/';
  return `${path}${location.search}`;
}

function sameBase(a: string, b: string): boolean {
  return a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}

export async function startAuth(options: StartAuthOptions): Promise<AuthStart> {
  const appBase = new URL(options.appBase);
  const fhirBase = fhirBaseUrl(options.fhirBaseUrl, appBase.href);
  const redirectUri = new URL(CALLBACK_PATH, appBase).href;
  const params = options.location.searchParams;
  const onCallback = options.location.pathname === new URL(redirectUri).pathname;
  const launch = !onCallback ? params.get('launch') : null;
  const iss = !onCallback ? params.get('iss') : null;

  if (iss !== null && !sameBase(iss, fhirBase.href)) {
    const problem = `This app was launched for the FHIR server ${iss}, but it is set up for ${fhirBase.href}, so it did not sign in there.`;
    return { kind: 'sign-in', problem, signIn: async () => appBase.href };
  }

  let endpoints: SmartEndpoints;
  try {
    const discovery = await discoverSmart(fhirBase, options.fetch, options.discoveryCache);
    if (discovery.kind === 'open') return { kind: 'open' };
    endpoints = discovery.endpoints;
  } catch (error) {
    if (!(error instanceof DiscoveryFailed)) throw error;
    return { kind: 'sign-in', problem: error.message, signIn: async () => options.location.href };
  }

  const ask = (returnTo: string, extra: { launch?: string; silent?: boolean } = {}) =>
    authorizeUrl(
      { endpoints, fhirBase: fhirBase.href.replace(/\/$/, ''), redirectUri, returnTo, ...extra },
      options.storage,
    );
  const signInLater = (problem?: string, signedOut?: boolean) => ({
    kind: 'sign-in' as const,
    problem,
    signedOut,
    signIn: () => ask('/'),
  });

  if (onCallback) {
    const answer = readSignInAnswer(options.location, options.storage);
    if (answer.kind === 'refused') return signInLater(answer.loginRequired ? undefined : answer.message);
    if (answer.kind === 'code') {
      try {
        const tokens = await exchangeCode(
          {
            tokenEndpoint: answer.pending.tokenEndpoint,
            code: answer.code,
            redirectUri: answer.pending.redirectUri,
            verifier: answer.pending.verifier,
          },
          options.fetch,
          options.now,
        );
        const session = new SmartSession({
          endpoints,
          tokens,
          fetch: options.fetch,
          now: options.now,
          signInAgain: () => void ask(appPath(options.here(), appBase)).then(options.navigate),
        });
        return { kind: 'signed-in', session, path: answer.pending.returnTo };
      } catch (error) {
        if (!(error instanceof TokenRequestFailed)) throw error;
        return signInLater(`Signing in did not work: ${error.message}`);
      }
    }
  }

  if (launch) return { kind: 'redirect', url: await ask('/', { launch }) };
  if (options.location.pathname === new URL(SIGNED_OUT_PATH, appBase).pathname) return signInLater(undefined, true);
  if (onCallback) return signInLater();
  return { kind: 'redirect', url: await ask(appPath(options.location, appBase), { silent: true }) };
}
