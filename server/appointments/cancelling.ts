/**
 * Cancelling. As the medTech IG page says: PUT the appointment back with only `status` changed, to
 * `cancelled` (no reason recorded). And with a reason (domain.md): `POST Appointment/{id}/$cancel`
 * with a `Parameters` of `reason` (appointment-cancellation-reason) and an optional `note`.
 */
import type { Appointment } from 'fhir/r4';
import { cancellationReasonOf, checkCancellationReason } from '../../domain/appointmentLifecycle';
import { APPOINTMENT_PATH, checkCancellation, participantsOfType, parseInstant } from '../../domain/appointmentRules';
import { checkChangeCutoff, errorsOf } from '../../domain/practiceRules';
import { FhirError } from '../core/fhirError';
import { expectedVersion, requireResource } from '../core/requestBody';
import type { FhirStore, StoreTransaction } from '../storage/fhirStore';
import { defineStoreOperation } from '../storage/storeOperation';
import { inClientTerms } from './conflicts';
import { readParameters } from './operationParameters';
import { syncSlots } from './practitionerSlots';
import { queueCancellationMessages } from '../mail/appointmentMessages';
import { recordProvenance } from './provenance';
import { contextOf, type WriteContext, type WriteInput } from './writeContext';

type IfMatch = string | string[] | undefined;

/** The stored appointment, locked for the change, or 404; 412 when If-Match names another version. */
export async function readForChange(
  tx: StoreTransaction,
  id: string,
  ifMatch: IfMatch,
  doing: string,
  notFound = '',
): Promise<Appointment> {
  const stored = await tx.readForUpdate<Appointment>('Appointment', id);
  if (!stored) throw FhirError.of(404, 'not-found', `There is no Appointment with id "${id}"${notFound}.`);
  const expected = expectedVersion(ifMatch);
  if (expected !== undefined && expected !== stored.meta?.versionId) {
    throw FhirError.of(
      412,
      'conflict',
      `The appointment has changed since it was read (version ${stored.meta?.versionId}, not ${expected.slice(0, 20)}): read it again before ${doing}.`,
    );
  }
  return stored;
}

/** Patients change their appointments online only until the cut-off before the start. */
export function checkCutoff(stored: Appointment, context: WriteContext): void {
  const problems = errorsOf(
    checkChangeCutoff(
      context.requester.kind,
      parseInstant(stored.start),
      context.now,
      context.rules,
      APPOINTMENT_PATH.start,
    ),
  );
  if (problems.length > 0) throw new FhirError(422, problems);
}

/** A cancellation as PUT and $cancel both make it: the cancelled version, who did it, and the patient's email. */
async function cancelRecorded(
  tx: StoreTransaction,
  stored: Appointment,
  changes: Partial<Appointment>,
  context: WriteContext,
): Promise<Appointment> {
  const cancelled = await cancelWithin(tx, stored, changes, context.now);
  await recordProvenance(tx, [cancelled], { operation: 'UPDATE', text: 'cancelled' }, context.requester, context.now);
  await queueCancellationMessages(tx, cancelled, context.messages, context.now);
  return cancelled;
}

/** Stores the appointment cancelled (with `changes`) and frees the practitioner's slots it held. */
export async function cancelWithin(
  tx: StoreTransaction,
  stored: Appointment,
  changes: Partial<Appointment>,
  now: Date,
): Promise<Appointment> {
  const practitionerId = participantsOfType(stored, 'Practitioner')[0]?.id;
  // The same lock as booking takes first, so the two never wait on each other's slots in opposite orders.
  if (practitionerId) await tx.readForUpdate('Practitioner', practitionerId);
  const cancelled = await tx.update<Appointment>({ ...stored, ...changes, status: 'cancelled' }, now);
  const start = parseInstant(stored.start);
  const end = parseInstant(stored.end);
  if (practitionerId && start && end) await syncSlots(tx, practitionerId, start, end, now);
  return cancelled;
}

interface Cancellation {
  /** The PUT's body, whose id is the appointment's. */
  incoming: Appointment;
  ifMatch: IfMatch;
}

/** The cancelling transaction: what needs the database. */
export const cancellingTransaction = defineStoreOperation(
  import.meta.url,
  'cancel',
  async (tx, input: WriteInput<Cancellation>) => {
    const { incoming, ifMatch } = input;
    const context = contextOf(input);
    const id = incoming.id as string;
    const found = await readForChange(
      tx,
      id,
      ifMatch,
      'cancelling',
      '; PUT only cancels existing appointments and never creates one',
    );
    const problems = checkCancellation(found, incoming);
    if (problems.length > 0) throw new FhirError(422, problems);
    checkCutoff(found, context);
    return cancelRecorded(tx, found, {}, context);
  },
);

/** PUT Appointment/{id}: checks the body here (the request's thread) and cancels where the database runs. */
export async function cancelAppointment(
  store: FhirStore,
  id: string,
  body: unknown,
  ifMatch: IfMatch,
  now: Date,
  who: Partial<Omit<WriteContext, 'now'>> = {},
): Promise<Appointment> {
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
    return await store.run(cancellingTransaction, { incoming, ifMatch, ...contextOf({ now, ...who }) });
  } catch (error) {
    throw inClientTerms(error);
  }
}

interface ReasonedCancellation {
  id: string;
  ifMatch: IfMatch;
  reason: string;
  note?: string;
}

export const cancelWithReasonTransaction = defineStoreOperation(
  import.meta.url,
  'cancelWithReason',
  async (tx, input: WriteInput<ReasonedCancellation>) => {
    const context = contextOf(input);
    const stored = await readForChange(tx, input.id, input.ifMatch, 'cancelling');
    if (stored.status !== 'booked') {
      throw FhirError.of(
        422,
        'business-rule',
        `Only a booked appointment can be cancelled; this one is "${stored.status}".`,
        APPOINTMENT_PATH.status,
      );
    }
    checkCutoff(stored, context);
    return cancelRecorded(tx, stored, { cancelationReason: cancellationReasonOf(input.reason, input.note) }, context);
  },
);

/** POST Appointment/{id}/$cancel: the Parameters checked here, the cancellation where the database runs. */
export async function cancelWithReason(
  store: FhirStore,
  id: string,
  body: unknown,
  ifMatch: IfMatch,
  now: Date,
  who: Partial<Omit<WriteContext, 'now'>> = {},
): Promise<Appointment> {
  const given = readParameters(body, '$cancel', { reason: ['valueCoding'], note: ['valueString'] });
  const problems = checkCancellationReason(given.reason?.value, given.note?.value, {
    reason: given.reason?.path ?? 'Parameters.parameter',
    note: given.note?.path ?? 'Parameters.parameter',
  });
  if (problems.length > 0) throw new FhirError(422, problems);
  const reason = (given.reason?.value as { code: string }).code;
  try {
    return await store.run(cancelWithReasonTransaction, {
      id,
      ifMatch,
      reason,
      note: given.note?.value as string | undefined,
      ...contextOf({ now, ...who }),
    });
  } catch (error) {
    throw inClientTerms(error);
  }
}
