/**
 * Search results kept for reuse (as HAPI FHIR reuses searches), invalidated exactly: each result is
 * kept with the generation of every part of the store it read, and any write bumps the generations
 * of what it wrote before it is acknowledged, so a search after a write never sees what was there
 * before. Parts are resource types, and for slots each schedule's slots and each schedule's slots
 * starting on one (UTC) day: booking one slot leaves the other practitioners' weeks, and the same
 * practitioner's other weeks, in the cache. Reads by id are kept too, each until a write of that
 * resource.
 *
 * Only for a store that is the only writer to its database (PGlite, one process per data directory).
 * Over a PostgreSQL that other replicas write to, it is off: a replica would not see their writes.
 */
import type { Resource, Slot } from 'fhir/r4';
import { parseReference } from '../../domain/references';
import type { Criterion, IncludeTarget, SearchResult, SearchSpec } from './searchSpec';
import { deepFreeze, keepWithin, mostRecentlyUsed } from './kept';
import { slotTest, withSlotChanges, type SlotChange } from './slotChanges';

/**
 * A part of the store a write may change and a search may read: `Patient`, `Slot@<schedule id>` or
 * `Slot@<schedule id>@<UTC day>`; or one resource, `Appointment/<id>`, which only reads by id read.
 */
type Part = string;

const INCLUDED_TYPES: Record<IncludeTarget, string[]> = {
  patient: ['Patient'],
  practitioner: ['Practitioner'],
  location: ['Location'],
  schedule: ['Schedule'],
  actor: ['Patient', 'Practitioner', 'Location'],
};

const slotsOf = (scheduleId: string): Part => `Slot@${scheduleId}`;
const slotsStartingOn = (scheduleId: string, day: string): Part => `Slot@${scheduleId}@${day}`;
const resourcePart = (type: string, id: string): Part => `${type}/${id}`;
const isResourcePart = (part: Part) => part.includes('/');
/** `Slot@<schedule id>@<UTC day>`. */
const isSlotDay = (part: Part) => part.startsWith('Slot@') && part.split('@').length === 3;

const DAY_MS = 86_400_000;
/** A range of start times spanning more days than this is read as the schedule's slots (one part, not one a day). */
const MOST_DAYS_READ_BY_DAY = 62;
/** A week in any zone touches eight UTC days; a longer range is searched whole. */
const MOST_DAYS_SEARCHED_BY_DAY = 8;
const utcDay = (time: number) => new Date(time).toISOString().slice(0, 10);

/** The one start-time range all a search's plain start criteria allow (they hold at once), in ms; undefined when open-ended. */
function startRange(criteria: Criterion[]): { from: number; to: number } | undefined {
  let from = -Infinity;
  let to = Infinity;
  for (const criterion of criteria) {
    if (criterion.kind !== 'instant' || criterion.negate) continue;
    from = Math.max(from, criterion.range.from?.getTime() ?? -Infinity);
    to = Math.min(to, criterion.range.to?.getTime() ?? Infinity);
  }
  return Number.isFinite(from) && Number.isFinite(to) ? { from, to } : undefined;
}

/** The first ms of each UTC day a range's instants fall on; undefined when it spans too many to list. */
function dayStarts({ from, to }: { from: number; to: number }): number[] | undefined {
  if (to <= from) return [];
  const first = Math.floor(from / DAY_MS);
  const last = Math.floor((to - 1) / DAY_MS);
  if (last - first >= MOST_DAYS_READ_BY_DAY) return undefined;
  return Array.from({ length: last - first + 1 }, (_, index) => (first + index) * DAY_MS);
}

/**
 * The UTC days a slot search's start times fall on: all its plain start criteria hold at once, so
 * their intersection bounds it (a negated or either-or criterion only narrows that further).
 * Undefined when it is open-ended or too long to list by day.
 */
function daysSearched(criteria: Criterion[]): string[] | undefined {
  const range = startRange(criteria);
  return range && dayStarts(range)?.map(utcDay);
}

/**
 * A whole bounded week (or so) of one schedule's slots in the usual order, as one search per UTC day:
 * the days' results in turn are the week's, and a booking then makes one day's search stale, not
 * the week's (a week is read again from the database one day at a time). Undefined for any other
 * search: other orders, pages past the first, includes, or either-or start criteria.
 */
export interface DaySearch {
  search: SearchSpec;
  /** The day's part of the week, in ms: the start times its search finds. */
  from: number;
  to: number;
}

