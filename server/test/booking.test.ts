/**
 * Booking: POST a proposed Appointment (medTech IG "Create an Appointment" and domain.md's rules).
 * One server per file; each test books at its own fixture times so tests do not depend on each other.
 */
import type { Appointment, Practitioner, Schedule, Slot } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, refusedWithoutChange, type Api } from './api';
import { NOW, proposal, slotId } from './fixtures';
import { startTestServer, type TestServer } from './testServer';

let server: TestServer;
let api: Api;

beforeAll(async () => {
  server = await startTestServer();
  api = apiOf(server);
});
afterAll(() => server.close());

async function slot(practitioner: string, time: string): Promise<Slot> {
  return (await api.get(`Slot/${slotId(practitioner, time)}`)).json<Slot>();
}

/** A proposal with some elements replaced or (as undefined) removed. */
function changed(
  overrides: Record<string, unknown>,
  options: Parameters<typeof proposal>[0] = {},
): Record<string, unknown> {
  return JSON.parse(JSON.stringify({ ...proposal(options), ...overrides }));
}

describe('a proposed appointment that keeps the rules', () => {
  it("is stored as booked: 201 with Location, ETag, meta and the slot's end, and the slot becomes busy", async () => {
    const response = await api.post('Appointment', { ...proposal({ time: '09:00' }), id: 'chosen-by-client' });
    expect(response.statusCode, response.body).toBe(201);
    const booked = response.json<Appointment>();
    expect(booked.status).toBe('booked');
    expect(booked.id).not.toBe('chosen-by-client');
    expect(booked.meta?.versionId).toBe('1');
    expect(booked.meta?.lastUpdated).toBeDefined();
    expect(booked.start).toBe('2030-03-05T09:00:00+13:00');
    expect(booked.end).toBe('2030-03-05T09:15:00+13:00');
    // When it was made, as an instant: a bare UTC date would be the day before in a New Zealand morning.
    expect(booked.created).toBe('2030-03-04T08:00:00+13:00');
    expect(response.headers.location).toBe(`http://localhost:80/fhir/Appointment/${booked.id}/_history/1`);
    expect(response.headers.etag).toBe('W/"1"');

    const read = await api.get(`Appointment/${booked.id}`);
    expect(read.json()).toEqual(booked);
    expect(read.headers.etag).toBe('W/"1"');
    const taken = await slot('prac-1', '09:00');
    expect(taken.status).toBe('busy');
    expect(taken.meta?.versionId).toBe('2');
  });

  it('keeps the reason for the visit and the comment as sent, at their longest', async () => {
    const reason = `Sore knee ${'ā'.repeat(90)}`;
    const booked = await api.book({
      ...proposal({ time: '11:15', patient: 'pat-b' }),
      description: reason,
      comment: 'c'.repeat(500),
    });
    expect(booked.description).toBe(reason);
    expect(booked.comment).toHaveLength(500);
  });

  it("without a slot gets the practitioner's usual slot length as its end, and the overlapped slot becomes busy", async () => {
    const booked = await api.book(
      proposal({ time: '09:30', withSlot: false, practitioner: 'prac-2', location: 'loc-2' }),
    );
    expect(booked.end).toBe('2030-03-05T09:45:00+13:00');
    expect(booked.slot).toBeUndefined();
    expect((await slot('prac-2', '09:30')).status).toBe('busy');
    expect((await slot('prac-2', '09:45')).status).toBe('free');
  });

  it("may leave out the location (the slot's schedule's is recorded) and give the slot's own end", async () => {
    // Another patient: pat-a has the 09:30 with prac-2 already, and a patient is never booked twice at once.
    const body = changed({ end: '2030-03-05T09:45:00+13:00' }, { time: '09:30', patient: 'pat-b' });
    body.participant = (body.participant as Array<{ actor: { reference: string } }>).filter(
      (one) => !one.actor.reference.startsWith('Location/'),
    );
    const booked = await api.book(body);
    expect(booked.participant.map((one) => one.actor?.reference)).toEqual([
      'Patient/pat-b',
      'Practitioner/prac-1',
      'Location/loc-1',
    ]);
    expect(booked.end).toBe('2030-03-05T09:45:00+13:00');
  });

  it('outside any slot ends 15 minutes after it starts', async () => {
    const booked = await api.book(changed({ start: '2030-03-05T13:00:00+13:00' }, { withSlot: false }));
    expect(booked.end).toBe('2030-03-05T13:15:00+13:00');
  });

  it("outside any slot takes the length of the practitioner's own slots, here 30 minutes", async () => {
    const practitioner: Practitioner = {
      resourceType: 'Practitioner',
      id: 'prac-30',
      name: [{ family: 'Long', given: ['Sam'] }],
    };
    const schedule: Schedule = {
      resourceType: 'Schedule',
      id: 'sched-prac-30',
      actor: [{ reference: 'Practitioner/prac-30' }],
    };
    const slot: Slot = {
      resourceType: 'Slot',
      id: 'slot-prac-30-0900',
      schedule: { reference: 'Schedule/sched-prac-30' },
      status: 'free',
      start: '2030-03-05T09:00:00+13:00',
      end: '2030-03-05T09:30:00+13:00',
    };
    await server.opened.store.bulkLoad([practitioner, schedule, slot], NOW);
    const booked = await api.book(
      changed({ start: '2030-03-05T14:00:00+13:00' }, { withSlot: false, practitioner: 'prac-30' }),
    );
    expect(booked.end).toBe('2030-03-05T14:30:00+13:00');
  });

  it('accepts a start written in another offset for the same instant', async () => {
    const booked = await api.book(
      changed(
        { start: '2030-03-04T20:00:00Z' },
        { time: '09:00', practitioner: 'prac-2', location: 'loc-2', patient: 'pat-b' },
      ),
    );
    expect(new Date(booked.end as string).toISOString()).toBe('2030-03-04T20:15:00.000Z');
  });
});

