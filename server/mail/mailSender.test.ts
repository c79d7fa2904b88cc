import { describe, expect, it } from 'vitest';
import { isPermanentRefusal, MAX_RETRY_DELAY_MS, retryDelayMs } from './mailSender';

describe('retryDelayMs', () => {
  it('doubles from a second after each failed attempt and never waits more than 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 50, 10_000].map((attempts) => retryDelayMs(attempts))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000, 30_000,
    ]);
    expect(MAX_RETRY_DELAY_MS).toBe(30_000);
  });
});

describe('isPermanentRefusal', () => {
  it('gives up on an SMTP 5xx, and retries a 4xx or a connection failure', () => {
    expect(isPermanentRefusal({ responseCode: 550 })).toBe(true);
    expect(isPermanentRefusal({ responseCode: 451 })).toBe(false);
    expect(isPermanentRefusal(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }))).toBe(false);
  });
});
