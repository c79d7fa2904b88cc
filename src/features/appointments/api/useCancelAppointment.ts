import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Appointment } from 'fhir/r4';
import { useFhirClient } from '../../../lib/appContext';
import { cancelByPut } from '../../../lib/appointmentWrites';
import { FhirRequestError } from '../../../lib/fhirClient';
import { useServerCapabilities } from '../../../lib/serverCapabilities';
import { invalidateAfterChange } from './appointmentChanges';
import { cancelParameters, type CancellationChoice } from './cancellationReasons';

export interface CancelRequest {
  appointment: Appointment;
  reason: CancellationChoice;
}

/** `$cancel` answers with the cancelled Appointment (or a Parameters/Bundle holding it); anything else, we read it back. */
function cancelledFrom(answer: unknown): Appointment | undefined {
  const resource = answer as
    | { resourceType?: string; parameter?: Array<{ resource?: unknown }>; entry?: Array<{ resource?: unknown }> }
    | undefined;
  if (resource?.resourceType === 'Appointment') return resource as Appointment;
  const inside = [...(resource?.parameter ?? []), ...(resource?.entry ?? [])].map(
    (part) => part.resource as Appointment | undefined,
  );
  return inside.find((found) => found?.resourceType === 'Appointment');
}

/** Cancelling with a reason: `$cancel` where the server declares it, else the page's PUT. */
export function useCancelAppointment() {
  const client = useFhirClient();
  const queryClient = useQueryClient();
  const capabilities = useServerCapabilities();
  const withReason = capabilities.supportsOperation('Appointment', 'cancel');
  const mutation = useMutation({
    mutationFn: async ({ appointment, reason }: CancelRequest): Promise<Appointment> => {
      const id = appointment.id ?? '';
      if (!withReason) return cancelByPut(client, id);
      const answer = await client.operation<Appointment>('Appointment', id, 'cancel', cancelParameters(reason));
      return cancelledFrom(answer.resource) ?? (await client.read<Appointment>('Appointment', id)).resource;
    },
    onSuccess: (cancelled, { appointment }) => invalidateAfterChange(queryClient, [appointment, cancelled]),
    onError: async (error, { appointment }) => {
      // A stale or refused change means our copy is out of date: show what is really stored.
      if (error instanceof FhirRequestError && [404, 409, 412, 422].includes(error.status))
        await invalidateAfterChange(queryClient, [appointment]);
    },
  });
  return { ...mutation, keepsReason: withReason };
}

/** Plain words for why a cancellation failed. */
export function cancelFailureTitle(error: unknown): string {
  if (!(error instanceof FhirRequestError)) return 'The appointment could not be cancelled.';
  if (error.status === 412)
    return 'Someone else changed this appointment while you were looking at it, so it was not cancelled. The list now shows what is stored: check it and try again if it still needs cancelling.';
  if (error.status === 422) return 'The server refused to cancel this appointment.';
  if (error.status === 404) return 'This appointment no longer exists on the server.';
  return error.message;
}