describe('a booking that is refused changes nothing', () => {
  const refused = (body: unknown, status: number, code: string | string[], expression?: string) =>
    refusedWithoutChange(api, () => api.post('Appointment', body), status, code, expression);

  it('400: broken JSON, not an object, no body, wrong resourceType, unknown element, malformed start', async () => {
    await refused('{"resourceType": "Appointment", ', 400, 'structure');
    await refused('[]', 400, 'structure');
    await refused('"Appointment"', 400, 'structure');
    await refusedWithoutChange(
      api,
      () => api.request('POST', 'Appointment', undefined, { 'content-type': 'application/fhir+json' }),
      400,
      'structure',
    );
    await refused({ ...proposal({ time: '10:00' }), resourceType: 'Patient' }, 400, 'structure');
    await refused({ ...proposal({ time: '10:00' }), colour: 'blue' }, 400, 'structure', 'Appointment.colour');
    await refused(
      changed({ start: '2030-03-05' }, { time: '10:00' }),
      400,
      ['structure', 'value'],
      'Appointment.start',
    );
    await refused(changed({ participant: 'Patient/pat-a' }, { time: '10:00' }), 400, 'structure');
  });

  it('422: status missing or anything but proposed', async () => {
    await refused(changed({ status: undefined }, { time: '10:00' }), 422, 'required', 'Appointment.status');
    for (const status of ['booked', 'cancelled', 'pending', 'arrived']) {
      await refused(changed({ status }, { time: '10:00' }), 422, 'business-rule', 'Appointment.status');
    }
  });

  it('422: no patient, no practitioner, two of either, or an actor of another type', async () => {
    const withParticipants = (...references: string[]) =>
      changed(
        { participant: references.map((reference) => ({ actor: { reference }, status: 'accepted' })) },
        { time: '10:00' },
      );
    await refused(
      withParticipants('Practitioner/prac-1', 'Location/loc-1'),
      422,
      'required',
      'Appointment.participant',
    );
    await refused(withParticipants('Patient/pat-a', 'Location/loc-1'), 422, 'required', 'Appointment.participant');
    await refused(changed({ participant: undefined }, { time: '10:00' }), 422, 'required', 'Appointment.participant');
    await refused(
      withParticipants('Patient/pat-a', 'Patient/pat-b', 'Practitioner/prac-1'),
      422,
      'business-rule',
      "Appointment.participant.where(actor.reference.startsWith('Patient/'))",
    );
    await refused(
      withParticipants('Patient/pat-a', 'Practitioner/prac-1', 'Practitioner/prac-2'),
      422,
      'business-rule',
      "Appointment.participant.where(actor.reference.startsWith('Practitioner/'))",
    );
    await refused(
      withParticipants('Patient/pat-a', 'Practitioner/prac-1', 'Location/loc-1', 'Location/loc-2'),
      422,
      'business-rule',
      "Appointment.participant.where(actor.reference.startsWith('Location/'))",
    );
    await refused(
      withParticipants('Patient/pat-a', 'Practitioner/prac-1', 'Device/d-1'),
      422,
      'value',
      'Appointment.participant[2].actor',
    );
  });

  it('422: a patient, practitioner or location that does not exist', async () => {
    await refused(proposal({ time: '10:00', patient: 'nobody' }), 422, 'not-found', 'Appointment.participant[0].actor');
    await refused(
      changed({ slot: undefined }, { time: '10:00', practitioner: 'no-such-doctor' }),
      422,
      'not-found',
      'Appointment.participant[1].actor',
    );
    await refused(
      proposal({ time: '10:00', location: 'nowhere' }),
      422,
      'not-found',
      'Appointment.participant[2].actor',
    );
  });

  it('422: start missing, in the past, or end not after start', async () => {
    await refused(changed({ start: undefined }, { time: '10:00' }), 422, 'required', 'Appointment.start');
    await refused(
      changed({ start: '2030-03-04T07:45:00+13:00' }, { withSlot: false }),
      422,
      'business-rule',
      'Appointment.start',
    );
    await refused(
      changed({ end: '2030-03-05T09:00:00+13:00', start: '2030-03-05T10:00:00+13:00' }, { withSlot: false }),
      422,
      'invariant',
      'Appointment.end',
    );
  });

  it('422: a reason for the visit over 100 characters, or a comment over 500, on the element at fault', async () => {
    const reason = await refused(
      changed({ description: 'a'.repeat(101) }, { time: '10:00' }),
      422,
      'too-long',
      'Appointment.description',
    );
    expect(reason.issue[0].diagnostics).toMatch(/at most 100 characters/);
    await refused(changed({ comment: 'a'.repeat(501) }, { time: '10:00' }), 422, 'too-long', 'Appointment.comment');
  });

  it('422: a slot that does not exist, is not a Slot reference, is one of several, or belongs to another practitioner', async () => {
    await refused(
      changed({ slot: [{ reference: 'Slot/no-such-slot' }] }, { time: '10:00' }),
      422,
      'not-found',
      'Appointment.slot[0]',
    );
    await refused(
      changed({ slot: [{ reference: 'Schedule/sched-prac-1' }] }, { time: '10:00' }),
      422,
      'value',
      'Appointment.slot[0]',
    );
    await refused(
      changed(
        {
          slot: [
            { reference: `Slot/${slotId('prac-1', '10:00')}` },
            { reference: `Slot/${slotId('prac-1', '10:15')}` },
          ],
        },
        { time: '10:00' },
      ),
      422,
      'business-rule',
      'Appointment.slot',
    );
    await refused(
      changed({ slot: [{ reference: `Slot/${slotId('prac-2', '10:00')}` }] }, { time: '10:00' }),
      422,
      'business-rule',
      'Appointment.slot[0]',
    );
  });

  it("422: a start or end that is not the slot's own", async () => {
    await refused(
      changed({ start: '2030-03-05T10:05:00+13:00' }, { time: '10:00' }),
      422,
      'business-rule',
      'Appointment.start',
    );
    await refused(
      changed({ end: '2030-03-05T10:30:00+13:00' }, { time: '10:00' }),
      422,
      'business-rule',
      'Appointment.end',
    );
  });

  it('409: the slot is taken; the practitioner is busy at that time', async () => {
    await api.book(proposal({ time: '10:30' }));
    await refused(proposal({ time: '10:30', patient: 'pat-b' }), 409, ['conflict', 'duplicate'], 'Appointment.slot[0]');
    await refused(
      changed({ start: '2030-03-05T10:35:00+13:00' }, { withSlot: false, patient: 'pat-b' }),
      409,
      ['conflict', 'duplicate'],
      'Appointment.start',
    );
  });

  it('409: a booking without a slot made the slot busy, so booking that slot is refused', async () => {
    await api.book(proposal({ time: '11:00', withSlot: false }));
    await refused(proposal({ time: '11:00', patient: 'pat-b' }), 409, ['conflict', 'duplicate'], 'Appointment.slot[0]');
  });

  it('405: other resource types cannot be created', async () => {
    await refusedWithoutChange(api, () => api.post('Patient', { resourceType: 'Patient' }), 405, 'not-supported');
    await refusedWithoutChange(api, () => api.post('Slot', { resourceType: 'Slot' }), 405, 'not-supported');
  });

  it('404: an unknown resource type', async () => {
    await refusedWithoutChange(api, () => api.post('Widget', { resourceType: 'Widget' }), 404, [
      'not-found',
      'not-supported',
    ]);
  });
});
