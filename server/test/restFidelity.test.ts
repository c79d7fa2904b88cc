/**
 * REST that says what it did (issue 13): the self link carries only what was applied, _sort,
 * _summary=count and _elements or a 400 under strict handling, instance and type _history, conditional
 * create (If-None-Exist, decided in the booking's transaction), 304 on reads, and bodies refused in
 * words that name what was sent. Run on PGlite and on a real PostgreSQL.
 */
import type { Appointment, Bundle, Patient } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiOf, expectOutcome, snapshot, type Api } from './api';
import { bearer, PATIENT_A, signIn } from './authHarness';
import { createTestDatabase } from './databases';
import { NOW, proposal } from './fixtures';
import { startTestServer, type TestServer } from './testServer';

const postgresUrl = inject('postgresUrl');
const BASE = 'http://localhost:80/fhir';

const selfOf = (bundle: Bundle) => bundle.link?.find((link) => link.relation === 'self')?.url;
const ids = (bundle: Bundle) => (bundle.entry ?? []).map((entry) => entry.resource?.id);

/** The If-None-Exist a client would send to find its booking again: the patient, the practitioner and the start. */
function sameBooking(booking: ReturnType<typeof proposal>): string {
  const actor = (type: string) =>
    booking.participant.find((participant) => participant.actor.reference.startsWith(`${type}/`))?.actor.reference;
  return new URLSearchParams({
    patient: actor('Patient') as string,
    practitioner: actor('Practitioner') as string,
    date: booking.start,
    status: 'booked',
  }).toString();
}

