/**
 * An appointment's life after booking (issue 9, domain.md): status marks by JSON Patch, $cancel with
 * a reason, $reschedule in one transaction, a Provenance for every write, instance history, and the
 * practice's rules. Each refusal proves nothing changed. Run on PGlite and on a real PostgreSQL.
 */
import type { Appointment, Bundle, OperationOutcome, Provenance, Resource, Schedule, Slot } from 'fhir/r4';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { CANCELLATION_REASON_SYSTEM } from '../../domain/appointmentLifecycle';
import { clinicInstant } from '../../domain/clinicTime';
import { DELIVERY_CHANNEL_URL, ONLINE_BOOKABLE_URL, REPLACES_URL, RESCHEDULED_TO_URL } from '../../domain/extensions';
import { DEFAULT_PRACTICE_RULES, isChangeCutoffIssue, type PracticeRules } from '../../domain/practiceRules';
import { apiOf, expectOutcome, snapshot, type Api } from './api';
import { bearer, PATIENT_A, signIn } from './authHarness';
import { createTestDatabase } from './databases';
import { fixtureResources, NOW, proposal, SLOT_DAY, slotId, TIME_ZONE } from './fixtures';
import { FHIR_HEADERS, startTestServer, type TestServer } from './testServer';

const postgresUrl = inject('postgresUrl');
const JSON_PATCH = { 'content-type': 'application/json-patch+json' };
const at = (time: string, date = SLOT_DAY) => clinicInstant(date, time, TIME_ZONE);
const statusPatch = (value: string) => [{ op: 'replace', path: '/status', value }];
const parameters = (...parameter: Array<Record<string, unknown>>) => ({ resourceType: 'Parameters', parameter });
const reason = (code: string, system = CANCELLATION_REASON_SYSTEM) => ({
  name: 'reason',
  valueCoding: { system, code },
});

