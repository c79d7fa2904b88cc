/**
 * Demo sign-ins: a receptionist account and a portal code for each demo patient. The codes are
 * derived from the seed, so the README and tests can name Aroha Ngata's; the hashes are what is stored.
 */
import { createHmac } from 'node:crypto';
import type { Patient } from 'fhir/r4';
import { DEFAULT_SEED } from '../seed/demoData';
import type { FhirStore } from '../storage/fhirStore';
import type { AuthStore } from './authStore';
import { normalPortalCode } from './signIn';
import { hashSecret } from './secrets';

export const DEMO_STAFF_USERNAME = 'reception';
/** Demo only: a real clinic sets DEMO_STAFF_PASSWORD or replaces the account. */
export const DEFAULT_DEMO_STAFF_PASSWORD = 'kia-ora-2026';
/** Hashing is slow on purpose; a benchmark-sized seed gets codes for its first patients only. */
export const MAX_DEMO_PORTAL_CODES = 200;

/** Letters and digits that cannot be mistaken for each other (no I, O, 0, 1). */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

export function demoPortalCode(patientId: string, seed: number = DEFAULT_SEED): string {
  const bytes = createHmac('sha256', `nz-appointments demo portal code ${seed}`).update(patientId).digest();
  const letters = [...bytes.subarray(0, 8)].map((byte) => CODE_ALPHABET[byte % CODE_ALPHABET.length]).join('');
  return `${letters.slice(0, 4)}-${letters.slice(4)}`;
}

export interface DemoAccountsReport {
  staffCreated: boolean;
  portalCodesCreated: number;
}

/** Creates the receptionist when there is no staff account, and portal codes when no patient has one. */
export async function ensureDemoAccounts(
  auth: AuthStore,
  store: FhirStore,
  options: { staffPassword: string; seed?: number },
): Promise<DemoAccountsReport> {
  const staffCreated = (await auth.countAccounts()) === 0;
  if (staffCreated) {
    await auth.saveAccount({
      username: DEMO_STAFF_USERNAME,
      displayName: 'Reception (demo)',
      passwordHash: await hashSecret(options.staffPassword),
    });
  }
  if ((await auth.countPortalCodes()) > 0) return { staffCreated, portalCodesCreated: 0 };
  const patients = (
    await store.search({
      resourceType: 'Patient',
      criteria: [],
      count: MAX_DEMO_PORTAL_CODES,
      offset: 0,
      descending: false,
      include: [],
    })
  ).matches as Patient[];
  const hashes = await Promise.all(
    patients.map(
      async (patient) =>
        [
          patient.id as string,
          await hashSecret(normalPortalCode(demoPortalCode(patient.id as string, options.seed))),
        ] as const,
    ),
  );
  for (const [patientId, hash] of hashes) await auth.savePortalCode(patientId, hash);
  return { staffCreated, portalCodesCreated: hashes.length };
}
