import type { Appointment, CapabilityStatement, Slot } from 'fhir/r4';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addMinutesInOffset, bookAppointment, cancelByPut, withEnd } from './appointmentWrites';
import { createFhirClient, FhirRequestError } from './fhirClient';
import { MEDTECH_IG } from './serverCapabilities';

const BASE = 'http://other.test/r4';
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A plain FHIR server: stores what it is sent, versions it, honours If-Match, and checks nothing. */
interface PlainWorld {
  statement: Partial<CapabilityStatement>;
  slots: Map<string, Slot>;
  appointments: Appointment[];
  writes: string[];
  failPost: boolean;
}
let world: PlainWorld;

const slot: Slot = {
  resourceType: 'Slot',
  id: 'slot-a',
  schedule: { reference: 'Schedule/sched-1' },
  status: 'free',
  start: '2031-03-04T09:00:00+13:00',
  end: '2031-03-04T09:15:00+13:00',
  meta: { versionId: '1' },
};

const proposal: Appointment = {
  resourceType: 'Appointment',
  status: 'proposed',
  start: slot.start,
  slot: [{ reference: 'Slot/slot-a' }],
  participant: [
    { actor: { reference: 'Patient/pat-1' }, status: 'accepted' },
    { actor: { reference: 'Practitioner/prac-1' }, status: 'accepted' },
  ],
};

const bundle = (resources: object[]) => ({
  resourceType: 'Bundle',
  type: 'searchset',
  total: resources.length,
  entry: resources.map((resource) => ({ resource })),
});

function actorOf(appointment: Appointment): string[] {
  return appointment.participant.map((participant) => participant.actor?.reference ?? '');
}

beforeEach(() => {
  world = { statement: {}, slots: new Map([['slot-a', { ...slot }]]), appointments: [], writes: [], failPost: false };
  server.use(
    http.get(`${BASE}/metadata`, () =>
      HttpResponse.json({ resourceType: 'CapabilityStatement', status: 'active', ...world.statement }),
    ),
    http.get(`${BASE}/Slot/:id`, ({ params }) => {
      const found = world.slots.get(params.id as string);
      return found
        ? HttpResponse.json(found, { headers: { ETag: `W/"${found.meta?.versionId}"` } })
        : HttpResponse.json({ resourceType: 'OperationOutcome', issue: [] }, { status: 404 });
    }),
    http.put(`${BASE}/Slot/:id`, async ({ params, request }) => {
      const stored = world.slots.get(params.id as string);
      if (request.headers.get('If-Match') !== `W/"${stored?.meta?.versionId}"`)
        return HttpResponse.json({ resourceType: 'OperationOutcome', issue: [] }, { status: 412 });
      const body = (await request.json()) as Slot;
      const next = { ...body, meta: { versionId: String(Number(stored?.meta?.versionId) + 1) } };
      world.slots.set(params.id as string, next);
      world.writes.push(`PUT Slot ${body.status}`);
      return HttpResponse.json(next);
    }),
    http.get(`${BASE}/Appointment`, ({ request }) => {
      const url = new URL(request.url);
      const actor = url.searchParams.get('actor');
      const slotRef = url.searchParams.get('slot');
      return HttpResponse.json(
        bundle(
          world.appointments.filter(
            (found) =>
              (!actor || actorOf(found).includes(actor)) &&
              (!slotRef || found.slot?.some((ref) => ref.reference === slotRef)),
          ),
        ),
      );
    }),
    http.post(`${BASE}/Appointment`, async ({ request }) => {
      const body = (await request.json()) as Appointment;
      world.writes.push(`POST Appointment ${body.status}`);
      if (world.failPost) return HttpResponse.json({ resourceType: 'OperationOutcome', issue: [] }, { status: 422 });
      const stored = { ...body, id: `appt-${world.appointments.length + 1}`, meta: { versionId: '1' } };
      world.appointments.push(stored);
      return HttpResponse.json(stored, { status: 201 });
    }),
    http.get(`${BASE}/Appointment/:id`, ({ params }) =>
      HttpResponse.json(world.appointments.find((found) => found.id === params.id)),
    ),
    http.put(`${BASE}/Appointment/:id`, async ({ params, request }) => {
      const body = (await request.json()) as Appointment;
      world.appointments = world.appointments.map((found) => (found.id === params.id ? body : found));
      world.writes.push(`PUT Appointment ${body.status}`);
      return HttpResponse.json(body);
    }),
  );
});

const client = () => createFhirClient(BASE, null, 'http://app.test/');

