/**
 * The sign-in session: an opaque, HttpOnly cookie scoped to /auth, so a reload of the app signs it
 * straight back in (single sign-on) without scripts ever seeing it.
 */
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthStore } from './authStore';
import type { SignedInUser } from './grantedScopes';
import { opaqueToken, tokenDigest } from './secrets';

export const SESSION_COOKIE = 'nz_appointments_session';

export interface Session {
  user: SignedInUser;
  until: Date;
  /** The digest of the session's token: what its codes and refresh tokens are filed under. */
  digest: string;
}

/** How the sign-in's cookies are set: for /auth only, never to scripts, not sent by other sites' subrequests. */
export function authCookie(seconds: number, secure: boolean): CookieSerializeOptions {
  return { path: '/auth', maxAge: seconds, httpOnly: true, sameSite: 'lax', secure };
}

export async function currentSession(
  request: FastifyRequest,
  store: AuthStore,
  now: Date,
): Promise<Session | undefined> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
  const digest = tokenDigest(token);
  const found = await store.peekGrant<{ user: SignedInUser }>('session', digest);
  return found && found.expiresAt > now ? { user: found.data.user, until: found.expiresAt, digest } : undefined;
}

/**
 * Forgets the session (so the cookie is worthless even if kept) and every code and refresh token
 * issued under it (RFC 9700 4.14: sign-out ends what the sign-in gave), and tells the browser to drop it.
 */
export async function endSession(request: FastifyRequest, reply: FastifyReply, store: AuthStore): Promise<void> {
  const token = request.cookies[SESSION_COOKIE];
  if (token && /^[A-Za-z0-9_-]{20,100}$/.test(token)) await store.revokeSession(tokenDigest(token));
  reply.clearCookie(SESSION_COOKIE, authCookie(0, false));
}

export async function startSession(
  reply: FastifyReply,
  store: AuthStore,
  user: SignedInUser,
  now: Date,
  seconds: number,
  secure: boolean,
): Promise<Session> {
  const token = opaqueToken();
  const until = new Date(now.getTime() + seconds * 1000);
  const digest = tokenDigest(token);
  await store.putGrant('session', digest, { user }, until, now);
  reply.setCookie(SESSION_COOKIE, token, authCookie(seconds, secure));
  return { user, until, digest };
}
