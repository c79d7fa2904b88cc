/**
 * GET and POST /auth/authorize: the sign-in page, and what happens when its form is sent. A
 * signed-in session (cookie) skips the page; the answer is always a redirect to the app's checked
 * redirect_uri with a single-use code bound to the client, the redirect_uri and the PKCE challenge.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FhirStore } from '../storage/fhirStore';
import { checkAuthorizeRequest, redirectWith, single, type AuthorizeParams, type FormValues } from './authorizeRequest';
import type { AuthStore } from './authStore';
import { APP_CLIENT, APP_CLIENT_ID, APP_SIGNED_OUT_PATH, isAllowedRedirect, type ClientRegistry } from './clients';
import { narrowedScope, ScopeRefused, userScope, type SignedInUser } from './grantedScopes';
import { currentSession, endSession, startSession, type Session } from './session';
import { checkPatient, checkStaff, normalNhi, PATIENT_FAILURE, readTypedBirthDate, STAFF_FAILURE } from './signIn';
import { waitInWords, type SignInThrottle } from './signInThrottle';
import { confirmSignOutPage, signedOutPage, signInPage, signInProblemPage, type SignInAs } from './signInPage';
import type { TokenSigner } from './tokens';
import { opaqueToken, tokenDigest } from './secrets';
import type { CodeGrant } from './tokenIssuer';
import { serverUrls, type ServerUrls } from './urls';

const CODE_SECONDS = 60;
export const SIGN_IN_STYLESHEET = '/auth/sign-in.css';

export interface AuthorizeContext {
  auth: AuthStore;
  fhirStore: FhirStore;
  registry: ClientRegistry;
  throttle: SignInThrottle;
  signer: TokenSigner;
  now: () => Date;
  publicBaseUrl?: string;
  sessionSeconds: number;
}

/** The launch context a staff member's EHR launch created, if it is still valid. */
async function launchPatient(context: AuthorizeContext, launch: string | undefined): Promise<string | undefined> {
  if (!launch) return undefined;
  const found = await context.auth.peekGrant<{ patient: string }>('launch', tokenDigest(launch));
  return found && found.expiresAt > context.now() ? found.data.patient : undefined;
}

function page(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply.code(status).header('Cache-Control', 'no-store').type('text/html; charset=utf-8').send(body);
}

function redirect(reply: FastifyReply, location: string): FastifyReply {
  return reply.code(302).header('Cache-Control', 'no-store').header('Location', location).send();
}

function formAction(urls: ServerUrls): string {
  return `${new URL(urls.authBase).pathname}/authorize`;
}

/** Issues the code for a signed-in user and sends the browser back to the app with it. */
async function completeSignIn(
  context: AuthorizeContext,
  reply: FastifyReply,
  params: AuthorizeParams,
  session: Session,
): Promise<FastifyReply> {
  const { user } = session;
  // A launch opens a patient for staff; a patient's context is always themselves.
  const launched =
    user.kind === 'staff' && /(^|\s)launch(\s|$)/.test(params.scope)
      ? await launchPatient(context, params.launch)
      : undefined;
  let scope: string;
  try {
    // A registered client gets no more than its registration's scope, whoever signs in.
    const asked = params.client.scope === undefined ? params.scope : narrowedScope(params.scope, params.client.scope);
    scope = userScope(asked, user, launched);
  } catch (error) {
    if (!(error instanceof ScopeRefused)) throw error;
    return redirect(
      reply,
      redirectWith(params.redirectUri, {
        error: 'invalid_scope',
        error_description: error.message,
        state: params.state,
      }),
    );
  }
  const code = opaqueToken();
  const grant: CodeGrant = {
    clientId: params.client.id,
    redirectUri: params.redirectUri,
    codeChallenge: params.codeChallenge,
    user,
    scope,
    ...(launched ? { launchPatient: launched } : {}),
    signedInUntil: session.until.toISOString(),
  };
  const now = context.now();
  // A new token family: this code and every refresh token it leads to, revoked together on replay.
  await context.auth.putGrant('code', tokenDigest(code), grant, new Date(now.getTime() + CODE_SECONDS * 1000), now, {
    family: opaqueToken(),
    session: session.digest,
  });
  return redirect(reply, redirectWith(params.redirectUri, { code, state: params.state }));
}

async function checked(
  context: AuthorizeContext,
  reply: FastifyReply,
  values: FormValues,
  urls: ServerUrls,
): Promise<AuthorizeParams | undefined> {
  const check = checkAuthorizeRequest(values, context.registry, urls.origin, urls.fhirBase);
  if (check.ok) {
    if (check.params.launch === undefined || (await launchPatient(context, check.params.launch)) !== undefined)
      return check.params;
    redirect(
      reply,
      redirectWith(check.params.redirectUri, {
        error: 'invalid_request',
        error_description: 'The launch has expired or is unknown: launch the app again.',
        state: check.params.state,
      }),
    );
    return undefined;
  }
  if ('page' in check) page(reply, 400, signInProblemPage(check.page, SIGN_IN_STYLESHEET));
  else
    redirect(
      reply,
      redirectWith(check.redirectUri, {
        error: check.error,
        error_description: check.description,
        state: check.state,
      }),
    );
  return undefined;
}

export async function showSignIn(
  context: AuthorizeContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const urls = serverUrls(request, context.publicBaseUrl);
  const values = request.query as FormValues;
  const params = await checked(context, reply, values, urls);
  if (!params) return reply;
  if (params.prompt !== 'login') {
    const session = await currentSession(request, context.auth, context.now());
    if (session) return completeSignIn(context, reply, params, session);
  }
  if (params.prompt === 'none') {
    return redirect(
      reply,
      redirectWith(params.redirectUri, {
        error: 'login_required',
        error_description: 'Nobody is signed in.',
        state: params.state,
      }),
    );
  }
  return page(
    reply,
    200,
    signInPage({
      request: values,
      formAction: formAction(urls),
      stylesheet: SIGN_IN_STYLESHEET,
      clientName: params.client.name,
    }),
  );
}

