/**
 * Kept days of slots are brought up to date by the slots a booking or a cancellation changed, not read
 * again (storage/slotChanges.ts). Through a random run of bookings and cancellations, each kept answer
 * equals the database's, compared with a store that keeps nothing, over the same database.
 */
import type { Appointment, Slot } from 'fhir/r4';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bookAppointment } from '../appointments/booking';
import { cancelAppointment } from '../appointments/cancelling';
import { openPglite } from '../database/pgliteClient';
import type { SqlClient } from '../database/sqlClient';
import { FhirError } from '../core/fhirError';
import { SearchCache } from '../storage/searchCache';
import type { Criterion, SearchSpec } from '../storage/searchSpec';
import { SqlFhirStore } from '../storage/sqlFhirStore';
import { clinicInstant } from '../../domain/clinicTime';
import { loadFixtures, NOW, proposal, TIME_ZONE } from './fixtures';

let sql: SqlClient;
let statements = 0;
let kept: SqlFhirStore;
let plain: SqlFhirStore;

beforeAll(async () => {
  sql = await openPglite(undefined);
  plain = await SqlFhirStore.open(sql);
  await loadFixtures(plain);
  const counted: SqlClient = {
    query: (text, params) => ((statements += 1), sql.query(text, params)),
    transaction: (callback) => sql.transaction(callback),
    close: () => sql.close(),
  };
  kept = new SqlFhirStore(counted, new SearchCache());
});
afterAll(() => sql.close());

const at = (date: string, time = '00:00') => clinicInstant(date, time, TIME_ZONE);

function slotSearch(schedule: string, from: Date, to: Date, extra: Criterion[] = []): SearchSpec {
  return {
    resourceType: 'Slot',
    criteria: [
      { kind: 'reference', param: 'schedule', anyOf: [`Schedule/${schedule}`] },
      { kind: 'status', anyOf: ['free'] },
      { kind: 'instant', negate: false, range: { from, to } },
      ...extra,
    ],
    count: 1000,
    offset: 0,
    descending: false,
    include: [],
  };
}

/** What the app asks: the clinic week, a day, and the busy slots (another status) of the week. */
const searches = (schedule: string): SearchSpec[] => [
  slotSearch(schedule, at('2030-03-04'), at('2030-03-11')),
  slotSearch(schedule, at('2030-03-05'), at('2030-03-06')),
  slotSearch(schedule, at('2030-03-05', '10:00'), at('2030-03-05', '11:00')),
  {
    ...slotSearch(schedule, at('2030-03-04'), at('2030-03-11')),
    criteria: [
      { kind: 'reference', param: 'schedule', anyOf: [schedule] },
      { kind: 'status', anyOf: ['busy'] },
      { kind: 'instant', negate: false, range: { from: at('2030-03-04'), to: at('2030-03-11') } },
    ],
  },
];

const versions = (slots: Slot[]) => slots.map((slot) => `${slot.id}@${slot.meta?.versionId}:${slot.status}`);

async function expectKeptAsDatabase(): Promise<void> {
  for (const schedule of ['sched-prac-1', 'sched-prac-2']) {
    for (const spec of searches(schedule)) {
      const fromKept = await kept.search(spec);
      const fromDatabase = await plain.search(spec);
      expect(versions(fromKept.matches as Slot[])).toEqual(versions(fromDatabase.matches as Slot[]));
      expect(fromKept.total).toBe(fromDatabase.total);
    }
  }
}

/** A small deterministic generator (mulberry32), so a failing run can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe('kept days of slots after writes', () => {
  it('are brought up to date without a statement after a booking and after its cancellation', async () => {
    await expectKeptAsDatabase();
    const week = slotSearch('sched-prac-1', at('2030-03-04'), at('2030-03-11'));
    await kept.search(week);
    const booked = await bookAppointment(kept, proposal({ time: '10:15' }), NOW);
    statements = 0;
    expect(
      versions((await kept.search(week)).matches as Slot[]).some((slot) => slot.startsWith('slot-prac-1-1015@')),
    ).toBe(false);
    expect(statements).toBe(0);
    await cancelAppointment(kept, booked.id as string, { ...booked, status: 'cancelled' }, undefined, NOW);
    statements = 0;
    expect(versions((await kept.search(week)).matches as Slot[])).toContain('slot-prac-1-1015@3:free');
    expect(statements).toBe(0);
    await expectKeptAsDatabase();
  });

  it('equal the database through a random run of bookings, slotless bookings over two slots, and cancellations', async () => {
    const next = random(20301);
    const times = Array.from({ length: 12 }, (_, index) => {
      const minutes = 9 * 60 + index * 15;
      return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    });
    const booked: Appointment[] = [];
    let [bookings, cancellations] = [0, 0];
    for (let step = 0; step < 40; step += 1) {
      const pick = <T>(list: T[]) => list[Math.floor(next() * list.length)];
      try {
        if (booked.length > 0 && next() < 0.4) {
          const appointment = booked.splice(Math.floor(next() * booked.length), 1)[0];
          await cancelAppointment(
            kept,
            appointment.id as string,
            { ...appointment, status: 'cancelled' },
            undefined,
            NOW,
          );
          cancellations += 1;
        } else {
          const time = pick(times);
          const practitioner = pick(['prac-1', 'prac-2']);
          const body = proposal({ time, practitioner, patient: pick(['pat-a', 'pat-b']), withSlot: next() < 0.7 });
          // A slotless booking half an hour long covers two slots: one write, two slot changes.
          const end = new Date(at('2030-03-05', time).getTime() + 30 * 60_000).toISOString();
          booked.push(await bookAppointment(kept, 'slot' in body ? body : { ...body, end }, NOW));
          bookings += 1;
        }
      } catch (error) {
        // A refusal (the slot or the patient's time taken) changes nothing, kept or stored.
        if (!(error instanceof FhirError)) throw error;
      }
      await expectKeptAsDatabase();
    }
    // The run (its seed is fixed) did both, many times.
    expect(bookings).toBeGreaterThanOrEqual(10);
    expect(cancellations).toBeGreaterThanOrEqual(10);
  });
});