describe.each([
  ['PGlite', false],
  ['PostgreSQL', postgresUrl === null],
] as const)('on %s', (backend, skip) => {
  let server: TestServer;
  let api: Api;
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (skip) return;
    let databaseUrl: string | undefined;
    if (backend === 'PostgreSQL') {
      const database = await createTestDatabase(postgresUrl as string);
      databaseUrl = database.url;
      dropDatabase = database.drop;
    }
    let tick = 0;
    server = await startTestServer({ databaseUrl, now: () => new Date(NOW.getTime() + (tick += 1000)) });
    api = apiOf(server);
  });
  afterAll(async () => {
    await server?.close();
    await dropDatabase?.();
  });

  describe.skipIf(skip)('the self link', () => {
    it('carries the parameters applied, and none of those ignored or unknown', async () => {
      const bundle = await api.search(
        'Patient?family=ngatai&gender=female&_lastUpdated=ge2020-01-01&_revinclude=Provenance:target&nonsense=1&_sort=-birthdate&_include=Appointment:patient',
      );
      expect(selfOf(bundle)).toBe(`${BASE}/Patient?family=ngatai&_sort=-birthdate&_count=50`);
      expect(ids(bundle)).toEqual(['pat-a']);
    });

    it('keeps what was applied in the next and previous links as it pages', async () => {
      const first = await api.search('Patient?_sort=family&_count=1&_elements=name');
      expect(first.link?.map((link) => [link.relation, link.url])).toEqual([
        ['self', `${BASE}/Patient?_sort=family&_elements=name&_count=1`],
        ['next', `${BASE}/Patient?_sort=family&_elements=name&_count=1&_offset=1`],
      ]);
      const second = await api.search('Patient?_sort=family&_count=1&_offset=1&_elements=name');
      expect(second.link?.map((link) => link.relation)).toEqual(['self', 'previous']);
      expect(ids(second)).not.toEqual(ids(first));
    });
  });

  describe.skipIf(skip)('_sort, _summary and _elements', () => {
    it('sorts patients by family name either way', async () => {
      const families = async (sort: string) =>
        (await api.search<Patient>(`Patient?_sort=${sort}`)).entry?.map((entry) => entry.resource?.name?.[0]?.family);
      const ascending = await families('family');
      expect(ascending).toEqual(["Fa'asalele", 'Ngātai']);
      expect(await families('-family')).toEqual([...(ascending ?? [])].reverse());
    });

    it('answers _summary=count with the total and no entries', async () => {
      const all = await api.search('Slot?start=ge2000-01-01');
      const counted = await api.search('Slot?start=ge2000-01-01&_summary=count');
      expect(counted).toMatchObject({ resourceType: 'Bundle', type: 'searchset', total: all.total });
      expect(counted.entry).toBeUndefined();
      expect(selfOf(counted)).toContain('_summary=count');
    });

    it('answers _elements with those elements and the mandatory ones, tagged SUBSETTED', async () => {
      const bundle = await api.search<Patient>('Patient?_id=pat-a&_elements=birthDate');
      const patient = bundle.entry?.[0].resource as Patient;
      expect(Object.keys(patient).sort()).toEqual(['birthDate', 'id', 'meta', 'resourceType']);
      expect(patient.meta?.tag).toContainEqual(expect.objectContaining({ code: 'SUBSETTED' }));
      const slots = await api.search('Slot?start=ge2000-01-01&_count=1&_elements=comment');
      // Slot's schedule, status, start and end are mandatory: kept, so the subset is still a valid Slot.
      expect(Object.keys(slots.entry?.[0].resource ?? {}).sort()).toEqual(
        ['end', 'id', 'meta', 'resourceType', 'schedule', 'start', 'status'].sort(),
      );
    });

    it.each([
      'Patient?_summary=true',
      'Patient?_elements=name.family',
      'Patient?_sort=gender',
      'Patient?_revinclude=Provenance:target',
      'Patient?_total=none',
      'Slot?_include=Appointment:patient',
    ])('refuses %s under Prefer: handling=strict', async (url) => {
      expectOutcome(await api.get(url, { prefer: 'handling=strict' }), 400, 'invalid');
    });
  });

  describe.skipIf(skip)('reads', () => {
    it('answers 304 with no body to an If-None-Match naming the ETag, on read and vread', async () => {
      const read = await api.get('Patient/pat-a');
      const etag = read.headers.etag as string;
      expect(etag).toMatch(/^W\/"\d+"$/);
      for (const url of ['Patient/pat-a', `Patient/pat-a/_history/${etag.slice(3, -1)}`]) {
        const unchanged = await api.get(url, { 'if-none-match': etag });
        expect(unchanged.statusCode, url).toBe(304);
        expect(unchanged.body).toBe('');
        expect(unchanged.headers.etag).toBe(etag);
        expect((await api.get(url, { 'if-none-match': 'W/"999"' })).statusCode, url).toBe(200);
      }
    });

    it('answers 304 to an If-Modified-Since not before the last update, unless If-None-Match says otherwise', async () => {
      const read = await api.get('Patient/pat-a');
      const modified = read.headers['last-modified'] as string;
      expect((await api.get('Patient/pat-a', { 'if-modified-since': modified })).statusCode).toBe(304);
      const before = new Date(Date.parse(modified) - 1000).toUTCString();
      expect((await api.get('Patient/pat-a', { 'if-modified-since': before })).statusCode).toBe(200);
      expect(
        (await api.get('Patient/pat-a', { 'if-modified-since': modified, 'if-none-match': 'W/"999"' })).statusCode,
      ).toBe(200);
    });
  });

  describe.skipIf(skip)('_history', () => {
    let appointment: Appointment;
    beforeAll(async () => {
      const booked = await api.book(proposal({ time: '11:00', patient: 'pat-b' }));
      appointment = (await api.put(`Appointment/${booked.id}`, { ...booked, status: 'cancelled' })).json<Appointment>();
    });

    it("gives an instance's versions newest first, each with the request that made it and its response", async () => {
      const history = await api.search(`Appointment/${appointment.id}/_history`);
      expect(history).toMatchObject({ resourceType: 'Bundle', type: 'history', total: 2 });
      expect(history.entry?.map((entry) => [entry.request?.method, entry.response?.status])).toEqual([
        ['PUT', '200 OK'],
        ['POST', '201 Created'],
      ]);
      expect(history.entry?.[0].response?.etag).toBe('W/"2"');
      const paged = await api.search(`Appointment/${appointment.id}/_history?_count=1`);
      expect(paged.entry?.map((entry) => entry.resource?.meta?.versionId)).toEqual(['2']);
      expect(paged.link?.find((link) => link.relation === 'next')?.url).toBe(
        `${BASE}/Appointment/${appointment.id}/_history?_count=1&_offset=1`,
      );
    });

    it("gives the type's versions newest first, paged, and only since an instant when asked", async () => {
      const history = await api.search('Appointment/_history?_count=2');
      expect(history.type).toBe('history');
      expect(history.total).toBeGreaterThanOrEqual(2);
      expect(history.entry?.[0].resource).toMatchObject({ id: appointment.id, meta: { versionId: '2' } });
      expect(history.link?.map((link) => link.relation)).toContain(history.total === 2 ? 'self' : 'next');
      const since = appointment.meta?.lastUpdated as string;
      const recent = await api.search(`Appointment/_history?_since=${encodeURIComponent(since)}`);
      expect(recent.entry?.map((entry) => `${entry.resource?.id}/${entry.resource?.meta?.versionId}`)).toEqual([
        `${appointment.id}/2`,
      ]);
      expectOutcome(await api.get('Appointment/_history?_since=yesterday'), 400, 'invalid');
    });

    it("gives a patient's token the history of their own appointments only", async () => {
      const mine = await api.book(proposal({ time: '11:30' }));
      const headers = bearer((await signIn(server.app, { patient: PATIENT_A })).tokens.access_token);
      const response = await server.app.inject({ method: 'GET', url: '/fhir/Appointment/_history', headers });
      expect(response.statusCode, response.body).toBe(200);
      const patients = response
        .json<Bundle<Appointment>>()
        .entry?.map(
          (entry) =>
            entry.resource?.participant.find((p) => p.actor?.reference?.startsWith('Patient/'))?.actor?.reference,
        );
      expect(patients).toContain('Patient/pat-a');
      expect(new Set(patients)).toEqual(new Set(['Patient/pat-a']));
      expect(response.json<Bundle>().entry?.map((entry) => entry.resource?.id)).toContain(mine.id);
    });

    it('has no type history for the types people do not change, and says where to look', async () => {
      expectOutcome(await api.get('Patient/_history'), 405, 'not-supported');
      expect((await api.search('Patient/pat-a/_history')).total).toBe(1);
    });
  });

  describe.skipIf(skip)('If-None-Exist', () => {
    const booking = proposal({ time: '11:15', patient: 'pat-b' });

    it('books when nothing matches, answers the match (200, nothing booked) when one does', async () => {
      const first = await api.post('Appointment', booking, { 'if-none-exist': sameBooking(booking) });
      expect(first.statusCode, first.body).toBe(201);
      const before = await snapshot(api);
      const retry = await api.post('Appointment', booking, { 'if-none-exist': `Appointment?${sameBooking(booking)}` });
      expect(retry.statusCode, retry.body).toBe(200);
      expect(retry.json<Appointment>().id).toBe(first.json<Appointment>().id);
      expect(await snapshot(api)).toEqual(before);
    });

    it('answers two retries sent together with one booking, neither a 409', async () => {
      const again = proposal({ time: '11:45', patient: 'pat-b' });
      const headers = { 'if-none-exist': sameBooking(again) };
      const answers = await Promise.all([
        api.post('Appointment', again, headers),
        api.post('Appointment', again, headers),
        api.post('Appointment', again, headers),
      ]);
      expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 200, 201]);
      expect(new Set(answers.map((answer) => answer.json<Appointment>().id)).size).toBe(1);
    });

    it('is 412 when the condition matches more than one, and 400 when it is not a search that picks one', async () => {
      const before = await snapshot(api);
      const wide = await api.post('Appointment', proposal({ time: '10:45' }), { 'if-none-exist': 'status=booked' });
      expectOutcome(wide, 412, 'duplicate');
      for (const condition of ['', '_count=1', 'gender=female', 'patient=pat-a&_sort=date'])
        expectOutcome(
          await api.post('Appointment', proposal({ time: '10:45' }), { 'if-none-exist': condition }),
          400,
          'invalid',
        );
      expect(await snapshot(api)).toEqual(before);
    });
  });

  describe.skipIf(skip)('bodies', () => {
    it('takes a JSON Patch as application/json-patch+json, with or without a charset', async () => {
      const booked = await api.book(proposal({ time: '10:30', patient: 'pat-b', practitioner: 'prac-2' }));
      const response = await api.request(
        'PATCH',
        `Appointment/${booked.id}`,
        [{ op: 'replace', path: '/status', value: 'arrived' }],
        {
          'content-type': 'application/json-patch+json; charset=utf-8',
          'if-match': 'W/"1"',
        },
      );
      // Marking arrival belongs to the appointment's day; what matters here is that the body was read as a patch.
      expect(response.statusCode, response.body).not.toBe(415);
      expect(response.statusCode, response.body).not.toBe(400);
    });

    it('tells a PATCH in another type which type to send', async () => {
      const outcome = expectOutcome(
        await api.request('PATCH', 'Appointment/any', [{ op: 'replace', path: '/status', value: 'arrived' }]),
        415,
        'not-supported',
      );
      expect(outcome.issue[0].diagnostics).toContain('application/json-patch+json');
      expect(outcome.issue[0].diagnostics).toContain('application/fhir+json');
    });

    it('names the content type it got when a JSON body cannot be read', async () => {
      for (const type of ['application/fhir+json', 'application/json', 'application/json-patch+json']) {
        const response = await api.request(
          type.includes('patch') ? 'PATCH' : 'POST',
          type.includes('patch') ? 'Appointment/any' : 'Appointment',
          '{"resourceType": ',
          {
            'content-type': type,
          },
        );
        const outcome = expectOutcome(response, 400, 'structure');
        expect(outcome.issue[0].diagnostics, type).toContain(type);
      }
    });
  });
});
