/**
 * Checking who is signing in: staff by username and password, patients by NHI, date of birth and
 * the portal code their clinic gave them. Every failure looks and takes the same, whichever part
 * was wrong (signInThrottle.ts slows down repeated failures).
 */
import type { Patient } from 'fhir/r4';
import { readBirthDate, type BirthDateReading } from '../../domain/birthDate';
import { NHI_SYSTEM } from '../../domain/identifiers';
import type { FhirStore } from '../storage/fhirStore';
import type { AuthStore } from './authStore';
import type { SignedInUser } from './grantedScopes';
import { verifySecret } from './secrets';

export const STAFF_FAILURE = 'That username and password do not match a clinic account. Check them and try again.';
export const PATIENT_FAILURE =
  'Those details do not match our records. Check your NHI number, date of birth and portal code, and try again.';

export async function checkStaff(
  auth: AuthStore,
  username: string,
  password: string,
): Promise<SignedInUser | undefined> {
  const account = username ? await auth.findAccount(username.trim()) : undefined;
  const matches = await verifySecret(password, account?.passwordHash);
  return matches && account
    ? {
        kind: 'staff',
        username: account.username,
        displayName: account.displayName,
        ...(account.fhirUser ? { fhirUser: account.fhirUser } : {}),
      }
    : undefined;
}

export function normalNhi(nhi: string): string {
  return nhi.replace(/\s+/g, '').toUpperCase();
}

/** Portal codes are read aloud and typed on phones: case, spaces and hyphens do not matter. */
export function normalPortalCode(code: string): string {
  return code.replace(/[\s-]+/g, '').toUpperCase();
}

/**
 * The date of birth typed on the sign-in form (day first, 19/07/1984), or what is wrong with it. Read
 * before any record is looked at, so a typing mistake is told as such and never counts as a failed
 * sign-in. No one can be born after today in the earliest time zone (UTC+14), whatever the clinic's.
 */
export function readTypedBirthDate(typed: string, now: Date): BirthDateReading {
  const latest = new Date(now.getTime() + 14 * 60 * 60_000).toISOString().slice(0, 10);
  return readBirthDate(typed, latest);
}

export function patientDisplayName(patient: Patient): string {
  const name = patient.name?.find((found) => found.use === 'official') ?? patient.name?.[0];
  return [...(name?.given ?? []), name?.family].filter(Boolean).join(' ') || `Patient ${patient.id}`;
}

export async function checkPatient(
  auth: AuthStore,
  store: FhirStore,
  nhi: string,
  /** YYYY-MM-DD, as readTypedBirthDate gives it. */
  birthDate: string,
  portalCode: string,
): Promise<SignedInUser | undefined> {
  const wanted = normalNhi(nhi);
  const found = /^[A-Z0-9]{7}$/.test(wanted)
    ? await store.search({
        resourceType: 'Patient',
        criteria: [{ kind: 'identifier', anyOf: [{ system: NHI_SYSTEM, value: wanted }] }],
        count: 2,
        offset: 0,
        descending: false,
        include: [],
      })
    : undefined;
  const patient = found?.matches.length === 1 ? (found.matches[0] as Patient) : undefined;
  const codeHash = patient ? await auth.portalCodeHash(patient.id as string) : undefined;
  const codeMatches = await verifySecret(normalPortalCode(portalCode), codeHash);
  if (!patient || !codeMatches || patient.birthDate !== birthDate) return undefined;
  return { kind: 'patient', patientId: patient.id as string, displayName: patientDisplayName(patient) };
}
