import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Appointment } from 'fhir/r4';
import { actorId } from '../../../../domain/appointmentRules';
import { useFhirClient } from '../../../lib/appContext';
import { bookAppointment } from '../../../lib/appointmentWrites';
import { bundleResources, FhirRequestError, type FhirClient, type SearchParams } from '../../../lib/fhirClient';
import { addBookedAppointment } from '../../../lib/patientAppointmentList';
import { useServerCapabilities } from '../../../lib/serverCapabilities';
import { queryKeys } from '../../../lib/queryKeys';

export interface BookingAttempt {
  appointment: Appointment;
  /** The last attempt's answer was lost, so it may have been booked: look before posting again. */
  checkExistingFirst: boolean;
}

export interface BookingResult {
  appointment: Appointment;
  /** It had been booked by an earlier attempt whose answer never arrived. */
  recovered: boolean;
}

/** No answer, or a gateway's instead of the server's: the POST may or may not have been stored. */
export function isUncertainFailure(error: unknown): boolean {
  return error instanceof FhirRequestError && (error.status === 0 || error.status === 502 || error.status === 504);
}

/** The search for the booking an earlier, unanswered POST may have made: same patient, practitioner and start. */
function sameBooking(proposed: Appointment): SearchParams | undefined {
  const patientId = actorId(proposed, 'Patient');
  const practitionerId = actorId(proposed, 'Practitioner');
  if (!patientId || !practitionerId || !proposed.start) return undefined;
  return [
    ['patient', `Patient/${patientId}`],
    ['practitioner', `Practitioner/${practitionerId}`],
    ['date', `ge${proposed.start}`],
    ['date', `le${proposed.start}`],
    ['status', 'booked'],
  ];
}

/** The booked appointment an earlier, unanswered POST may have made, looked for by a search. */
export async function findExistingBooking(client: FhirClient, proposed: Appointment): Promise<Appointment | undefined> {
  const query = sameBooking(proposed);
  if (!query || !proposed.start) return undefined;
  const bundle = await client.search('Appointment', query);
  const start = new Date(proposed.start).getTime();
  return bundleResources<Appointment>(bundle).matches.find(
    (appointment) => appointment.start && new Date(appointment.start).getTime() === start,
  );
}

/**
 * Posts again after a lost answer without booking twice. Where the server declares conditional create,
 * one POST with If-None-Exist: the server decides in the booking's own transaction (two retries cannot
 * both book) and answers 200 with the earlier booking. Elsewhere, a search first, then the booking as usual.
 */
async function retryBooking(
  client: FhirClient,
  appointment: Appointment,
  conditionalCreate: boolean,
): Promise<BookingResult> {
  const condition = sameBooking(appointment);
  if (conditionalCreate && condition) {
    const answer = await client.create(appointment, undefined, { ifNoneExist: condition });
    return { appointment: answer.resource, recovered: answer.status === 200 };
  }
  const existing = await findExistingBooking(client, appointment);
  if (existing) return { appointment: existing, recovered: true };
  return { appointment: await bookAppointment(client, appointment), recovered: false };
}

export function useBookAppointment() {
  const client = useFhirClient();
  const queryClient = useQueryClient();
  const capabilities = useServerCapabilities();
  return useMutation({
    mutationFn: async ({ appointment, checkExistingFirst }: BookingAttempt): Promise<BookingResult> => {
      if (checkExistingFirst)
        return retryBooking(client, appointment, capabilities.supportsConditionalCreate('Appointment'));
      return { appointment: await bookAppointment(client, appointment), recovered: false };
    },
    onSettled: async (result, error, { appointment }) => {
      const patientId = actorId(appointment, 'Patient');
      const practitionerId = actorId(appointment, 'Practitioner');
      const booked = error === null;
      const slotTaken = error instanceof FhirRequestError && error.status === 409;
      // A booking changes the patient's appointments and the practitioner's free slots; a clash
      // means our slots were out of date. The server's answer is the new appointment: the patient's
      // list takes it as it is where it can, rather than searching again (the usual clinic kept under
      // that list counts past visits only, which a booking is not). The free slots are always searched
      // again: the booking took one, and others may have gone meanwhile.
      const listed = booked && addBookedAppointment(queryClient, result?.appointment);
      await Promise.all([
        booked && !listed && patientId
          ? queryClient.invalidateQueries({ queryKey: queryKeys.appointments.forPatient(patientId) })
          : undefined,
        (booked || slotTaken) && practitionerId
          ? queryClient.invalidateQueries({ queryKey: queryKeys.slots.forPractitioner(practitionerId) })
          : undefined,
        booked || slotTaken
          ? queryClient.invalidateQueries({ queryKey: queryKeys.slots.anyPractitioner() })
          : undefined,
      ]);
    },
  });
}
