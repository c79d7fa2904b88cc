/**
 * Booking, as the medTech IG page and domain.md say. The profile's rules come from domain/ and are
 * checked on the request's thread; what needs the database (existence, slot ownership, availability)
 * is checked in the booking transaction, and the database's own constraints are the last word
 * against double booking.
 */
import type { Appointment, OperationOutcomeIssue, Schedule, Slot } from 'fhir/r4';
import {
  APPOINTMENT_PATH,
  checkProposedAppointment,
  participantActorPath,
  participantsOfType,
  parseInstant,
  slotId,
  slotPath,
  type ActorType,
} from '../../domain/appointmentRules';
import { issue } from '../../domain/operationOutcome';
import { checkPatientBooking, checkSlotlessBooking, errorsOf } from '../../domain/practiceRules';
import { isOnlineBookable } from '../../domain/extensions';
import { parseReference, scheduleActorIds } from '../../domain/references';
import { FhirError } from '../core/fhirError';
import { requireResource } from '../core/requestBody';
import { isMissingRequired, isStartEndInvariant, structuralIssues } from '../core/structuralValidation';
import type { FhirStore, StoreTransaction } from '../storage/fhirStore';
import { defineStoreOperation } from '../storage/storeOperation';
import type { SearchSpec } from '../storage/searchSpec';
import { inClientTerms } from './conflicts';
import { syncSlots, usualEnd } from './practitionerSlots';
import { withSlotChannelAndService } from './slotChannel';
import { queueBookingMessages } from '../mail/appointmentMessages';
import { recordProvenance } from './provenance';
import { contextOf, type WriteContext, type WriteInput } from './writeContext';

/** Structure first (400), then the profile's rules and missing mandatory elements (422). */
export function checkProposal(body: unknown, now: Date): Appointment {
  const appointment = requireResource<Appointment>(body, 'Appointment');
  const structural = structuralIssues(appointment).filter((problem) => !isStartEndInvariant(problem));
  const malformed = structural.filter((problem) => !isMissingRequired(problem));
  if (malformed.length > 0) throw new FhirError(400, malformed);
  const rules = checkProposedAppointment(appointment, now);
  const covered = new Set(rules.flatMap((problem) => problem.expression ?? []));
  const missing = structural
    .filter((problem) => !(problem.expression ?? []).some((path) => covered.has(path)))
    .map((problem) => ({ ...problem, code: 'required' as const }));
  if (rules.length + missing.length > 0) throw new FhirError(422, [...rules, ...missing]);
  return appointment;
}

/** `locked` is the practitioner the transaction has already read (and locked), not read again. */
async function checkActorsExist(
  tx: StoreTransaction,
  appointment: Appointment,
  locked: { id: string; found: boolean },
): Promise<void> {
  const problems: OperationOutcomeIssue[] = [];
  for (const type of ['Patient', 'Practitioner', 'Location'] as ActorType[]) {
    for (const { id, index } of participantsOfType(appointment, type)) {
      // The patient's row is locked too, so one patient's bookings queue (their overlap and count checks hold).
      const found =
        type === 'Practitioner' && id === locked.id
          ? locked.found
          : (await (type === 'Patient' ? tx.readForUpdate(type, id) : tx.read(type, id))) !== undefined;
      if (!found)
        problems.push(issue('not-found', `There is no ${type} with id "${id}".`, participantActorPath(index)));
    }
  }
  if (problems.length > 0) throw new FhirError(422, problems);
}

/** The slot, locked, and its schedule, which must be one of the practitioner's. */
async function claimSlot(
  tx: StoreTransaction,
  appointment: Appointment,
  practitionerId: string,
  start: Date,
): Promise<{ slot: Slot; schedule: Schedule | undefined }> {
  const id = slotId(appointment) as string;
  const slot = await tx.readForUpdate<Slot>('Slot', id);
  if (!slot) throw FhirError.of(422, 'not-found', `There is no Slot with id "${id}".`, slotPath(0));
  const schedule = await tx.read<Schedule>('Schedule', parseReference(slot.schedule?.reference)?.id ?? '');
  // Its actors include the practitioner, as its schedule_actor rows say.
  if (!scheduleActorIds(schedule, 'Practitioner').includes(practitionerId)) {
    throw FhirError.of(422, 'business-rule', "That slot belongs to another practitioner's schedule.", slotPath(0));
  }
  if (new Date(slot.start).getTime() !== start.getTime()) {
    throw FhirError.of(
      422,
      'business-rule',
      `The start must be the slot's start, ${slot.start}.`,
      APPOINTMENT_PATH.start,
    );
  }
  if (appointment.end !== undefined && new Date(slot.end).getTime() !== parseInstant(appointment.end)?.getTime()) {
    throw FhirError.of(422, 'business-rule', `The end must be the slot's end, ${slot.end}.`, APPOINTMENT_PATH.end);
  }
  if (slot.status !== 'free')
    throw FhirError.of(409, 'conflict', 'That slot is no longer free: choose another time.', slotPath(0));
  return { slot, schedule };
}

