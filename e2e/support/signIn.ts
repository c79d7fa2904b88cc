/** Signing in through the screens, as the people who use the app do (the server's own sign-in page). */
import type { Page } from '@playwright/test';
import type { Patient } from 'fhir/r4';
import { DEFAULT_DEMO_STAFF_PASSWORD, DEMO_STAFF_USERNAME, demoPortalCode } from '../../server/auth/demoAccounts';
import { NHI_SYSTEM } from '../../domain/identifiers';
import { AppShell } from '../pages/AppShell';
import { SignInPage, type PatientCredentials } from '../pages/SignInPage';
import { expect } from './test';

export async function signInAsReceptionist(page: Page, path = '/'): Promise<void> {
  const signIn = new SignInPage(page);
  await signIn.open(path);
  await signIn.signInAsStaff(DEMO_STAFF_USERNAME, DEFAULT_DEMO_STAFF_PASSWORD);
  await expect(new AppShell(page).signOutButton).toBeVisible();
}

/** What a demo patient types: the NHI and birth date on the record, and the portal code the clinic gave them. */
export function patientCredentials(patient: Patient): PatientCredentials {
  const nhi = patient.identifier?.find((identifier) => identifier.system === NHI_SYSTEM)?.value;
  if (!nhi || !patient.birthDate || !patient.id)
    throw new Error(`Patient ${patient.id} has no NHI or birth date to sign in with.`);
  return { nhi, birthDate: patient.birthDate, portalCode: demoPortalCode(patient.id) };
}
