/**
 * Searches domain.md lists: each parameter finds what it should and only that, dates are clinic
 * days, and every answer is a searchset Bundle with total, self/next links and search modes.
 */
import type { Appointment, Bundle, CapabilityStatement, Resource, Slot } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DELIVERY_CHANNEL_URL,
  SEARCH_PARAMETER_BASE,
  deliveryChannelExtension,
  deliveryChannelOf,
} from '../../domain/extensions';
import { HPI_FACILITY_SYSTEM, HPI_PERSON_SYSTEM, NHI_SYSTEM } from '../../domain/identifiers';
import { apiOf, expectOutcome, snapshot, type Api } from './api';
import { NOW, proposal, slotId } from './fixtures';
import { startTestServer, type TestServer } from './testServer';

let server: TestServer;
let api: Api;
/** pat-a with prac-1 at 09:00 and 09:30 (cancelled), pat-b with prac-2 at 10:00 and 11:00. */
const booked: Record<string, Appointment> = {};

beforeAll(async () => {
  server = await startTestServer();
  api = apiOf(server);
  booked.a0900 = await api.book(proposal({ time: '09:00' }));
  const a0930 = await api.book(proposal({ time: '09:30' }));
  booked.a0930 = (await api.put(`Appointment/${a0930.id}`, { ...a0930, status: 'cancelled' })).json<Appointment>();
  booked.b1000 = await api.book(
    proposal({ time: '10:00', patient: 'pat-b', practitioner: 'prac-2', location: 'loc-2' }),
  );
  booked.b1100 = await api.book(
    proposal({ time: '11:00', patient: 'pat-b', practitioner: 'prac-2', location: 'loc-2' }),
  );
});
afterAll(() => server.close());

function ids(bundle: Bundle, mode: 'match' | 'include' = 'match'): string[] {
  return (bundle.entry ?? [])
    .filter((entry) => entry.search?.mode === mode)
    .map((entry) => `${entry.resource?.resourceType}/${entry.resource?.id}`);
}

const appointment = (key: string) => `Appointment/${booked[key].id}`;

