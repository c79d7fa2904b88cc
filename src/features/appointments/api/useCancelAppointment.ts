import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Appointment } from 'fhir/r4';
import { actorId } from '../../../../domain/appointmentRules';
import { useFhirClient } from '../../../lib/appContext';
import { FhirRequestError, ifMatchFor } from '../../../lib/fhirClient';
import { queryKeys } from '../../../lib/queryKeys';

/**
 * Cancelling as the IG says: read the latest version, change only the status, PUT it back with
 * If-Match so a copy someone else changed meanwhile is refused (412) rather than overwritten.
 */
export function useCancelAppointment(patientId: string) {
  const client = useFhirClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (appointmentId: string) => {
      const latest = await client.read<Appointment>('Appointment', appointmentId);
      const ifMatch = ifMatchFor(latest.etag, latest.resource.meta?.versionId);
      const saved = await client.update<Appointment>({ ...latest.resource, status: 'cancelled' }, ifMatch);
      return saved.resource;
    },
    onSuccess: async (cancelled) => {
      const practitionerId = actorId(cancelled, 'Practitioner');
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queryKeys.appointments.forPatient(patientId) }),
        practitionerId ? queryClient.invalidateQueries({ queryKey: queryKeys.slots.forPractitioner(practitionerId) }) : undefined,
        queryClient.invalidateQueries({ queryKey: queryKeys.slots.anyPractitioner() }),
      ]);
    },
    onError: async (error) => {
      // A stale or refused change means our list is out of date: show what is really stored.
      if (error instanceof FhirRequestError && (error.status === 412 || error.status === 422 || error.status === 404)) {
        await queryClient.invalidateQueries({ queryKey: queryKeys.appointments.forPatient(patientId) });
      }
    },
  });
}

/** Plain words for why a cancellation failed. */
export function cancelFailureTitle(error: unknown): string {
  if (!(error instanceof FhirRequestError)) return 'The appointment could not be cancelled.';
  if (error.status === 412) return 'Someone else changed this appointment while you were looking at it, so it was not cancelled. The list now shows what is stored: check it and try again if it still needs cancelling.';
  if (error.status === 422) return 'The server refused to cancel this appointment.';
  if (error.status === 404) return 'This appointment no longer exists on the server.';
  return error.message;
}
