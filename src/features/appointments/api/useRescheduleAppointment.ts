import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Appointment, AppointmentParticipant, Parameters } from 'fhir/r4';
import { actorId, participantsOfType } from '../../../../domain/appointmentRules';
import { useFhirClient } from '../../../lib/appContext';
import { bookAppointment, cancelByPut } from '../../../lib/appointmentWrites';
import { FhirRequestError, type FhirClient } from '../../../lib/fhirClient';
import { queryKeys } from '../../../lib/queryKeys';
import { useServerCapabilities } from '../../../lib/serverCapabilities';
import { invalidateAfterChange } from './appointmentChanges';

interface Named {
  id: string;
  name?: string;
}

/** The free time chosen to move an appointment to: its slot, and with whom and where. */
export interface RescheduleTarget {
  slotId: string;
  start: string;
  end?: string;
  practitioner: Named;
  location?: Named;
}

export type RescheduleResult =
  /** Moved: the new appointment (when the server's answer holds it), the old one cancelled. */
  | { kind: 'moved'; booked: Appointment | undefined; via: 'operation' | 'book-then-cancel' }
  /** Without `$reschedule`: the new time was booked, but cancelling the old one failed, so both are booked. */
  | { kind: 'old-still-booked'; booked: Appointment; error: unknown };

function participant(type: string, { id, name }: Named): AppointmentParticipant {
  return { actor: { reference: `${type}/${id}`, ...(name ? { display: name } : {}) }, status: 'accepted' };
}

/** The proposal that books the new time for the same patient, keeping what the appointment is for. */
export function replacementProposal(old: Appointment, to: RescheduleTarget): Appointment {
  const patient = participantsOfType(old, 'Patient')[0]?.participant;
  const oldLocation = participantsOfType(old, 'Location')[0]?.participant;
  const { description, serviceType, appointmentType } = old;
  return {
    resourceType: 'Appointment',
    status: 'proposed',
    ...(description !== undefined ? { description } : {}),
    ...(serviceType !== undefined ? { serviceType } : {}),
    ...(appointmentType !== undefined ? { appointmentType } : {}),
    start: to.start,
    ...(to.end ? { end: to.end } : {}),
    slot: [{ reference: `Slot/${to.slotId}` }],
    participant: [
      ...(patient?.actor ? [{ actor: patient.actor, status: 'accepted' as const }] : []),
      participant('Practitioner', to.practitioner),
      ...(to.location
        ? [participant('Location', to.location)]
        : oldLocation?.actor
          ? [{ actor: oldLocation.actor, status: 'accepted' as const }]
          : []),
    ],
  };
}

export function rescheduleParameters(to: RescheduleTarget): Parameters {
  return {
    resourceType: 'Parameters',
    parameter: [{ name: 'slot', valueReference: { reference: `Slot/${to.slotId}` } }],
  };
}

/** `$reschedule` may answer with the new Appointment, or a Parameters or Bundle holding both: the booked one is the new one. */
export function bookedFrom(answer: unknown, oldId: string | undefined): Appointment | undefined {
  const resource = answer as
    | { resourceType?: string; parameter?: Array<{ resource?: unknown }>; entry?: Array<{ resource?: unknown }> }
    | undefined;
  const candidates =
    resource?.resourceType === 'Appointment'
      ? [resource]
      : [...(resource?.parameter ?? []), ...(resource?.entry ?? [])].map((part) => part.resource);
  return (candidates as Array<Appointment | undefined>).find(
    (found) => found?.resourceType === 'Appointment' && found.id !== oldId && found.status !== 'cancelled',
  );
}

async function bookThenCancel(client: FhirClient, old: Appointment, to: RescheduleTarget): Promise<RescheduleResult> {
  const booked = await bookAppointment(client, replacementProposal(old, to));
  try {
    await cancelByPut(client, old.id ?? '');
  } catch (error) {
    return { kind: 'old-still-booked', booked, error };
  }
  return { kind: 'moved', booked, via: 'book-then-cancel' };
}

/**
 * Moving an appointment in one confirmation: `$reschedule` with the chosen slot where the server
 * declares it (one transaction: either both happen or neither), else the page's two writes, booking
 * the new time first so the patient never loses their place, then cancelling the old.
 */
export function useRescheduleAppointment() {
  const client = useFhirClient();
  const queryClient = useQueryClient();
  const inOneStep = useServerCapabilities().supportsOperation('Appointment', 'reschedule');
  const mutation = useMutation({
    mutationFn: async ({
      appointment,
      to,
    }: {
      appointment: Appointment;
      to: RescheduleTarget;
    }): Promise<RescheduleResult> => {
      if (!inOneStep) return bookThenCancel(client, appointment, to);
      const answer = await client.operation<Appointment>(
        'Appointment',
        appointment.id ?? '',
        'reschedule',
        rescheduleParameters(to),
      );
      return { kind: 'moved', booked: bookedFrom(answer.resource, appointment.id), via: 'operation' };
    },
    onSettled: async (result, error, { appointment, to }) => {
      await invalidateAfterChange(queryClient, [appointment, result?.booked]);
      // A clash means the chosen practitioner's slots were out of date, whoever they are.
      if (error || !result?.booked || actorId(result.booked, 'Practitioner') !== to.practitioner.id) {
        await queryClient.invalidateQueries({ queryKey: queryKeys.slots.forPractitioner(to.practitioner.id) });
      }
    },
  });
  return { ...mutation, inOneStep };
}

/** After a book-then-cancel whose second step failed: cancel the old appointment again. */
export function useCancelReplaced() {
  const client = useFhirClient();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (old: Appointment) => cancelByPut(client, old.id ?? ''),
    onSettled: (_cancelled, _error, old) => invalidateAfterChange(queryClient, [old]),
  });
}

/** The new time was taken by someone else between choosing and confirming: nothing changed. */
export function isSlotLost(error: unknown): boolean {
  return error instanceof FhirRequestError && error.status === 409;
}
