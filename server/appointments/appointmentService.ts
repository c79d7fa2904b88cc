/**
 * Booking and cancelling, as the medTech IG page and domain.md say. The profile's rules come from
 * domain/; what needs the database (existence, slot ownership, availability) is checked here, and
 * the database's own constraints are the last word against double booking.
 */
import type { Appointment, OperationOutcomeIssue, Slot } from 'fhir/r4';
import {
  APPOINTMENT_PATH,
  checkCancellation,
  checkProposedAppointment,
  participantActorPath,
  participantsOfType,
  parseInstant,
  slotId,
  slotPath,
  type ActorType,
} from '../../domain/appointmentRules';
import { issue } from '../../domain/operationOutcome';
import { parseReference } from '../../domain/references';
import type { FhirStore, StoreTransaction } from '../storage/fhirStore';
import { PG_EXCLUSION_VIOLATION, PG_SERIALIZATION_FAILURE, PG_UNIQUE_VIOLATION, pgErrorCode } from '../database/sqlClient';
import { FhirError } from '../core/fhirError';
import { expectedVersion, requireResource } from '../core/requestBody';
import { isMissingRequired, isStartEndInvariant, structuralIssues } from '../core/structuralValidation';

/** Used for `end` when a booking names no slot and the practitioner has no slot at that time. */
const FALLBACK_APPOINTMENT_MINUTES = 15;

function conflictFromConstraint(error: unknown): FhirError | undefined {
  const code = pgErrorCode(error);
  if (code === PG_EXCLUSION_VIOLATION || code === PG_SERIALIZATION_FAILURE) {
    return FhirError.of(409, 'conflict', 'The practitioner already has a booked appointment at that time.', APPOINTMENT_PATH.start);
  }
  if (code === PG_UNIQUE_VIOLATION) return FhirError.of(409, 'duplicate', 'That slot has just been booked by someone else.', slotPath(0));
  return undefined;
}