function text(values: FormValues, name: string): string {
  const value = single(values, name);
  return typeof value === 'string' ? value.slice(0, 200) : '';
}

export async function submitSignIn(
  context: AuthorizeContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const urls = serverUrls(request, context.publicBaseUrl);
  const values = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as FormValues;
  // Only this server's own page posts here (login CSRF); browsers always send Origin on a POST.
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== urls.origin) {
    return page(
      reply,
      403,
      signInProblemPage('This sign-in form was sent from another site, so it has been stopped.', SIGN_IN_STYLESHEET),
    );
  }
  const params = await checked(context, reply, values, urls);
  if (!params) return reply;
  const as: SignInAs = text(values, 'sign_in_as') === 'patient' ? 'patient' : 'staff';
  const typed =
    as === 'staff'
      ? { username: text(values, 'username').trim() }
      : { nhi: normalNhi(text(values, 'nhi')), birthDate: text(values, 'birth_date').trim() };
  const account = as === 'staff' ? `staff:${typed.username?.toLowerCase()}` : `patient:${typed.nhi}`;
  const refuse = (status: number, message: string, field?: string) =>
    page(
      reply,
      status,
      signInPage({
        request: values,
        formAction: formAction(urls),
        stylesheet: SIGN_IN_STYLESHEET,
        clientName: params.client.name,
        failure: { as, message, field },
        // A mistake at one field tried nothing, so nothing typed is lost, the portal code included.
        typed: field ? { ...typed, portalCode: text(values, 'portal_code') } : typed,
      }),
    );
  const birthDate = as === 'patient' ? readTypedBirthDate(text(values, 'birth_date'), context.now()) : undefined;
  if (birthDate && 'problem' in birthDate) return refuse(400, birthDate.problem, 'birth-date');

  const attempt = await context.throttle.attempt(request, account);
  const wait = await context.throttle.waitFor(attempt);
  if (wait > 0) {
    reply.header('Retry-After', String(wait));
    return refuse(
      429,
      `Too many failed attempts to sign in. Wait ${waitInWords(wait)} and try again, or ask the clinic for help.`,
    );
  }
  const user: SignedInUser | undefined =
    as === 'staff'
      ? await checkStaff(context.auth, text(values, 'username'), text(values, 'password'))
      : await checkPatient(
          context.auth,
          context.fhirStore,
          text(values, 'nhi'),
          birthDate?.birthDate ?? '',
          text(values, 'portal_code'),
        );
  if (!user) {
    await context.throttle.failed(attempt);
    return refuse(401, as === 'staff' ? STAFF_FAILURE : PATIENT_FAILURE);
  }
  await context.throttle.succeeded(attempt, reply, urls.origin.startsWith('https:'));
  const session = await startSession(
    reply,
    context.auth,
    user,
    context.now(),
    context.sessionSeconds,
    urls.origin.startsWith('https:'),
  );
  return completeSignIn(context, reply, params, session);
}

/** Who a session's user is as an id token's subject (as TokenIssuer writes it). */
function subjectOf(session: Session): string {
  return session.user.kind === 'patient' ? `patient:${session.user.patientId}` : `staff:${session.user.username}`;
}

async function endAndReturn(
  context: AuthorizeContext,
  request: FastifyRequest,
  reply: FastifyReply,
  back: string | null | undefined,
  urls: ServerUrls,
): Promise<FastifyReply> {
  await endSession(request, reply, context.auth);
  if (
    typeof back === 'string' &&
    isAllowedRedirect(context.registry, APP_CLIENT, back, urls.origin, APP_SIGNED_OUT_PATH)
  )
    return redirect(reply, back);
  return page(reply, 200, signedOutPage(SIGN_IN_STYLESHEET));
}

/**
 * GET /auth/sign-out[?id_token_hint=&post_logout_redirect_uri=] (OpenID RP-initiated logout): ends the
 * sign-in session and every token issued under it, so the next person on a shared computer is asked
 * to sign in, then returns to the app (at a registered address). Only the app's own request, with
 * an id token of the signed-in user as the hint, signs out at once; any other link asks first.
 */
export async function signOut(
  context: AuthorizeContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const urls = serverUrls(request, context.publicBaseUrl);
  const values = request.query as FormValues;
  const back = single(values, 'post_logout_redirect_uri');
  const hint = single(values, 'id_token_hint');
  const session = await currentSession(request, context.auth, context.now());
  const hinted =
    typeof hint === 'string' ? await context.signer.idTokenSubject(hint, urls.authBase, APP_CLIENT_ID) : undefined;
  if (!session || (hinted !== undefined && hinted === subjectOf(session)))
    return endAndReturn(context, request, reply, back, urls);
  return page(
    reply,
    200,
    confirmSignOutPage(
      `${new URL(urls.authBase).pathname}/sign-out`,
      typeof back === 'string' ? back : undefined,
      SIGN_IN_STYLESHEET,
    ),
  );
}

/** POST /auth/sign-out: the confirmation page's form, accepted from this origin's pages only. */
export async function confirmSignOut(
  context: AuthorizeContext,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const urls = serverUrls(request, context.publicBaseUrl);
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== urls.origin) {
    return page(
      reply,
      403,
      signInProblemPage('This sign-out was sent from another site, so it has been stopped.', SIGN_IN_STYLESHEET),
    );
  }
  const values = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as FormValues;
  return endAndReturn(context, request, reply, single(values, 'post_logout_redirect_uri'), urls);
}
