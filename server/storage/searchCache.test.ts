import type { Patient, Resource, Slot } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { ANY_SCHEDULES_SLOTS, partsRead, partsWritten, SearchCache, slotSearchByDay } from './searchCache';
import type { Criterion, SearchSpec } from './searchSpec';

const spec = (overrides: Partial<SearchSpec>): SearchSpec => ({
  resourceType: 'Slot',
  criteria: [],
  count: 20,
  offset: 0,
  descending: false,
  include: [],
  ...overrides,
});
const slot = (schedule: string, start = '2030-03-05T09:00:00+13:00'): Slot => ({
  resourceType: 'Slot',
  id: 's1',
  schedule: { reference: `Schedule/${schedule}` },
  status: 'free',
  start,
  end: start,
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

  it("changes the slot itself, its schedule's slots and those starting on its UTC day, before and after a move", () => {
    expect(partsWritten(slot('a'))).toEqual(['Slot/s1', 'Slot', 'Slot@a', 'Slot@a@2030-03-04']);
    expect(partsWritten(slot('b', '2030-03-12T09:00:00+13:00'), slot('a'))).toEqual([
      'Slot/s1',
      'Slot',
      'Slot@b',
      'Slot@b@2030-03-11',
      'Slot@a',
      'Slot@a@2030-03-04',
    ]);
    expect(partsWritten(slot('a', 'not a time'))).toContain(ANY_SCHEDULES_SLOTS);
    expect(partsWritten({ resourceType: 'Appointment', id: 'x' })).toEqual(['Appointment/x', 'Appointment']);
  });

  it("reads a schedule's slots in a bounded range day by day, and an open range as all its slots", () => {
    const instant = (from?: string, to?: string) =>
      ({
        kind: 'instant',
        negate: false,
        range: { ...(from ? { from: new Date(from) } : {}), ...(to ? { to: new Date(to) } : {}) },
      }) as const;
    const schedule: Criterion = { kind: 'reference', param: 'schedule', anyOf: ['Schedule/a'] };
    // A clinic week (Monday 00:00 to Monday 00:00 in Auckland, +13:00) touches eight UTC days.
    const week = spec({
      criteria: [schedule, instant('2030-03-04T00:00:00+13:00'), instant(undefined, '2030-03-11T00:00:00+13:00')],
    });
    expect(partsRead(week)).toEqual([
      ...['03', '04', '05', '06', '07', '08', '09', '10'].map((day) => `Slot@a@2030-03-${day}`),
      ANY_SCHEDULES_SLOTS,
    ]);
    expect(partsRead(spec({ criteria: [schedule, instant('2030-03-04T00:00:00Z')] }))).toEqual([
      'Slot@a',
      ANY_SCHEDULES_SLOTS,
    ]);
    expect(partsRead(spec({ criteria: [schedule, instant('2030-01-01T00:00:00Z', '2030-12-31T00:00:00Z')] }))).toEqual([
      'Slot@a',
      ANY_SCHEDULES_SLOTS,
    ]);
  });
});

