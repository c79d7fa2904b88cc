/** Server settings from the environment, checked once at start-up with messages that say what to fix. */
import { DEFAULT_CLINIC_TIME_ZONE } from '../src/lib/clinicTime';

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

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT must be a port number (0-65535), not "${env.PORT}".`);
  const timeZone = env.CLINIC_TIME_ZONE ?? DEFAULT_CLINIC_TIME_ZONE;
  if (!isTimeZone(timeZone)) throw new ConfigError(`CLINIC_TIME_ZONE must be an IANA time zone such as Pacific/Auckland, not "${timeZone}".`);
  return {
    host: env.HOST ?? '127.0.0.1',
    port,
    dataDir: env.DATA_DIR ?? './data',
    databaseUrl: env.DATABASE_URL || undefined,
    timeZone,
    facilityId: env.FACILITY_ID || null,
    appFhirBaseUrl: env.APP_FHIR_BASE_URL ?? '/fhir',
    publicBaseUrl: env.PUBLIC_BASE_URL?.replace(/\/+$/, '') || undefined,
  };
}
