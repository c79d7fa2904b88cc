/** What each kind of signed-in party may be granted, cut down to what it asked for. */
import { formatResourceScope, intersectScopes, resourceScopes, scopeList } from '../../domain/smartScopes';

export type SignedInUser =
  | {
      kind: 'staff';
      username: string;
      displayName: string;
      /** Their Practitioner, `Practitioner/<id>`. */ fhirUser?: string;
    }
  | { kind: 'patient'; patientId: string; displayName: string };

export const PATIENT_SCOPES =
  'patient/Appointment.cruds patient/Patient.rs patient/Practitioner.rs patient/Location.rs patient/Schedule.rs patient/Slot.rs';
export const STAFF_SCOPES = 'user/*.cruds';
/** A staff member working in one patient's context (EHR launch) may also hold patient scopes for it. */
const STAFF_IN_PATIENT_CONTEXT_SCOPES = 'user/*.cruds patient/*.cruds';
export const SYSTEM_SCOPES = 'system/*.cruds';

export const CONTEXT_SCOPES = ['openid', 'fhirUser', 'launch', 'launch/patient', 'offline_access', 'online_access'];

export class ScopeRefused extends Error {}

function resourcePart(requested: string | undefined, allowed: string): string[] {
  const wanted = resourceScopes(requested);
  // No resource scopes asked for (or no scope at all): the usual set for this kind of party.
  const granted =
    wanted.length === 0 && scopeList(requested).length === 0
      ? resourceScopes(allowed)
      : intersectScopes(wanted, resourceScopes(allowed));
  if (granted.length === 0)
    throw new ScopeRefused(`None of the requested scopes can be granted; this account may have: ${allowed}.`);
  return granted.map(formatResourceScope);
}

/** The scope granted to a signed-in user, given whether a patient is in context (always, for a patient). */
export function userScope(
  requested: string | undefined,
  user: SignedInUser,
  launchPatient: string | undefined,
): string {
  const asked = new Set(scopeList(requested));
  const inPatientContext = user.kind === 'patient' || launchPatient !== undefined;
  const allowed =
    user.kind === 'patient' ? PATIENT_SCOPES : inPatientContext ? STAFF_IN_PATIENT_CONTEXT_SCOPES : STAFF_SCOPES;
  const context = CONTEXT_SCOPES.filter((scope) => {
    if (!asked.has(scope)) return false;
    if (scope === 'fhirUser') return user.kind === 'patient' || user.fhirUser !== undefined;
    if (scope === 'launch') return launchPatient !== undefined;
    if (scope === 'launch/patient') return inPatientContext;
    return true;
  });
  return [...resourcePart(requested, allowed), ...context].join(' ');
}

export function systemScope(requested: string | undefined): string {
  return resourcePart(requested, SYSTEM_SCOPES).join(' ');
}

/** A refreshed token may ask for less than the original grant: what it gets is never more. */
export function narrowedScope(requested: string | undefined, granted: string): string {
  if (requested === undefined || requested.trim() === '') return granted;
  const grantedList = scopeList(granted);
  const context = scopeList(requested).filter((scope) => CONTEXT_SCOPES.includes(scope) && grantedList.includes(scope));
  const wanted = resourceScopes(requested);
  const resources = wanted.length === 0 ? resourceScopes(granted) : intersectScopes(wanted, resourceScopes(granted));
  if (resources.length === 0) throw new ScopeRefused('None of the requested scopes were granted at sign-in.');
  return [...resources.map(formatResourceScope), ...context].join(' ');
}