/**
 * Writes an instant in the same offset as another, so a defaulted end reads like its start: the
 * arithmetic of a fixed offset, as toFhirInstant would give it (its time-zone date costs ~0.1 ms).
 */
function inOffsetOf(instant: Date, sample: string): string {
  const offset = /([+-])(\d{2}):(\d{2})$/.exec(sample);
  const minutes = offset ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3])) : 0;
  const local = new Date(instant.getTime() + minutes * 60_000).toISOString().slice(0, 19);
  return `${local}${minutes === 0 ? '+00:00' : offset?.[0]}`;
}

/**
 * A booking into a slot without a Location participant takes the slot's schedule's location, so the
 * appointment says where the patient is seen and a search by location (a clinic's diary) finds it.
 */
export function withScheduleLocation<T extends Pick<Appointment, 'participant'>>(
  proposal: T,
  schedule: Schedule | undefined,
): T {
  const place = schedule?.actor.find((actor) => parseReference(actor.reference)?.resourceType === 'Location');
  if (!place?.reference) return proposal;
  const actor = { reference: place.reference, ...(place.display ? { display: place.display } : {}) };
  return { ...proposal, participant: [...proposal.participant, { actor, status: 'accepted' as const }] };
}

/** Where a booking goes: an id made up front (a reschedule points at it first), and the appointment it replaces. */
export interface BookingOptions {
  id?: string;
  replacing?: string;
}

/**
 * Books a proposal that passed checkProposal, inside the caller's transaction: what needs the
 * database, and the practice's rules for who is asking. Returns the stored Appointment; the caller
 * records its Provenance.
 */
export async function bookWithin(
  tx: StoreTransaction,
  proposal: Appointment,
  context: WriteContext,
  options: BookingOptions = {},
): Promise<Appointment> {
  const { now, requester, rules } = context;
  const practitionerId = participantsOfType(proposal, 'Practitioner')[0].id;
  const patientId = participantsOfType(proposal, 'Patient')[0].id;
  const start = parseInstant(proposal.start) as Date;
  // One booking or cancellation per practitioner at a time: their slot locks and the overlap
  // constraint would otherwise wait on each other in opposite orders (a deadlock, not a 409).
  const practitioner = await tx.readForUpdate('Practitioner', practitionerId);
  await checkActorsExist(tx, proposal, { id: practitionerId, found: practitioner !== undefined });
  const { slot, schedule } = slotId(proposal)
    ? await claimSlot(tx, proposal, practitionerId, start)
    : { slot: undefined, schedule: undefined };
  const end = slot
    ? new Date(slot.end)
    : proposal.end
      ? (parseInstant(proposal.end) as Date)
      : await usualEnd(tx, practitionerId, start);
  if (!slot) {
    const slotless = checkSlotlessBooking(requester.kind, start, end, {
      slot: APPOINTMENT_PATH.slot,
      end: APPOINTMENT_PATH.end,
    });
    if (slotless.length > 0) throw new FhirError(422, slotless);
  }
  const needsPlace = slot !== undefined && participantsOfType(proposal, 'Location').length === 0;
  if (requester.kind === 'patient') {
    const futureBookings = await tx.futureBookingsOf(patientId, now, options.replacing);
    const problems = errorsOf(
      checkPatientBooking(
        'patient',
        { start, onlineBookable: isOnlineBookable(schedule, slot), futureBookings },
        now,
        rules,
        { start: APPOINTMENT_PATH.start, slot: slotPath(0) },
      ),
    );
    if (problems.length > 0) throw new FhirError(422, problems);
  }
  const overlaps = await tx.bookedOverlaps({ practitionerId, patientId }, start, end, options.replacing);
  if (overlaps.practitioner) {
    throw FhirError.of(
      409,
      'conflict',
      'The practitioner already has a booked appointment at that time.',
      APPOINTMENT_PATH.start,
    );
  }
  if (overlaps.patient) {
    throw FhirError.of(
      409,
      'duplicate',
      'The patient already has an appointment booked at an overlapping time (with this or another practitioner).',
      APPOINTMENT_PATH.start,
    );
  }
  const { id: _clientId, meta: _clientMeta, ...content } = proposal;
  const booked = await tx.create<Appointment>(
    {
      ...withSlotChannelAndService(needsPlace ? withScheduleLocation(content, schedule) : content, slot),
      status: 'booked',
      end: slot?.end ?? proposal.end ?? inOffsetOf(end, proposal.start as string),
      created: content.created ?? inOffsetOf(now, proposal.start as string),
    },
    now,
    options.id,
  );
  await syncSlots(tx, practitionerId, start, end, now);
  return booked;
}

