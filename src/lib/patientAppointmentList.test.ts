import { QueryClient } from '@tanstack/react-query';
import type { Appointment, Location, Practitioner } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { queryKeys } from './queryKeys';
import {
  addBookedAppointment,
  PATIENT_APPOINTMENTS_STALE_MS,
  type PatientAppointmentList,
} from './patientAppointmentList';

const practitioner: Practitioner = { resourceType: 'Practitioner', id: 'prac-1', name: [{ family: 'Parata' }] };
const clinic: Location = { resourceType: 'Location', id: 'loc-1', name: 'Ponsonby Family Health' };

function appointment(id: string, start: string, locationId = 'loc-1'): Appointment {
  return {
    resourceType: 'Appointment',
    id,
    status: 'booked',
    start,
    participant: [
      { actor: { reference: 'Patient/pat-1' }, status: 'accepted' },
      { actor: { reference: 'Practitioner/prac-1' }, status: 'accepted' },
      { actor: { reference: `Location/${locationId}` }, status: 'accepted' },
    ],
  };
}

const earlier = appointment('appt-1', '2031-03-04T09:00:00+13:00');
const listKey = queryKeys.appointments.forPatient('pat-1');
const fetchedAt = Date.parse('2031-03-01T09:00:00Z');

function holding(list: PatientAppointmentList): QueryClient {
  const queryClient = new QueryClient();
  queryClient.setQueryData(listKey, list, { updatedAt: fetchedAt });
  return queryClient;
}

const held = (): PatientAppointmentList => ({ appointments: [earlier], included: [practitioner, clinic] });

describe('addBookedAppointment', () => {
  it('adds the booking to the held list, which stays as fresh as the search it came from', () => {
    const queryClient = holding(held());
    const booked = appointment('appt-2', '2031-03-03T09:00:00+13:00');
    expect(addBookedAppointment(queryClient, booked, fetchedAt + 1000)).toBe(true);
    expect(queryClient.getQueryData(listKey)).toEqual({
      appointments: [earlier, booked],
      included: [practitioner, clinic],
    });
    expect(queryClient.getQueryState(listKey)?.dataUpdatedAt).toBe(fetchedAt);
  });

  it('lists a booking a retry found once, as the server has it now', () => {
    const queryClient = holding(held());
    const found = { ...earlier, meta: { versionId: '2' } };
    expect(addBookedAppointment(queryClient, found, fetchedAt)).toBe(true);
    expect(queryClient.getQueryData<PatientAppointmentList>(listKey)?.appointments).toEqual([found]);
  });

  it('does not add a booking at a clinic the list holds no Location for: a search would include it', () => {
    const queryClient = holding(held());
    expect(
      addBookedAppointment(queryClient, appointment('appt-2', '2031-03-05T09:00:00+13:00', 'loc-2'), fetchedAt),
    ).toBe(false);
    expect(queryClient.getQueryData(listKey)).toEqual(held());
  });

  it('takes a practitioner the list does not hold from the one chosen in the picker, while that is fresh', () => {
    const list = { appointments: [earlier], included: [clinic] };
    const booked = appointment('appt-2', '2031-03-03T09:00:00+13:00');
    const chosen = holding(list);
    chosen.setQueryData(queryKeys.practitioners.detail('prac-1'), practitioner);
    expect(addBookedAppointment(chosen, booked, fetchedAt)).toBe(true);
    expect(chosen.getQueryData(listKey)).toEqual({ appointments: [earlier, booked], included: [clinic, practitioner] });

    expect(addBookedAppointment(holding(list), booked, fetchedAt)).toBe(false);
    const outdated = holding(list);
    outdated.setQueryData(queryKeys.practitioners.detail('prac-1'), practitioner);
    void outdated.invalidateQueries({ queryKey: queryKeys.practitioners.detail('prac-1'), refetchType: 'none' });
    expect(addBookedAppointment(outdated, booked, fetchedAt)).toBe(false);
  });

  it('does not add to a list that is stale, invalidated or not held, nor an answer without the resource', () => {
    const booked = appointment('appt-2', '2031-03-03T09:00:00+13:00');
    expect(addBookedAppointment(holding(held()), booked, fetchedAt + PATIENT_APPOINTMENTS_STALE_MS)).toBe(false);
    const invalidated = holding(held());
    void invalidated.invalidateQueries({ queryKey: listKey, refetchType: 'none' });
    expect(addBookedAppointment(invalidated, booked, fetchedAt)).toBe(false);
    expect(addBookedAppointment(new QueryClient(), booked, fetchedAt)).toBe(false);
    expect(addBookedAppointment(holding(held()), undefined, fetchedAt)).toBe(false);
  });
});
