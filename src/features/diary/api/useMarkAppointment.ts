import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Appointment } from 'fhir/r4';
import { actorId } from '../../../../domain/appointmentRules';
import { useFhirClient } from '../../../lib/appContext';
import { FhirRequestError, ifMatchFor } from '../../../lib/fhirClient';
import { queryKeys } from '../../../lib/queryKeys';

/** What the desk marks on the day: arrived, seen (fulfilled), did not attend (noshow), or back to booked. */
export type Mark = 'arrived' | 'fulfilled' | 'noshow' | 'booked';

export interface MarkRequest {
  appointment: Appointment;
  status: Mark;
}

/**
 * A mark is one JSON Patch replacing /status (domain.md, "The appointment's life after booking"),
 * with If-Match on the version shown: a change someone else made meanwhile is refused (412), not
 * overwritten. Only used where the server declares `patch` on Appointment.
 */
export function useMarkAppointment() {
  const client = useFhirClient();
  const queryClient = useQueryClient();
  const refresh = (appointment: Appointment) =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.appointments.diaries() }),
      appointment.id
        ? queryClient.invalidateQueries({ queryKey: queryKeys.provenance.forAppointment(appointment.id) })
        : undefined,
      actorId(appointment, 'Patient')
        ? queryClient.invalidateQueries({
            queryKey: queryKeys.appointments.forPatient(actorId(appointment, 'Patient') ?? ''),
          })
        : undefined,
    ]);
  return useMutation({
    mutationFn: async ({ appointment, status }: MarkRequest) =>
      (
        await client.patch<Appointment>(
          'Appointment',
          appointment.id ?? '',
          [{ op: 'replace', path: '/status', value: status }],
          ifMatchFor(null, appointment.meta?.versionId),
        )
      ).resource,
    onSuccess: (_saved, { appointment }) => refresh(appointment),
    // Refused: show what is stored, but say why at once rather than after the diary has reloaded.
    onError: (error, { appointment }) => {
      if (error instanceof FhirRequestError && [404, 409, 412, 422].includes(error.status)) void refresh(appointment);
    },
  });
}

const MARK_WORDS: Record<Mark, string> = {
  arrived: 'arrived',
  fulfilled: 'seen',
  noshow: 'did not attend',
  booked: 'booked again',
};

export function markDoneText(patientName: string, status: Mark): string {
  return `${patientName} is marked ${MARK_WORDS[status]}.`;
}

/** Plain words for a refused mark. */
export function markFailureText(error: unknown): string {
  if (!(error instanceof FhirRequestError)) return 'The mark could not be saved.';
  if (error.status === 412)
    return 'Someone else changed this appointment meanwhile, so nothing was marked. The diary now shows what is stored.';
  if (error.status === 422) return error.issues[0]?.diagnostics ?? 'The server refused this mark.';
  return error.message;
}
