import type { Appointment, Location } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { REPLACES_URL } from '../../../domain/extensions';
import { appointmentRow } from './api/appointmentQueries';
import { calendarChain, calendarEventOf } from './appointmentCalendar';

const clinic: Location = {
  resourceType: 'Location',
  id: 'loc-1',
  name: 'Ponsonby Family Health',
  telecom: [{ system: 'phone', value: '09 555 0101' }],
  address: { line: ['12 Richmond Road', 'Ponsonby'], city: 'Auckland', postalCode: '1021' },
};

function appointment(id: string, replaces?: string): Appointment {
  return {
    resourceType: 'Appointment',
    id,
    status: 'booked',
    start: '2026-12-01T08:30:00+13:00',
    end: '2026-12-01T08:45:00+13:00',
    participant: [
      { actor: { reference: 'Patient/pat-1' }, status: 'accepted' },
      { actor: { reference: 'Practitioner/prac-1', display: 'Dr Mere Parata' }, status: 'accepted' },
      { actor: { reference: 'Location/loc-1' }, status: 'accepted' },
    ],
    ...(replaces
      ? { extension: [{ url: REPLACES_URL, valueReference: { reference: `Appointment/${replaces}` } }] }
      : {}),
  };
}

const chain = [appointment('a'), appointment('b', 'a'), appointment('c', 'b')];
const byId = new Map(chain.map((found) => [found.id as string, found]));

describe('calendar event of an appointment', () => {
  it('follows replaces back to the first of the chain, counting the moves', () => {
    expect(calendarChain(chain[2], byId)).toEqual({ firstId: 'a', moves: 2 });
    expect(calendarChain(chain[0], byId)).toEqual({ firstId: 'a', moves: 0 });
  });

  it('stops where the replaced one is not among the patient’s, and at a loop', () => {
    expect(calendarChain(appointment('d', 'elsewhere'), byId)).toEqual({ firstId: 'd', moves: 0 });
    const looped = new Map([
      ['x', appointment('x', 'y')],
      ['y', appointment('y', 'x')],
    ]);
    expect(calendarChain(looped.get('x') as Appointment, looped).moves).toBeLessThanOrEqual(2);
  });

  it("is the email's event: the first one's UID, the moves as SEQUENCE, the clinic's street address and phone", () => {
    const row = appointmentRow(chain[2], new Map([['Location/loc-1', clinic]]));
    expect(calendarEventOf(row, byId)).toEqual({
      uid: 'appointment-a@nz-appointments.example.org',
      sequence: 2,
      start: new Date('2026-12-01T08:30:00+13:00'),
      end: new Date('2026-12-01T08:45:00+13:00'),
      summary: 'Appointment with Dr Mere Parata at Ponsonby Family Health',
      location: 'Ponsonby Family Health, 12 Richmond Road, Ponsonby, Auckland 1021',
      description: 'Clinic phone: 09 555 0101',
    });
  });
});
