/**
 * An appointment's life after booking (domain.md, "The appointment's life after booking"): the
 * status marks the front desk makes, and the reasons a cancellation records. Plain functions over
 * FHIR types returning OperationOutcome issues with an `expression`, for the front desk's screens
 * before submit and the server after.
 */
import type { Appointment, Coding, OperationOutcomeIssue } from 'fhir/r4';
import { clinicDate } from './clinicTime';
import { issue } from './operationOutcome';

export type AppointmentStatus = Appointment['status'];

/** Why a mark may be made: `undo` marks only on the appointment's own clinic day. */
export interface Transition {
  from: AppointmentStatus;
  to: AppointmentStatus;
  /** The Provenance activity's text: what happened, in a word. */
  activity: string;
  undo: boolean;
}

/** Every status change a PATCH may make; cancelling is PUT or $cancel, never a PATCH. */
export const STATUS_TRANSITIONS: readonly Transition[] = [
  { from: 'booked', to: 'arrived', activity: 'arrived', undo: false },
  { from: 'arrived', to: 'fulfilled', activity: 'fulfilled', undo: false },
  { from: 'booked', to: 'noshow', activity: 'did not attend', undo: false },
  { from: 'arrived', to: 'booked', activity: 'arrival undone', undo: true },
  { from: 'noshow', to: 'booked', activity: 'did-not-attend undone', undo: true },
];

export function allowedTransitions(from: AppointmentStatus): Transition[] {
  return STATUS_TRANSITIONS.filter((transition) => transition.from === from);
}

function describeAllowed(from: AppointmentStatus): string {
  const allowed = allowedTransitions(from).map((transition) => `"${transition.to}"`);
  const all = STATUS_TRANSITIONS.map((transition) => `${transition.from} -> ${transition.to}`).join(', ');
  return `${allowed.length > 0 ? `From "${from}" it can change to ${allowed.join(' or ')}.` : `From "${from}" its status cannot change.`} The changes allowed are ${all}; to cancel, PUT it with status "cancelled" or use $cancel.`;
}

/**
 * Whether an appointment may go from its status to `to` now: the transition must be in the table,
 * an arrival only on the appointment's clinic day (never ahead of it), a did-not-attend only once
 * its start has passed, and an undo only on the appointment's clinic day.
 */
export function checkStatusChange(
  appointment: Appointment,
  to: unknown,
  now: Date,
  timeZone: string,
): { problems: OperationOutcomeIssue[]; transition?: Transition } {
  const path = 'Appointment.status';
  if (typeof to !== 'string')
    return { problems: [issue('value', 'The new status must be a status code, like "arrived".', path)] };
  if (to === 'cancelled') {
    return {
      problems: [
        issue(
          'business-rule',
          'An appointment is not cancelled by PATCH: PUT it with status "cancelled", or POST $cancel with a reason.',
          path,
        ),
      ],
    };
  }
  const transition = STATUS_TRANSITIONS.find((found) => found.from === appointment.status && found.to === to);
  if (!transition) {
    return {
      problems: [
        issue(
          'business-rule',
          `The status cannot change from "${appointment.status}" to "${to.slice(0, 40)}". ${describeAllowed(appointment.status)}`,
          path,
        ),
      ],
    };
  }
  const start = appointment.start ? new Date(appointment.start) : undefined;
  const sameDay = start !== undefined && clinicDate(start, timeZone) === clinicDate(now, timeZone);
  if (transition.to === 'arrived' && !sameDay) {
    const when =
      start && start.getTime() > now.getTime()
        ? 'is not today: a patient cannot arrive ahead of the day'
        : 'was on an earlier day';
    return {
      problems: [
        issue('business-rule', `The appointment ${when}; arrivals are marked on the appointment's own day.`, path),
      ],
    };
  }
  if (transition.to === 'noshow' && (start === undefined || start.getTime() > now.getTime())) {
    return {
      problems: [
        issue(
          'business-rule',
          'The appointment has not started yet: mark "did not attend" once its start has passed.',
          path,
        ),
      ],
    };
  }
  if (transition.undo && !sameDay) {
    return {
      problems: [
        issue('business-rule', `A "${appointment.status}" mark can only be undone on the appointment's own day.`, path),
      ],
    };
  }
  return { problems: [], transition };
}

