/** Server settings from the environment, checked once at start-up with messages that say what to fix. */
import { DEFAULT_CLINIC_TIME_ZONE } from '../../domain/clinicTime';
import { DEFAULT_PRACTICE_RULES, type PracticeRules } from '../../domain/practiceRules';
import type { SmartClient } from '../auth/clients';
import { DEFAULT_DEMO_STAFF_PASSWORD } from '../auth/demoAccounts';
import { ClientsFileError, readSmartClientsFile } from '../auth/registeredClients';
import { DEFAULT_REMINDER_HOURS_BEFORE } from '../mail/messageSettings';
import type { MailFrom } from '../mail/mailSender';
import { DEFAULT_LEASE_MS } from '../mail/messageSettings';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl?: string;
  timeZone: string;
  facilityId: string | null;
  /** The FHIR base URL the browser app uses; the embedded server's own `/fhir` by default. */
  appFhirBaseUrl: string;
  publicBaseUrl?: string;
  /** The confidential client for client_credentials (STAFF_CLIENT_ID/STAFF_CLIENT_SECRET); null: that grant is off. */
  staffClient: { id: string; secret: string } | null;
  /** Other origins the browser app may be served from and signed in to (SMART_REDIRECT_ORIGINS). */
  smartRedirectOrigins: string[];
  /** Exact redirect URIs for other SMART apps' builds of the browser app (SMART_REDIRECT_URIS). */
  smartRedirectUris: string[];
  /** Other SMART apps that may sign people in (SMART_CLIENTS_FILE: a JSON array of RFC 7591 client metadata). */
  smartClients: SmartClient[];
  /** Origins whose pages may call the API from a browser (CORS_ORIGINS); none: CORS stays off. */
  corsOrigins: string[];
  /** The demo receptionist's password when the demo accounts are created. */
  demoStaffPassword: string;
  /** What patients may book and change themselves (BOOKING_MIN_NOTICE_MINUTES and the rest). */
  practiceRules: PracticeRules;
  /** Email confirmations and reminders (SMTP_URL, MAIL_FROM, REMINDER_HOURS_BEFORE, MAIL_LEASE_SECONDS). */
  mail: MailConfig;
  /**
   * The reverse proxies in front (TRUST_PROXY: addresses or CIDR ranges): only their X-Forwarded-For
   * and X-Forwarded-Proto are believed, so the sign-in throttle counts the client, not the proxy.
   */
  trustedProxies: string[];
}

export interface MailConfig {
  /** Unset: messages are queued in the outbox and not sent (the demo). */
  smtpUrl?: string;
  from?: MailFrom;
  reminderHoursBefore: number;
  /** How long a sender's claim on a message holds before another sender may take it over. */
  leaseMs: number;
}

export class ConfigError extends Error {}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-NZ', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function staffClient(env: NodeJS.ProcessEnv): ServerConfig['staffClient'] {
  const id = env.STAFF_CLIENT_ID || undefined;
  const secret = env.STAFF_CLIENT_SECRET || undefined;
  if (id === undefined && secret === undefined) return null;
  if (id === undefined || secret === undefined)
    throw new ConfigError(
      'Set both STAFF_CLIENT_ID and STAFF_CLIENT_SECRET to turn on client_credentials, or neither.',
    );
  if (secret.length < 16)
    throw new ConfigError(
      'STAFF_CLIENT_SECRET must be at least 16 characters; use a random one (for example: openssl rand -base64 24).',
    );
  return { id, secret };
}

function origins(variable: string, value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((origin) => {
      let parsed: URL | undefined;
      try {
        parsed = new URL(origin);
      } catch {
        parsed = undefined;
      }
      if (!parsed || !/^https?:$/.test(parsed.protocol) || parsed.origin !== origin.replace(/\/+$/, '')) {
        throw new ConfigError(
          `${variable} must be comma-separated origins such as https://app.example.org, not "${origin}".`,
        );
      }
      return parsed.origin;
    });
}

