import { describe, expect, it } from 'vitest';
import { actorPath, checkProposedAppointment } from '../../../../domain/appointmentRules';
import { issue } from '../../../../domain/operationOutcome';
import { issuesByField, proposedAppointment } from './proposedAppointment';

const values = {
  patient: 'pat-1',
  practitioner: 'prac-1',
  location: '',
  slot: 'slot-a',
  start: '2031-03-04T09:00:00+13:00',
  end: '2031-03-04T09:15:00+13:00',
};

describe('proposedAppointment', () => {
  it('is what the profile asks for: proposed, patient, practitioner, start (with the slot end R4 wants), and the optional slot', () => {
    const appointment = proposedAppointment(values, { patient: 'Aroha Ngata' });
    expect(appointment).toEqual({
      resourceType: 'Appointment',
      status: 'proposed',
      start: '2031-03-04T09:00:00+13:00',
      end: '2031-03-04T09:15:00+13:00',
      slot: [{ reference: 'Slot/slot-a' }],
      participant: [
        { actor: { reference: 'Patient/pat-1', display: 'Aroha Ngata' }, status: 'accepted' },
        { actor: { reference: 'Practitioner/prac-1' }, status: 'accepted' },
      ],
    });
    expect(checkProposedAppointment(appointment, new Date('2030-01-01T00:00:00Z'))).toEqual([]);
  });

  it('never writes an id as a display: a location known only by its id goes as a bare reference', () => {
    const appointment = proposedAppointment(
      { ...values, location: 'loc-7' },
      { patient: 'Aroha Ngata', practitioner: ' ', location: 'loc-7' },
    );
    expect(appointment.participant.map((participant) => participant.actor)).toEqual([
      { reference: 'Patient/pat-1', display: 'Aroha Ngata' },
      { reference: 'Practitioner/prac-1' },
      { reference: 'Location/loc-7' },
    ]);
  });
});

describe('issuesByField', () => {
  const submitted = proposedAppointment({ ...values, location: 'loc-1' }, {});

  it('puts each issue beside the field its expression names, by actor type and by participant index', () => {
    const { fields, summary } = issuesByField(
      [
        issue('required', 'Choose the practitioner.', ['Appointment.participant', actorPath('Practitioner')]),
        issue('not-found', 'There is no Location with id "loc-1".', 'Appointment.participant[2].actor'),
        issue('conflict', 'That slot is no longer free.', 'Appointment.slot[0]'),
        issue('business-rule', 'The start is in the past.', 'Appointment.start'),
      ],
      submitted,
    );
    expect(fields).toEqual({
      practitioner: ['Choose the practitioner.'],
      location: ['There is no Location with id "loc-1".'],
      slot: ['That slot is no longer free.'],
      start: ['The start is in the past.'],
    });
    expect(summary).toEqual([]);
  });

  it('keeps issues with no field, or about the status the form sets itself, for the summary', () => {
    const { fields, summary } = issuesByField(
      [
        issue('processing', 'Database unavailable.'),
        issue('business-rule', 'Status must be proposed.', 'Appointment.status'),
        issue('value', 'Odd.', 'Appointment.note'),
      ],
      submitted,
    );
    expect(fields).toEqual({});
    expect(summary).toEqual(['Database unavailable.', 'Status must be proposed.', 'Odd.']);
  });
});
