/**
 * The medTech IG "Patient Appointments" rules, once, for both the booking form (errors before submit)
 * and the server (OperationOutcome after). Each issue's `expression` is a FHIRPath that
 * `appointmentFieldFor` maps back onto the form field at fault.
 */
import type { Appointment, AppointmentParticipant, OperationOutcomeIssue } from 'fhir/r4';
import { issue } from './operationOutcome';
import { parseReference } from './references';

export type ActorType = 'Patient' | 'Practitioner' | 'Location';

/** The form fields the profile's elements map onto. */
export type AppointmentField =
  'patient' | 'practitioner' | 'location' | 'slot' | 'start' | 'end' | 'status' | 'description' | 'comment';

const ACTOR_FIELD: Record<ActorType, AppointmentField> = {
  Patient: 'patient',
  Practitioner: 'practitioner',
  Location: 'location',
};

export const APPOINTMENT_PATH = {
  status: 'Appointment.status',
  start: 'Appointment.start',
  end: 'Appointment.end',
  slot: 'Appointment.slot',
  participant: 'Appointment.participant',
  description: 'Appointment.description',
  comment: 'Appointment.comment',
} as const;

/** The reason for the visit, as the patient puts it (`Appointment.description`): short, for the day sheet. */
export const VISIT_REASON_MAX_LENGTH = 100;
/** Anything else the patient wants the clinic to know (`Appointment.comment`). */
export const VISIT_COMMENT_MAX_LENGTH = 500;

/** The FHIRPath of "the participant whose actor is a T", used when it is missing or repeated. */
export function actorPath(type: ActorType): string {
  return `Appointment.participant.where(actor.reference.startsWith('${type}/'))`;
}

export function participantActorPath(index: number): string {
  return `Appointment.participant[${index}].actor`;
}

export function slotPath(index: number): string {
  return `Appointment.slot[${index}]`;
}

export interface ActorParticipant {
  index: number;
  id: string;
  participant: AppointmentParticipant;
}

/** Every participant whose actor is a literal reference to the given resource type. */
/** The participants, or none when a malformed body has something else where the array belongs. */
function participantsOf(appointment: Appointment): AppointmentParticipant[] {
  return Array.isArray(appointment.participant) ? appointment.participant : [];
}

export function participantsOfType(appointment: Appointment, type: ActorType): ActorParticipant[] {
  const found: ActorParticipant[] = [];
  participantsOf(appointment).forEach((participant, index) => {
    const ref = parseReference(participant?.actor?.reference);
    if (ref?.resourceType === type) found.push({ index, id: ref.id, participant });
  });
  return found;
}

export function actorId(appointment: Appointment, type: ActorType): string | undefined {
  return participantsOfType(appointment, type)[0]?.id;
}

export function slotId(appointment: Appointment): string | undefined {
  const ref = parseReference(appointment.slot?.[0]?.reference);
  return ref?.resourceType === 'Slot' ? ref.id : undefined;
}

const INSTANT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00))$/;

/** A FHIR `instant`: a full date and time with seconds and a time-zone offset. */
export function parseInstant(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !INSTANT.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) || !isCalendarDate(value.slice(0, 10)) ? undefined : date;
}