describe('Appointment search', () => {
  it("finds a patient's appointments by id, reference and NHI (bare, with system, any case)", async () => {
    const expected = [appointment('a0900'), appointment('a0930')];
    for (const query of [
      'patient=pat-a',
      'patient=Patient/pat-a',
      'patient.identifier=ZAC5361',
      'patient.identifier=zac5361',
      `patient.identifier=${NHI_SYSTEM}|ZAC5361`,
    ]) {
      expect(ids(await api.search(`Appointment?${query}`)), query).toEqual(expected);
    }
    expect(ids(await api.search('Appointment?patient.identifier=http://example.org/other|ZAC5361'))).toEqual([]);
    expect(ids(await api.search('Appointment?patient=pat-nobody'))).toEqual([]);
  });

  it('narrows by date range, status, practitioner, slot and _id', async () => {
    const between = await api.search(
      'Appointment?patient=pat-b&date=ge2030-03-05T10:30:00%2B13:00&date=le2030-03-05T12:00:00%2B13:00',
    );
    expect(ids(between)).toEqual([appointment('b1100')]);
    expect(ids(await api.search('Appointment?patient=pat-a&status=booked'))).toEqual([appointment('a0900')]);
    expect(ids(await api.search('Appointment?patient=pat-a&status=cancelled,noshow'))).toEqual([appointment('a0930')]);
    expect(ids(await api.search('Appointment?practitioner=Practitioner/prac-2'))).toEqual([
      appointment('b1000'),
      appointment('b1100'),
    ]);
    expect(ids(await api.search(`Appointment?slot=Slot/${slotId('prac-2', '10:00')}`))).toEqual([appointment('b1000')]);
    expect(ids(await api.search(`Appointment?_id=${booked.b1100.id}`))).toEqual([appointment('b1100')]);
  });

  it("reads a date without an offset as a day in the clinic's zone", async () => {
    // 09:00 on 5 March in Auckland is 20:00 UTC on 4 March.
    expect(ids(await api.search('Appointment?patient=pat-a&status=booked&date=2030-03-05'))).toEqual([
      appointment('a0900'),
    ]);
    expect(ids(await api.search('Appointment?patient=pat-a&date=2030-03-04'))).toEqual([]);
    expect(ids(await api.search('Appointment?patient=pat-a&date=lt2030-03-05'))).toEqual([]);
  });

  it('knows the clinic day is 25 hours long when daylight saving ends (7 April 2030)', async () => {
    // The day runs from 00:00 NZDT (+13) to 24:00 NZST (+12).
    const early = await api.book({ ...proposal({ withSlot: false }), start: '2030-04-07T00:30:00+13:00' });
    const late = await api.book({ ...proposal({ withSlot: false }), start: '2030-04-07T23:30:00+12:00' });
    const day = await api.search('Appointment?practitioner=prac-1&date=2030-04-07');
    expect(ids(day)).toEqual([`Appointment/${early.id}`, `Appointment/${late.id}`]);
    expect(ids(await api.search('Appointment?practitioner=prac-1&date=2030-04-08'))).toEqual([]);
    expect(ids(await api.search('Appointment?practitioner=prac-1&date=ge2030-04-07T23:00'))).toEqual([
      `Appointment/${late.id}`,
    ]);
    for (const booked of [early, late])
      expect((await api.put(`Appointment/${booked.id}`, { ...booked, status: 'cancelled' })).statusCode).toBe(200);
  });

  it('includes the patient, practitioner and location', async () => {
    const bundle = await api.search(
      'Appointment?patient=pat-b&_include=Appointment:patient&_include=Appointment:practitioner&_include=Appointment:location',
    );
    expect(ids(bundle)).toEqual([appointment('b1000'), appointment('b1100')]);
    expect(ids(bundle, 'include').sort()).toEqual(['Location/loc-2', 'Patient/pat-b', 'Practitioner/prac-2']);
    expect(bundle.total).toBe(2);
    expect(ids(await api.search('Appointment?patient=pat-b&_include=Appointment:practitioner'), 'include')).toEqual([
      'Practitioner/prac-2',
    ]);
  });

  it('pages with _count and a next link that leads to the rest', async () => {
    const first = await api.search('Appointment?date=lt2030-03-06&_count=3');
    expect(first.total).toBe(4);
    expect(first.entry).toHaveLength(3);
    const next = first.link?.find((link) => link.relation === 'next')?.url;
    expect(next).toBeDefined();
    const second = await api.search((next as string).replace(/^.*\/fhir\//, ''));
    expect(second.entry).toHaveLength(1);
    expect(second.link?.some((link) => link.relation === 'next')).toBe(false);
    expect([...ids(first), ...ids(second)].sort()).toEqual(Object.keys(booked).map(appointment).sort());
    const countOnly = await api.search('Appointment?date=lt2030-03-06&_count=0');
    expect(countOnly.total).toBe(4);
    expect(countOnly.entry ?? []).toHaveLength(0);
  });
});

describe('every search answers a searchset Bundle', () => {
  it('with total, a self link that repeats the query, fullUrls and search modes', async () => {
    const response = await api.get('Patient?family=ngatai');
    expect(response.headers['content-type']).toMatch(/^application\/fhir\+json/);
    const bundle = response.json<Bundle>();
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: 1 });
    const self = bundle.link?.find((link) => link.relation === 'self')?.url ?? '';
    expect(self).toMatch(/^http:\/\/localhost:80\/fhir\/Patient\?/);
    expect(new URL(self).searchParams.get('family')).toBe('ngatai');
    expect(bundle.entry?.[0]).toMatchObject({
      fullUrl: 'http://localhost:80/fhir/Patient/pat-a',
      search: { mode: 'match' },
    });
  });

  it('POST _search with a form body finds the same as GET', async () => {
    const response = await server.app.inject({
      method: 'POST',
      url: '/fhir/Appointment/_search',
      headers: { ...server.authorized, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'patient=pat-a&status=booked',
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(ids(response.json())).toEqual([appointment('a0900')]);
  });
});

describe('Patient, Practitioner, Location and Schedule search', () => {
  it('Patient by name, family, given (any case, without macrons), birthdate and identifier', async () => {
    const cases: Array<[string, string[]]> = [
      ['name=aroha', ['Patient/pat-a']],
      ['name=NGĀTAI', ['Patient/pat-a']],
      ['family=fa', ['Patient/pat-b']],
      ['given=tavita', ['Patient/pat-b']],
      ['given=ngatai', []],
      ['birthdate=1984-07-19', ['Patient/pat-a']],
      ['birthdate=ge1985-01-01', ['Patient/pat-b']],
      ['identifier=ZBN77VL', ['Patient/pat-b']],
      ['identifier=zbn77vl', ['Patient/pat-b']],
      [`identifier=${NHI_SYSTEM}|ZAC5361`, ['Patient/pat-a']],
      ['identifier=ZZZ0000', []],
    ];
    for (const [query, expected] of cases) expect(ids(await api.search(`Patient?${query}`)), query).toEqual(expected);
  });

  it('Practitioner by name, family and HPI CPN; Location by name and HPI facility id; Schedule by actor', async () => {
    expect(ids(await api.search('Practitioner?name=tuhoe'))).toEqual(['Practitioner/prac-1']);
    expect(ids(await api.search('Practitioner?family=chen'))).toEqual(['Practitioner/prac-2']);
    expect(ids(await api.search(`Practitioner?identifier=${HPI_PERSON_SYSTEM}|99ZZZY`))).toEqual([
      'Practitioner/prac-2',
    ]);
    expect(ids(await api.search('Location?name=karori'))).toEqual(['Location/loc-2']);
    expect(ids(await api.search(`Location?identifier=${HPI_FACILITY_SYSTEM}|FZZ999-B`))).toEqual(['Location/loc-1']);
    expect(ids(await api.search('Schedule?actor=Practitioner/prac-2'))).toEqual(['Schedule/sched-prac-2']);
    expect(ids(await api.search('Schedule?actor=Location/loc-1'))).toEqual(['Schedule/sched-prac-1']);
  });
});

describe('Slot search', () => {
  it("by schedule, the practitioner's CPN, start range and status, with the schedule included", async () => {
    const bundle = await api.search<Slot>(
      `Slot?schedule.actor.identifier=${HPI_PERSON_SYSTEM}|99ZZZZ&status=free&start=ge2030-03-05T09:00:00%2B13:00&start=lt2030-03-05T10:00:00%2B13:00&_include=Slot:schedule`,
    );
    // 09:00 is booked; 09:30 was booked and cancelled, so it is free again.
    expect(ids(bundle)).toEqual(['09:15', '09:30', '09:45'].map((time) => `Slot/${slotId('prac-1', time)}`));
    expect(ids(bundle, 'include')).toEqual(['Schedule/sched-prac-1']);
    expect(ids(await api.search('Slot?schedule=Schedule/sched-prac-2&status=busy'))).toEqual(
      ['10:00', '11:00'].map((time) => `Slot/${slotId('prac-2', time)}`),
    );
  });

  it('without start, only the coming week', async () => {
    const later: Slot = {
      resourceType: 'Slot',
      id: 'slot-in-two-weeks',
      schedule: { reference: 'Schedule/sched-prac-1' },
      status: 'free',
      start: '2030-03-19T09:00:00+13:00',
      end: '2030-03-19T09:15:00+13:00',
    };
    await server.opened.store.bulkLoad([later as Resource], NOW);
    const week = await api.search('Slot?schedule=sched-prac-1&_count=100');
    expect(week.total).toBe(12);
    expect(ids(week)).not.toContain('Slot/slot-in-two-weeks');
    expect(ids(await api.search('Slot?schedule=sched-prac-1&start=ge2030-03-18'))).toEqual(['Slot/slot-in-two-weeks']);
  });
});

describe('channel and service-type (Slot, Appointment; service-type on Schedule too)', () => {
  const SERVICE_TYPE = 'http://terminology.hl7.org/CodeSystem/service-type';
  const GP = [{ coding: [{ system: SERVICE_TYPE, code: '124', display: 'General Practice' }] }];
  /** prac-2's slots on the 6th: away from the days and the schedule the searches above count. */
  const remote = (id: string, channel: 'video' | 'telephone', time: string): Slot => ({
    resourceType: 'Slot',
    id,
    extension: [deliveryChannelExtension(channel)],
    schedule: { reference: 'Schedule/sched-prac-2' },
    serviceType: GP,
    status: 'free',
    start: `2030-03-06T${time}:00+13:00`,
    end: `2030-03-06T${time.slice(0, 3)}${String(Number(time.slice(3)) + 15).padStart(2, '0')}:00+13:00`,
  });
  const onSlot = (slot: Slot, extension?: Appointment['extension']) => ({
    ...proposal({ patient: 'pat-b', practitioner: 'prac-2', location: 'loc-2', withSlot: false }),
    start: slot.start,
    slot: [{ reference: `Slot/${slot.id}` }],
    ...(extension ? { extension } : {}),
  });
  const video = remote('slot-prac-2-video-0900', 'video', '09:00');
  const telephone = remote('slot-prac-2-phone-0915', 'telephone', '09:15');

  beforeAll(async () => {
    await server.opened.store.bulkLoad([video, telephone] as Resource[], NOW);
  });

  it('finds slots by channel and by service type, with or without its system', async () => {
    expect(ids(await api.search('Slot?channel=video'))).toEqual([`Slot/${video.id}`]);
    expect(ids(await api.search('Slot?schedule=sched-prac-2&channel=telephone,video&status=free'))).toEqual([
      `Slot/${video.id}`,
      `Slot/${telephone.id}`,
    ]);
    expect(ids(await api.search('Slot?channel=in-person'))).toEqual([]);
    expect(ids(await api.search(`Slot?service-type=${SERVICE_TYPE}|124`))).toEqual([
      `Slot/${video.id}`,
      `Slot/${telephone.id}`,
    ]);
    expect(ids(await api.search('Slot?service-type=124&channel=telephone'))).toEqual([`Slot/${telephone.id}`]);
  });

  it("a booking takes the slot's channel and service type, and Appointment?channel finds it", async () => {
    const booked = await api.book(onSlot(video));
    expect(deliveryChannelOf(booked)).toBe('video');
    expect(booked.serviceType).toEqual(GP);
    expect(ids(await api.search('Appointment?channel=video'))).toEqual([`Appointment/${booked.id}`]);
    expect(ids(await api.search('Appointment?patient=pat-b&channel=telephone,in-person'))).toEqual([]);
    expect(ids(await api.search(`Appointment?service-type=${SERVICE_TYPE}|124`))).toEqual([`Appointment/${booked.id}`]);
    expect(ids(await api.search('Slot?channel=video&status=busy'))).toEqual([`Slot/${video.id}`]);
  });

  it("a booking that asks for another channel than its slot's is 422 on the extension, and changes nothing", async () => {
    const before = await snapshot(api);
    expectOutcome(
      await api.post('Appointment', onSlot(telephone, [deliveryChannelExtension('in-person')])),
      422,
      'business-rule',
      `Appointment.extension('${DELIVERY_CHANNEL_URL}')`,
    );
    expectOutcome(
      await api.post('Appointment', onSlot(telephone, [{ url: DELIVERY_CHANNEL_URL, valueCode: 'fax' }])),
      422,
      'code-invalid',
      `Appointment.extension('${DELIVERY_CHANNEL_URL}')`,
    );
    expect(await snapshot(api)).toEqual(before);
    expect(ids(await api.search('Slot?channel=telephone&status=free'))).toEqual([`Slot/${telephone.id}`]);
  });

  it('are declared in the CapabilityStatement, channel with its definition under our canonical base', async () => {
    const statement = (await api.get('metadata')).json<CapabilityStatement>();
    const params = (type: string) =>
      statement.rest?.[0].resource?.find((resource) => resource.type === type)?.searchParam ?? [];
    for (const type of ['Slot', 'Appointment']) {
      expect(params(type)).toContainEqual({
        name: 'channel',
        definition: `${SEARCH_PARAMETER_BASE}/channel`,
        type: 'token',
      });
      expect(params(type)).toContainEqual({
        name: 'service-type',
        definition: `http://hl7.org/fhir/SearchParameter/${type}-service-type`,
        type: 'token',
      });
    }
    expect(params('Schedule').map((param) => param.name)).toContain('service-type');
    expect(params('Patient').find((param) => param.name === 'name')?.definition).toBeUndefined();
  });
});

describe('a search that cannot be read', () => {
  it('is a 400 naming the parameter, for malformed values of supported parameters', async () => {
    for (const query of [
      'Appointment?date=tomorrow',
      'Appointment?date=2030-02-30',
      'Appointment?_count=many',
      'Appointment?patient=Device/x',
      'Slot?start=ge2030-13-01',
      'Patient?birthdate=19840719',
      'Patient?name=%20%20',
      'Appointment?status=BOOKED!',
      'Patient?identifier=',
    ]) {
      const outcome = expectOutcome(await api.get(query), 400, 'invalid');
      expect(outcome.issue[0].diagnostics, query).toMatch(/Search parameter "[\w.]+"/);
    }
  });

  it('ignores unknown parameters and includes unless the client asks for strict handling', async () => {
    expect((await api.search('Patient?colour=blue')).total).toBe(2);
    expectOutcome(await api.get('Patient?colour=blue', { prefer: 'handling=strict' }), 400, 'invalid');
    expectOutcome(
      await api.get('Appointment?_include=Appointment:slot', { prefer: 'handling=strict' }),
      400,
      'invalid',
    );
    expectOutcome(await api.get('Appointment?patient:missing=true'), 400, 'invalid');
  });

  it('is a 404 for an unknown resource type', async () => {
    expectOutcome(await api.get('Observation?patient=pat-a'), 404, ['not-found', 'not-supported']);
  });
});
