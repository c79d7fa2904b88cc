import { describe, expect, it } from 'vitest';
import { DEFAULT_PRACTICE_RULES } from '../../domain/practiceRules';
import { ConfigError, configFromEnv } from './config';

describe('the practice rules from the environment', () => {
  it("are domain.md's defaults unless set", () => {
    expect(configFromEnv({}).practiceRules).toEqual(DEFAULT_PRACTICE_RULES);
    expect(DEFAULT_PRACTICE_RULES).toEqual({ minNoticeMinutes: 60, horizonDays: 28, maxFutureBookings: 3, cancelCutoffMinutes: 120 });
  });

  it('reads each variable, and refuses what is not a whole number', () => {
    const env = { BOOKING_MIN_NOTICE_MINUTES: '30', BOOKING_HORIZON_DAYS: '14', PATIENT_MAX_FUTURE_BOOKINGS: '5', PATIENT_CANCEL_CUTOFF_MINUTES: '240' };
    expect(configFromEnv(env).practiceRules).toEqual({ minNoticeMinutes: 30, horizonDays: 14, maxFutureBookings: 5, cancelCutoffMinutes: 240 });
    expect(() => configFromEnv({ BOOKING_HORIZON_DAYS: 'a month' })).toThrow(ConfigError);
    expect(() => configFromEnv({ PATIENT_MAX_FUTURE_BOOKINGS: '-1' })).toThrow(/PATIENT_MAX_FUTURE_BOOKINGS/);
  });
});
