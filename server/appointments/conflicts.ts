/** The database's double-booking guards, as the 409s a client can act on. */
import { APPOINTMENT_PATH, slotPath } from '../../domain/appointmentRules';
import { FhirError } from '../core/fhirError';
import { StoreConflict } from '../storage/storeConflict';

/** The error to answer with: a StoreConflict in the IG's words, anything else as it is. */
export function inClientTerms(error: unknown): unknown {
  if (!(error instanceof StoreConflict)) return error;
  // One booked appointment per slot (the unique index slot_booked_once).
  if (error.kind === 'unique')
    return FhirError.of(409, 'duplicate', 'That slot has just been booked by someone else.', slotPath(0));
  // A patient is never booked twice at overlapping times (the exclusion constraint patient_not_double_booked).
  if (error.constraint === 'patient_not_double_booked') {
    return FhirError.of(
      409,
      'duplicate',
      'The patient already has an appointment booked at an overlapping time (with this or another practitioner).',
      APPOINTMENT_PATH.start,
    );
  }
  // The practitioner's overlap exclusion, or PostgreSQL giving up on two transactions that raced for it.
  return FhirError.of(
    409,
    'conflict',
    'The practitioner already has a booked appointment at that time.',
    APPOINTMENT_PATH.start,
  );
}