/** Exact http(s) URIs without a fragment, kept exactly as written: they are compared as strings. */
function redirectUris(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((uri) => {
      let parsed: URL | undefined;
      try {
        parsed = new URL(uri);
      } catch {
        parsed = undefined;
      }
      if (!parsed || !/^https?:$/.test(parsed.protocol) || uri.includes('#') || parsed.username || parsed.password) {
        throw new ConfigError(
          `SMART_REDIRECT_URIS must be comma-separated absolute http(s) URLs without a fragment, such as https://app.example.org/signed-in, not "${uri}".`,
        );
      }
      return uri;
    });
}

function smartClients(env: NodeJS.ProcessEnv): SmartClient[] {
  const path = env.SMART_CLIENTS_FILE?.trim();
  if (!path) return [];
  try {
    return readSmartClientsFile(path, env.STAFF_CLIENT_ID ? [env.STAFF_CLIENT_ID] : []);
  } catch (error) {
    if (error instanceof ClientsFileError) throw new ConfigError(error.message);
    throw error;
  }
}

/** An IPv4 or IPv6 address, optionally with a /prefix: what Fastify's trustProxy takes. */
const ADDRESS_OR_RANGE = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)(?:\/\d{1,3})?$/;

function trustedProxies(value: string | undefined): string[] {
  const list = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const wrong = list.find((entry) => !ADDRESS_OR_RANGE.test(entry));
  if (wrong !== undefined)
    throw new ConfigError(
      `TRUST_PROXY must be comma-separated proxy addresses or CIDR ranges, such as 127.0.0.1,10.0.0.0/8, not "${wrong}".`,
    );
  return list;
}

/** A whole number of minutes, days or bookings from the environment, or its default. */
function count(env: NodeJS.ProcessEnv, variable: string, fallback: number, max: number): number {
  const value = env[variable];
  if (value === undefined || value === '') return fallback;
  if (!/^\d{1,6}$/.test(value.trim()) || Number(value) > max)
    throw new ConfigError(`${variable} must be a whole number from 0 to ${max}, not "${value}".`);
  return Number(value);
}

function practiceRules(env: NodeJS.ProcessEnv): PracticeRules {
  return {
    minNoticeMinutes: count(env, 'BOOKING_MIN_NOTICE_MINUTES', DEFAULT_PRACTICE_RULES.minNoticeMinutes, 7 * 24 * 60),
    horizonDays: count(env, 'BOOKING_HORIZON_DAYS', DEFAULT_PRACTICE_RULES.horizonDays, 730),
    maxFutureBookings: count(env, 'PATIENT_MAX_FUTURE_BOOKINGS', DEFAULT_PRACTICE_RULES.maxFutureBookings, 1000),
    cancelCutoffMinutes: count(
      env,
      'PATIENT_CANCEL_CUTOFF_MINUTES',
      DEFAULT_PRACTICE_RULES.cancelCutoffMinutes,
      7 * 24 * 60,
    ),
  };
}

const BARE_ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+\.[^\s@<>",;]+$/;

/** `Clinic name <address@domain>` or a bare address. */
export function parseMailFrom(value: string): MailFrom | undefined {
  const trimmed = value.trim();
  if (BARE_ADDRESS.test(trimmed)) return { address: trimmed };
  const named = /^"?([^"<>]*?)"?\s*<([^<>]+)>$/.exec(trimmed);
  if (!named || !BARE_ADDRESS.test(named[2])) return undefined;
  return named[1].trim() ? { name: named[1].trim(), address: named[2] } : { address: named[2] };
}

