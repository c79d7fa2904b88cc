/**
 * The IG's booking and cancelling rules, as both the booking form and the server apply them: each
 * rule passes a good appointment and refuses a bad one with the issue code and the FHIRPath of the
 * element at fault, which is what puts the message beside the right form field.
 */
import type { Appointment, AppointmentParticipant, OperationOutcomeIssue } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import {
  APPOINTMENT_PATH,
  actorId,
  actorPath,
  appointmentFieldFor,
  checkCancellation,
  checkProposedAppointment,
  checkVisitReason,
  parseInstant,
  participantActorPath,
  participantsOfType,
  slotId,
  slotPath,
  VISIT_COMMENT_MAX_LENGTH,
  VISIT_REASON_MAX_LENGTH,
} from './appointmentRules';

/** 1 December 2026, 09:00 in Auckland (NZDT, +13:00). */
const NOW = new Date('2026-11-30T20:00:00.000Z');

const PATIENT_PATH = "Appointment.participant.where(actor.reference.startsWith('Patient/'))";
const PRACTITIONER_PATH = "Appointment.participant.where(actor.reference.startsWith('Practitioner/'))";
const LOCATION_PATH = "Appointment.participant.where(actor.reference.startsWith('Location/'))";

function actor(reference: string): AppointmentParticipant {
  return { actor: { reference }, status: 'accepted' };
}

/** A proposal the form would send for the 09:30 slot on 1 December 2026, everything optional included. */
function proposal(changes: Partial<Appointment> = {}): Appointment {
  return {
    resourceType: 'Appointment',
    status: 'proposed',
    start: '2026-12-01T09:30:00+13:00',
    end: '2026-12-01T09:45:00+13:00',
    slot: [{ reference: 'Slot/slot-0930' }],
    participant: [actor('Patient/pat-a'), actor('Practitioner/prac-1'), actor('Location/loc-1')],
    ...changes,
  };
}

/** The part of each issue the form and the client act on. */
function codes(issues: OperationOutcomeIssue[]): Array<{ code: string; expression: string[] | undefined }> {
  return issues.map((found) => ({ code: found.code, expression: found.expression }));
}

describe('FHIRPaths of the elements at fault', () => {
  it('names the top-level elements', () => {
    expect(APPOINTMENT_PATH).toEqual({
      status: 'Appointment.status',
      start: 'Appointment.start',
      end: 'Appointment.end',
      slot: 'Appointment.slot',
      participant: 'Appointment.participant',
      description: 'Appointment.description',
      comment: 'Appointment.comment',
    });
  });

  it("names the participant of a type, a participant's actor and a slot by index", () => {
    expect(actorPath('Patient')).toBe(PATIENT_PATH);
    expect(actorPath('Practitioner')).toBe(PRACTITIONER_PATH);
    expect(actorPath('Location')).toBe(LOCATION_PATH);
    expect(participantActorPath(2)).toBe('Appointment.participant[2].actor');
    expect(slotPath(0)).toBe('Appointment.slot[0]');
  });
});

