/**
 * Rescheduling in one step (domain.md): `POST Appointment/{id}/$reschedule` with `slot` or
 * `start` (and `end`), and an optional `reason`. One transaction books the new appointment for the
 * same patient and cancels the old one, each pointing at the other; when the new time cannot be
 * booked, the transaction is rolled back whole and the old appointment is still booked.
 */
import { randomUUID } from 'node:crypto';
import type { Appointment, AppointmentParticipant, Extension, Schedule, Slot } from 'fhir/r4';
import { cancellationReasonOf, checkCancellationReason, RESCHEDULED_TEXT } from '../../domain/appointmentLifecycle';
import {
  APPOINTMENT_PATH,
  checkProposedAppointment,
  participantsOfType,
  parseInstant,
} from '../../domain/appointmentRules';
import { DELIVERY_CHANNEL_URL, deliveryChannelOf, REPLACES_URL, RESCHEDULED_TO_URL } from '../../domain/extensions';
import { issue } from '../../domain/operationOutcome';
import { parseReference, scheduleActorIds } from '../../domain/references';
import { FhirError } from '../core/fhirError';
import type { FhirStore, StoreTransaction } from '../storage/fhirStore';
import { defineStoreOperation } from '../storage/storeOperation';
import { bookWithin } from './booking';
import { cancelWithin, checkCutoff, readForChange } from './cancelling';
import { inClientTerms } from './conflicts';
import { readParameters } from './operationParameters';
import { queueBookingMessages } from '../mail/appointmentMessages';
import { recordProvenance } from './provenance';
import { contextOf, type WriteContext, type WriteInput } from './writeContext';

/** Where to move it: a slot, or a start (and end) with the same practitioner. `paths` name the parameters for messages. */
export interface NewTime {
  slotId?: string;
  start?: string;
  end?: string;
  paths: { slot: string; start: string; end: string };
}

interface Rescheduling {
  id: string;
  ifMatch: string | string[] | undefined;
  to: NewTime;
  reason?: string;
}

/**
 * What the new appointment carries over from the old: what it is for, and how the patient is seen.
 * Where the new slot has a channel or service of its own, that one holds instead (a telephone
 * clinic's slot is a telephone appointment): the booking gives it the slot's, as it does any booking.
 */
function carriedOver(old: Appointment, slot: Slot | undefined): Partial<Appointment> {
  const channel = deliveryChannelOf(slot)
    ? []
    : (old.extension ?? []).filter((extension) => extension.url === DELIVERY_CHANNEL_URL);
  const { description, comment, serviceType, appointmentType } = old;
  return {
    ...(description !== undefined ? { description } : {}),
    ...(comment !== undefined ? { comment } : {}),
    ...(serviceType !== undefined && !slot?.serviceType ? { serviceType } : {}),
    ...(appointmentType !== undefined ? { appointmentType } : {}),
    extension: [...channel, { url: REPLACES_URL, valueReference: { reference: `Appointment/${old.id}` } }],
  };
}

/** The new time's practitioner and location: the slot's schedule's, else the old appointment's. */
async function whereTo(
  tx: StoreTransaction,
  old: Appointment,
  to: NewTime,
): Promise<{ slot?: Slot; practitionerId: string; location?: AppointmentParticipant }> {
  const oldPractitioner = participantsOfType(old, 'Practitioner')[0]?.id as string;
  const oldLocation = participantsOfType(old, 'Location')[0]?.participant;
  if (to.slotId === undefined) return { practitionerId: oldPractitioner, location: oldLocation };
  const slot = await tx.read<Slot>('Slot', to.slotId);
  if (!slot) throw FhirError.of(422, 'not-found', `There is no Slot with id "${to.slotId}".`, to.paths.slot);
  const schedule = await tx.read<Schedule>('Schedule', parseReference(slot.schedule?.reference)?.id ?? '');
  const [practitionerId] = scheduleActorIds(schedule, 'Practitioner');
  if (!practitionerId)
    throw FhirError.of(422, 'business-rule', "That slot's schedule names no practitioner to book with.", to.paths.slot);
  const [locationId] = scheduleActorIds(schedule, 'Location');
  return {
    slot,
    practitionerId,
    location: locationId ? { actor: { reference: `Location/${locationId}` }, status: 'accepted' } : oldLocation,
  };
}

/** Issues about the new appointment name the operation's parameters, not the Appointment's elements the client never sent. */
function inParameterTerms(error: unknown, to: NewTime): unknown {
  if (!(error instanceof FhirError)) return error;
  const renamed = (path: string) =>
    path.startsWith(APPOINTMENT_PATH.slot)
      ? to.paths.slot
      : path === APPOINTMENT_PATH.start
        ? to.paths.start
        : path === APPOINTMENT_PATH.end
          ? to.paths.end
          : path;
  return new FhirError(
    error.status,
    error.issues.map((found) => (found.expression ? { ...found, expression: found.expression.map(renamed) } : found)),
  );
}

