/**
 * Demo sign-ins: a receptionist account and a portal code for each demo patient. The codes are
 * derived from the seed, so the README and tests can name Aroha Ngata's; the hashes are what is stored.
 * The receptionist has a Practitioner record of their own (FHIR's Practitioner covers everyone who
 * works in healthcare, receptionists included), which their tokens name as fhirUser.
 */
import { createHmac } from 'node:crypto';
import type { Patient, Practitioner } from 'fhir/r4';
import { DEFAULT_SEED } from '../seed/demoData';
import type { FhirStore } from '../storage/fhirStore';
import type { AuthStore } from './authStore';
import { normalPortalCode } from './signIn';
import { hashSecret } from './secrets';

export const DEMO_STAFF_USERNAME = 'reception';
/** Demo only: a real clinic sets DEMO_STAFF_PASSWORD or replaces the account. */
export const DEFAULT_DEMO_STAFF_PASSWORD = 'kia-ora-2026';
export const DEMO_STAFF_DISPLAY_NAME = 'Reception (demo)';
export const DEMO_STAFF_PRACTITIONER_ID = 'staff-reception';
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

function receptionistPractitioner(): Practitioner {
  return {
    resourceType: 'Practitioner',
    id: DEMO_STAFF_PRACTITIONER_ID,
    active: true,
    name: [{ use: 'usual', text: DEMO_STAFF_DISPLAY_NAME }],
  };
}

/** Gives the demo receptionist (new, or from before accounts had records) their Practitioner. */
async function linkReceptionistRecord(auth: AuthStore, store: FhirStore, now: Date): Promise<void> {
  const receptionist = await auth.findAccount(DEMO_STAFF_USERNAME);
  if (!receptionist || receptionist.fhirUser) return;
  // bulkLoad keeps a record already there: a restart after the link was lost makes no second one.
  await store.bulkLoad([receptionistPractitioner()], now);
  await auth.linkFhirUser(DEMO_STAFF_USERNAME, `Practitioner/${DEMO_STAFF_PRACTITIONER_ID}`);
}

/** Creates the receptionist when there is no staff account, and portal codes when no patient has one. */
export async function ensureDemoAccounts(
  auth: AuthStore,
  store: FhirStore,
  options: { staffPassword: string; seed?: number; now?: Date },
): Promise<DemoAccountsReport> {
  const staffCreated = (await auth.countAccounts()) === 0;
  if (staffCreated) {
    await auth.saveAccount({
      username: DEMO_STAFF_USERNAME,
      displayName: DEMO_STAFF_DISPLAY_NAME,
      passwordHash: await hashSecret(options.staffPassword),
    });
  }
  await linkReceptionistRecord(auth, store, options.now ?? new Date());
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
