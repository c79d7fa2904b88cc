import type { Appointment } from 'fhir/r4';
import { useRef, useState } from 'react';
import { APPOINTMENT_PATH } from '../../../../domain/appointmentRules';
import { errorLines } from '../../../components/ErrorSummary';
import { FhirRequestError } from '../../../lib/fhirClient';
import { useIsSlow } from '../../../lib/useIsSlow';
import { issuesByField, type FieldMessages } from '../api/proposedAppointment';
import { isUncertainFailure, useBookAppointment, type BookingResult } from '../api/useBookAppointment';

/** Why the server would not book: its issues beside the fields their expressions name, the rest for a summary. */
export interface BookingRefusal {
  /** The failure in one line, as `errorLines` words it. */
  reason: string;
  /** The chosen slot went to someone else meanwhile (409): the free slots are being refreshed. */
  slotTaken: boolean;
  /** The patient already has an appointment at an overlapping time, with anyone (409 duplicate on the start). */
  patientBusy: boolean;
  fields: FieldMessages;
  summary: string[];
}

/** What came of one submit: "busy" when another was still on its way, so nothing was sent. */
export type SubmissionOutcome =
  | { kind: 'booked'; result: BookingResult }
  | { kind: 'uncertain' }
  | { kind: 'refused'; refusal: BookingRefusal }
  | { kind: 'busy' };

export interface BookingSubmission {
  submit: (appointment: Appointment) => Promise<SubmissionOutcome>;
  pending: boolean;
  /** Pending for longer than a person waits without wondering. */
  slow: boolean;
  /** The last answer was lost, so it may have been booked: the next submit looks for it before posting. */
  uncertain: boolean;
}

function refusalOf(error: unknown, submitted: Appointment): BookingRefusal {
  const issues = error instanceof FhirRequestError ? error.issues : [];
  const clash = error instanceof FhirRequestError && error.status === 409;
  // The server says "duplicate" on the start for the patient's own overlap; on the slot, for a slot taken.
  const patientBusy =
    clash && issues.some((found) => found.code === 'duplicate' && found.expression?.includes(APPOINTMENT_PATH.start));
  return {
    reason: errorLines(error).title,
    slotTaken: clash && !patientBusy,
    patientBusy,
    ...issuesByField(issues, submitted),
  };
}

/** Booking the way the desk and a patient both do: once at a time, and never twice after a lost answer. */
export function useBookingSubmission(): BookingSubmission {
  const booking = useBookAppointment();
  const [uncertain, setUncertain] = useState(false);
  // A ref, not the mutation's state: a second click can come before the re-render that says it is pending.
  const inFlight = useRef(false);
  const slow = useIsSlow(booking.isPending);

  const submit = async (appointment: Appointment): Promise<SubmissionOutcome> => {
    if (inFlight.current) return { kind: 'busy' };
    inFlight.current = true;
    try {
      const result = await booking.mutateAsync({ appointment, checkExistingFirst: uncertain });
      setUncertain(false);
      return { kind: 'booked', result };
    } catch (error) {
      if (isUncertainFailure(error)) {
        setUncertain(true);
        return { kind: 'uncertain' };
      }
      setUncertain(false);
      return { kind: 'refused', refusal: refusalOf(error, appointment) };
    } finally {
      inFlight.current = false;
    }
  };

  return { submit, pending: booking.isPending, slow, uncertain };
}