/** JavaScript rolls 31 April over to 1 May; the calendar (and PostgreSQL) has no such day. */
function isCalendarDate(yyyyMmDd: string): boolean {
  const [year, month, day] = yyyyMmDd.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function checkParticipants(appointment: Appointment): OperationOutcomeIssue[] {
  const problems: OperationOutcomeIssue[] = [];
  const participants = participantsOf(appointment);
  participants.forEach((participant, index) => {
    const reference = participant?.actor?.reference;
    if (reference === undefined) return;
    const ref = parseReference(reference);
    if (!ref || !(ref.resourceType in ACTOR_FIELD)) {
      problems.push(
        issue(
          'value',
          `Participant ${index + 1} must refer to a Patient, Practitioner or Location by id, like "Patient/123"; "${String(reference).slice(0, 100)}" is not such a reference.`,
          participantActorPath(index),
        ),
      );
    }
  });
  const required: Array<[ActorType, string]> = [
    ['Patient', 'Choose the patient the appointment is for.'],
    ['Practitioner', 'Choose the practitioner the appointment is with.'],
  ];
  for (const [type, missing] of required) {
    const found = participantsOfType(appointment, type);
    if (found.length === 0) problems.push(issue('required', missing, [APPOINTMENT_PATH.participant, actorPath(type)]));
    if (found.length > 1)
      problems.push(
        issue(
          'business-rule',
          `An appointment has one ${type.toLowerCase()}; this one names ${found.length}.`,
          actorPath(type),
        ),
      );
  }
  const locations = participantsOfType(appointment, 'Location');
  if (locations.length > 1)
    problems.push(
      issue(
        'business-rule',
        `An appointment is at one location; this one names ${locations.length}.`,
        actorPath('Location'),
      ),
    );
  return problems;
}

function checkTimes(appointment: Appointment, now: Date): OperationOutcomeIssue[] {
  if (appointment.start === undefined)
    return [issue('required', 'Choose when the appointment starts.', APPOINTMENT_PATH.start)];
  const start = parseInstant(appointment.start);
  if (!start) {
    return [
      issue(
        'value',
        'The start must be a date and time with seconds and a time-zone offset, like 2026-12-01T09:30:00+13:00.',
        APPOINTMENT_PATH.start,
      ),
    ];
  }
  if (start.getTime() < now.getTime())
    return [
      issue('business-rule', 'The start is in the past: choose a time that is still to come.', APPOINTMENT_PATH.start),
    ];
  if (appointment.end === undefined) return [];
  const end = parseInstant(appointment.end);
  if (!end)
    return [
      issue('value', 'The end must be a date and time with seconds and a time-zone offset.', APPOINTMENT_PATH.end),
    ];
  if (end.getTime() <= start.getTime())
    return [issue('invariant', 'The end must come after the start.', APPOINTMENT_PATH.end)];
  return [];
}

function checkSlot(appointment: Appointment): OperationOutcomeIssue[] {
  const slots = appointment.slot ?? [];
  if (slots.length > 1)
    return [
      issue('business-rule', `An appointment takes one slot; this one names ${slots.length}.`, APPOINTMENT_PATH.slot),
    ];
  if (slots.length === 1 && !slotId(appointment)) {
    return [issue('value', 'The slot must be a reference like "Slot/123".', slotPath(0))];
  }
  return [];
}

/** Characters as a person counts them: an emoji or a macron vowel is one, whatever UTF-16 makes of it. */
function characters(text: string): number {
  return [...text].length;
}

function checkText(value: unknown, max: number, path: string, what: string): OperationOutcomeIssue[] {
  if (value === undefined) return [];
  if (typeof value !== 'string') return [issue('value', `${what} must be text.`, path)];
  const length = characters(value);
  return length > max
    ? [issue('too-long', `${what} can be at most ${max} characters; this is ${length}. Please shorten it.`, path)]
    : [];
}

/**
 * The reason for the visit (`description`, at most VISIT_REASON_MAX_LENGTH) and the comment
 * (`comment`, at most VISIT_COMMENT_MAX_LENGTH). A patient's form requires the reason; the server,
 * booking for the desk and machine clients too, only holds the lengths.
 */
export function checkVisitReason(
  appointment: Pick<Appointment, 'description' | 'comment'>,
  { reasonRequired }: { reasonRequired: boolean },
): OperationOutcomeIssue[] {
  const reason = appointment.description;
  const missing = reasonRequired && (typeof reason !== 'string' || reason.trim() === '');
  return [
    ...(missing
      ? [issue('required', 'Say briefly what the visit is for.', APPOINTMENT_PATH.description)]
      : checkText(reason, VISIT_REASON_MAX_LENGTH, APPOINTMENT_PATH.description, 'The reason for the visit')),
    ...checkText(appointment.comment, VISIT_COMMENT_MAX_LENGTH, APPOINTMENT_PATH.comment, 'The comment'),
  ];
}

/**
 * The rules an Appointment must meet to be POSTed for booking, checked without a database.
 * The server adds the checks that need one (the referenced resources exist, the slot is free).
 */
export function checkProposedAppointment(appointment: Appointment, now: Date): OperationOutcomeIssue[] {
  const problems: OperationOutcomeIssue[] = [];
  if (appointment.status === undefined) {
    problems.push(issue('required', 'The status must be "proposed": the server books it.', APPOINTMENT_PATH.status));
  } else if (appointment.status !== 'proposed') {
    problems.push(
      issue(
        'business-rule',
        `A new appointment is sent with status "proposed", not "${String(appointment.status).slice(0, 40)}"; the server sets "booked" when it books it.`,
        APPOINTMENT_PATH.status,
      ),
    );
  }
  return [
    ...problems,
    ...checkParticipants(appointment),
    ...checkTimes(appointment, now),
    ...checkSlot(appointment),
    ...checkVisitReason(appointment, { reasonRequired: false }),
  ];
}

/** Elements a cancelling PUT may leave out or change without it counting as a change. */
const IGNORED_ON_UPDATE = new Set(['meta', 'text', 'status']);

function differences(stored: unknown, incoming: unknown, path: string, found: string[]): void {
  if (found.length >= 10) return;
  if (Array.isArray(stored) && Array.isArray(incoming)) {
    const length = Math.max(stored.length, incoming.length);
    for (let i = 0; i < length; i++) differences(stored[i], incoming[i], `${path}[${i}]`, found);
    return;
  }
  const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (isObject(stored) && isObject(incoming)) {
    const a = stored as Record<string, unknown>;
    const b = incoming as Record<string, unknown>;
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (path === 'Appointment' && IGNORED_ON_UPDATE.has(key)) continue;
      differences(a[key], b[key], `${path}.${key}`, found);
    }
    return;
  }
  if (stored !== incoming) found.push(path);
}

