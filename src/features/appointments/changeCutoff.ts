/**
 * The patients' cut-off as the app sees it (domain.md, "Rules a practice needs"): before it, a
 * patient cancels or moves their own appointment online; after it, they phone the clinic. The rule
 * is domain/practiceRules.ts `checkChangeCutoff`, the server's own, so the words are the same
 * whether the app knows the cut-off (config.json) or only learns it from the server's refusal.
 */
import { APPOINTMENT_PATH } from '../../../domain/appointmentRules';
import {
  checkChangeCutoff,
  DEFAULT_PRACTICE_RULES,
  isChangeCutoffIssue,
  type RequesterKind,
} from '../../../domain/practiceRules';
import { FhirRequestError } from '../../lib/fhirClient';

/**
 * Why the appointment can no longer be changed online by `kind` (a warning for staff), or undefined
 * while it can; undefined too when the cut-off is not known.
 */
export function pastChangeCutoff(
  kind: RequesterKind,
  start: Date | undefined,
  now: Date,
  cutoffMinutes: number | null,
): string | undefined {
  if (cutoffMinutes === null) return undefined;
  const rules = { ...DEFAULT_PRACTICE_RULES, cancelCutoffMinutes: cutoffMinutes };
  return checkChangeCutoff(kind, start, now, rules, APPOINTMENT_PATH.start)[0]?.diagnostics;
}

/** The server's refusal of a patient's change for the cut-off, in its words; undefined for any other failure. */
export function cutoffRefusal(error: unknown): string | undefined {
  if (!(error instanceof FhirRequestError) || error.status !== 422) return undefined;
  return error.issues.find(isChangeCutoffIssue)?.diagnostics;
}
