import type { Appointment, Slot } from 'fhir/r4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FhirError } from '../core/fhirError';
import type { SqlFhirStore } from '../storage/sqlFhirStore';
import { openClinicStore, resetClinic } from '../test/clinicStore';
import { NOW, proposal, slotId } from '../test/fixtures';
import { bookAppointment } from './booking';

let store: SqlFhirStore;
beforeAll(async () => {
  store = await openClinicStore();
});
beforeEach(async () => {
  await resetClinic(store);
});
afterAll(async () => {
  await store.close();
});

/** The FhirError a booking was refused with. */
async function refusal(body: unknown): Promise<FhirError> {
  const error = await bookAppointment(store, body, NOW).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof FhirError)) throw new Error(`expected a FhirError, got ${String(error)}`);
  return error;
}

const slotStatus = async (practitioner: string, time: string) =>
  (await store.read<Slot>('Slot', slotId(practitioner, time)))?.status;

describe('bookAppointment', () => {
  it('stores a proposal for a free slot as booked, ending with the slot, and marks the slot busy', async () => {
    const booked = await bookAppointment(store, proposal({ time: '09:15' }), NOW);
    expect(booked).toMatchObject({
      status: 'booked',
      start: '2030-03-05T09:15:00+13:00',
      end: '2030-03-05T09:30:00+13:00',
      meta: { versionId: '1' },
    });
    expect(await store.read<Appointment>('Appointment', booked.id as string)).toEqual(booked);
    expect(await slotStatus('prac-1', '09:15')).toBe('busy');
    expect(await slotStatus('prac-1', '09:30')).toBe('free');
  });

  it("without a slot ends after the practitioner's own slot length and marks the slots it covers busy", async () => {
    const booked = await bookAppointment(store, proposal({ time: '10:00', withSlot: false }), NOW);
    expect(booked.end).toBe('2030-03-05T10:15:00+13:00');
    expect(await slotStatus('prac-1', '10:00')).toBe('busy');
  });

  it("takes the slot's schedule's location when the proposal names none (a search by location finds it), and keeps one it names", async () => {
    const withoutPlace = proposal({ time: '09:15' });
    withoutPlace.participant = withoutPlace.participant.filter(
      (participant) => !participant.actor.reference.startsWith('Location/'),
    );
    const booked = await bookAppointment(store, withoutPlace, NOW);
    expect(booked.participant.map((participant) => participant.actor?.reference)).toEqual([
      'Patient/pat-a',
      'Practitioner/prac-1',
      'Location/loc-1',
    ]);
    const found = await store.search({
      resourceType: 'Appointment',
      criteria: [{ kind: 'reference', param: 'location', anyOf: ['loc-1'] }],
      count: 10,
      offset: 0,
      descending: false,
      include: [],
    });
    expect(found.matches.map((match) => match.id)).toEqual([booked.id]);

    const slotless = proposal({ time: '11:00', patient: 'pat-b', withSlot: false });
    slotless.participant = slotless.participant.filter(
      (participant) => !participant.actor.reference.startsWith('Location/'),
    );
    const unplaced = await bookAppointment(store, slotless, NOW);
    // Without a slot there is no schedule to say where: nothing is guessed.
    expect(unplaced.participant.map((participant) => participant.actor?.reference)).toEqual([
      'Patient/pat-b',
      'Practitioner/prac-1',
    ]);
  });

  it('refuses a slot that is no longer free with a 409 on the slot, and stores nothing', async () => {
    await bookAppointment(store, proposal({ time: '09:00' }), NOW);
    const error = await refusal(proposal({ time: '09:00', patient: 'pat-b' }));
    expect(error.status).toBe(409);
    expect(error.issues[0]).toMatchObject({ code: 'conflict', expression: ['Appointment.slot[0]'] });
    expect(await store.count('Appointment')).toBe(1);
  });

  it('refuses to double-book the practitioner without a slot (409 on the start)', async () => {
    await bookAppointment(store, proposal({ time: '09:00' }), NOW);
    const error = await refusal(proposal({ time: '09:00', patient: 'pat-b', withSlot: false }));
    expect(error.status).toBe(409);
    expect(error.issues[0]).toMatchObject({ code: 'conflict', expression: ['Appointment.start'] });
  });

  it('names each participant that does not exist (422 on its actor), and stores nothing', async () => {
    const error = await refusal(proposal({ patient: 'nobody', location: 'nowhere' }));
    expect(error.status).toBe(422);
    expect(error.issues.map((found) => found.expression?.[0])).toEqual([
      'Appointment.participant[0].actor',
      'Appointment.participant[2].actor',
    ]);
    expect(await store.count('Appointment')).toBe(0);
    expect(await slotStatus('prac-1', '09:00')).toBe('free');
  });

  it("refuses another practitioner's slot (422) and a start that is not the slot's (422 on the start)", async () => {
    const otherPractitioners = {
      ...proposal({ time: '09:00' }),
      slot: [{ reference: `Slot/${slotId('prac-2', '09:00')}` }],
    };
    expect((await refusal(otherPractitioners)).issues[0]).toMatchObject({
      code: 'business-rule',
      expression: ['Appointment.slot[0]'],
    });
    const wrongStart = { ...proposal({ time: '09:00' }), slot: [{ reference: `Slot/${slotId('prac-1', '09:15')}` }] };
    expect((await refusal(wrongStart)).issues[0]).toMatchObject({ expression: ['Appointment.start'] });
  });

  it('checks the profile before the database: a status other than proposed is 422, broken structure 400', async () => {
    expect((await refusal({ ...proposal(), status: 'booked' })).status).toBe(422);
    expect((await refusal({ ...proposal(), start: 42 })).status).toBe(400);
    expect((await refusal({ resourceType: 'Patient' })).status).toBe(400);
  });

  it('refuses a start on a day the calendar does not have with 422 on the start (it reached PostgreSQL as a 500)', async () => {
    const error = await refusal({ ...proposal({ withSlot: false }), start: '2030-04-31T09:00:00+12:00' });
    expect(error.status).toBe(422);
    expect(error.issues[0].expression).toEqual(['Appointment.start']);
    expect(await store.count('Appointment')).toBe(0);
  });
});
