import type { QueryClient } from '@tanstack/react-query';
import type { Appointment } from 'fhir/r4';
import { actorId } from '../../../../domain/appointmentRules';
import { queryKeys } from '../../../lib/queryKeys';

/**
 * What a cancel or a reschedule changes, and nothing else: the patient's appointments, the diaries
 * (their appointments and slots), each changed appointment's history, and the free slots of each
 * practitioner involved (up to two for a reschedule) and of "anyone".
 */
export async function invalidateAfterChange(
  queryClient: QueryClient,
  appointments: Array<Appointment | undefined>,
): Promise<void> {
  const present = appointments.filter((found): found is Appointment => found !== undefined);
  const patients = new Set(
    present.map((appointment) => actorId(appointment, 'Patient')).filter((id): id is string => Boolean(id)),
  );
  const practitioners = new Set(
    present.map((appointment) => actorId(appointment, 'Practitioner')).filter((id): id is string => Boolean(id)),
  );
  await Promise.all([
    ...[...patients].map((id) => queryClient.invalidateQueries({ queryKey: queryKeys.appointments.forPatient(id) })),
    ...[...practitioners].map((id) => queryClient.invalidateQueries({ queryKey: queryKeys.slots.forPractitioner(id) })),
    queryClient.invalidateQueries({ queryKey: queryKeys.slots.anyPractitioner() }),
    queryClient.invalidateQueries({ queryKey: queryKeys.appointments.diaries() }),
    queryClient.invalidateQueries({ queryKey: queryKeys.slots.diaries() }),
    ...present
      .filter((appointment) => appointment.id)
      .map((appointment) =>
        queryClient.invalidateQueries({ queryKey: queryKeys.provenance.forAppointment(appointment.id as string) }),
      ),
  ]);
}
