/**
 * Booking and cancelling on any FHIR R4 server. Every Appointment the app writes is valid R4: one
 * with a `start` has an `end` (invariant app-2), the slot's end or the practitioner's usual slot length.
 *
 * A server that declares the medTech IG (`holdsBookingRules`) books a POSTed `proposed` appointment
 * itself and frees the slot on cancelling: the app sends the page's two writes and nothing else. A server
 * that declares no such rules only stores what it is sent, so there the app does the server's part:
 * it reads the slot again (still free, same start), looks for the patient's and the practitioner's
 * appointments at that time, claims the slot (PUT `busy` with If-Match, so of two desks only one gets
 * it), and only then POSTs the appointment, as `booked` since nobody else will book it. If the POST
 * fails the slot is let go again. Cancelling frees the slot where no other appointment holds it.
 */
import type { Appointment, Bundle, Schedule, Slot } from 'fhir/r4';
import { actorId, APPOINTMENT_PATH, slotId, slotPath } from '../../domain/appointmentRules';
import { issue } from '../../domain/operationOutcome';
import { FhirRequestError, ifMatchFor, type FhirClient } from './fhirClient';
import { searchAll } from './searchAll';
import { holdsBookingRules } from './serverCapabilities';

/** The length of an appointment without a slot when none of the practitioner's slots says otherwise. */
export const USUAL_APPOINTMENT_MINUTES = 15;
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Statuses that hold their time: anything else (cancelled, noshow, entered-in-error) leaves it free. */
const HOLDS_ITS_TIME = new Set<Appointment['status']>([
  'proposed',
  'pending',
  'booked',
  'arrived',
  'fulfilled',
  'checked-in',
]);

/** `start` plus minutes, written in the start's own offset (`+13:00` stays `+13:00`). */
export function addMinutesInOffset(start: string, minutes: number): string {
  const offset = /(Z|[+-]\d{2}:\d{2})$/.exec(start)?.[1] ?? 'Z';
  const offsetMinutes =
    offset === 'Z'
      ? 0
      : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4)));
  const local = new Date(new Date(start).getTime() + (minutes + offsetMinutes) * MINUTE);
  return `${local.toISOString().slice(0, 19)}${offset === 'Z' ? 'Z' : offset}`;
}

/** How long the practitioner's slots are around `start`: one of theirs within a day, else the usual length. */
async function usualMinutes(client: FhirClient, practitionerId: string, start: string): Promise<number> {
  const schedules = await client.search('Schedule', [['actor', `Practitioner/${practitionerId}`]]);
  const ids = (schedules.entry ?? []).flatMap((entry) =>
    entry.resource?.resourceType === 'Schedule' ? [(entry.resource as Schedule).id] : [],
  );
  if (ids.length === 0) return USUAL_APPOINTMENT_MINUTES;
  const at = new Date(start).getTime();
  const slots: Bundle = await client.search('Slot', [
    ['schedule', ids.map((id) => `Schedule/${id}`).join(',')],
    ['start', `ge${new Date(at - DAY).toISOString()}`],
    ['start', `le${new Date(at + DAY).toISOString()}`],
    ['_count', '1'],
  ]);
  const slot = slots.entry?.find((entry) => entry.resource?.resourceType === 'Slot')?.resource as Slot | undefined;
  return slot ? (new Date(slot.end).getTime() - new Date(slot.start).getTime()) / MINUTE : USUAL_APPOINTMENT_MINUTES;
}

/** The proposal with its `end`: the slot's (read when the caller did not know it), or the usual length after `start`. */
export async function withEnd(client: FhirClient, proposal: Appointment): Promise<Appointment> {
  if (proposal.end || !proposal.start) return proposal;
  const slot = slotId(proposal);
  if (slot) return { ...proposal, end: (await client.read<Slot>('Slot', slot)).resource.end };
  const practitionerId = actorId(proposal, 'Practitioner');
  const minutes = practitionerId
    ? await usualMinutes(client, practitionerId, proposal.start)
    : USUAL_APPOINTMENT_MINUTES;
  return { ...proposal, end: addMinutesInOffset(proposal.start, minutes) };
}

const slotTaken = () =>
  new FhirRequestError(409, 'That slot is no longer free.', [
    issue('conflict', 'That slot was booked by someone else a moment ago: choose another time.', slotPath(0)),
  ]);

/** Appointments of the actor that hold part of [start, end). */
async function overlapping(client: FhirClient, actor: string, start: Date, end: Date): Promise<Appointment[]> {
  const { matches } = await searchAll<Appointment>(client, 'Appointment', [
    ['actor', actor],
    // An appointment that overlaps starts before the end, and (being under a day long) after a day before the start.
    ['date', `ge${new Date(start.getTime() - DAY).toISOString()}`],
    ['date', `lt${end.toISOString()}`],
  ]);
  return matches.filter((found) => {
    if (!HOLDS_ITS_TIME.has(found.status) || !found.start) return false;
    const foundStart = new Date(found.start).getTime();
    const foundEnd = found.end ? new Date(found.end).getTime() : foundStart + USUAL_APPOINTMENT_MINUTES * MINUTE;
    return foundStart < end.getTime() && foundEnd > start.getTime();
  });
}