export function slotSearchByDay(spec: SearchSpec): DaySearch[] | undefined {
  const plain = spec.resourceType === 'Slot' && !spec.sort && !spec.descending && spec.offset === 0 && spec.count > 0;
  if (!plain || spec.include.length > 0 || spec.criteria.some((criterion) => criterion.kind === 'either'))
    return undefined;
  if (!spec.criteria.some((criterion) => criterion.kind === 'reference' && criterion.param === 'schedule'))
    return undefined;
  const range = startRange(spec.criteria);
  const days = range && dayStarts(range);
  if (!range || !days || days.length < 2 || days.length > MOST_DAYS_SEARCHED_BY_DAY) return undefined;
  const others = spec.criteria.filter((criterion) => criterion.kind !== 'instant' || criterion.negate);
  return days.map((day) => {
    const [from, to] = [Math.max(range.from, day), Math.min(range.to, day + DAY_MS)];
    const within: Criterion = { kind: 'instant', negate: false, range: { from: new Date(from), to: new Date(to) } };
    return { search: { ...spec, criteria: [...others, within] }, from, to };
  });
}

/** Written when a slot changed whose schedule before the write is unknown. */
export const ANY_SCHEDULES_SLOTS: Part = 'Slot@*';

/** The parts a search reads, or undefined when it reads more than they can say (it is then not kept). */
export function partsRead(spec: SearchSpec): Part[] | undefined {
  const parts = new Set<Part>(spec.include.flatMap((target) => INCLUDED_TYPES[target]));
  let own: Part[] = [spec.resourceType];
  for (const criterion of spec.criteria) {
    // An identifier of another resource is looked up in that resource's rows, whatever its type.
    if (criterion.kind === 'referenceIdentifier') return undefined;
    if (criterion.kind !== 'reference') continue;
    // Every schedule's slots also when a write could not say which schedule's it changed.
    if (spec.resourceType === 'Slot' && criterion.param === 'schedule') {
      const days = daysSearched(spec.criteria);
      own = [
        ...criterion.anyOf.flatMap((value) => {
          const schedule = parseReference(value)?.id ?? value;
          return days ? days.map((day) => slotsStartingOn(schedule, day)) : [slotsOf(schedule)];
        }),
        ANY_SCHEDULES_SLOTS,
      ];
    }
    if (criterion.param === 'schedule.actor') parts.add('Schedule');
    if (spec.resourceType === 'Provenance') parts.add('Appointment');
  }
  for (const part of own) parts.add(part);
  return [...parts];
}

/**
 * The parts a written resource changes: itself, its type, and for a slot its schedule's slots and
 * those starting on its day (before and after the write).
 */
export function partsWritten(resource: Resource, before?: Resource): Part[] {
  const own = [resourcePart(resource.resourceType, resource.id ?? ''), resource.resourceType];
  if (resource.resourceType !== 'Slot') return own;
  const parts = new Set(own);
  for (const slot of [resource, before]) {
    if (slot?.resourceType !== 'Slot') continue;
    const schedule = parseReference((slot as Slot).schedule?.reference)?.id ?? '';
    const start = Date.parse((slot as Slot).start ?? '');
    parts.add(slotsOf(schedule));
    parts.add(Number.isNaN(start) ? ANY_SCHEDULES_SLOTS : slotsStartingOn(schedule, utcDay(start)));
  }
  return [...parts];
}

interface Kept {
  epoch: number;
  read: Array<[Part, number]>;
  result: SearchResult<Resource>;
  spec: SearchSpec;
}

export class SearchCache {
  private readonly generations = new Map<Part, number>();
  private readonly kept = new Map<string, Kept>();
  /** Resources read by id, by `Type/id`, each dropped when that resource is written. */
  private readonly readsKept = new Map<Part, Resource>();
  /** Reads by id under way: a write of the resource meanwhile makes what they bring back stale. */
  private readonly readsUnderWay = new Map<Part, Set<{ stale: boolean }>>();
  /** Raised when what a write changed cannot be known: everything kept before is stale. */
  private epoch = 0;
  /** Kept searches a slot change can bring up to date (slotChanges.ts), by the day part they read. */
  private readonly changeable = new Map<Part, Set<string>>();

  /** Room for a clinic's weeks of slots day by day (each day's slots are shared with its week's result). */
  constructor(private readonly capacity = 2_000) {}

  private generation(part: Part): number {
    return this.generations.get(part) ?? 0;
  }

