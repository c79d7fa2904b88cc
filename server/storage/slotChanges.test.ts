import type { Slot } from 'fhir/r4';
import { describe, expect, it } from 'vitest';
import { slotTest, withSlotChanges } from './slotChanges';
import type { SearchSpec } from './searchSpec';

const slot = (id: string, start: string, status: Slot['status'] = 'free', schedule = 'sched-1'): Slot => ({
  resourceType: 'Slot',
  id,
  schedule: { reference: `Schedule/${schedule}` },
  status,
  start: `2030-03-05T${start}:00+13:00`,
  end: `2030-03-05T${start.slice(0, 3)}59:00+13:00`,
});

const day: SearchSpec = {
  resourceType: 'Slot',
  criteria: [
    { kind: 'reference', param: 'schedule', anyOf: ['Schedule/sched-1'] },
    { kind: 'status', anyOf: ['free'] },
    {
      kind: 'instant',
      negate: false,
      range: { from: new Date('2030-03-04T11:00:00Z'), to: new Date('2030-03-05T11:00:00Z') },
    },
  ],
  count: 100,
  offset: 0,
  descending: false,
  include: [],
};
const kept = (...slots: Slot[]) => ({ total: slots.length, matches: slots, included: [] });
const ids = (result: { matches: unknown[] } | undefined) => result?.matches.map((found) => (found as Slot).id);

describe('withSlotChanges', () => {
  const finds = slotTest(day) as (slot: Slot) => boolean;

  it('takes out a slot booked and puts it back in order once freed', () => {
    const [nine, ten, eleven] = [slot('a', '09:00'), slot('b', '10:00'), slot('c', '11:00')];
    const booked = withSlotChanges(day, kept(nine, ten, eleven), finds, [
      { before: ten, after: { ...ten, status: 'busy' } },
    ]);
    expect(ids(booked)).toEqual(['a', 'c']);
    const freed = withSlotChanges(day, booked as ReturnType<typeof kept>, finds, [
      { before: { ...ten, status: 'busy' }, after: ten },
    ]);
    expect(ids(freed)).toEqual(['a', 'b', 'c']);
    expect(freed?.total).toBe(3);
  });

  it('leaves to the database a start another slot shares, a slot moved, or more than a page', () => {
    const [nine, alsoNine] = [slot('a', '09:00'), slot('b', '09:00')];
    expect(
      withSlotChanges(day, kept(nine), finds, [{ before: { ...alsoNine, status: 'busy' }, after: alsoNine }]),
    ).toBeUndefined();
    const moved = { ...nine, start: '2030-03-05T09:30:00+13:00' };
    expect(withSlotChanges(day, kept(nine), finds, [{ before: nine, after: moved }])).toBeUndefined();
    const onePage = { ...day, count: 1 };
    expect(
      withSlotChanges(onePage, kept(nine), finds, [
        { before: { ...alsoNine, status: 'busy' }, after: { ...alsoNine, start: '2030-03-05T10:00:00+13:00' } },
      ]),
    ).toBeUndefined();
  });

  it('answers for a slot of another schedule or outside the range by leaving it out', () => {
    const nine = slot('a', '09:00');
    const elsewhere = slot('x', '10:00', 'free', 'sched-2');
    expect(
      ids(withSlotChanges(day, kept(nine), finds, [{ before: { ...elsewhere, status: 'busy' }, after: elsewhere }])),
    ).toEqual(['a']);
  });
});

describe('slotTest', () => {
  it('is only for searches a slot decides alone: not a channel, an order or a page past the first', () => {
    expect(slotTest(day)).toBeDefined();
    expect(
      slotTest({
        ...day,
        criteria: [...day.criteria, { kind: 'token', param: 'channel', anyOf: [{ value: 'video' }] }],
      }),
    ).toBeUndefined();
    expect(slotTest({ ...day, sort: [{ param: 'start', descending: false }] })).toBeUndefined();
    expect(slotTest({ ...day, offset: 20 })).toBeUndefined();
    expect(slotTest({ ...day, resourceType: 'Appointment' })).toBeUndefined();
  });
});