/** Books, records who did and queues the emails: the whole of a booking, inside the caller's transaction. */
async function bookAndRecord(tx: StoreTransaction, input: WriteInput<{ proposal: Appointment }>): Promise<Appointment> {
  const context = contextOf(input);
  const booked = await bookWithin(tx, input.proposal, context);
  await recordProvenance(tx, [booked], { operation: 'CREATE', text: 'booked' }, context.requester, context.now);
  await queueBookingMessages(tx, booked, context.messages, context.now);
  return booked;
}

/** The booking transaction for a proposal that passed checkProposal: what needs the database, and who booked it. */
export const bookingTransaction = defineStoreOperation(import.meta.url, 'book', bookAndRecord);

/** What a conditional booking came to: booked now, or the one already matching the condition. */
export interface ConditionalBooking {
  appointment: Appointment;
  created: boolean;
}

/**
 * A booking with If-None-Exist, decided in its own transaction. The practitioner's and the patient's
 * rows are locked first, in the order every booking locks them, so a retry of the same booking waits
 * for the first to commit and its search then sees it: two retries never both book, and the second
 * is answered with the first instead of a 409 for the slot it took.
 */
export const conditionalBookingTransaction = defineStoreOperation(
  import.meta.url,
  'bookUnlessExists',
  async (tx, input: WriteInput<{ proposal: Appointment; existing: SearchSpec }>): Promise<ConditionalBooking> => {
    await tx.readForUpdate('Practitioner', participantsOfType(input.proposal, 'Practitioner')[0].id);
    await tx.readForUpdate('Patient', participantsOfType(input.proposal, 'Patient')[0].id);
    const found = await tx.search({ ...input.existing, count: 2, offset: 0, include: [] });
    if (found.total > 1)
      throw FhirError.of(
        412,
        'duplicate',
        `If-None-Exist matches ${found.total} appointments; it must match one at most. Make the condition narrower.`,
      );
    if (found.total === 1) return { appointment: found.matches[0] as Appointment, created: false };
    return { appointment: await bookAndRecord(tx, input), created: true };
  },
);

/** POST Appointment with If-None-Exist (conditional create): `existing` is its search, parsed and narrowed to what the caller may see. */
export async function bookAppointmentUnlessExists(
  store: FhirStore,
  body: unknown,
  existing: SearchSpec,
  now: Date,
  who: Partial<Omit<WriteContext, 'now'>> = {},
): Promise<ConditionalBooking> {
  const proposal = checkProposal(body, now);
  try {
    return await store.run(conditionalBookingTransaction, { proposal, existing, ...contextOf({ now, ...who }) });
  } catch (error) {
    throw inClientTerms(error);
  }
}

/** POST Appointment: checks the proposal here (the request's thread) and books it where the database runs. */
export async function bookAppointment(
  store: FhirStore,
  body: unknown,
  now: Date,
  who: Partial<Omit<WriteContext, 'now'>> = {},
): Promise<Appointment> {
  const proposal = checkProposal(body, now);
  try {
    return await store.run(bookingTransaction, { proposal, ...contextOf({ now, ...who }) });
  } catch (error) {
    throw inClientTerms(error);
  }
}