  /**
   * A kept result still true now, or else `keep`: it stores the result of a search that started
   * now, under the generations of now, so a write that finished meanwhile makes it stale at once.
   */
  find(spec: SearchSpec): { hit: SearchResult<Resource> } | { keep: (result: SearchResult<Resource>) => void } {
    const parts = partsRead(spec);
    if (!parts) return { keep: () => undefined };
    const key = JSON.stringify(spec);
    const found = this.kept.get(key);
    if (
      found &&
      found.epoch === this.epoch &&
      found.read.every(([part, generation]) => this.generation(part) === generation)
    ) {
      mostRecentlyUsed(this.kept, key, found);
      return { hit: found.result };
    }
    const epoch = this.epoch;
    const read = parts.map((part): [Part, number] => [part, this.generation(part)]);
    return {
      keep: (result) => {
        keepWithin(this.kept, this.capacity, key, { epoch, read, result: deepFreeze(result), spec });
        // One day's: a week is put together from its days again (sqlFhirStore.ts), each written once.
        const days = parts.filter(isSlotDay);
        if (days.length !== 1 || !slotTest(spec)) return;
        this.changeable.set(days[0], (this.changeable.get(days[0]) ?? new Set()).add(key));
      },
    };
  }

  /** A resource read by id and kept since, or else `keep`, which keeps what a read starting now found unless it was written meanwhile. */
  findRead(type: string, id: string): { hit: Resource } | { keep: (found: Resource | undefined) => void } {
    const part = resourcePart(type, id);
    const found = this.readsKept.get(part);
    if (found) {
      mostRecentlyUsed(this.readsKept, part, found);
      return { hit: found };
    }
    const epoch = this.epoch;
    const underWay = { stale: false };
    const reads = this.readsUnderWay.get(part) ?? new Set();
    reads.add(underWay);
    this.readsUnderWay.set(part, reads);
    return {
      keep: (resource) => {
        reads.delete(underWay);
        if (reads.size === 0 && this.readsUnderWay.get(part) === reads) this.readsUnderWay.delete(part);
        // Nothing is kept for "not found": a create with that id would have to drop it, and 404s are rare.
        if (resource && !underWay.stale && epoch === this.epoch)
          keepWithin(this.readsKept, this.capacity, part, deepFreeze(resource));
      },
    };
  }

  /**
   * Called when a write has committed, before it is acknowledged. `slotChanges`, when given, are all
   * the slots it wrote: the kept days of slots they change are brought up to date rather than dropped.
   */
  written(parts: Iterable<Part>, slotChanges?: SlotChange[]): void {
    const changed = [...parts];
    const updated = slotChanges ? this.withChanges(changed, slotChanges) : [];
    for (const part of changed) {
      if (isResourcePart(part)) {
        this.readsKept.delete(part);
        for (const underWay of this.readsUnderWay.get(part) ?? []) underWay.stale = true;
      } else this.generations.set(part, this.generation(part) + 1);
    }
    // Kept again under the generations the write left: everything of theirs it changed, they have.
    for (const { key, kept, result } of updated) {
      const read = kept.read.map(([part]): [Part, number] => [part, this.generation(part)]);
      this.kept.set(key, { ...kept, read, result: deepFreeze(result) });
    }
  }

  /** The kept day searches the write changed, still true before it, with the changes made. */
  private withChanges(changed: Part[], changes: SlotChange[]) {
    if (changed.includes(ANY_SCHEDULES_SLOTS)) return [];
    const updated: Array<{ key: string; kept: Kept; result: SearchResult<Resource> }> = [];
    for (const part of new Set(changed.filter(isSlotDay))) {
      const keys = this.changeable.get(part) ?? new Set<string>();
      for (const key of keys) {
        const kept = this.kept.get(key);
        if (!kept) keys.delete(key);
        const finds = kept && slotTest(kept.spec);
        if (!kept || !finds || kept.epoch !== this.epoch) continue;
        if (!kept.read.every(([read, generation]) => this.generation(read) === generation)) continue;
        const theirs = changes.filter(({ before, after }) =>
          partsWritten(after, before).some((written) => kept.read.some(([read]) => read === written)),
        );
        const result = withSlotChanges(kept.spec, kept.result, finds, theirs);
        if (result) updated.push({ key, kept, result });
      }
      if (keys.size === 0) this.changeable.delete(part);
    }
    return updated;
  }

  /** When what was written cannot be known (a write failed without saying whether it committed). */
  forgetAll(): void {
    this.epoch += 1;
    this.kept.clear();
    this.readsKept.clear();
    this.changeable.clear();
  }
}