describe('participant and slot helpers', () => {
  it('finds participants of a type with their index and id, in relative, absolute and versioned references', () => {
    const appointment = proposal({
      participant: [
        actor('Location/loc-1'),
        actor('https://fhir.example.org/r4/Patient/pat-a'),
        { actor: { display: 'Dr Who (no reference)' }, status: 'accepted' },
        actor('Practitioner/prac-1/_history/3'),
        actor('Patient/pat-b'),
      ],
    });
    expect(participantsOfType(appointment, 'Patient').map(({ index, id }) => ({ index, id }))).toEqual([
      { index: 1, id: 'pat-a' },
      { index: 4, id: 'pat-b' },
    ]);
    const [practitioner] = participantsOfType(appointment, 'Practitioner');
    expect(practitioner).toEqual({ index: 3, id: 'prac-1', participant: appointment.participant[3] });
    expect(participantsOfType(appointment, 'Location').map((found) => found.id)).toEqual(['loc-1']);
  });

  it('does not take malformed or differently typed references for a participant of that type', () => {
    const appointment = proposal({
      participant: [
        actor('patient/pat-a'),
        actor('Patient/'),
        actor('Patient/has space'),
        actor('PatientX/pat-a'),
        actor('Device/pat-a'),
      ],
    });
    expect(participantsOfType(appointment, 'Patient')).toEqual([]);
  });

  it('gives the first actor id of a type, or undefined when there is none', () => {
    const appointment = proposal({
      participant: [actor('Patient/first'), actor('Patient/second'), actor('Practitioner/prac-1')],
    });
    expect(actorId(appointment, 'Patient')).toBe('first');
    expect(actorId(appointment, 'Practitioner')).toBe('prac-1');
    expect(actorId(appointment, 'Location')).toBeUndefined();
  });

  it('treats a participant element that is not an array as no participants', () => {
    const malformed = {
      ...proposal(),
      participant: { actor: { reference: 'Patient/pat-a' } },
    } as unknown as Appointment;
    expect(participantsOfType(malformed, 'Patient')).toEqual([]);
    expect(actorId(malformed, 'Patient')).toBeUndefined();
  });

  it('reads the slot id from Slot references only', () => {
    expect(slotId(proposal())).toBe('slot-0930');
    expect(slotId(proposal({ slot: [{ reference: 'https://fhir.example.org/r4/Slot/s-1' }] }))).toBe('s-1');
    expect(slotId(proposal({ slot: [{ reference: 'Slot/s-1/_history/2' }] }))).toBe('s-1');
    expect(slotId(proposal({ slot: [{ reference: 'Schedule/s-1' }] }))).toBeUndefined();
    expect(slotId(proposal({ slot: [{ display: '9:30 with Dr Smith' }] }))).toBeUndefined();
    expect(slotId(proposal({ slot: [] }))).toBeUndefined();
    expect(slotId(proposal({ slot: undefined }))).toBeUndefined();
  });
});

describe('parseInstant', () => {
  it('refuses a day the calendar does not have, which Date would roll over into the next month', () => {
    expect(parseInstant('2030-04-31T09:00:00+12:00')).toBeUndefined();
    expect(parseInstant('2026-02-29T09:00:00+13:00')).toBeUndefined();
    expect(parseInstant('2028-02-29T09:00:00+13:00')?.toISOString()).toBe('2028-02-28T20:00:00.000Z');
  });

  it('reads full date-times with seconds and an offset, Z included, to the millisecond', () => {
    expect(parseInstant('2026-12-01T09:30:00+13:00')?.toISOString()).toBe('2026-11-30T20:30:00.000Z');
    expect(parseInstant('2026-11-30T20:30:00Z')?.toISOString()).toBe('2026-11-30T20:30:00.000Z');
    expect(parseInstant('2026-07-01T09:30:00+12:00')?.toISOString()).toBe('2026-06-30T21:30:00.000Z');
    expect(parseInstant('2026-12-01T09:30:00-05:00')?.toISOString()).toBe('2026-12-01T14:30:00.000Z');
    expect(parseInstant('2026-12-01T09:30:00.123456789+13:00')?.toISOString()).toBe('2026-11-30T20:30:00.123Z');
  });

  it("accepts the offsets FHIR allows, Chatham Islands' +12:45/+13:45 and +14:00 among them", () => {
    expect(parseInstant('2026-12-01T09:30:00+13:45')?.toISOString()).toBe('2026-11-30T19:45:00.000Z');
    expect(parseInstant('2026-07-01T09:30:00+12:45')?.toISOString()).toBe('2026-06-30T20:45:00.000Z');
    expect(parseInstant('2026-12-01T09:30:00+14:00')?.toISOString()).toBe('2026-11-30T19:30:00.000Z');
    expect(parseInstant('2026-12-01T09:30:00-14:00')?.toISOString()).toBe('2026-12-01T23:30:00.000Z');
  });

  it.each([
    ['no offset', '2026-12-01T09:30:00'],
    ['no seconds', '2026-12-01T09:30+13:00'],
    ['a date alone', '2026-12-01'],
    ['an offset without a colon', '2026-12-01T09:30:00+1300'],
    ['an offset past +14:00', '2026-12-01T09:30:00+14:30'],
    ['a lower-case z', '2026-12-01T09:30:00z'],
    ['a lower-case t', '2026-12-01t09:30:00Z'],
    ['a space for the T', '2026-12-01 09:30:00Z'],
    ['hour 24', '2026-12-01T24:00:00Z'],
    ['minute 60', '2026-12-01T09:60:00Z'],
    ['a leap second', '2026-12-31T23:59:60Z'],
    ['month 13', '2026-13-01T09:30:00Z'],
    ['day 32', '2026-12-32T09:30:00Z'],
    ['surrounding spaces', ' 2026-12-01T09:30:00Z '],
    ['a two-digit year', '26-12-01T09:30:00Z'],
    ['words', 'tomorrow at 9'],
  ])('refuses %s', (_what, value) => {
    expect(parseInstant(value)).toBeUndefined();
  });

  it('refuses values that are not strings', () => {
    for (const value of [
      undefined,
      null,
      1764534600000,
      new Date('2026-12-01T09:30:00Z'),
      { start: '2026-12-01T09:30:00Z' },
    ]) {
      expect(parseInstant(value), String(value)).toBeUndefined();
    }
  });
});