export const CANCELLATION_REASON_SYSTEM = 'http://terminology.hl7.org/CodeSystem/appointment-cancellation-reason';
export const CANCELLATION_NOTE_MAX = 500;
/** What a rescheduled appointment's `cancelationReason.text` says (domain.md). */
export const RESCHEDULED_TEXT = 'Rescheduled';

/** The R4 value set appointment-cancellation-reason (FHIR 4.0.1), code and display. */
export const CANCELLATION_REASONS: Readonly<Record<string, string>> = {
  pat: 'Patient',
  'pat-crs': 'Patient: Canceled via automated reminder system',
  'pat-cpp': 'Patient: Canceled via Patient Portal',
  'pat-dec': 'Patient: Deceased',
  'pat-fb': 'Patient: Feeling Better',
  'pat-lt': 'Patient: Lack of Transportation',
  'pat-mt': 'Patient: Member Terminated',
  'pat-mv': 'Patient: Moved',
  'pat-preg': 'Patient: Pregnant',
  'pat-swl': 'Patient: Scheduled from Wait List',
  'pat-ucp': 'Patient: Unhappy/Changed Provider',
  prov: 'Provider',
  'prov-pers': 'Provider: Personal',
  'prov-dch': 'Provider: Discharged',
  'prov-edu': 'Provider: Edu/Meeting',
  'prov-hosp': 'Provider: Hospitalized',
  'prov-labs': 'Provider: Labs Out of Acceptable Range',
  'prov-mri': 'Provider: MRI Screening Form Marked Do Not Proceed',
  'prov-onc': 'Provider: Oncology Treatment Plan Changes',
  maint: 'Equipment Maintenance/Repair',
  'meds-inc': 'Prep/Med Incomplete',
  other: 'Other',
  'oth-cms': 'Other: CMS Therapy Cap Service Not Authorized',
  'oth-err': 'Other: Error',
  'oth-fin': 'Other: Financial',
  'oth-iv': 'Other: Improper IV Access/Infiltrate IV',
  'oth-int': 'Other: No Interpreter Available',
  'oth-mu': 'Other: Prep/Med/Results Unavailable',
  'oth-room': 'Other: Room/Resource Maintenance',
  'oth-oerr': 'Other: Schedule Order Error',
  'oth-swie': 'Other: Silent Walk In Error',
  'oth-weath': 'Other: Weather',
};

/** A cancellation reason and its optional note, checked; `paths` name the fields of the request they came in. */
export function checkCancellationReason(
  reason: unknown,
  note: unknown,
  paths: { reason: string; note: string },
): OperationOutcomeIssue[] {
  const problems: OperationOutcomeIssue[] = [];
  const coding = reason as Coding | undefined;
  if (typeof coding !== 'object' || coding === null || Array.isArray(coding)) {
    problems.push(
      issue(
        'required',
        'Choose why the appointment is cancelled (a reason from appointment-cancellation-reason).',
        paths.reason,
      ),
    );
  } else if (
    coding.system !== CANCELLATION_REASON_SYSTEM ||
    typeof coding.code !== 'string' ||
    !Object.hasOwn(CANCELLATION_REASONS, coding.code)
  ) {
    problems.push(
      issue(
        'code-invalid',
        `The reason must be a code of ${CANCELLATION_REASON_SYSTEM} (for example "pat", "prov" or "oth-err"); ${String(coding.system).slice(0, 100)}|${String(coding.code).slice(0, 40)} is not one.`,
        paths.reason,
      ),
    );
  }
  if (note !== undefined) {
    if (typeof note !== 'string' || note.trim() === '')
      problems.push(issue('value', 'The note must be text.', paths.note));
    else if (note.length > CANCELLATION_NOTE_MAX)
      problems.push(
        issue(
          'too-long',
          `The note is ${note.length} characters long; at most ${CANCELLATION_NOTE_MAX} are kept.`,
          paths.note,
        ),
      );
  }
  return problems;
}

/** The `cancelationReason` a checked reason and note make. */
export function cancellationReasonOf(code: string, note?: string): Appointment['cancelationReason'] {
  return {
    coding: [{ system: CANCELLATION_REASON_SYSTEM, code, display: CANCELLATION_REASONS[code] }],
    ...(note ? { text: note } : {}),
  };
}
