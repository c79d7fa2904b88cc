/** Cancelling, as the medTech IG page says: PUT the appointment back with only `status` changed, to `cancelled`. */
import type { Appointment } from 'fhir/r4';
import { checkCancellation, participantsOfType, parseInstant } from '../../domain/appointmentRules';
import { FhirError } from '../core/fhirError';
import { expectedVersion, requireResource } from '../core/requestBody';
import type { FhirStore } from '../storage/fhirStore';
import { defineStoreOperation } from '../storage/storeOperation';
import { inClientTerms } from './conflicts';
import { syncSlots } from './practitionerSlots';

interface Cancellation {
  /** The PUT's body, whose id is the appointment's. */
  incoming: Appointment;
  ifMatch: string | string[] | undefined;
  now: Date;
}

/** The cancelling transaction: what needs the database. */
export const cancellingTransaction = defineStoreOperation(import.meta.url, 'cancel', async (tx, { incoming, ifMatch, now }: Cancellation) => {
  const id = incoming.id as string;
  const stored = await tx.readForUpdate<Appointment>('Appointment', id);
  if (!stored) throw FhirError.of(404, 'not-found', `There is no Appointment with id "${id}"; PUT only cancels existing appointments and never creates one.`);
  const expected = expectedVersion(ifMatch);
  if (expected !== undefined && expected !== stored.meta?.versionId) {
    throw FhirError.of(
      412,
      'conflict',
      `The appointment has changed since it was read (version ${stored.meta?.versionId}, not ${expected.slice(0, 20)}): read it again before cancelling.`,
    );
  }
  const problems = checkCancellation(stored, incoming);
  if (problems.length > 0) throw new FhirError(422, problems);
  const practitionerId = participantsOfType(stored, 'Practitioner')[0]?.id;
  // The same lock as booking takes first, so the two never wait on each other's slots in opposite orders.
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

/** PUT Appointment/{id}: checks the body here (the request's thread) and cancels where the database runs. */
export async function cancelAppointment(store: FhirStore, id: string, body: unknown, ifMatch: string | string[] | undefined, now: Date): Promise<Appointment> {
  const incoming = requireResource<Appointment>(body, 'Appointment');
  if (incoming.id !== id) {
    throw FhirError.of(
      400,
      'invalid',
      incoming.id === undefined
        ? "The body must carry the appointment's id."
        : `The id in the body ("${String(incoming.id).slice(0, 64)}") differs from the id in the URL ("${id}").`,
      'Appointment.id',
    );
  }
  try {
    return await store.run(cancellingTransaction, { incoming, ifMatch, now });
  } catch (error) {
    throw inClientTerms(error);
  }
}