describe('checkProposedAppointment', () => {
  it('passes a complete proposal with slot and location', () => {
    expect(checkProposedAppointment(proposal(), NOW)).toEqual([]);
  });

  it('passes the minimum the IG requires: status, patient, practitioner and start', () => {
    const minimal: Appointment = {
      resourceType: 'Appointment',
      status: 'proposed',
      start: '2026-12-01T09:30:00+13:00',
      participant: [actor('Patient/pat-a'), actor('Practitioner/prac-1')],
    };
    expect(checkProposedAppointment(minimal, NOW)).toEqual([]);
  });

  it('refuses with plain-words error issues only', () => {
    const issues = checkProposedAppointment(proposal({ status: 'booked', start: 'soon', participant: [] }), NOW);
    expect(issues.length).toBeGreaterThan(0);
    for (const found of issues) {
      expect(found.severity).toBe('error');
      expect(found.diagnostics).toMatch(/^[A-Z].{10,}[.)]$/);
    }
  });

  describe('status', () => {
    it('requires it', () => {
      const issues = checkProposedAppointment(proposal({ status: undefined }), NOW);
      expect(codes(issues)).toEqual([{ code: 'required', expression: ['Appointment.status'] }]);
      expect(issues[0].diagnostics).toContain('"proposed"');
    });

    it.each(['booked', 'pending', 'arrived', 'cancelled', 'noshow', 'waitlist'] as const)(
      'refuses status "%s" (only "proposed" is posted)',
      (status) => {
        const issues = checkProposedAppointment(proposal({ status }), NOW);
        expect(codes(issues)).toEqual([{ code: 'business-rule', expression: ['Appointment.status'] }]);
        expect(issues[0].diagnostics).toContain(`not "${status}"`);
      },
    );

    it('echoes no more than 40 characters of a status it refuses', () => {
      const status = 'x'.repeat(100) as Appointment['status'];
      const [found] = checkProposedAppointment(proposal({ status }), NOW);
      expect(found.diagnostics).toContain(`"${'x'.repeat(40)}"`);
      expect(found.diagnostics).not.toContain('x'.repeat(41));
    });
  });

  describe('participants', () => {
    it('requires a patient, naming both the participant list and the missing patient', () => {
      const issues = checkProposedAppointment(proposal({ participant: [actor('Practitioner/prac-1')] }), NOW);
      expect(codes(issues)).toEqual([{ code: 'required', expression: ['Appointment.participant', PATIENT_PATH] }]);
      expect(issues[0].diagnostics).toBe('Choose the patient the appointment is for.');
    });

    it('requires a practitioner', () => {
      const issues = checkProposedAppointment(
        proposal({ participant: [actor('Patient/pat-a'), actor('Location/loc-1')] }),
        NOW,
      );
      expect(codes(issues)).toEqual([{ code: 'required', expression: ['Appointment.participant', PRACTITIONER_PATH] }]);
      expect(issues[0].diagnostics).toBe('Choose the practitioner the appointment is with.');
    });

    it('reports both when there are no participants, or the element is not an array', () => {
      const expected = [
        { code: 'required', expression: ['Appointment.participant', PATIENT_PATH] },
        { code: 'required', expression: ['Appointment.participant', PRACTITIONER_PATH] },
      ];
      expect(codes(checkProposedAppointment(proposal({ participant: [] }), NOW))).toEqual(expected);
      const notAnArray = { ...proposal(), participant: 'Patient/pat-a' } as unknown as Appointment;
      expect(codes(checkProposedAppointment(notAnArray, NOW))).toEqual(expected);
    });

    it('does not count an actor without a reference (a display name only) as the patient, nor refuse it as such', () => {
      const issues = checkProposedAppointment(
        proposal({
          participant: [{ actor: { display: 'Aroha Ngātai' }, status: 'accepted' }, actor('Practitioner/prac-1')],
        }),
        NOW,
      );
      expect(codes(issues)).toEqual([{ code: 'required', expression: ['Appointment.participant', PATIENT_PATH] }]);
    });

    it("refuses a reference to another resource type, or not written Type/id, at that participant's actor", () => {
      const issues = checkProposedAppointment(
        proposal({
          participant: [
            actor('Patient/pat-a'),
            actor('Practitioner/prac-1'),
            actor('Device/dev-1'),
            actor('location/loc-1'),
          ],
        }),
        NOW,
      );
      expect(codes(issues)).toEqual([
        { code: 'value', expression: ['Appointment.participant[2].actor'] },
        { code: 'value', expression: ['Appointment.participant[3].actor'] },
      ]);
      expect(issues[0].diagnostics).toContain('"Device/dev-1"');
      expect(issues[1].diagnostics).toContain('Participant 4 ');
    });

    it('reports a malformed patient reference as both malformed and a missing patient', () => {
      const issues = checkProposedAppointment(
        proposal({ participant: [actor('Patient/pat a'), actor('Practitioner/prac-1')] }),
        NOW,
      );
      expect(codes(issues)).toEqual([
        { code: 'value', expression: ['Appointment.participant[0].actor'] },
        { code: 'required', expression: ['Appointment.participant', PATIENT_PATH] },
      ]);
    });

    it('echoes no more than 100 characters of a reference it refuses', () => {
      const reference = `Device/${'d'.repeat(200)}`;
      const [found] = checkProposedAppointment(
        proposal({ participant: [actor('Patient/pat-a'), actor('Practitioner/prac-1'), actor(reference)] }),
        NOW,
      );
      expect(found.diagnostics).toContain(`"${reference.slice(0, 100)}"`);
      expect(found.diagnostics).not.toContain(reference.slice(0, 101));
    });

    it.each([
      ['patient', [actor('Patient/pat-a'), actor('Patient/pat-b'), actor('Practitioner/prac-1')], PATIENT_PATH],
      [
        'practitioner',
        [actor('Patient/pat-a'), actor('Practitioner/prac-1'), actor('Practitioner/prac-2')],
        PRACTITIONER_PATH,
      ],
      [
        'location',
        [actor('Patient/pat-a'), actor('Practitioner/prac-1'), actor('Location/loc-1'), actor('Location/loc-2')],
        LOCATION_PATH,
      ],
    ])('refuses more than one %s', (_what, participant, path) => {
      const issues = checkProposedAppointment(proposal({ participant }), NOW);
      expect(codes(issues)).toEqual([{ code: 'business-rule', expression: [path] }]);
      expect(issues[0].diagnostics).toContain('names 2');
    });
  });

  describe('start and end', () => {
    it('requires a start', () => {
      const issues = checkProposedAppointment(proposal({ start: undefined, end: undefined }), NOW);
      expect(codes(issues)).toEqual([{ code: 'required', expression: ['Appointment.start'] }]);
    });

    it.each([
      ['without an offset', '2026-12-01T09:30:00'],
      ['without seconds', '2026-12-01T09:30+13:00'],
      ['as a date alone', '2026-12-01'],
    ])('refuses a start %s', (_what, start) => {
      const issues = checkProposedAppointment(proposal({ start }), NOW);
      expect(codes(issues)).toEqual([{ code: 'value', expression: ['Appointment.start'] }]);
      expect(issues[0].diagnostics).toContain('2026-12-01T09:30:00+13:00');
    });

    it('accepts a start exactly now, and refuses one a millisecond before', () => {
      expect(checkProposedAppointment(proposal({ start: '2026-12-01T09:00:00+13:00', end: undefined }), NOW)).toEqual(
        [],
      );
      expect(checkProposedAppointment(proposal({ start: '2026-11-30T20:00:00.000Z', end: undefined }), NOW)).toEqual(
        [],
      );
      const issues = checkProposedAppointment(proposal({ start: '2026-11-30T19:59:59.999Z', end: undefined }), NOW);
      expect(codes(issues)).toEqual([{ code: 'business-rule', expression: ['Appointment.start'] }]);
      expect(issues[0].diagnostics).toContain('in the past');
    });

    it('compares instants, not the wall-clock text, whatever the offset', () => {
      // 08:30 in Auckland is in the past; 08:30 in UTC is 21:30 in Auckland, still to come.
      expect(
        codes(checkProposedAppointment(proposal({ start: '2026-12-01T08:30:00+13:00', end: undefined }), NOW)),
      ).toEqual([{ code: 'business-rule', expression: ['Appointment.start'] }]);
      expect(checkProposedAppointment(proposal({ start: '2026-12-01T08:30:00Z', end: undefined }), NOW)).toEqual([]);
      // 19:30 on 30 November at -05:00 is 13:30 on 1 December in Auckland.
      expect(checkProposedAppointment(proposal({ start: '2026-11-30T19:30:00-05:00', end: undefined }), NOW)).toEqual(
        [],
      );
    });

    it('refuses an end that is not an instant', () => {
      const issues = checkProposedAppointment(proposal({ end: '2026-12-01T09:45' }), NOW);
      expect(codes(issues)).toEqual([{ code: 'value', expression: ['Appointment.end'] }]);
    });

    it('refuses an end equal to or before the start (FHIR invariant), comparing instants across offsets', () => {
      expect(codes(checkProposedAppointment(proposal({ end: '2026-12-01T09:30:00+13:00' }), NOW))).toEqual([
        { code: 'invariant', expression: ['Appointment.end'] },
      ]);
      expect(codes(checkProposedAppointment(proposal({ end: '2026-11-30T20:30:00Z' }), NOW))).toEqual([
        { code: 'invariant', expression: ['Appointment.end'] },
      ]);
      expect(codes(checkProposedAppointment(proposal({ end: '2026-12-01T09:15:00+13:00' }), NOW))).toEqual([
        { code: 'invariant', expression: ['Appointment.end'] },
      ]);
      expect(checkProposedAppointment(proposal({ end: '2026-11-30T20:30:01Z' }), NOW)).toEqual([]);
    });

    it('reports only the past start when the end is also wrong', () => {
      const issues = checkProposedAppointment(proposal({ start: '2026-12-01T08:00:00+13:00', end: 'later' }), NOW);
      expect(codes(issues)).toEqual([{ code: 'business-rule', expression: ['Appointment.start'] }]);
    });
  });

  describe('slot', () => {
    it('accepts no slot, an empty list, or an absolute Slot reference', () => {
      expect(checkProposedAppointment(proposal({ slot: undefined }), NOW)).toEqual([]);
      expect(checkProposedAppointment(proposal({ slot: [] }), NOW)).toEqual([]);
      expect(
        checkProposedAppointment(
          proposal({ slot: [{ reference: 'https://fhir.example.org/r4/Slot/slot-0930' }] }),
          NOW,
        ),
      ).toEqual([]);
    });

    it('refuses more than one slot', () => {
      const issues = checkProposedAppointment(
        proposal({ slot: [{ reference: 'Slot/a' }, { reference: 'Slot/b' }] }),
        NOW,
      );
      expect(codes(issues)).toEqual([{ code: 'business-rule', expression: ['Appointment.slot'] }]);
      expect(issues[0].diagnostics).toContain('names 2');
    });

    it.each([
      ['a reference to another type', { reference: 'Schedule/sched-1' }],
      ['a reference not written Type/id', { reference: 'slot-0930' }],
      ['no reference at all', { display: '09:30' }],
    ])('refuses %s at Appointment.slot[0]', (_what, slot) => {
      const issues = checkProposedAppointment(proposal({ slot: [slot] }), NOW);
      expect(codes(issues)).toEqual([{ code: 'value', expression: ['Appointment.slot[0]'] }]);
      expect(issues[0].diagnostics).toContain('"Slot/123"');
    });
  });

  it('reports every problem at once: status, participants, times, then slot', () => {
    const issues = checkProposedAppointment(
      proposal({
        status: 'booked',
        participant: [actor('Practitioner/prac-1')],
        start: '2026-12-01T09:30',
        slot: [{ reference: 'Slot/a' }, { reference: 'Slot/b' }],
      }),
      NOW,
    );
    expect(codes(issues)).toEqual([
      { code: 'business-rule', expression: ['Appointment.status'] },
      { code: 'required', expression: ['Appointment.participant', PATIENT_PATH] },
      { code: 'value', expression: ['Appointment.start'] },
      { code: 'business-rule', expression: ['Appointment.slot'] },
    ]);
  });
});