/**
 * A PUT may only cancel: the status goes to "cancelled" and nothing else differs from what is stored.
 * Returns the reasons to refuse (422), empty when the cancellation may go ahead.
 */
export function checkCancellation(stored: Appointment, incoming: Appointment): OperationOutcomeIssue[] {
  const problems: OperationOutcomeIssue[] = [];
  if (incoming.status !== 'cancelled') {
    problems.push(
      issue(
        'business-rule',
        `An appointment can only be changed to cancel it: set status to "cancelled" (not "${String(incoming.status).slice(0, 40)}").`,
        APPOINTMENT_PATH.status,
      ),
    );
  } else if (stored.status === 'cancelled') {
    problems.push(issue('business-rule', 'This appointment is already cancelled.', APPOINTMENT_PATH.status));
  }
  const changed: string[] = [];
  differences({ ...stored, resourceType: 'Appointment' }, incoming, 'Appointment', changed);
  for (const path of changed) {
    problems.push(
      issue(
        'business-rule',
        `Only the status can change when cancelling; ${path} differs from the stored appointment.`,
        path,
      ),
    );
  }
  return problems;
}

/** The form field an OperationOutcome expression names, given the appointment that was submitted. */
export function appointmentFieldFor(expression: string, submitted: Appointment): AppointmentField | undefined {
  for (const [type, field] of Object.entries(ACTOR_FIELD) as Array<[ActorType, AppointmentField]>) {
    if (expression.startsWith(actorPath(type))) return field;
  }
  const indexed = /^Appointment\.participant\[(\d+)\]/.exec(expression);
  if (indexed) {
    const ref = parseReference(submitted.participant?.[Number(indexed[1])]?.actor?.reference);
    return ref ? ACTOR_FIELD[ref.resourceType as ActorType] : undefined;
  }
  const direct: Array<[string, AppointmentField]> = [
    [APPOINTMENT_PATH.status, 'status'],
    [APPOINTMENT_PATH.start, 'start'],
    [APPOINTMENT_PATH.end, 'end'],
    [APPOINTMENT_PATH.slot, 'slot'],
    [APPOINTMENT_PATH.description, 'description'],
    [APPOINTMENT_PATH.comment, 'comment'],
  ];
  return direct.find(
    ([path]) => expression === path || expression.startsWith(`${path}[`) || expression.startsWith(`${path}.`),
  )?.[1];
}
