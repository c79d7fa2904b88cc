/** What `npm start` prints so a newcomer can sign in to the demo. */
import type { Patient } from 'fhir/r4';
import { writtenNzDate } from '../../domain/birthDate';
import { WELL_KNOWN } from '../seed/demoData';
import type { FhirStore } from '../storage/fhirStore';
import {
  DEFAULT_DEMO_STAFF_PASSWORD,
  DEMO_STAFF_USERNAME,
  demoPortalCode,
  type DemoAccountsReport,
} from './demoAccounts';
import { patientDisplayName } from './signIn';

export async function signInHelp(
  store: FhirStore,
  report: DemoAccountsReport,
  options: { staffPassword: string; staffClientId: string | null },
): Promise<string[]> {
  const lines: string[] = [];
  if (report.staffCreated) {
    const password =
      options.staffPassword === DEFAULT_DEMO_STAFF_PASSWORD
        ? `"${DEFAULT_DEMO_STAFF_PASSWORD}" (demo only)`
        : 'the one in DEMO_STAFF_PASSWORD';
    lines.push(`Staff sign-in: username "${DEMO_STAFF_USERNAME}", password ${password}.`);
  }
  const patient =
    report.portalCodesCreated > 0 ? await store.read<Patient>('Patient', WELL_KNOWN.patient.id) : undefined;
  if (patient) {
    lines.push(
      `Patient sign-in (${patientDisplayName(patient)}): NHI ${WELL_KNOWN.patient.nhi}, date of birth ${patient.birthDate ? writtenNzDate(patient.birthDate) : 'none'}, portal code ${demoPortalCode(WELL_KNOWN.patient.id)}.`,
    );
  }
  lines.push(
    options.staffClientId
      ? `Machine clients: client_credentials is on for client "${options.staffClientId}" (POST /auth/token).`
      : 'Machine clients: client_credentials is off; set STAFF_CLIENT_ID and STAFF_CLIENT_SECRET to turn it on.',
  );
  return lines;
}
