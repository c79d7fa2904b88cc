import type { Resource, Slot } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { ANY_SCHEDULES_SLOTS, partsRead, partsWritten, SearchCache } from './searchCache';
import type { SearchSpec } from './searchSpec';

const spec = (overrides: Partial<SearchSpec>): SearchSpec => ({
  resourceType: 'Slot',
  criteria: [],
  count: 20,
  offset: 0,
  descending: false,
  include: [],
  ...overrides,
});
const slot = (schedule: string): Slot => ({
  resourceType: 'Slot',
  id: 's1',
  schedule: { reference: `Schedule/${schedule}` },
  status: 'free',
  start: '2030-03-05T09:00:00+13:00',
  end: '2030-03-05T09:15:00+13:00',
});
const result = (id: string) => ({ total: 1, matches: [{ resourceType: 'Patient', id } as Resource], included: [] });

describe('what a search reads and a write changes', () => {
  it("narrows a schedule's slot search to that schedule's slots, and widens it for what it includes", () => {
    const week = spec({
      criteria: [{ kind: 'reference', param: 'schedule', anyOf: ['Schedule/a'] }],
      include: ['schedule'],
    });
    expect(partsRead(week)?.sort()).toEqual(['Schedule', 'Slot@a', ANY_SCHEDULES_SLOTS].sort());
    expect(
      partsRead(
        spec({ criteria: [{ kind: 'reference', param: 'schedule.actor', anyOf: ['Practitioner/p'] }] }),
      )?.sort(),
    ).toEqual(['Schedule', 'Slot']);
    expect(partsRead(spec({ resourceType: 'Patient', include: [] }))).toEqual(['Patient']);
  });

  it("keeps no search by another resource's identifier", () => {
    expect(
      partsRead(
        spec({ criteria: [{ kind: 'referenceIdentifier', param: 'schedule.actor', anyOf: [{ value: 'x' }] }] }),
      ),
    ).toBeUndefined();
  });

  it("changes a slot's schedule's slots, before and after a move", () => {
    expect(partsWritten(slot('a'))).toEqual(['Slot', 'Slot@a']);
    expect(partsWritten(slot('b'), slot('a'))).toEqual(['Slot', 'Slot@b', 'Slot@a']);
    expect(partsWritten({ resourceType: 'Appointment', id: 'x' })).toEqual(['Appointment']);
  });
});

describe('the search cache', () => {
  const week = spec({ criteria: [{ kind: 'reference', param: 'schedule', anyOf: ['a'] }] });

  it('answers a search again until a write changes what it read', () => {
    const cache = new SearchCache();
    const first = cache.find(week);
    if (!('keep' in first)) throw new Error('nothing was kept yet');
    first.keep(result('one'));
    expect(cache.find(week)).toEqual({ hit: result('one') });
    cache.written(['Slot', 'Slot@b']);
    expect('hit' in cache.find(week)).toBe(true);
    cache.written(['Slot', 'Slot@a']);
    expect('keep' in cache.find(week)).toBe(true);
  });

  it('never keeps a result a write finished during', () => {
    const cache = new SearchCache();
    const started = cache.find(week);
    cache.written(['Slot@a']);
    if ('keep' in started) started.keep(result('before the write'));
    expect('keep' in cache.find(week)).toBe(true);
    const alsoStarted = cache.find(week);
    cache.forgetAll();
    if ('keep' in alsoStarted) alsoStarted.keep(result('before the unknown write'));
    expect('keep' in cache.find(week)).toBe(true);
  });

  it('drops the least recently used beyond its capacity, and freezes what it keeps', () => {
    const cache = new SearchCache(2);
    const specs = ['a', 'b', 'c'].map((id) => spec({ resourceType: 'Patient', criteria: [{ kind: 'id', ids: [id] }] }));
    for (const [index, one] of specs.entries()) {
      const found = cache.find(one);
      if ('keep' in found) found.keep(result(String(index)));
      if (index === 1) cache.find(specs[0]);
    }
    expect(specs.map((one) => 'hit' in cache.find(one))).toEqual([true, false, true]);
    const kept = cache.find(specs[0]);
    expect('hit' in kept && Object.isFrozen(kept.hit.matches[0])).toBe(true);
  });
});