describe('checkVisitReason', () => {
  const letters = (count: number) => 'a'.repeat(count);

  it('takes a reason of up to 100 characters and a comment of up to 500, counted as a person counts them', () => {
    expect(VISIT_REASON_MAX_LENGTH).toBe(100);
    expect(VISIT_COMMENT_MAX_LENGTH).toBe(500);
    const reason = `${'ā'.repeat(98)}🙂.`;
    expect(checkVisitReason({ description: reason, comment: letters(500) }, { reasonRequired: true })).toEqual([]);
  });

  it('refuses a reason of 101 characters on Appointment.description and a comment of 501 on Appointment.comment', () => {
    const issues = checkVisitReason({ description: letters(101), comment: letters(501) }, { reasonRequired: false });
    expect(codes(issues)).toEqual([
      { code: 'too-long', expression: ['Appointment.description'] },
      { code: 'too-long', expression: ['Appointment.comment'] },
    ]);
    expect(issues[0].diagnostics).toBe(
      'The reason for the visit can be at most 100 characters; this is 101. Please shorten it.',
    );
  });

  it('requires a reason only when asked to (a patient booking), and blank is no reason', () => {
    expect(checkVisitReason({}, { reasonRequired: false })).toEqual([]);
    expect(codes(checkVisitReason({ description: '   ' }, { reasonRequired: true }))).toEqual([
      { code: 'required', expression: ['Appointment.description'] },
    ]);
  });

  it('refuses a reason or comment that is not text', () => {
    const issues = checkVisitReason(
      { description: 42 as unknown as string, comment: {} as unknown as string },
      { reasonRequired: false },
    );
    expect(codes(issues).map((found) => found.code)).toEqual(['value', 'value']);
  });

  it('is part of checkProposedAppointment, so the server holds the lengths for every client', () => {
    expect(codes(checkProposedAppointment(proposal({ description: letters(101) }), NOW))).toEqual([
      { code: 'too-long', expression: ['Appointment.description'] },
    ]);
  });
});

