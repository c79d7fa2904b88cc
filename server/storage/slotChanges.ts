/**
 * A kept day of one schedule's slots brought up to date with the slots a write changed, instead of
 * read again: a booking or a cancellation changes one slot's status and nothing else about it, and
 * a day search asks only for schedule, status and start, which a slot's own fields decide exactly as
 * the SQL does (searchSql.ts: `schedule_id = ANY`, `status = ANY`, `start_at >= from AND start_at < to`).
 * Under the mixed load, reading those days again was a fifth of the database's worker.
 *
 * Anything else is left to the database (undefined): another criterion, an order, a page, a slot whose
 * schedule or time changed, a start finer than milliseconds, or a start another kept slot shares (ties
 * are ordered by id under the database's collation, which JavaScript does not know).
 */
import type { Resource, Slot } from 'fhir/r4';
import { parseReference } from '../../domain/references';
import type { SearchResult, SearchSpec } from './searchSpec';

/** A slot as a committed write found it and as it left it. */
export interface SlotChange {
  before: Slot;
  after: Slot;
}

/** An instant in ms, or undefined when it is not one JavaScript reads to the database's precision. */
function instantMs(value: string | undefined): number | undefined {
  if (!value || /\.\d{4,}/.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

const scheduleOf = (slot: Slot) => parseReference(slot.schedule?.reference)?.id ?? '';

/** Whether a slot is one the search finds, when its criteria are all ones a slot's fields decide. */
export function slotTest(spec: SearchSpec): ((slot: Slot) => boolean) | undefined {
  if (spec.resourceType !== 'Slot' || spec.include.length > 0 || spec.sort || spec.descending || spec.offset !== 0)
    return undefined;
  const tests: Array<(slot: Slot) => boolean> = [];
  for (const criterion of spec.criteria) {
    if (criterion.kind === 'status') tests.push((slot) => criterion.anyOf.includes(slot.status));
    else if (criterion.kind === 'reference' && criterion.param === 'schedule') {
      const ids = criterion.anyOf.map((value) => parseReference(value)?.id ?? value);
      tests.push((slot) => ids.includes(scheduleOf(slot)));
    } else if (criterion.kind === 'instant' && !criterion.negate) {
      const { from, to } = criterion.range;
      tests.push((slot) => {
        const start = instantMs(slot.start) as number;
        return (!from || start >= from.getTime()) && (!to || start < to.getTime());
      });
    } else return undefined;
  }
  return (slot) => tests.every((test) => test(slot));
}

/** The kept result with the changes made, in the search's order (start); undefined when it cannot be known here. */
export function withSlotChanges(
  spec: SearchSpec,
  result: SearchResult<Resource>,
  finds: (slot: Slot) => boolean,
  changes: SlotChange[],
): SearchResult<Resource> | undefined {
  if (result.total !== result.matches.length || result.included.length > 0) return undefined;
  let slots = result.matches as Slot[];
  if (slots.some((slot) => instantMs(slot.start) === undefined)) return undefined;
  for (const { before, after } of changes) {
    const start = instantMs(after.start);
    const unmoved =
      before.id === after.id &&
      scheduleOf(before) === scheduleOf(after) &&
      start !== undefined &&
      instantMs(before.start) === start &&
      before.end === after.end;
    if (!unmoved) return undefined;
    slots = slots.filter((slot) => slot.id !== after.id);
    if (!finds(after)) continue;
    if (slots.some((slot) => instantMs(slot.start) === start)) return undefined;
    const later = slots.findIndex((slot) => (instantMs(slot.start) as number) > start);
    slots = later < 0 ? [...slots, after] : [...slots.slice(0, later), after, ...slots.slice(later)];
  }
  if (slots.length > spec.count) return undefined;
  return { total: slots.length, matches: slots, included: [] };
}
