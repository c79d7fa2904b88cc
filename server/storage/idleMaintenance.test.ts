import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleMaintenance, MAINTAINED_TABLES } from './idleMaintenance';

describe('vacuuming PGlite when the store is quiet', () => {
  let maintained: string[];
  let maintenance: IdleMaintenance;

  beforeEach(() => {
    vi.useFakeTimers();
    maintained = [];
    maintenance = new IdleMaintenance({
      maintain: async (table) => {
        maintained.push(table);
      },
      afterWrites: 3,
      periodMs: 1_000,
      quietCalls: 2,
    });
  });
  afterEach(() => {
    maintenance.stop();
    vi.useRealTimers();
  });

  it('does nothing before enough writes, then one table each quiet period until every one is done', async () => {
    maintenance.written(2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(maintained).toEqual([]);
    maintenance.written();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(maintained).toEqual([MAINTAINED_TABLES[0]]);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(maintained).toEqual([...MAINTAINED_TABLES]);
  });

  it('waits while the store is busy, and goes on through a few polls', async () => {
    maintenance.written(3);
    // Three calls in every period: a booking's and its searches.
    const busy = setInterval(() => maintenance.activity(), 300);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(maintained).toEqual([]);
    clearInterval(busy);
    const polls = setInterval(() => maintenance.activity(), 1_000);
    await vi.advanceTimersByTimeAsync(2_000);
    clearInterval(polls);
    expect(maintained.length).toBeGreaterThan(0);
  });

  it('goes on with the next table after one fails', async () => {
    maintenance.stop();
    maintenance = new IdleMaintenance({
      maintain: async (table) => {
        maintained.push(table);
        if (table === MAINTAINED_TABLES[0]) throw new Error('could not vacuum');
      },
      afterWrites: 1,
      periodMs: 1_000,
      quietCalls: 0,
    });
    maintenance.written();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(maintained).toEqual(MAINTAINED_TABLES.slice(0, 2));
  });
});