export const reschedulingTransaction = defineStoreOperation(
  import.meta.url,
  'reschedule',
  async (tx, input: WriteInput<Rescheduling>) => {
    const context = contextOf(input);
    const { to } = input;
    const old = await readForChange(tx, input.id, input.ifMatch, 'rescheduling');
    if (old.status !== 'booked')
      throw FhirError.of(
        422,
        'business-rule',
        `Only a booked appointment can be rescheduled; this one is "${old.status}".`,
        APPOINTMENT_PATH.status,
      );
    checkCutoff(old, context);
    const { slot, practitionerId, location } = await whereTo(tx, old, to);
    // Both practitioners, in one order, before any slot: two reschedules between them queue instead of deadlocking.
    const oldPractitioner = participantsOfType(old, 'Practitioner')[0]?.id;
    for (const id of [...new Set([oldPractitioner, practitionerId])].filter((found) => found !== undefined).sort())
      await tx.readForUpdate('Practitioner', id);
    const newId = randomUUID();
    const cancelled = await cancelWithin(
      tx,
      old,
      {
        cancelationReason: input.reason
          ? { ...cancellationReasonOf(input.reason), text: RESCHEDULED_TEXT }
          : { text: RESCHEDULED_TEXT },
        extension: [
          ...(old.extension ?? []),
          { url: RESCHEDULED_TO_URL, valueReference: { reference: `Appointment/${newId}` } } as Extension,
        ],
      },
      context.now,
    );
    const patient = participantsOfType(old, 'Patient')[0].participant;
    const proposal: Appointment = {
      resourceType: 'Appointment',
      status: 'proposed',
      ...carriedOver(old, slot),
      start: slot?.start ?? to.start,
      ...(slot ? { end: slot.end, slot: [{ reference: `Slot/${slot.id}` }] } : to.end ? { end: to.end } : {}),
      participant: [
        { actor: patient.actor, status: 'accepted' },
        { actor: { reference: `Practitioner/${practitionerId}` }, status: 'accepted' },
        ...(location ? [{ actor: location.actor, status: 'accepted' as const }] : []),
      ],
    };
    const problems = checkProposedAppointment(proposal, context.now);
    if (problems.length > 0) throw new FhirError(422, problems);
    const booked = await bookWithin(tx, proposal, context, { id: newId, replacing: old.id });
    await recordProvenance(
      tx,
      [cancelled, booked],
      { operation: 'UPDATE', text: 'rescheduled' },
      context.requester,
      context.now,
    );
    // One message: the event moves (same UID, higher SEQUENCE); the old appointment's reminder is withdrawn.
    await queueBookingMessages(tx, booked, context.messages, context.now, cancelled);
    return { cancelled, booked };
  },
);

/** The new time as the Parameters give it: a slot, or a start (and an optional end). */
function newTimeOf(given: ReturnType<typeof readRescheduleParameters>): NewTime {
  const paths = {
    slot: given.slot?.path ?? 'Parameters.parameter',
    start: given.start?.path ?? 'Parameters.parameter',
    end: given.end?.path ?? 'Parameters.parameter',
  };
  if (given.slot && (given.start || given.end))
    throw FhirError.of(
      400,
      'structure',
      '$reschedule takes either a slot, or a start (and end): not both.',
      paths.start,
    );
  if (!given.slot && !given.start) {
    throw FhirError.of(
      400,
      'required',
      '$reschedule needs where to: a "slot" (valueReference) or a "start" (and "end").',
      given.end ? paths.end : 'Parameters.parameter',
    );
  }
  if (given.slot) {
    const ref = parseReference((given.slot.value as { reference?: string }).reference);
    if (ref?.resourceType !== 'Slot')
      throw FhirError.of(422, 'value', 'The slot must be a reference like "Slot/123".', paths.slot);
    return { slotId: ref.id, paths };
  }
  const problems = [];
  if (!parseInstant(given.start?.value))
    problems.push(
      issue(
        'value',
        'The start must be a date and time with seconds and a time-zone offset, like 2026-12-01T09:30:00+13:00.',
        paths.start,
      ),
    );
  if (given.end && !parseInstant(given.end.value))
    problems.push(issue('value', 'The end must be a date and time with seconds and a time-zone offset.', paths.end));
  if (problems.length > 0) throw new FhirError(422, problems);
  return { start: given.start?.value as string, end: given.end?.value as string | undefined, paths };
}

function readRescheduleParameters(body: unknown) {
  return readParameters(body, '$reschedule', {
    slot: ['valueReference'],
    start: ['valueDateTime', 'valueInstant'],
    end: ['valueDateTime', 'valueInstant'],
    reason: ['valueCoding'],
  });
}

/** POST Appointment/{id}/$reschedule: the Parameters checked here, the move where the database runs. */
export async function rescheduleAppointment(
  store: FhirStore,
  id: string,
  body: unknown,
  ifMatch: string | string[] | undefined,
  now: Date,
  who: Partial<Omit<WriteContext, 'now'>> = {},
): Promise<{ cancelled: Appointment; booked: Appointment }> {
  const given = readRescheduleParameters(body);
  const to = newTimeOf(given);
  if (given.reason) {
    const problems = checkCancellationReason(given.reason.value, undefined, {
      reason: given.reason.path,
      note: given.reason.path,
    });
    if (problems.length > 0) throw new FhirError(422, problems);
  }
  const reason = given.reason ? (given.reason.value as { code: string }).code : undefined;
  try {
    return await store.run(reschedulingTransaction, { id, ifMatch, to, reason, ...contextOf({ now, ...who }) });
  } catch (error) {
    throw inParameterTerms(inClientTerms(error), to);
  }
}
