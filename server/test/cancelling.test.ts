/**
 * Cancelling ("Delete an appointment" in the IG): read it, set status cancelled, PUT it back.
 * Only the status may change, only to cancelled; PUT never creates; DELETE is not the way.
 */
import type { Appointment, Slot } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, expectOutcome, refusedWithoutChange, type Api } from './api';
import { proposal, slotId } from './fixtures';
import { startTestServer, type TestServer } from './testServer';

let server: TestServer;
let api: Api;

beforeAll(async () => {
  server = await startTestServer();
  api = apiOf(server);
});
afterAll(() => server.close());

async function slotStatus(practitioner: string, time: string): Promise<string> {
  return (await api.get(`Slot/${slotId(practitioner, time)}`)).json<Slot>().status;
}

function cancelled(appointment: Appointment): Appointment {
  return { ...appointment, status: 'cancelled' };
}

describe('cancelling a booked appointment', () => {
  it('is 200 with the new version, and the slot is free to book again', async () => {
    const booked = await api.book(proposal({ time: '09:00' }));
    const response = await api.put(`Appointment/${booked.id}`, cancelled(booked), { 'if-match': 'W/"1"' });
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json<Appointment>();
    expect(result).toMatchObject({ ...booked, status: 'cancelled', meta: { versionId: '2' } });
    expect(response.headers.etag).toBe('W/"2"');
    expect((await api.get(`Appointment/${booked.id}`)).json()).toEqual(result);
    expect((await api.get(`Appointment/${booked.id}/_history/1`)).json()).toEqual(booked);
    expect(await slotStatus('prac-1', '09:00')).toBe('free');
    await api.book(proposal({ time: '09:00', patient: 'pat-b' }));
    expect(await slotStatus('prac-1', '09:00')).toBe('busy');
  });

  it('ignores meta and text, and needs no If-Match', async () => {
    const booked = await api.book(proposal({ time: '09:15' }));
    const { meta: _meta, ...withoutMeta } = cancelled(booked);
    const body = {
      ...withoutMeta,
      text: { status: 'generated', div: '<div xmlns="http://www.w3.org/1999/xhtml">Cancelled</div>' },
    };
    const response = await api.put(`Appointment/${booked.id}`, body);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json<Appointment>().status).toBe('cancelled');
  });

  it('frees every slot a long appointment without a slot covered', async () => {
    const booked = await api.book({
      ...proposal({ withSlot: false, practitioner: 'prac-2', location: 'loc-2', time: '10:00' }),
      end: '2030-03-05T10:45:00+13:00',
    });
    expect([
      await slotStatus('prac-2', '10:00'),
      await slotStatus('prac-2', '10:15'),
      await slotStatus('prac-2', '10:30'),
      await slotStatus('prac-2', '10:45'),
    ]).toEqual(['busy', 'busy', 'busy', 'free']);
    const response = await api.put(`Appointment/${booked.id}`, cancelled(booked));
    expect(response.statusCode, response.body).toBe(200);
    expect([
      await slotStatus('prac-2', '10:00'),
      await slotStatus('prac-2', '10:15'),
      await slotStatus('prac-2', '10:30'),
    ]).toEqual(['free', 'free', 'free']);
  });

  it('answers as Prefer: return=minimal asks: no body, but the ETag', async () => {
    const booked = await api.book(proposal({ time: '09:30' }));
    const response = await api.put(`Appointment/${booked.id}`, cancelled(booked), { prefer: 'return=minimal' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
    expect(response.headers.etag).toBe('W/"2"');
  });
});

describe('a cancellation that is refused changes nothing', () => {
  let booked: Appointment;
  beforeAll(async () => {
    booked = await api.book(proposal({ time: '11:00', patient: 'pat-b' }));
  });
  const refused = (
    body: unknown,
    status: number,
    code: string | string[],
    expression?: string,
    headers?: Record<string, string>,
    id = booked.id,
  ) => refusedWithoutChange(api, () => api.put(`Appointment/${id}`, body, headers), status, code, expression);

  it('422: the status unchanged or changed to anything but cancelled', async () => {
    await refused(booked, 422, 'business-rule', 'Appointment.status');
    for (const status of ['noshow', 'fulfilled', 'proposed', 'entered-in-error']) {
      await refused({ ...booked, status }, 422, 'business-rule', 'Appointment.status');
    }
  });

  it('422: any other element changed, added or removed, naming the element', async () => {
    await refused(
      { ...cancelled(booked), start: '2030-03-05T11:15:00+13:00' },
      422,
      'business-rule',
      'Appointment.start',
    );
    await refused({ ...cancelled(booked), comment: 'Cannot make it' }, 422, 'business-rule', 'Appointment.comment');
    const { end: _end, ...withoutEnd } = cancelled(booked);
    await refused(withoutEnd, 422, 'business-rule', 'Appointment.end');
    const participant = booked.participant.map((one, index) =>
      index === 0 ? { ...one, actor: { reference: 'Patient/pat-a' } } : one,
    );
    await refused(
      { ...cancelled(booked), participant },
      422,
      'business-rule',
      'Appointment.participant[0].actor.reference',
    );
    await refused(
      { ...cancelled(booked), slot: [{ reference: `Slot/${slotId('prac-1', '11:15')}` }] },
      422,
      'business-rule',
      'Appointment.slot[0].reference',
    );
  });

  it('412: a stale If-Match', async () => {
    await refused(cancelled(booked), 412, 'conflict', undefined, { 'if-match': 'W/"7"' });
  });

  it("400: broken JSON, wrong resourceType, no id, or an id that is not the URL's", async () => {
    await refused('{"resourceType":', 400, 'structure');
    await refused({ ...cancelled(booked), resourceType: 'Patient' }, 400, 'structure');
    const { id: _id, ...withoutId } = cancelled(booked);
    await refused(withoutId, 400, 'invalid', 'Appointment.id');
    await refused({ ...cancelled(booked), id: 'another-id' }, 400, 'invalid', 'Appointment.id');
  });

  it('404: PUT never creates an appointment', async () => {
    await refused(
      { ...cancelled(booked), id: 'no-such-appointment' },
      404,
      'not-found',
      undefined,
      {},
      'no-such-appointment',
    );
    await refused({ ...cancelled(booked), id: 'bad id!' }, 404, 'not-found', undefined, {}, 'bad%20id!');
  });

  it('422: an appointment already cancelled cannot be cancelled again', async () => {
    const other = await api.book(proposal({ time: '11:30', patient: 'pat-b' }));
    const first = await api.put(`Appointment/${other.id}`, cancelled(other));
    expect(first.statusCode).toBe(200);
    const stored = first.json<Appointment>();
    await refused(stored, 422, 'business-rule', 'Appointment.status', {}, other.id);
  });

  it('405: DELETE, which says to PUT status cancelled instead; PUT on other types; a PATCH never cancels', async () => {
    const outcome = await refusedWithoutChange(
      api,
      () => api.request('DELETE', `Appointment/${booked.id}`),
      405,
      'not-supported',
    );
    expect(outcome.issue[0].diagnostics).toMatch(/PUT/);
    expect(outcome.issue[0].diagnostics).toMatch(/cancelled/);
    // PATCH marks arrivals (appointmentLife.test.ts) but never cancels: not as FHIR JSON (415), nor as a JSON Patch (422).
    await refusedWithoutChange(
      api,
      () => api.request('PATCH', `Appointment/${booked.id}`, [{ op: 'replace', path: '/status', value: 'cancelled' }]),
      415,
      'not-supported',
    );
    const asJsonPatch = { 'content-type': 'application/json-patch+json', 'if-match': `W/"${booked.meta?.versionId}"` };
    await refusedWithoutChange(
      api,
      () =>
        api.request(
          'PATCH',
          `Appointment/${booked.id}`,
          [{ op: 'replace', path: '/status', value: 'cancelled' }],
          asJsonPatch,
        ),
      422,
      'business-rule',
      'Appointment.status',
    );
    await refusedWithoutChange(
      api,
      () => api.put('Patient/pat-a', { resourceType: 'Patient', id: 'pat-a' }),
      405,
      'not-supported',
    );
    await refusedWithoutChange(api, () => api.request('DELETE', 'Slot/x'), 405, 'not-supported');
  });

  it('the appointment is still booked after all those refusals', async () => {
    const read = await api.get(`Appointment/${booked.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(booked);
  });
});

it('reads of an unknown appointment are 404 with an OperationOutcome', async () => {
  expectOutcome(await api.get('Appointment/no-such-appointment'), 404, 'not-found');
  expectOutcome(await api.get('Appointment/no-such-appointment/_history/1'), 404, 'not-found');
});
