import { describe, expect, it } from 'vitest';
import { DEFAULT_PRACTICE_RULES } from '../../domain/practiceRules';
import { ConfigError, configFromEnv } from './config';

describe('the practice rules from the environment', () => {
  it("are domain.md's defaults unless set", () => {
    expect(configFromEnv({}).practiceRules).toEqual(DEFAULT_PRACTICE_RULES);
    expect(DEFAULT_PRACTICE_RULES).toEqual({
      minNoticeMinutes: 60,
      horizonDays: 28,
      maxFutureBookings: 3,
      cancelCutoffMinutes: 120,
    });
  });

  it('reads each variable, and refuses what is not a whole number', () => {
    const env = {
      BOOKING_MIN_NOTICE_MINUTES: '30',
      BOOKING_HORIZON_DAYS: '14',
      PATIENT_MAX_FUTURE_BOOKINGS: '5',
      PATIENT_CANCEL_CUTOFF_MINUTES: '240',
    };
    expect(configFromEnv(env).practiceRules).toEqual({
      minNoticeMinutes: 30,
      horizonDays: 14,
      maxFutureBookings: 5,
      cancelCutoffMinutes: 240,
    });
    expect(() => configFromEnv({ BOOKING_HORIZON_DAYS: 'a month' })).toThrow(ConfigError);
    expect(() => configFromEnv({ PATIENT_MAX_FUTURE_BOOKINGS: '-1' })).toThrow(/PATIENT_MAX_FUTURE_BOOKINGS/);
  });
});

describe('email from the environment', () => {
  it('sends nothing without SMTP_URL, reminds 24 hours ahead and leases for 60 s by default', () => {
    expect(configFromEnv({}).mail).toEqual({ reminderHoursBefore: 24, leaseMs: 60_000 });
  });

  it('reads SMTP_URL, MAIL_FROM (named or bare), REMINDER_HOURS_BEFORE and MAIL_LEASE_SECONDS', () => {
    const env = {
      SMTP_URL: 'smtp://user:p%40ss@mail.example.org:587',
      MAIL_FROM: 'Ponsonby Family Health <appointments@clinic.example.nz>',
      REMINDER_HOURS_BEFORE: '48',
      MAIL_LEASE_SECONDS: '120',
    };
    expect(configFromEnv(env).mail).toEqual({
      smtpUrl: env.SMTP_URL,
      from: { name: 'Ponsonby Family Health', address: 'appointments@clinic.example.nz' },
      reminderHoursBefore: 48,
      leaseMs: 120_000,
    });
    expect(configFromEnv({ MAIL_FROM: 'appointments@clinic.example.nz' }).mail.from).toEqual({
      address: 'appointments@clinic.example.nz',
    });
    expect(configFromEnv({ REMINDER_HOURS_BEFORE: '0' }).mail.reminderHoursBefore).toBe(0);
  });

  it('says what to fix', () => {
    expect(() => configFromEnv({ SMTP_URL: 'mail.example.org' })).toThrow(
      /SMTP_URL must be a mail server URL such as smtp:\/\//,
    );
    expect(() => configFromEnv({ SMTP_URL: 'http://mail.example.org' })).toThrow(ConfigError);
    expect(() => configFromEnv({ SMTP_URL: 'smtp://mail.example.org' })).toThrow(/Set MAIL_FROM/);
    expect(() => configFromEnv({ MAIL_FROM: 'the clinic' })).toThrow(/MAIL_FROM must be an address/);
    expect(() => configFromEnv({ REMINDER_HOURS_BEFORE: 'a day' })).toThrow(
      /REMINDER_HOURS_BEFORE must be a whole number/,
    );
    expect(() => configFromEnv({ MAIL_LEASE_SECONDS: '1' })).toThrow(/MAIL_LEASE_SECONDS must be at least 2/);
  });
});

describe('the reverse proxies from the environment', () => {
  it('believes forwarded addresses only from the proxies TRUST_PROXY names', () => {
    expect(configFromEnv({}).trustedProxies).toEqual([]);
    expect(configFromEnv({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1' }).trustedProxies).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
    ]);
    expect(() => configFromEnv({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY must be comma-separated/);
  });
});
