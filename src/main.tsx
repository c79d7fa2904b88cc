import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { hrefFor, PATHS } from './app/urlState';
import { SignInScreen } from './features/auth/components/SignInScreen';
import { SIGNED_OUT_PATH, startAuth } from './features/auth/api/startAuth';
import type { SmartSession } from './features/auth/api/smartSession';
import type { SignInState } from './features/auth/hooks/useSignIn';
import { loadConfig } from './lib/config';
import './styles/base.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/diary.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element.');
const container = root;

// The app's root, not the page: relative addresses (config.json, the FHIR base, the sign-in
// callback) must mean the same on /my/book as on /.
const appBase = new URL(import.meta.env.BASE_URL, window.location.href).href;
const navigate = (url: string) => window.location.assign(url);

/** An EHR launch lands on its patient; everyone else where they were. */
function landingPath(session: SmartSession, path: string): string {
  return session.role.kind === 'staff' && session.role.launchedPatient && path === PATHS.find
    ? hrefFor(PATHS.book, { patient: session.role.launchedPatient })
    : path;
}

async function start(): Promise<void> {
  // Config and SMART discovery once per tab: the sign-in round trip loads the page three times.
  const config = await loadConfig(appBase, window.sessionStorage);
  const auth = await startAuth({
    fhirBaseUrl: config.fhirBaseUrl,
    appBase,
    location: new URL(window.location.href),
    here: () => new URL(window.location.href),
    storage: window.sessionStorage,
    discoveryCache: window.sessionStorage,
    fetch: window.fetch.bind(window),
    now: Date.now,
    navigate: (url) => window.location.replace(url),
  });
  if (auth.kind === 'redirect') {
    // Replaced, not pushed: Back must not return to a page that only redirects again.
    window.location.replace(auth.url);
    return;
  }
  const render = (element: ReactNode) => createRoot(container).render(<StrictMode>{element}</StrictMode>);
  if (auth.kind === 'sign-in') {
    render(<SignInScreen problem={auth.problem} signedOut={auth.signedOut} signIn={auth.signIn} navigate={navigate} />);
    return;
  }
  if (auth.kind === 'open') {
    render(<App config={config} documentUrl={appBase} />);
    return;
  }
  const { session } = auth;
  // No code or state left in the address bar or in history.
  window.history.replaceState(null, '', new URL(landingPath(session, auth.path).replace(/^\//, ''), appBase));
  const signIn: SignInState = {
    kind: 'signed-in',
    role: session.role,
    name: session.name,
    signOut: () => navigate(session.signOut(new URL(SIGNED_OUT_PATH, appBase).href)),
  };
  render(<App config={config} documentUrl={appBase} signIn={signIn} authorization={session} />);
}

void start();
