/**
 * Slows down guessing at the sign-in form without letting anyone lock the right person out.
 *
 * Failures are counted in the database (so a restart forgets nothing and several servers share
 * the count) under three kinds of key:
 * - the client address: spraying many usernames or NHIs from one place is slowed down;
 * - the account (a staff username or a patient's NHI): guessing one account from many places is
 *   slowed down, but only briefly (at most a minute), so anyone can cost the real user a minute at
 *   worst, never lock them out;
 * - the account on a known device: a browser where this account signed in before carries a device
 *   cookie, and there only its own failures count: the real receptionist at their usual computer
 *   signs in whatever an attacker does elsewhere (or behind the same address).
 * Past the free failures each further one doubles the wait before the next attempt; a wait is a
 * 429 with Retry-After, and the password is not even checked. 24 hours without a failure forget a key.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AuthStore } from './authStore';
import { opaqueToken, tokenDigest } from './secrets';
import { authCookie } from './session';

export const DEVICE_COOKIE = 'nz_appointments_device';
const DEVICE_SECONDS = 365 * 24 * 60 * 60;
const FORGET_AFTER_MS = 24 * 60 * 60_000;

interface Policy {
  /** Failures allowed before any wait. */
  free: number;
  /** The longest wait, in seconds. */
  maxWaitSeconds: number;
}

export const THROTTLE_POLICIES = {
  address: { free: 20, maxWaitSeconds: 15 * 60 },
  account: { free: 5, maxWaitSeconds: 60 },
  device: { free: 5, maxWaitSeconds: 60 },
} satisfies Record<string, Policy>;

type KeyKind = keyof typeof THROTTLE_POLICIES;

/** Seconds to wait after `failures` failures: none up to the free ones, then 1, 2, 4... up to the cap. */
export function waitSeconds(policy: Policy, failures: number): number {
  if (failures < policy.free) return 0;
  return Math.min(policy.maxWaitSeconds, 2 ** Math.min(failures - policy.free, 30));
}

/** What one sign-in attempt is counted under. */
export interface Attempt {
  keys: Array<{ key: string; kind: KeyKind }>;
  account: string;
  deviceToken: string | undefined;
}

export class SignInThrottle {
  constructor(
    private readonly store: AuthStore,
    private readonly now: () => Date,
  ) {}

  private deviceDigest(token: string, account: string): string {
    return tokenDigest(`${token} ${account}`);
  }

  /** The keys this attempt counts under: the device's own, if this browser is known for the account; else the address's and the account's. */
  async attempt(request: FastifyRequest, account: string): Promise<Attempt> {
    const token = request.cookies[DEVICE_COOKIE];
    const deviceToken = token && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : undefined;
    if (deviceToken) {
      const digest = this.deviceDigest(deviceToken, account);
      const known = await this.store.peekGrant('device', digest);
      if (known && known.expiresAt > this.now())
        return { keys: [{ key: `device:${digest}`, kind: 'device' }], account, deviceToken };
    }
    return {
      keys: [
        { key: `address:${request.ip}`, kind: 'address' },
        { key: `account:${account}`, kind: 'account' },
      ],
      account,
      deviceToken,
    };
  }

  /** Whole seconds until this attempt may be made, or 0 when it may be made now. */
  async waitFor(attempt: Attempt): Promise<number> {
    const now = this.now();
    const counted = await this.store.failures(
      attempt.keys.map((found) => found.key),
      new Date(now.getTime() - FORGET_AFTER_MS),
    );
    let wait = 0;
    for (const { key, kind } of attempt.keys) {
      const found = counted.get(key);
      if (!found) continue;
      const until = found.lastFailureAt.getTime() + waitSeconds(THROTTLE_POLICIES[kind], found.failures) * 1000;
      wait = Math.max(wait, Math.ceil((until - now.getTime()) / 1000));
    }
    return wait;
  }

  async failed(attempt: Attempt): Promise<void> {
    const now = this.now();
    await this.store.countFailure(
      attempt.keys.map((found) => found.key),
      now,
      new Date(now.getTime() - FORGET_AFTER_MS),
    );
  }

  /**
   * The account's failures are forgotten (not the address's: one account of one's own must not wipe
   * the count of guesses at others), and this browser becomes a known device for the account.
   */
  async succeeded(attempt: Attempt, reply: FastifyReply, secure: boolean): Promise<void> {
    const now = this.now();
    await this.store.forgetFailures(attempt.keys.filter((found) => found.kind !== 'address').map((found) => found.key));
    const token = attempt.deviceToken ?? opaqueToken();
    const digest = this.deviceDigest(token, attempt.account);
    if (!(await this.store.peekGrant('device', digest))) {
      await this.store.putGrant('device', digest, {}, new Date(now.getTime() + DEVICE_SECONDS * 1000), now);
    }
    if (!attempt.deviceToken) {
      reply.setCookie(DEVICE_COOKIE, token, authCookie(DEVICE_SECONDS, secure));
    }
  }
}

export function waitInWords(seconds: number): string {
  if (seconds < 60) return `${seconds} second${seconds === 1 ? '' : 's'}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
