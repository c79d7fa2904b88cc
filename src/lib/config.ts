import { DEFAULT_CLINIC_TIME_ZONE } from '../../domain/clinicTime';

/** What one deployment of the app is told at start, so one build serves any clinic and FHIR server. */
export interface AppConfig {
  fhirBaseUrl: string;
  facilityId: string | null;
  timeZone: string;
  /**
   * How long before the start a patient may still cancel or reschedule online (the server's
   * PATIENT_CANCEL_CUTOFF_MINUTES); null when the deployment does not say, and then only the
   * server's refusal tells.
   */
  patientChangeCutoffMinutes: number | null;
}

export const DEFAULT_CONFIG: AppConfig = {
  fhirBaseUrl: '/fhir',
  facilityId: null,
  timeZone: DEFAULT_CLINIC_TIME_ZONE,
  patientChangeCutoffMinutes: null,
};

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-NZ', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** Accepts only well-formed values, falling back to the defaults field by field. */
export function parseConfig(raw: unknown): AppConfig {
  const value = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const text = (field: unknown) => (typeof field === 'string' && field.trim() !== '' ? field.trim() : undefined);
  const timeZone = text(value.timeZone);
  const cutoff = value.patientChangeCutoffMinutes;
  return {
    fhirBaseUrl: text(value.fhirBaseUrl) ?? DEFAULT_CONFIG.fhirBaseUrl,
    facilityId: text(value.facilityId) ?? null,
    timeZone: timeZone && isTimeZone(timeZone) ? timeZone : DEFAULT_CONFIG.timeZone,
    patientChangeCutoffMinutes:
      typeof cutoff === 'number' && Number.isInteger(cutoff) && cutoff >= 0
        ? cutoff
        : DEFAULT_CONFIG.patientChangeCutoffMinutes,
  };
}

/** What the app keeps for the rest of the tab's life: sessionStorage in the browser. */
export type TabCache = Pick<Storage, 'getItem' | 'setItem'>;

const CONFIG_CACHE_KEY = 'nz-appointments.config';

function cachedConfig(cache: TabCache | undefined): AppConfig | undefined {
  try {
    const stored = cache?.getItem(CONFIG_CACHE_KEY);
    return stored ? parseConfig(JSON.parse(stored)) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads config.json beside index.html; a missing or broken file means the defaults. With a cache the
 * file is read once per tab, not on each page load of the sign-in round trip; what failed to load is
 * not kept, so the next page load tries again.
 */
export async function loadConfig(documentUrl: string, cache?: TabCache): Promise<AppConfig> {
  const cached = cachedConfig(cache);
  if (cached) return cached;
  try {
    const response = await fetch(new URL('config.json', documentUrl), { headers: { Accept: 'application/json' } });
    if (!response.ok) return DEFAULT_CONFIG;
    const config = parseConfig(await response.json());
    try {
      cache?.setItem(CONFIG_CACHE_KEY, JSON.stringify(config));
    } catch {
      // A full or refused storage costs one more request next page load, nothing else.
    }
    return config;
  } catch {
    return DEFAULT_CONFIG;
  }
}