function mailConfig(env: NodeJS.ProcessEnv): MailConfig {
  const smtpUrl = env.SMTP_URL?.trim() || undefined;
  if (smtpUrl !== undefined) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(smtpUrl);
    } catch {
      parsed = undefined;
    }
    if (!parsed || !/^smtps?:$/.test(parsed.protocol) || !parsed.hostname) {
      throw new ConfigError(
        'SMTP_URL must be a mail server URL such as smtp://user:password@mail.example.org:587 or smtps://mail.example.org:465 (the password percent-encoded).',
      );
    }
  }
  const fromValue = env.MAIL_FROM?.trim() || undefined;
  const from = fromValue === undefined ? undefined : parseMailFrom(fromValue);
  if (fromValue !== undefined && !from)
    throw new ConfigError(
      `MAIL_FROM must be an address such as "Ponsonby Family Health <appointments@clinic.example.nz>", not "${fromValue}".`,
    );
  if (smtpUrl !== undefined && !from)
    throw new ConfigError(
      'Set MAIL_FROM (such as "Ponsonby Family Health <appointments@clinic.example.nz>") with SMTP_URL: the address emails to patients come from.',
    );
  const leaseSeconds = count(env, 'MAIL_LEASE_SECONDS', DEFAULT_LEASE_MS / 1000, 3600);
  if (leaseSeconds < 2)
    throw new ConfigError(`MAIL_LEASE_SECONDS must be at least 2, not "${env.MAIL_LEASE_SECONDS}".`);
  return {
    ...(smtpUrl ? { smtpUrl } : {}),
    ...(from ? { from } : {}),
    reminderHoursBefore: count(env, 'REMINDER_HOURS_BEFORE', DEFAULT_REMINDER_HOURS_BEFORE, 24 * 14),
    leaseMs: leaseSeconds * 1000,
  };
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(`PORT must be a port number (0-65535), not "${env.PORT}".`);
  const timeZone = env.CLINIC_TIME_ZONE ?? DEFAULT_CLINIC_TIME_ZONE;
  if (!isTimeZone(timeZone))
    throw new ConfigError(`CLINIC_TIME_ZONE must be an IANA time zone such as Pacific/Auckland, not "${timeZone}".`);
  const host = env.HOST || '127.0.0.1';
  const publicBaseUrl = env.PUBLIC_BASE_URL?.replace(/\/+$/, '') || undefined;
  if (publicBaseUrl === undefined && !/^(?:localhost|127(?:\.\d{1,3}){3}|::1)$/i.test(host)) {
    // Off loopback, the Host header is anyone's to choose: the server's origin must be pinned.
    throw new ConfigError(
      `PUBLIC_BASE_URL is required when HOST is not loopback ("${host}"): set it to the FHIR base URL clients use, such as https://clinic.example.nz/fhir.`,
    );
  }
  if (publicBaseUrl !== undefined && !/^https?:\/\/[^/]+/i.test(publicBaseUrl))
    throw new ConfigError(`PUBLIC_BASE_URL must be an absolute http(s) URL, not "${publicBaseUrl}".`);
  return {
    // An empty HOST would make Node listen on every interface: only loopback unless a host is named.
    host,
    port,
    dataDir: env.DATA_DIR ?? './data',
    databaseUrl: env.DATABASE_URL || undefined,
    timeZone,
    facilityId: env.FACILITY_ID || null,
    appFhirBaseUrl: env.APP_FHIR_BASE_URL ?? '/fhir',
    publicBaseUrl,
    staffClient: staffClient(env),
    smartRedirectOrigins: origins('SMART_REDIRECT_ORIGINS', env.SMART_REDIRECT_ORIGINS),
    smartRedirectUris: redirectUris(env.SMART_REDIRECT_URIS),
    smartClients: smartClients(env),
    corsOrigins: origins('CORS_ORIGINS', env.CORS_ORIGINS),
    demoStaffPassword: env.DEMO_STAFF_PASSWORD || DEFAULT_DEMO_STAFF_PASSWORD,
    practiceRules: practiceRules(env),
    mail: mailConfig(env),
    trustedProxies: trustedProxies(env.TRUST_PROXY),
  };
}