describe('an end with every start (R4 invariant app-2)', () => {
  it('takes the slot end when the proposal does not carry it', async () => {
    expect((await withEnd(client(), proposal)).end).toBe(slot.end);
  });

  it('without a slot, is the practitioner’s slot length after the start, in the start’s offset', async () => {
    server.use(
      http.get(`${BASE}/Schedule`, () => HttpResponse.json(bundle([{ resourceType: 'Schedule', id: 'sched-1' }]))),
      http.get(`${BASE}/Slot`, () =>
        HttpResponse.json(bundle([{ ...slot, start: '2031-03-04T10:00:00+13:00', end: '2031-03-04T10:20:00+13:00' }])),
      ),
    );
    const slotless = { ...proposal, slot: undefined, start: '2031-03-04T16:50:00+13:00' };
    expect((await withEnd(client(), slotless)).end).toBe('2031-03-04T17:10:00+13:00');
  });

  it('falls back to 15 minutes for a practitioner with no schedule, and keeps an end it was given', async () => {
    server.use(http.get(`${BASE}/Schedule`, () => HttpResponse.json(bundle([]))));
    const slotless = { ...proposal, slot: undefined, start: '2031-03-04T23:50:00-05:00' };
    expect((await withEnd(client(), slotless)).end).toBe('2031-03-05T00:05:00-05:00');
    expect((await withEnd(client(), { ...proposal, end: '2031-03-04T09:15:00+13:00' })).end).toBe(
      '2031-03-04T09:15:00+13:00',
    );
  });

  it('adds minutes in the offset written, across midnight and in UTC', () => {
    expect(addMinutesInOffset('2031-03-04T23:55:00+13:00', 15)).toBe('2031-03-05T00:10:00+13:00');
    expect(addMinutesInOffset('2031-03-04T23:55:00Z', 15)).toBe('2031-03-05T00:10:00Z');
  });
});

describe('booking on a server that declares the medTech IG', () => {
  it('POSTs the proposal with its end and nothing else: the server books and guards the slot', async () => {
    world.statement = { instantiates: [MEDTECH_IG] };
    const booked = await bookAppointment(client(), proposal);
    expect(world.writes).toEqual(['POST Appointment proposed']);
    expect(booked).toMatchObject({ status: 'proposed', end: slot.end });
  });
});

describe('booking on a server that declares no booking rules', () => {
  it('claims the free slot with If-Match first, then POSTs the appointment as booked', async () => {
    const booked = await bookAppointment(client(), proposal);
    expect(world.writes).toEqual(['PUT Slot busy', 'POST Appointment booked']);
    expect(booked).toMatchObject({ status: 'booked', start: slot.start, end: slot.end });
  });

  it('refuses a slot that is no longer free with a 409 on the slot, and POSTs nothing', async () => {
    world.slots.set('slot-a', { ...slot, status: 'busy' });
    const failure = await bookAppointment(client(), proposal).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FhirRequestError);
    expect(failure).toMatchObject({ status: 409, issues: [{ code: 'conflict', expression: ['Appointment.slot[0]'] }] });
    expect(world.writes).toEqual([]);
  });

  it('refuses when the practitioner or the patient already has an appointment at that time', async () => {
    world.appointments.push({
      ...proposal,
      id: 'other',
      status: 'booked',
      start: '2031-03-04T08:50:00+13:00',
      end: '2031-03-04T09:05:00+13:00',
      participant: [{ actor: { reference: 'Patient/pat-1' }, status: 'accepted' }],
    });
    await expect(bookAppointment(client(), proposal)).rejects.toMatchObject({
      status: 409,
      issues: [{ code: 'duplicate', diagnostics: expect.stringMatching(/patient already has an appointment/) }],
    });
    world.appointments[0] = { ...world.appointments[0], status: 'cancelled' };
    await expect(bookAppointment(client(), proposal)).resolves.toMatchObject({ status: 'booked' });
  });

  it('lets the slot go again when the POST is refused', async () => {
    world.failPost = true;
    await expect(bookAppointment(client(), proposal)).rejects.toMatchObject({ status: 422 });
    expect(world.writes).toEqual(['PUT Slot busy', 'POST Appointment booked', 'PUT Slot free']);
    expect(world.slots.get('slot-a')?.status).toBe('free');
  });

  it('frees the slot on cancelling, unless another appointment still holds it', async () => {
    const booked = await bookAppointment(client(), proposal);
    await cancelByPut(client(), booked.id ?? '');
    expect(world.slots.get('slot-a')?.status).toBe('free');

    const again = await bookAppointment(client(), proposal);
    world.appointments.push({ ...again, id: 'holder' });
    await cancelByPut(client(), again.id ?? '');
    expect(world.slots.get('slot-a')?.status).toBe('busy');
  });

  it('takes a server that refuses metadata as declaring nothing, but books nothing while the server cannot be reached', async () => {
    server.use(
      http.get(`${BASE}/metadata`, () =>
        HttpResponse.json({ resourceType: 'OperationOutcome', issue: [] }, { status: 404 }),
      ),
    );
    await expect(bookAppointment(client(), proposal)).resolves.toMatchObject({ status: 'booked' });
    server.use(http.get(`${BASE}/metadata`, () => HttpResponse.error()));
    world.writes = [];
    await expect(bookAppointment(client(), proposal)).rejects.toMatchObject({ status: 0 });
    expect(world.writes).toEqual([]);
  });
});