describe("a week of a schedule's slots, day by day", () => {
  const schedule: Criterion = { kind: 'reference', param: 'schedule', anyOf: ['a'] };
  const free: Criterion = { kind: 'status', anyOf: ['free'] };
  // Monday to Monday in Auckland (+13:00): eight UTC days, the first and last in part.
  const week: Criterion = {
    kind: 'instant',
    negate: false,
    range: { from: new Date('2030-03-03T11:00:00Z'), to: new Date('2030-03-10T11:00:00Z') },
  };

  it('is one search per UTC day the week touches, each with the same other criteria and within the week', () => {
    const days = slotSearchByDay(spec({ criteria: [schedule, free, week], count: 1000 }));
    expect(days).toHaveLength(8);
    const ranges = days?.map(({ search: day, from, to }) => {
      expect(day.criteria.slice(0, 2)).toEqual([schedule, free]);
      const [, , only] = day.criteria;
      if (only.kind !== 'instant') return undefined;
      expect([only.range.from?.getTime(), only.range.to?.getTime()]).toEqual([from, to]);
      return [only.range.from?.toISOString(), only.range.to?.toISOString()];
    });
    expect(ranges?.[0]).toEqual(['2030-03-03T11:00:00.000Z', '2030-03-04T00:00:00.000Z']);
    expect(ranges?.[1]).toEqual(['2030-03-04T00:00:00.000Z', '2030-03-05T00:00:00.000Z']);
    expect(ranges?.[7]).toEqual(['2030-03-10T00:00:00.000Z', '2030-03-10T11:00:00.000Z']);
    expect(days?.map((day) => partsRead(day.search))).toEqual(
      ['03', '04', '05', '06', '07', '08', '09', '10'].map((date) => [`Slot@a@2030-03-${date}`, ANY_SCHEDULES_SLOTS]),
    );
  });

  it('is not used for another order, a later page, includes, an open range, a day alone or a month', () => {
    const criteria = [schedule, week];
    expect(slotSearchByDay(spec({ criteria, sort: [{ param: 'start', descending: true }] }))).toBeUndefined();
    expect(slotSearchByDay(spec({ criteria, descending: true }))).toBeUndefined();
    expect(slotSearchByDay(spec({ criteria, offset: 20 }))).toBeUndefined();
    expect(slotSearchByDay(spec({ criteria, include: ['schedule'] }))).toBeUndefined();
    expect(slotSearchByDay(spec({ criteria, count: 0 }))).toBeUndefined();
    expect(slotSearchByDay(spec({ criteria: [week] }))).toBeUndefined();
    const from = (to: string): Criterion => ({
      kind: 'instant',
      negate: false,
      range: { from: new Date('2030-03-04T01:00:00Z'), to: new Date(to) },
    });
    expect(slotSearchByDay(spec({ criteria: [schedule, from('2030-03-04T05:00:00Z')] }))).toBeUndefined();
    expect(slotSearchByDay(spec({ criteria: [schedule, from('2030-04-04T05:00:00Z')] }))).toBeUndefined();
    expect(
      slotSearchByDay(spec({ criteria: [schedule, { kind: 'instant', negate: false, range: { from: new Date() } }] })),
    ).toBeUndefined();
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

  it("keeps a week of one schedule's slots through writes to its slots on other days", () => {
    const cache = new SearchCache();
    const thisWeek = spec({
      criteria: [
        { kind: 'reference', param: 'schedule', anyOf: ['a'] },
        {
          kind: 'instant',
          negate: false,
          range: { from: new Date('2030-03-03T11:00:00Z'), to: new Date('2030-03-10T11:00:00Z') },
        },
      ],
    });
    const first = cache.find(thisWeek);
    if ('keep' in first) first.keep(result('week'));
    cache.written(partsWritten(slot('a', '2030-03-12T09:00:00+13:00')));
    expect('hit' in cache.find(thisWeek)).toBe(true);
    cache.written(partsWritten(slot('a')));
    expect('keep' in cache.find(thisWeek)).toBe(true);
  });

  it('keeps a read by id until that resource is written, and never what a read brought back from before a write', () => {
    const cache = new SearchCache();
    const appointment = { resourceType: 'Appointment', id: 'x', status: 'booked' } as Resource;
    const first = cache.findRead('Appointment', 'x');
    if ('keep' in first) first.keep(appointment);
    expect(cache.findRead('Appointment', 'x')).toEqual({ hit: appointment });
    cache.written(['Appointment/y', 'Appointment']);
    expect('hit' in cache.findRead('Appointment', 'x')).toBe(true);
    cache.written(['Appointment/x', 'Appointment']);
    const during = cache.findRead('Appointment', 'x');
    expect('keep' in during).toBe(true);
    cache.written(['Appointment/x']);
    if ('keep' in during) during.keep(appointment);
    expect('keep' in cache.findRead('Appointment', 'x')).toBe(true);
    const notFound = cache.findRead('Appointment', 'z');
    if ('keep' in notFound) notFound.keep(undefined);
    expect('keep' in cache.findRead('Appointment', 'z')).toBe(true);
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

  it('freezes every object and array of what it keeps, however deep', () => {
    const cache = new SearchCache();
    const patient: Patient = { resourceType: 'Patient', id: 'p', name: [{ family: 'Ngata', given: ['Aroha'] }] };
    const found = cache.find(spec({ resourceType: 'Patient', criteria: [{ kind: 'id', ids: ['p'] }] }));
    if ('keep' in found) found.keep({ total: 1, matches: [patient], included: [] });
    const name = patient.name?.[0];
    expect([patient, patient.name, name, name?.given].every((part) => Object.isFrozen(part))).toBe(true);
    expect(() => name?.given?.push('Mere')).toThrow(TypeError);
  });
});