describe('checkCancellation', () => {
  /** A booked appointment as the server stores and returns it. */
  const stored: Appointment = {
    resourceType: 'Appointment',
    id: 'appt-1',
    meta: { versionId: '1', lastUpdated: '2026-11-30T19:00:00.000Z' },
    text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Booked</div>' },
    status: 'booked',
    start: '2026-12-01T09:30:00+13:00',
    end: '2026-12-01T09:45:00+13:00',
    slot: [{ reference: 'Slot/slot-0930' }],
    participant: [
      { actor: { reference: 'Patient/pat-a', display: 'Aroha Ngātai' }, status: 'accepted' },
      { actor: { reference: 'Practitioner/prac-1' }, status: 'accepted', type: [{ text: 'GP' }] },
      actor('Location/loc-1'),
    ],
  };
  const cancelled = (changes: Partial<Appointment> = {}): Appointment => ({
    ...structuredClone(stored),
    status: 'cancelled',
    ...changes,
  });

  it('accepts the stored appointment with only its status set to cancelled', () => {
    expect(checkCancellation(stored, cancelled())).toEqual([]);
  });

  it('ignores differences in meta and text, or their absence', () => {
    expect(
      checkCancellation(
        stored,
        cancelled({ meta: { versionId: '7', lastUpdated: '2030-01-01T00:00:00Z', tag: [{ code: 'x' }] } }),
      ),
    ).toEqual([]);
    expect(
      checkCancellation(
        stored,
        cancelled({ text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Cancelled</div>' } }),
      ),
    ).toEqual([]);
    const { meta: _meta, text: _text, ...bare } = cancelled();
    expect(checkCancellation(stored, bare)).toEqual([]);
  });

  it('treats an element set to undefined like one left out', () => {
    expect(checkCancellation(stored, cancelled({ comment: undefined }))).toEqual([]);
  });

  it.each(['booked', 'noshow', 'fulfilled', 'proposed'] as const)(
    'refuses any status but cancelled ("%s")',
    (status) => {
      const issues = checkCancellation(stored, cancelled({ status }));
      expect(codes(issues)).toEqual([{ code: 'business-rule', expression: ['Appointment.status'] }]);
      expect(issues[0].diagnostics).toContain(`not "${status}"`);
    },
  );

  it('refuses a body without a status', () => {
    const { status: _status, ...withoutStatus } = cancelled();
    expect(codes(checkCancellation(stored, withoutStatus as Appointment))).toEqual([
      { code: 'business-rule', expression: ['Appointment.status'] },
    ]);
  });

  it('refuses to cancel an appointment already cancelled', () => {
    const issues = checkCancellation({ ...stored, status: 'cancelled' }, cancelled());
    expect(codes(issues)).toEqual([{ code: 'business-rule', expression: ['Appointment.status'] }]);
    expect(issues[0].diagnostics).toBe('This appointment is already cancelled.');
  });

  it.each([
    ['a changed start', cancelled({ start: '2026-12-01T10:00:00+13:00' }), 'Appointment.start'],
    ['a changed id', cancelled({ id: 'appt-2' }), 'Appointment.id'],
    ['an added comment', cancelled({ comment: 'Running late' }), 'Appointment.comment'],
    ['a removed end', cancelled({ end: undefined }), 'Appointment.end'],
    ['a removed slot', cancelled({ slot: undefined }), 'Appointment.slot'],
    ['another slot', cancelled({ slot: [{ reference: 'Slot/slot-1000' }] }), 'Appointment.slot[0].reference'],
    [
      'a participant status',
      cancelled({
        participant: [stored.participant[0], stored.participant[1], { ...stored.participant[2], status: 'declined' }],
      }),
      'Appointment.participant[2].status',
    ],
    [
      'an extra participant',
      cancelled({ participant: [...stored.participant, actor('Patient/pat-b')] }),
      'Appointment.participant[3]',
    ],
    [
      "a text deeper down (only the resource's own text is ignored)",
      cancelled({
        participant: [
          stored.participant[0],
          { ...stored.participant[1], type: [{ text: 'Nurse' }] },
          stored.participant[2],
        ],
      }),
      'Appointment.participant[1].type[0].text',
    ],
  ])('refuses %s, naming the element that differs', (_what, incoming, path) => {
    const issues = checkCancellation(stored, incoming);
    expect(codes(issues)).toEqual([{ code: 'business-rule', expression: [path] }]);
    expect(issues[0].diagnostics).toBe(
      `Only the status can change when cancelling; ${path} differs from the stored appointment.`,
    );
  });

  it("names the changed reference itself when a participant's actor reference differs", () => {
    const participant = structuredClone(stored.participant);
    participant[0].actor = { ...participant[0].actor, reference: 'Patient/pat-b' };
    expect(codes(checkCancellation(stored, cancelled({ participant })))).toEqual([
      { code: 'business-rule', expression: ['Appointment.participant[0].actor.reference'] },
    ]);
  });

  it('reports a wrong status and each changed element together', () => {
    const issues = checkCancellation(stored, {
      ...structuredClone(stored),
      status: 'arrived',
      start: '2026-12-01T10:00:00+13:00',
      end: '2026-12-01T10:15:00+13:00',
    });
    expect(codes(issues)).toEqual([
      { code: 'business-rule', expression: ['Appointment.status'] },
      { code: 'business-rule', expression: ['Appointment.start'] },
      { code: 'business-rule', expression: ['Appointment.end'] },
    ]);
  });

  it('lists at most ten differences however much was changed', () => {
    const extras = Object.fromEntries(Array.from({ length: 15 }, (_, i) => [`extra${i}`, i]));
    const issues = checkCancellation(stored, { ...cancelled(), ...extras } as Appointment);
    expect(issues).toHaveLength(10);
    expect(issues.map((found) => found.expression?.[0])).toEqual(
      Array.from({ length: 10 }, (_, i) => `Appointment.extra${i}`),
    );
  });
});

describe('appointmentFieldFor', () => {
  const submitted = proposal({
    participant: [actor('Practitioner/prac-1'), actor('Patient/pat-a'), actor('Location/loc-1'), actor('Device/d-1')],
  });

  it('maps the participant-of-a-type paths to their fields', () => {
    expect(appointmentFieldFor(PATIENT_PATH, submitted)).toBe('patient');
    expect(appointmentFieldFor(PRACTITIONER_PATH, submitted)).toBe('practitioner');
    expect(appointmentFieldFor(LOCATION_PATH, submitted)).toBe('location');
  });

  it('maps an indexed participant to the field of the actor submitted at that index', () => {
    expect(appointmentFieldFor('Appointment.participant[0].actor', submitted)).toBe('practitioner');
    expect(appointmentFieldFor('Appointment.participant[1].actor', submitted)).toBe('patient');
    expect(appointmentFieldFor('Appointment.participant[2]', submitted)).toBe('location');
    expect(appointmentFieldFor('Appointment.participant[3].actor', submitted)).toBeUndefined();
    expect(appointmentFieldFor('Appointment.participant[9].actor', submitted)).toBeUndefined();
  });

  it('maps status, start, end and slot, with or without an index or a child element', () => {
    expect(appointmentFieldFor('Appointment.status', submitted)).toBe('status');
    expect(appointmentFieldFor('Appointment.start', submitted)).toBe('start');
    expect(appointmentFieldFor('Appointment.end', submitted)).toBe('end');
    expect(appointmentFieldFor('Appointment.slot', submitted)).toBe('slot');
    expect(appointmentFieldFor('Appointment.slot[0]', submitted)).toBe('slot');
    expect(appointmentFieldFor('Appointment.slot[0].reference', submitted)).toBe('slot');
  });

  it('maps the reason for the visit and the comment', () => {
    expect(appointmentFieldFor('Appointment.description', submitted)).toBe('description');
    expect(appointmentFieldFor('Appointment.comment', submitted)).toBe('comment');
  });

  it('maps nothing else, including names that merely begin like a field', () => {
    for (const expression of [
      'Appointment.participant',
      'Appointment.comments',
      'Appointment.descriptionText',
      'Appointment.startTime',
      'Appointment.statusReason',
      'Appointment',
      'Slot.start',
    ]) {
      expect(appointmentFieldFor(expression, submitted), expression).toBeUndefined();
    }
  });

  it('puts each refusal of a bad proposal beside a form field', () => {
    const bad = proposal({
      status: 'booked',
      participant: [actor('Practitioner/prac-1'), actor('Device/d-1')],
      start: '2026-12-01T10:00:00',
      slot: [{ reference: 'Schedule/s' }],
    });
    const fields = checkProposedAppointment(bad, NOW).map((found) =>
      (found.expression ?? []).map((path) => appointmentFieldFor(path, bad)).find((field) => field !== undefined),
    );
    expect(fields).toEqual(['status', undefined, 'patient', 'start', 'slot']);
  });
});
