/**
 * The sign-in session: an opaque, HttpOnly cookie scoped to /auth, so a reload of the app signs it
 * straight back in (single sign-on) without scripts ever seeing it.
 */
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

function cookieValue(request: FastifyRequest, name: string): string | undefined {
  for (const part of String(request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

export async function currentSession(
  request: FastifyRequest,
  store: AuthStore,
  now: Date,
): Promise<Session | undefined> {
  const token = cookieValue(request, SESSION_COOKIE);
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
  const token = cookieValue(request, SESSION_COOKIE);
  if (token && /^[A-Za-z0-9_-]{20,100}$/.test(token)) await store.revokeSession(tokenDigest(token));
  reply.header('Set-Cookie', `${SESSION_COOKIE}=; Path=/auth; Max-Age=0; HttpOnly; SameSite=Lax`);
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
  reply.header(
    'Set-Cookie',
    `${SESSION_COOKIE}=${token}; Path=/auth; Max-Age=${seconds}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`,
  );
  return { user, until, digest };
}