async function checkNobodyDoubleBooked(client: FhirClient, appointment: Appointment): Promise<void> {
  const start = new Date(appointment.start ?? '');
  const end = new Date(appointment.end ?? '');
  const patientId = actorId(appointment, 'Patient');
  const practitionerId = actorId(appointment, 'Practitioner');
  if (practitionerId && (await overlapping(client, `Practitioner/${practitionerId}`, start, end)).length > 0)
    throw new FhirRequestError(409, 'The practitioner is already booked at that time.', [
      issue(
        'duplicate',
        'The practitioner already has an appointment at that time: choose another time.',
        APPOINTMENT_PATH.start,
      ),
    ]);
  if (patientId && (await overlapping(client, `Patient/${patientId}`, start, end)).length > 0)
    throw new FhirRequestError(409, 'The patient is already booked at that time.', [
      issue(
        'duplicate',
        'The patient already has an appointment at that time, with someone: choose another time.',
        APPOINTMENT_PATH.start,
      ),
    ]);
}

/** The slot, read again and marked busy with If-Match: a 409 if it is not free at the proposal's start any more. */
async function claimSlot(client: FhirClient, id: string, start: string): Promise<Slot> {
  const latest = await client.read<Slot>('Slot', id);
  const slot = latest.resource;
  if (slot.status !== 'free' || new Date(slot.start).getTime() !== new Date(start).getTime()) throw slotTaken();
  try {
    return (await client.update<Slot>({ ...slot, status: 'busy' }, ifMatchFor(latest.etag, slot.meta?.versionId)))
      .resource;
  } catch (error) {
    // Someone changed the slot between our read and our claim: they took it.
    if (error instanceof FhirRequestError && (error.status === 409 || error.status === 412)) throw slotTaken();
    throw error;
  }
}

/** Books as the app's own server would: the checks and the slot claim first, then the POST. */
async function bookWhereNobodyChecks(client: FhirClient, proposal: Appointment): Promise<Appointment> {
  const slot = slotId(proposal);
  await checkNobodyDoubleBooked(client, proposal);
  const claimed = slot ? await claimSlot(client, slot, proposal.start ?? '') : undefined;
  try {
    return (await client.create<Appointment>({ ...proposal, status: 'booked' })).resource;
  } catch (error) {
    if (claimed && !(error instanceof FhirRequestError && error.isNetworkFailure))
      await client
        .update<Slot>({ ...claimed, status: 'free' }, ifMatchFor(null, claimed.meta?.versionId))
        .catch(() => undefined);
    throw error;
  }
}

/**
 * Whether this server books under the IG's rules. A server that answers `metadata` with a refusal (4xx)
 * declares nothing; one that cannot be reached fails the write, rather than have the app do a server's
 * part against a server that would refuse it.
 */
async function serverHoldsRules(client: FhirClient): Promise<boolean> {
  try {
    return holdsBookingRules(await client.capabilities());
  } catch (error) {
    if (error instanceof FhirRequestError && error.status >= 400 && error.status < 500) return false;
    throw error;
  }
}

/** Books the proposal (status `proposed`, as the booking form checked it) on whatever server this is. */
export async function bookAppointment(client: FhirClient, proposal: Appointment): Promise<Appointment> {
  const holdsRules = await serverHoldsRules(client);
  const complete = await withEnd(client, proposal);
  if (holdsRules) return (await client.create(complete)).resource;
  return bookWhereNobodyChecks(client, complete);
}

/** After a cancel on a server without the IG's rules: the slot is free again unless another appointment holds it. */
async function releaseSlot(client: FhirClient, cancelled: Appointment): Promise<void> {
  const id = slotId(cancelled);
  if (!id) return;
  const holders = await searchAll<Appointment>(client, 'Appointment', [['slot', `Slot/${id}`]]);
  if (holders.matches.some((found) => found.id !== cancelled.id && HOLDS_ITS_TIME.has(found.status))) return;
  const latest = await client.read<Slot>('Slot', id);
  if (latest.resource.status !== 'busy') return;
  await client.update<Slot>(
    { ...latest.resource, status: 'free' },
    ifMatchFor(latest.etag, latest.resource.meta?.versionId),
  );
}

/**
 * The page's way to cancel: read the latest version, change only the status, PUT it back with If-Match
 * so a copy someone else changed meanwhile is refused (412) rather than overwritten. Where the server
 * holds no booking rules, the app frees the slot too.
 */
export async function cancelByPut(client: FhirClient, appointmentId: string): Promise<Appointment> {
  const latest = await client.read<Appointment>('Appointment', appointmentId);
  const ifMatch = ifMatchFor(latest.etag, latest.resource.meta?.versionId);
  const cancelled = (await client.update<Appointment>({ ...latest.resource, status: 'cancelled' }, ifMatch)).resource;
  if (!(await serverHoldsRules(client))) await releaseSlot(client, cancelled);
  return cancelled;
}
