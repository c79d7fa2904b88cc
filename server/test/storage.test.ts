/**
 * The storage contract, run unchanged against embedded PGlite (on disk) and a real PostgreSQL:
 * concurrent bookings cannot double book, every acknowledged write survives a restart, and every
 * write keeps its history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Appointment, Slot } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { apiOf, type Api } from './api';
import { createTestDatabase } from './databases';
import { NOW, proposal, slotId } from './fixtures';
import { startTestServer, type TestServer } from './testServer';

interface Backend {
  name: string;
  /** Where the data lives, so a second start opens the same store. */
  location: { databaseUrl?: string; dataDir?: string };
  dispose(): Promise<void>;
}

const postgresUrl = inject('postgresUrl');

async function pgliteOnDisk(): Promise<Backend> {
  const dir = mkdtempSync(join(tmpdir(), 'nz-appointments-store-'));
  return {
    name: 'PGlite',
    location: { dataDir: dir },
    dispose: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function postgres(): Promise<Backend> {
  const database = await createTestDatabase(postgresUrl as string);
  return { name: 'PostgreSQL', location: { databaseUrl: database.url }, dispose: database.drop };
}

const backends: Array<[string, () => Promise<Backend>, boolean]> = [
  ['PGlite', pgliteOnDisk, false],
  ['PostgreSQL', postgres, postgresUrl === null],
];

describe.each(backends)('the store on %s', (_name, openBackend, skip) => {
  let backend: Backend;
  let server: TestServer | undefined;
  let api: Api;

  const start = async () => {
    server = await startTestServer(backend.location);
    api = apiOf(server);
  };
  const stop = async () => {
    await server?.close();
    server = undefined;
  };

  beforeAll(async () => {
    if (skip) return;
    backend = await openBackend();
    await start();
  });
  afterAll(async () => {
    if (skip) return;
    await stop();
    await backend.dispose();
  });

  it.skipIf(skip)('20 parallel bookings of one slot give exactly one 201, and the others 409', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) =>
        api.post('Appointment', proposal({ time: '09:00', patient: index % 2 ? 'pat-a' : 'pat-b' })),
      ),
    );
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
    for (const refused of responses.filter((response) => response.statusCode === 409)) {
      expect(refused.json().issue[0].code).toMatch(/^(conflict|duplicate)$/);
    }
    const booked = await api.search<Appointment>(`Appointment?slot=${slotId('prac-1', '09:00')}`);
    expect(booked.total).toBe(1);
    expect((await api.get(`Slot/${slotId('prac-1', '09:00')}`)).json<Slot>().status).toBe('busy');
  });

  it.skipIf(skip)('20 parallel overlapping bookings without a slot give exactly one 201', async () => {
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) => {
        // Starts 40 s apart within 13 minutes, each ending a usual slot length (15 min) later: every pair overlaps.
        const seconds = index * 40;
        const at = `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`;
        return api.post('Appointment', {
          ...proposal({ time: '10:00', withSlot: false }),
          start: `2030-03-05T10:${at}+13:00`,
        });
      }),
    );
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses, responses.map((response) => response.body).join('\n')).toEqual([201, ...Array(19).fill(409)]);
    expect(
      (
        await api.search(
          'Appointment?practitioner=prac-1&status=booked&date=ge2030-03-05T10:00:00%2B13:00&date=lt2030-03-05T10:20:00%2B13:00',
        )
      ).total,
    ).toBe(1);
  });

  it.skipIf(skip)(
    'parallel bookings that straddle neighbouring slots are refused with 409, never a deadlock',
    async () => {
      const starts = ['09:29', '09:31', '10:44', '10:46', '11:14', '11:16'];
      const responses = await Promise.all(
        starts.map((time) => api.post('Appointment', proposal({ time, withSlot: false }))),
      );
      const byPair = [0, 2, 4].map((index) => [responses[index].statusCode, responses[index + 1].statusCode].sort());
      expect(byPair, responses.map((response) => response.body).join('\n')).toEqual([
        [201, 409],
        [201, 409],
        [201, 409],
      ]);
    },
  );

  it.skipIf(skip)('parallel cancellations of one appointment: one 200, and its slot is free', async () => {
    // pat-b: pat-a is booked around 11:15 above, and a patient is never booked twice at once.
    const booked = await api.book(
      proposal({ time: '11:00', practitioner: 'prac-2', location: 'loc-2', patient: 'pat-b' }),
    );
    const responses = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.put(`Appointment/${booked.id}`, { ...booked, status: 'cancelled' }, { 'if-match': 'W/"1"' }),
      ),
    );
    const statuses = responses.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412]);
    expect((await api.get(`Slot/${slotId('prac-2', '11:00')}`)).json<Slot>().status).toBe('free');
  });

  it.skipIf(skip)('a restart keeps every acknowledged write, with its history', async () => {
    const written: Appointment[] = [];
    const responses = await Promise.all(
      ['09:15', '09:30', '09:45', '10:00', '10:15'].map((time) =>
        api.post('Appointment', proposal({ time, practitioner: 'prac-2', location: 'loc-2', patient: 'pat-b' })),
      ),
    );
    for (const response of responses) {
      expect(response.statusCode, response.body).toBe(201);
      written.push(response.json<Appointment>());
    }
    const cancelledResponse = await api.put(`Appointment/${written[0].id}`, { ...written[0], status: 'cancelled' });
    expect(cancelledResponse.statusCode).toBe(200);
    const cancelled = cancelledResponse.json<Appointment>();
    const everything = await api.search('Appointment?_count=1000');
    const slots = await api.search(`Slot?start=ge2030-01-01&_count=1000`);

    await stop();
    await start();

    expect(await api.search('Appointment?_count=1000')).toEqual(everything);
    expect(await api.search(`Slot?start=ge2030-01-01&_count=1000`)).toEqual(slots);
    expect((await api.get(`Appointment/${cancelled.id}`)).json()).toEqual(cancelled);
    expect((await api.get(`Appointment/${cancelled.id}/_history/1`)).json()).toEqual(written[0]);
    for (const appointment of written.slice(1))
      expect((await api.get(`Appointment/${appointment.id}`)).json()).toEqual(appointment);
    // The restarted store still enforces its constraints.
    expect(
      (await api.post('Appointment', proposal({ time: '09:30', practitioner: 'prac-2', location: 'loc-2' })))
        .statusCode,
    ).toBe(409);
  });

  it.skipIf(skip)(
    "loads only resources it does not have, counts them, and knows each schedule's last slot",
    async () => {
      const store = (server as TestServer).opened.store;
      const extra: Slot = {
        resourceType: 'Slot',
        id: 'slot-late',
        schedule: { reference: 'Schedule/sched-prac-1' },
        status: 'free',
        start: '2030-04-01T09:00:00+13:00',
        end: '2030-04-01T09:15:00+13:00',
      };
      const again: Slot = { ...extra, id: slotId('prac-1', '09:00') };
      expect(await store.bulkLoad([extra, again], NOW)).toBe(1);
      expect((await api.get(`Slot/${slotId('prac-1', '09:00')}`)).json<Slot>().status).toBe('busy');
      // The loaded version stays readable after a booking wrote version 2.
      expect((await api.get(`Slot/${slotId('prac-1', '09:00')}/_history/1`)).json<Slot>().status).toBe('free');
      expect(await store.count('Patient')).toBe(2);
      const last = await store.lastSlotStartBySchedule();
      expect(last.get('sched-prac-1')?.toISOString()).toBe('2030-03-31T20:00:00.000Z');
      expect(last.get('sched-prac-2')?.toISOString()).toBe('2030-03-04T22:45:00.000Z');
    },
  );
});
