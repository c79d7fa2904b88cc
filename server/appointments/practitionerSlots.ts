/** A practitioner's slots as a booking or cancellation changes them, inside the store's transaction. */
import type { Slot } from 'fhir/r4';
import type { StoreTransaction } from '../storage/fhirStore';

/** Used for `end` when a booking names no slot and the practitioner has no slot at that time. */
const FALLBACK_APPOINTMENT_MINUTES = 15;
const DAY_MS = 24 * 60 * 60_000;

/**
 * The practitioner's usual slot length after the start: the slot at that time, or else one of their
 * slots within a day either side (a booking before opening or at the weekend), or else the fallback.
 */
export async function usualEnd(tx: StoreTransaction, practitionerId: string, start: Date): Promise<Date> {
  const atStart = await tx.slotsOverlapping(practitionerId, start, new Date(start.getTime() + 1));
  const [{ slot } = { slot: undefined as Slot | undefined }] =
    atStart.length > 0
      ? atStart
      : await tx.slotsOverlapping(
          practitionerId,
          new Date(start.getTime() - DAY_MS),
          new Date(start.getTime() + DAY_MS),
        );
  const minutes = slot
    ? (new Date(slot.end).getTime() - new Date(slot.start).getTime()) / 60_000
    : FALLBACK_APPOINTMENT_MINUTES;
  return new Date(start.getTime() + minutes * 60_000);
}

/** Marks the practitioner's slots in the period busy or free, as the booked appointments now say. */
export async function syncSlots(
  tx: StoreTransaction,
  practitionerId: string,
  start: Date,
  end: Date,
  now: Date,
): Promise<void> {
  for (const { slot, booked } of await tx.slotsOverlapping(practitionerId, start, end)) {
    const status = booked ? 'busy' : 'free';
    if (slot.status !== status && (slot.status === 'free' || slot.status === 'busy'))
      await tx.update({ ...slot, status }, now);
  }
}