describe.each([
  ['PGlite', false],
  ['PostgreSQL', postgresUrl === null],
] as const)('on %s', (backend, skip) => {
  let server: TestServer;
  let api: Api;
  let clock: Date = NOW;
  const rules: PracticeRules = { ...DEFAULT_PRACTICE_RULES };
  let dropDatabase: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (skip) return;
    let databaseUrl: string | undefined;
    if (backend === 'PostgreSQL') {
      const database = await createTestDatabase(postgresUrl as string);
      databaseUrl = database.url;
      dropDatabase = database.drop;
    }
    // The clock ticks a millisecond a call, as a real one would, so records keep the order they were made in;
    // tokens last a week, so moving the clock to the appointment's day does not expire them.
    let tick = 0;
    server = await startTestServer({
      databaseUrl,
      now: () => new Date(clock.getTime() + (tick += 1)),
      accessTokenSeconds: 7 * 24 * 3600,
      server: { practiceRules: rules },
    });
    api = apiOf(server);
  });
  afterAll(async () => {
    await server?.close();
    await dropDatabase?.();
  });
  beforeEach(async () => {
    if (skip) return;
    clock = NOW;
    Object.assign(rules, DEFAULT_PRACTICE_RULES);
    await server.opened.store.clear();
    await server.opened.store.bulkLoad(fixtureResources(), NOW);
  });

  const read = async (id: string) => (await api.get(`Appointment/${id}`)).json<Appointment>();
  const slotStatus = async (practitioner: string, time: string) =>
    (await api.get(`Slot/${slotId(practitioner, time)}`)).json<Slot>().status;
  const provenanceOf = async (id: string) =>
    (await api.search<Provenance>(`Provenance?target=Appointment/${id}`)).entry?.map(
      (entry) => entry.resource as Provenance,
    ) ?? [];
  const patch = (
    id: string,
    body: unknown,
    version: string | null = '1',
    headers: Record<string, string> = JSON_PATCH,
  ) =>
    api.request('PATCH', `Appointment/${id}`, body, {
      ...headers,
      ...(version ? { 'if-match': `W/"${version}"` } : {}),
    });
  /** Everything a write could change, Provenance included. */
  const everything = async () => ({
    ...(await snapshot(api)),
    provenance: (await api.search('Provenance?_count=1000')).entry?.length ?? 0,
  });
  const unchangedBy = async (
    send: () => Promise<{ statusCode: number; body: string; headers: Record<string, unknown>; json: <T>() => T }>,
    status: number,
    code: string | string[],
    expression?: string,
  ): Promise<OperationOutcome> => {
    const before = await everything();
    const outcome = expectOutcome((await send()) as never, status, code, expression);
    expect(await everything()).toEqual(before);
    return outcome;
  };

  describe.skipIf(skip)('status marks by JSON Patch', () => {
    it('booked -> arrived -> booked (undo) -> arrived -> fulfilled on the day, each a version with its Provenance, all in the history', async () => {
      const booked = await api.book(proposal({ time: '09:00' }));
      clock = at('08:50');
      let version = 1;
      for (const status of ['arrived', 'booked', 'arrived', 'fulfilled']) {
        const response = await patch(booked.id as string, statusPatch(status), String(version));
        expect(response.statusCode, response.body).toBe(200);
        version += 1;
        expect(response.json<Appointment>()).toMatchObject({ status, meta: { versionId: String(version) } });
        expect(response.headers.etag).toBe(`W/"${version}"`);
      }
      const provenance = await provenanceOf(booked.id as string);
      expect(provenance.map((found) => found.activity?.text)).toEqual([
        'booked',
        'arrived',
        'arrival undone',
        'arrived',
        'fulfilled',
      ]);
      expect(provenance.map((found) => found.target[0].reference)).toEqual(
        [1, 2, 3, 4, 5].map((n) => `Appointment/${booked.id}/_history/${n}`),
      );
      expect(provenance[1]).toMatchObject({
        activity: { coding: [{ code: 'UPDATE' }] },
        agent: [{ who: { identifier: { value: 'test-integration' } } }],
      });
      const history = await api.search(`Appointment/${booked.id}/_history`);
      expect(history.type).toBe('history');
      expect(
        history.entry?.map((entry) => [
          (entry.resource as Appointment).meta?.versionId,
          (entry.resource as Appointment).status,
        ]),
      ).toEqual([
        ['5', 'fulfilled'],
        ['4', 'arrived'],
        ['3', 'booked'],
        ['2', 'arrived'],
        ['1', 'booked'],
      ]);
      // The slot stays taken through the marks.
      expect(await slotStatus('prac-1', '09:00')).toBe('busy');
    });

    it('booked -> noshow once the start has passed, and noshow -> booked the same day', async () => {
      const booked = await api.book(proposal({ time: '09:15' }));
      clock = at('09:40');
      expect((await patch(booked.id as string, statusPatch('noshow'))).statusCode).toBe(200);
      const undone = await patch(booked.id as string, statusPatch('booked'), '2');
      expect(undone.statusCode, undone.body).toBe(200);
      expect(undone.json<Appointment>().status).toBe('booked');
    });

    it('refuses every other change, with the allowed transitions named, and changes nothing', async () => {
      const booked = await api.book(proposal({ time: '09:30' }));
      const id = booked.id as string;
      // Arrival ahead of the day (the clock is the day before).
      await unchangedBy(() => patch(id, statusPatch('arrived')), 422, 'business-rule', 'Appointment.status');
      clock = at('08:50');
      const skipped = await unchangedBy(
        () => patch(id, statusPatch('fulfilled')),
        422,
        'business-rule',
        'Appointment.status',
      );
      expect(skipped.issue[0].diagnostics).toMatch(/booked -> arrived/);
      await unchangedBy(() => patch(id, statusPatch('cancelled')), 422, 'business-rule', 'Appointment.status');
      await unchangedBy(() => patch(id, statusPatch('noshow')), 422, 'business-rule', 'Appointment.status');
      await unchangedBy(
        () => patch(id, [{ op: 'replace', path: '/start', value: '2030-03-05T10:00:00+13:00' }]),
        422,
        'business-rule',
        'Appointment.start',
      );
      await unchangedBy(() => patch(id, [{ op: 'add', path: '/status', value: 'arrived' }]), 422, 'business-rule');
      await unchangedBy(() => patch(id, [...statusPatch('arrived'), ...statusPatch('arrived')]), 422, 'business-rule');
      await unchangedBy(() => patch(id, { op: 'replace', path: '/status', value: 'arrived' }), 400, 'structure');
      await unchangedBy(() => patch(id, '[{"op": "replace", "path": "/status", "value": "arr', '1'), 400, 'structure');
      await unchangedBy(() => patch(id, statusPatch('arrived'), '1', FHIR_HEADERS), 415, 'not-supported');
      await unchangedBy(() => patch(id, statusPatch('arrived'), null), 428, 'required');
      await unchangedBy(() => patch(id, statusPatch('arrived'), '7'), 412, 'conflict');
      await unchangedBy(() => patch('no-such-appointment', statusPatch('arrived')), 404, 'not-found');
      await unchangedBy(() => api.request('PATCH', 'Slot/x', statusPatch('busy'), JSON_PATCH), 405, 'not-supported');
      // An undo only on the appointment's day.
      expect((await patch(id, statusPatch('arrived'))).statusCode).toBe(200);
      clock = at('08:00', '2030-03-06');
      await unchangedBy(() => patch(id, statusPatch('booked'), '2'), 422, 'business-rule', 'Appointment.status');
    });
  });

  describe.skipIf(skip)('$cancel with a reason', () => {
    it('cancels with the coded reason and the note, frees the slot and records who', async () => {
      const booked = await api.book(proposal({ time: '10:00' }));
      const response = await api.post(
        `Appointment/${booked.id}/$cancel`,
        parameters(reason('pat'), { name: 'note', valueString: 'Feeling better' }),
        { 'if-match': 'W/"1"' },
      );
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<Appointment>()).toMatchObject({
        status: 'cancelled',
        meta: { versionId: '2' },
        cancelationReason: {
          coding: [{ system: CANCELLATION_REASON_SYSTEM, code: 'pat', display: 'Patient' }],
          text: 'Feeling better',
        },
      });
      expect(await slotStatus('prac-1', '10:00')).toBe('free');
      expect((await provenanceOf(booked.id as string)).map((found) => found.activity?.text)).toEqual([
        'booked',
        'cancelled',
      ]);
    });

    it('refuses bad Parameters, reasons outside the value set, long notes and stale versions, changing nothing', async () => {
      const booked = await api.book(proposal({ time: '10:15' }));
      const cancel = (body: unknown, headers?: Record<string, string>) => () =>
        api.post(`Appointment/${booked.id}/$cancel`, body, headers);
      await unchangedBy(
        cancel(parameters(reason('pat'), { name: 'why', valueString: 'x' })),
        400,
        'not-supported',
        'Parameters.parameter[1].name',
      );
      await unchangedBy(
        cancel(parameters({ name: 'reason', valueString: 'pat' })),
        400,
        'structure',
        'Parameters.parameter[0]',
      );
      await unchangedBy(cancel(parameters(reason('pat'), reason('prov'))), 400, 'structure');
      await unchangedBy(cancel({ resourceType: 'Appointment' }), 400, 'structure');
      await unchangedBy(cancel({ resourceType: 'Parameters', parameter: 'reason' }), 400, 'structure');
      await unchangedBy(
        cancel(parameters(reason('bored'))),
        422,
        'code-invalid',
        'Parameters.parameter[0].valueCoding',
      );
      await unchangedBy(cancel(parameters(reason('pat', 'http://example.org/reasons'))), 422, 'code-invalid');
      await unchangedBy(cancel(parameters()), 422, 'required');
      await unchangedBy(
        cancel(parameters(reason('pat'), { name: 'note', valueString: 'x'.repeat(501) })),
        422,
        'too-long',
        'Parameters.parameter[1].valueString',
      );
      await unchangedBy(cancel(parameters(reason('pat')), { 'if-match': 'W/"9"' }), 412, 'conflict');
      await unchangedBy(
        () => api.post(`Appointment/${booked.id}/$abandon`, parameters(reason('pat'))),
        404,
        'not-found',
      );
      await unchangedBy(() => api.post('Appointment/nobody/$cancel', parameters(reason('pat'))), 404, 'not-found');
      expect((await api.post(`Appointment/${booked.id}/$cancel`, parameters(reason('oth-err')))).statusCode).toBe(200);
      await unchangedBy(cancel(parameters(reason('pat'))), 422, 'business-rule', 'Appointment.status');
    });

    it("the page's PUT still cancels, recording no reason", async () => {
      const booked = await api.book(proposal({ time: '10:30' }));
      const response = await api.put(`Appointment/${booked.id}`, { ...booked, status: 'cancelled' });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<Appointment>().cancelationReason).toBeUndefined();
    });
  });

  describe.skipIf(skip)('$reschedule in one step', () => {
    const carried = {
      description: 'Diabetes review',
      comment: 'Bring your meter',
      appointmentType: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v2-0276', code: 'FOLLOWUP' }] },
      serviceType: [{ text: 'General practice' }],
      extension: [{ url: DELIVERY_CHANNEL_URL, valueCode: 'telephone' }],
    };

    it("to another practitioner's slot: the new one booked with what carries over, the old one cancelled, each pointing at the other", async () => {
      const old = await api.book({ ...proposal({ time: '09:00' }), ...carried });
      const response = await api.post(
        `Appointment/${old.id}/$reschedule`,
        parameters({ name: 'slot', valueReference: { reference: `Slot/${slotId('prac-2', '10:00')}` } }, reason('pat')),
      );
      expect(response.statusCode, response.body).toBe(200);
      const moved = response.json<Appointment>();
      expect(moved).toMatchObject({
        status: 'booked',
        start: '2030-03-05T10:00:00+13:00',
        end: '2030-03-05T10:15:00+13:00',
        ...carried,
        extension: [
          ...carried.extension,
          { url: REPLACES_URL, valueReference: { reference: `Appointment/${old.id}` } },
        ],
      });
      expect(moved.participant.map((one) => one.actor?.reference)).toEqual([
        'Patient/pat-a',
        'Practitioner/prac-2',
        'Location/loc-2',
      ]);
      expect(await read(old.id as string)).toMatchObject({
        status: 'cancelled',
        cancelationReason: { text: 'Rescheduled', coding: [{ code: 'pat' }] },
        extension: [
          ...carried.extension,
          { url: RESCHEDULED_TO_URL, valueReference: { reference: `Appointment/${moved.id}` } },
        ],
      });
      expect([await slotStatus('prac-1', '09:00'), await slotStatus('prac-2', '10:00')]).toEqual(['free', 'busy']);
      const [onOld, onNew] = [await provenanceOf(old.id as string), await provenanceOf(moved.id as string)];
      expect(onOld.map((found) => found.activity?.text)).toEqual(['booked', 'rescheduled']);
      expect(onNew.map((found) => found.id)).toEqual([onOld[1].id]);
      expect(onNew[0].target.map((target) => target.reference)).toEqual([
        `Appointment/${old.id}/_history/2`,
        `Appointment/${moved.id}/_history/1`,
      ]);
    });

    it('by start and end with the same practitioner, even overlapping its own old time', async () => {
      const old = await api.book(proposal({ time: '09:00' }));
      const response = await api.post(
        `Appointment/${old.id}/$reschedule`,
        parameters(
          { name: 'start', valueDateTime: '2030-03-05T09:10:00+13:00' },
          { name: 'end', valueDateTime: '2030-03-05T09:30:00+13:00' },
        ),
      );
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json<Appointment>().participant[1].actor?.reference).toBe('Practitioner/prac-1');
      expect([await slotStatus('prac-1', '09:00'), await slotStatus('prac-1', '09:15')]).toEqual(['busy', 'busy']);
    });

    it('when the new time cannot be booked, the old appointment is untouched and still booked', async () => {
      const old = await api.book(proposal({ time: '09:00' }));
      await api.book(proposal({ time: '10:00', practitioner: 'prac-2', location: 'loc-2', patient: 'pat-b' }));
      const to =
        (...given: Array<Record<string, unknown>>) =>
        () =>
          api.post(`Appointment/${old.id}/$reschedule`, parameters(...given));
      await unchangedBy(
        to({ name: 'slot', valueReference: { reference: `Slot/${slotId('prac-2', '10:00')}` } }),
        409,
        'conflict',
        'Parameters.parameter[0].valueReference',
      );
      await unchangedBy(to({ name: 'slot', valueReference: { reference: 'Slot/none' } }), 422, 'not-found');
      await unchangedBy(to({ name: 'slot', valueReference: { reference: 'Patient/pat-a' } }), 422, 'value');
      await unchangedBy(to({ name: 'start', valueDateTime: '2030-03-01T09:00:00+13:00' }), 422, 'business-rule');
      await unchangedBy(
        to({ name: 'start', valueDateTime: 'tomorrow' }),
        422,
        'value',
        'Parameters.parameter[0].valueDateTime',
      );
      await unchangedBy(
        to(
          { name: 'slot', valueReference: { reference: `Slot/${slotId('prac-2', '10:15')}` } },
          { name: 'start', valueDateTime: '2030-03-05T10:15:00+13:00' },
        ),
        400,
        'structure',
      );
      await unchangedBy(to(), 400, 'required');
      await unchangedBy(to({ name: 'when', valueDateTime: '2030-03-05T10:15:00+13:00' }), 400, 'not-supported');
      await unchangedBy(
        to({ name: 'slot', valueReference: { reference: `Slot/${slotId('prac-2', '10:15')}` } }, reason('nope')),
        422,
        'code-invalid',
      );
      expect((await read(old.id as string)).status).toBe('booked');
    });

    it('parallel reschedules onto one slot: exactly one succeeds, the others stay booked where they were', async () => {
      const olds = [
        await api.book(proposal({ time: '09:00' })),
        await api.book(proposal({ time: '09:30' })),
        await api.book(proposal({ time: '09:00', practitioner: 'prac-2', location: 'loc-2', patient: 'pat-b' })),
      ];
      const target = parameters({ name: 'slot', valueReference: { reference: `Slot/${slotId('prac-2', '11:00')}` } });
      const answers = await Promise.all(olds.map((old) => api.post(`Appointment/${old.id}/$reschedule`, target)));
      expect(answers.map((answer) => answer.statusCode).sort()).toEqual([200, 409, 409]);
      const booked =
        (await api.search<Appointment>(`Appointment?slot=${slotId('prac-2', '11:00')}&status=booked`)).entry ?? [];
      expect(booked).toHaveLength(1);
      const statuses = await Promise.all(olds.map(async (old) => (await read(old.id as string)).status));
      expect(statuses.filter((status) => status === 'cancelled')).toHaveLength(1);
      expect(statuses.filter((status) => status === 'booked')).toHaveLength(2);
    });
  });

  describe.skipIf(skip)('the practice rules', () => {
    it('a patient is never booked twice at overlapping times, with anyone: 409 duplicate, and nothing stored', async () => {
      await api.book(proposal({ time: '09:00' }));
      await unchangedBy(
        () => api.post('Appointment', proposal({ time: '09:00', practitioner: 'prac-2', location: 'loc-2' })),
        409,
        'duplicate',
        'Appointment.start',
      );
      await unchangedBy(
        () =>
          api.post('Appointment', {
            ...proposal({ time: '08:50', practitioner: 'prac-2', location: 'loc-2', withSlot: false }),
            end: '2030-03-05T09:05:00+13:00',
          }),
        409,
        'duplicate',
      );
    });

    it('two bookings of one patient at once with two practitioners: exactly one is booked (the database guard)', async () => {
      const answers = await Promise.all([
        api.post('Appointment', proposal({ time: '11:00' })),
        api.post('Appointment', proposal({ time: '11:00', practitioner: 'prac-2', location: 'loc-2' })),
      ]);
      expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 409]);
      expect(answers.find((answer) => answer.statusCode === 409)?.json<OperationOutcome>().issue[0].code).toBe(
        'duplicate',
      );
    });

    it('without a slot at most 2 hours, for staff and machines', async () => {
      const long = { ...proposal({ time: '09:00', withSlot: false }), end: '2030-03-05T11:15:00+13:00' };
      await unchangedBy(() => api.post('Appointment', long), 422, 'business-rule', 'Appointment.end');
      expect((await api.post('Appointment', { ...long, end: '2030-03-05T11:00:00+13:00' })).statusCode).toBe(201);
    });

    it('staff and machines are not bound by the patient rules (notice, cut-off)', async () => {
      clock = at('08:45');
      const booked = await api.book(proposal({ time: '09:00' }));
      expect((await api.post(`Appointment/${booked.id}/$cancel`, parameters(reason('prov')))).statusCode).toBe(200);
    });

    describe('for a signed-in patient', () => {
      let patient: Record<string, string>;
      beforeEach(async () => {
        patient = {
          ...FHIR_HEADERS,
          ...bearer((await signIn(server.app, { patient: PATIENT_A })).tokens.access_token),
        };
      });
      const asPatient = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) =>
        api.request(method, url, body, patient);

      it('books a free slot, recorded as the patient by name, and sees only their own Provenance', async () => {
        const response = await asPatient('POST', 'Appointment', proposal({ time: '09:00' }));
        expect(response.statusCode, response.body).toBe(201);
        const other = await api.book(
          proposal({ time: '09:00', practitioner: 'prac-2', location: 'loc-2', patient: 'pat-b' }),
        );
        const mine = (await asPatient('GET', 'Provenance')).json<Bundle<Provenance>>();
        expect(mine.entry?.map((entry) => entry.resource?.agent[0].who)).toEqual([
          { reference: 'Patient/pat-a', display: 'Aroha Ngātai' },
        ]);
        expect((await asPatient('GET', `Provenance?target=Appointment/${other.id}`)).json<Bundle>().total).toBe(0);
        const theirs = (await provenanceOf(other.id as string))[0];
        expectOutcome(await asPatient('GET', `Provenance/${theirs.id}`), 403, 'forbidden');
      });

      it('refuses slot-less bookings, short notice, past the horizon, slots not bookable online and more than the maximum', async () => {
        await unchangedBy(
          () => asPatient('POST', 'Appointment', proposal({ time: '09:00', withSlot: false })),
          422,
          'business-rule',
          'Appointment.slot',
        );
        clock = at('08:30');
        await unchangedBy(
          () => asPatient('POST', 'Appointment', proposal({ time: '09:00' })),
          422,
          'business-rule',
          'Appointment.start',
        );
        clock = NOW;
        rules.horizonDays = 1;
        await unchangedBy(
          () => asPatient('POST', 'Appointment', proposal({ time: '09:00' })),
          422,
          'business-rule',
          'Appointment.start',
        );
        rules.horizonDays = DEFAULT_PRACTICE_RULES.horizonDays;
        // The second practitioner's schedule is not bookable online, but one of its slots is.
        const schedule = (await api.get('Schedule/sched-prac-2')).json<Schedule>();
        const slot = (await api.get(`Slot/${slotId('prac-2', '10:00')}`)).json<Slot>();
        await server.opened.store.clear();
        await server.opened.store.bulkLoad(
          fixtureResources().map((resource): Resource =>
            resource.id === schedule.id
              ? ({ ...schedule, extension: [{ url: ONLINE_BOOKABLE_URL, valueBoolean: false }] } as Schedule)
              : resource.id === slot.id
                ? ({ ...slot, extension: [{ url: ONLINE_BOOKABLE_URL, valueBoolean: true }] } as Slot)
                : resource,
          ),
          NOW,
        );
        await unchangedBy(
          () =>
            asPatient('POST', 'Appointment', proposal({ time: '09:00', practitioner: 'prac-2', location: 'loc-2' })),
          422,
          'business-rule',
          'Appointment.slot[0]',
        );
        expect(
          (
            await asPatient(
              'POST',
              'Appointment',
              proposal({ time: '10:00', practitioner: 'prac-2', location: 'loc-2' }),
            )
          ).statusCode,
        ).toBe(201);
        rules.maxFutureBookings = 2;
        expect((await asPatient('POST', 'Appointment', proposal({ time: '11:00' }))).statusCode).toBe(201);
        const third = await unchangedBy(
          () => asPatient('POST', 'Appointment', proposal({ time: '11:30' })),
          422,
          'business-rule',
        );
        expect(third.issue[0].diagnostics).toMatch(/at most 2/);
      });

      it('cancels and reschedules only until the cut-off; after it 422 saying to phone the clinic, and nothing changes', async () => {
        const booked = (await asPatient('POST', 'Appointment', proposal({ time: '11:00' }))).json<Appointment>();
        clock = at('09:30');
        const toPhone = await unchangedBy(
          () => asPatient('POST', `Appointment/${booked.id}/$cancel`, parameters(reason('pat'))),
          422,
          'business-rule',
          'Appointment.start',
        );
        expect(toPhone.issue[0].diagnostics).toMatch(/phone the clinic/);
        // Coded, so the app tells it from other refusals whatever expression the interaction names.
        expect(isChangeCutoffIssue(toPhone.issue[0])).toBe(true);
        const byPut = await unchangedBy(
          () => asPatient('PUT', `Appointment/${booked.id}`, { ...booked, status: 'cancelled' }),
          422,
          'business-rule',
        );
        expect(byPut.issue.some(isChangeCutoffIssue)).toBe(true);
        const byMove = await unchangedBy(
          () =>
            asPatient(
              'POST',
              `Appointment/${booked.id}/$reschedule`,
              parameters({ name: 'slot', valueReference: { reference: `Slot/${slotId('prac-1', '11:45')}` } }),
            ),
          422,
          'business-rule',
        );
        expect(byMove.issue.some(isChangeCutoffIssue)).toBe(true);
        clock = at('08:30');
        const moved = await asPatient(
          'POST',
          `Appointment/${booked.id}/$reschedule`,
          parameters({ name: 'slot', valueReference: { reference: `Slot/${slotId('prac-1', '11:45')}` } }),
        );
        expect(moved.statusCode, moved.body).toBe(200);
      });

      it('cannot mark arrivals', async () => {
        const booked = (await asPatient('POST', 'Appointment', proposal({ time: '11:00' }))).json<Appointment>();
        clock = at('10:55');
        await unchangedBy(
          () =>
            api.request('PATCH', `Appointment/${booked.id}`, statusPatch('arrived'), {
              ...patient,
              ...JSON_PATCH,
              'if-match': 'W/"1"',
            }),
          403,
          'forbidden',
        );
      });
    });
  });

  describe.skipIf(skip)('appointment search by location and actor', () => {
    it('finds appointments at a location, and by any actor', async () => {
      const one = await api.book(proposal({ time: '09:00' }));
      const two = await api.book(
        proposal({ time: '09:00', practitioner: 'prac-2', location: 'loc-2', patient: 'pat-b' }),
      );
      const ids = async (query: string) =>
        (await api.search(`Appointment?${query}`)).entry?.map((entry) => entry.resource?.id);
      expect(await ids('location=loc-2')).toEqual([two.id]);
      expect(await ids('location=Location/loc-1')).toEqual([one.id]);
      expect(await ids('actor=Practitioner/prac-2')).toEqual([two.id]);
      expect(await ids('actor=Patient/pat-a')).toEqual([one.id]);
    });
  });
});
