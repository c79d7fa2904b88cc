/**
 * The rules a practice needs beyond the IG (domain.md, "Rules a practice needs"): what patients may
 * book and change themselves, and what nobody may. Each returns OperationOutcome issues with an
 * `expression`: errors for whoever they bind, warnings for staff (who are not bound, but see them).
 */
import type { Coding, OperationOutcomeIssue } from 'fhir/r4';
import { CANONICAL_BASE } from './extensions';
import { issue } from './operationOutcome';

export interface PracticeRules {
  /** BOOKING_MIN_NOTICE_MINUTES: a patient books at least this long before the start. */
  minNoticeMinutes: number;
  /** BOOKING_HORIZON_DAYS: and at most this far ahead. */
  horizonDays: number;
  /** PATIENT_MAX_FUTURE_BOOKINGS: booked appointments still to come that a patient may hold at once. */
  maxFutureBookings: number;
  /** PATIENT_CANCEL_CUTOFF_MINUTES: a patient cancels or reschedules at least this long before the start. */
  cancelCutoffMinutes: number;
}

export const DEFAULT_PRACTICE_RULES: PracticeRules = {
  minNoticeMinutes: 60,
  horizonDays: 28,
  maxFutureBookings: 3,
  cancelCutoffMinutes: 120,
};

/** Who is asking decides which rules bind: patients are held to them, staff and machine clients are warned. */
export type RequesterKind = 'patient' | 'staff' | 'machine';

/** The longest appointment booked without a slot (staff and machine clients only). */
export const SLOTLESS_MAX_MINUTES = 120;

const MINUTE = 60_000;

function minutesInWords(minutes: number): string {
  if (minutes % (24 * 60) === 0) return `${minutes / (24 * 60)} day${minutes === 24 * 60 ? '' : 's'}`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}

/** Errors for a patient, warnings for staff and machine clients. */
function forWhom(kind: RequesterKind, problems: OperationOutcomeIssue[]): OperationOutcomeIssue[] {
  return kind === 'patient' ? problems : problems.map((problem) => ({ ...problem, severity: 'warning' }));
}

/** Where a patient may book: a slot bookable online, from the minimum notice to the horizon, within the number of future bookings. */
export function checkPatientBooking(
  kind: RequesterKind,
  booking: { start: Date; onlineBookable: boolean; futureBookings: number },
  now: Date,
  rules: PracticeRules,
  paths: { start: string; slot: string },
): OperationOutcomeIssue[] {
  const problems: OperationOutcomeIssue[] = [];
  if (!booking.onlineBookable)
    problems.push(
      issue('business-rule', 'This time cannot be booked online: please phone the clinic to book it.', paths.slot),
    );
  const ahead = (booking.start.getTime() - now.getTime()) / MINUTE;
  if (ahead < rules.minNoticeMinutes) {
    problems.push(
      issue(
        'business-rule',
        `Online bookings close ${minutesInWords(rules.minNoticeMinutes)} before the start: choose a later time, or phone the clinic.`,
        paths.start,
      ),
    );
  } else if (ahead > rules.horizonDays * 24 * 60) {
    problems.push(
      issue(
        'business-rule',
        `Appointments can be booked online up to ${minutesInWords(rules.horizonDays * 24 * 60)} ahead: choose an earlier time.`,
        paths.start,
      ),
    );
  }
  if (booking.futureBookings >= rules.maxFutureBookings) {
    problems.push(
      issue(
        'business-rule',
        `You already have ${booking.futureBookings} appointment${booking.futureBookings === 1 ? '' : 's'} booked; at most ${rules.maxFutureBookings} can be booked online at once. Cancel one first, or phone the clinic.`,
        paths.start,
      ),
    );
  }
  return forWhom(kind, problems);
}

/**
 * The cut-off's issue carries this in `details`, so a client tells "too late to change online" from
 * any other refusal whatever `expression` the operation gives it ($reschedule names its parameters).
 */
export const CHANGE_CUTOFF_CODING: Coding = {
  system: `${CANONICAL_BASE}/CodeSystem/practice-rule`,
  code: 'change-cutoff',
};

export function isChangeCutoffIssue(found: OperationOutcomeIssue): boolean {
  return (found.details?.coding ?? []).some(
    (coding) => coding.system === CHANGE_CUTOFF_CODING.system && coding.code === CHANGE_CUTOFF_CODING.code,
  );
}

/** Whether an appointment may still be cancelled or moved online: until the cut-off before its start. */
export function checkChangeCutoff(
  kind: RequesterKind,
  start: Date | undefined,
  now: Date,
  rules: PracticeRules,
  path: string,
): OperationOutcomeIssue[] {
  if (start === undefined || (start.getTime() - now.getTime()) / MINUTE >= rules.cancelCutoffMinutes) return [];
  return forWhom(kind, [
    {
      ...issue(
        'business-rule',
        `Appointments can only be cancelled or changed online until ${minutesInWords(rules.cancelCutoffMinutes)} before the start: please phone the clinic.`,
        path,
      ),
      details: { coding: [CHANGE_CUTOFF_CODING] },
    },
  ]);
}

/** A booking without a slot: staff and machine clients only, and at most SLOTLESS_MAX_MINUTES long. */
export function checkSlotlessBooking(
  kind: RequesterKind,
  start: Date,
  end: Date,
  paths: { slot: string; end: string },
): OperationOutcomeIssue[] {
  if (kind === 'patient')
    return [
      issue(
        'business-rule',
        'Choose one of the free times: an appointment without a slot can only be booked by the clinic.',
        paths.slot,
      ),
    ];
  if ((end.getTime() - start.getTime()) / MINUTE > SLOTLESS_MAX_MINUTES) {
    return [
      issue(
        'business-rule',
        `An appointment without a slot is at most ${minutesInWords(SLOTLESS_MAX_MINUTES)} long: book a shorter time, or several slots.`,
        paths.end,
      ),
    ];
  }
  return [];
}

export const errorsOf = (problems: OperationOutcomeIssue[]) =>
  problems.filter((problem) => problem.severity === 'error' || problem.severity === 'fatal');