/** Structure first (400), then the profile's rules and missing mandatory elements (422). */
function checkProposal(body: unknown, now: Date): Appointment {
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
async function checkActorsExist(tx: StoreTransaction, appointment: Appointment, locked: { id: string; found: boolean }): Promise<void> {
  const problems: OperationOutcomeIssue[] = [];
  for (const type of ['Patient', 'Practitioner', 'Location'] as ActorType[]) {
    for (const { id, index } of participantsOfType(appointment, type)) {
      const found = type === 'Practitioner' && id === locked.id ? locked.found : (await tx.read(type, id)) !== undefined;
      if (!found) problems.push(issue('not-found', `There is no ${type} with id "${id}".`, participantActorPath(index)));
    }
  }
  if (problems.length > 0) throw new FhirError(422, problems);
}

/** `scheduleIds` are the practitioner's schedules (those whose actors include them). */
async function claimSlot(tx: StoreTransaction, appointment: Appointment, scheduleIds: string[], start: Date): Promise<Slot> {
  const id = slotId(appointment) as string;
  const slot = await tx.readForUpdate<Slot>('Slot', id);
  if (!slot) throw FhirError.of(422, 'not-found', `There is no Slot with id "${id}".`, slotPath(0));
  if (!scheduleIds.includes(parseReference(slot.schedule?.reference)?.id ?? '')) {
    throw FhirError.of(422, 'business-rule', 'That slot belongs to another practitioner\'s schedule.', slotPath(0));
  }
  if (new Date(slot.start).getTime() !== start.getTime()) {
    throw FhirError.of(422, 'business-rule', `The start must be the slot's start, ${slot.start}.`, APPOINTMENT_PATH.start);
  }
  if (appointment.end !== undefined && new Date(slot.end).getTime() !== parseInstant(appointment.end)?.getTime()) {
    throw FhirError.of(422, 'business-rule', `The end must be the slot's end, ${slot.end}.`, APPOINTMENT_PATH.end);
  }
  if (slot.status !== 'free') throw FhirError.of(409, 'conflict', 'That slot is no longer free: choose another time.', slotPath(0));
  return slot;
}

const DAY_MS = 24 * 60 * 60_000;

/**
 * The practitioner's usual slot length after the start: the slot at that time, or else one of their
 * slots within a day either side (a booking before opening or at the weekend), or else the fallback.
 */
async function usualEnd(tx: StoreTransaction, scheduleIds: string[], practitionerId: string, start: Date): Promise<Date> {
  const atStart = await tx.slotsOverlapping(scheduleIds, start, new Date(start.getTime() + 1), practitionerId);
  const [{ slot } = { slot: undefined }] = atStart.length > 0 ? atStart : await tx.slotsOverlapping(scheduleIds, new Date(start.getTime() - DAY_MS), new Date(start.getTime() + DAY_MS), practitionerId);
  const minutes = slot ? (new Date(slot.end).getTime() - new Date(slot.start).getTime()) / 60_000 : FALLBACK_APPOINTMENT_MINUTES;
  return new Date(start.getTime() + minutes * 60_000);
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

/** Marks the practitioner's slots in the period busy or free, as the booked appointments now say. */
async function syncSlots(tx: StoreTransaction, scheduleIds: string[], practitionerId: string, start: Date, end: Date, now: Date): Promise<void> {
  for (const { slot, booked } of await tx.slotsOverlapping(scheduleIds, start, end, practitionerId)) {
    const status = booked ? 'busy' : 'free';
    if (slot.status !== status && (slot.status === 'free' || slot.status === 'busy')) await tx.update({ ...slot, status }, now);
  }
}

/** Checks the proposal here (the request's thread) and books it where the database runs. */
export async function bookAppointment(store: FhirStore, body: unknown, now: Date): Promise<Appointment> {
  return store.book(checkProposal(body, now), now);
}

/** The booking transaction for a proposal that passed checkProposal: what needs the database. */
export async function bookCheckedProposal(store: FhirStore, proposal: Appointment, now: Date): Promise<Appointment> {
  const practitionerId = participantsOfType(proposal, 'Practitioner')[0].id;
  const start = parseInstant(proposal.start) as Date;
  try {
    return await store.transaction(async (tx) => {
      // One booking or cancellation per practitioner at a time: their slot locks and the overlap
      // constraint would otherwise wait on each other in opposite orders (a deadlock, not a 409).
      const practitioner = await tx.readForUpdate('Practitioner', practitionerId);
      await checkActorsExist(tx, proposal, { id: practitionerId, found: practitioner !== undefined });
      const scheduleIds = await tx.scheduleIdsOf(practitionerId);
      const slot = slotId(proposal) ? await claimSlot(tx, proposal, scheduleIds, start) : undefined;
      const end = slot ? new Date(slot.end) : proposal.end ? (parseInstant(proposal.end) as Date) : await usualEnd(tx, scheduleIds, practitionerId, start);
      if (await tx.hasBookedOverlap(practitionerId, start, end)) {
        throw FhirError.of(409, 'conflict', 'The practitioner already has a booked appointment at that time.', APPOINTMENT_PATH.start);
      }
      const { id: _clientId, meta: _clientMeta, ...content } = proposal;
      const booked = await tx.create<Appointment>(
        { ...content, status: 'booked', end: slot?.end ?? proposal.end ?? inOffsetOf(end, proposal.start as string), created: content.created ?? inOffsetOf(now, proposal.start as string) },
        now,
      );
      await syncSlots(tx, scheduleIds, practitionerId, start, end, now);
      return booked;
    });
  } catch (error) {
    throw conflictFromConstraint(error) ?? error;
  }
}

/** Checks the body here (the request's thread) and cancels where the database runs. */
export async function cancelAppointment(store: FhirStore, id: string, body: unknown, ifMatch: string | string[] | undefined, now: Date): Promise<Appointment> {
  const incoming = requireResource<Appointment>(body, 'Appointment');
  if (incoming.id !== id) {
    throw FhirError.of(400, 'invalid', incoming.id === undefined ? 'The body must carry the appointment\'s id.' : `The id in the body ("${String(incoming.id).slice(0, 64)}") differs from the id in the URL ("${id}").`, 'Appointment.id');
  }
  return store.cancel(incoming, ifMatch, now);
}

/** The cancelling transaction for a body whose id is the appointment's: what needs the database. */
export function cancelCheckedAppointment(store: FhirStore, incoming: Appointment, ifMatch: string | string[] | undefined, now: Date): Promise<Appointment> {
  const id = incoming.id as string;
  return store.transaction(async (tx) => {
    const stored = await tx.readForUpdate<Appointment>('Appointment', id);
    if (!stored) throw FhirError.of(404, 'not-found', `There is no Appointment with id "${id}"; PUT only cancels existing appointments and never creates one.`);
    const expected = expectedVersion(ifMatch);
    if (expected !== undefined && expected !== stored.meta?.versionId) {
      throw FhirError.of(412, 'conflict', `The appointment has changed since it was read (version ${stored.meta?.versionId}, not ${expected.slice(0, 20)}): read it again before cancelling.`);
    }
    const problems = checkCancellation(stored, incoming);
    if (problems.length > 0) throw new FhirError(422, problems);
    const practitionerId = participantsOfType(stored, 'Practitioner')[0]?.id;
    if (practitionerId) await tx.readForUpdate('Practitioner', practitionerId);
    const cancelled = await tx.update<Appointment>({ ...stored, status: 'cancelled' }, now);
    const start = parseInstant(stored.start);
    const end = parseInstant(stored.end);
    if (practitionerId && start && end) {
      const scheduleIds = await tx.scheduleIdsOf(practitionerId);
      await syncSlots(tx, scheduleIds, practitionerId, start, end, now);
    }
    return cancelled;
  });
}
