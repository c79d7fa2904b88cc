/**
 * Search results kept for reuse (as HAPI FHIR reuses searches), invalidated exactly: each result is
 * kept with the generation of every part of the store it read, and any write bumps the generations
 * of what it wrote before it is acknowledged, so a search after a write never sees what was there
 * before. Parts are resource types, and for slots each schedule's slots: booking one slot leaves
 * the other practitioners' weeks in the cache.
 *
 * Only for a store that is the only writer to its database (PGlite, one process per data directory).
 * Over a PostgreSQL that other replicas write to, it is off: a replica would not see their writes.
 */
import type { Resource, Slot } from 'fhir/r4';
import { parseReference } from '../../domain/references';
import type { IncludeTarget, SearchResult, SearchSpec } from './searchSpec';

/** A part of the store a write may change and a search may read: `Patient`, or `Slot@<schedule id>`. */
type Part = string;

const INCLUDED_TYPES: Record<IncludeTarget, string[]> = {
  patient: ['Patient'],
  practitioner: ['Practitioner'],
  location: ['Location'],
  schedule: ['Schedule'],
  actor: ['Patient', 'Practitioner', 'Location'],
};

const slotsOf = (scheduleId: string): Part => `Slot@${scheduleId}`;
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
    if (spec.resourceType === 'Slot' && criterion.param === 'schedule')
      own = [...criterion.anyOf.map((value) => slotsOf(parseReference(value)?.id ?? value)), ANY_SCHEDULES_SLOTS];
    if (criterion.param === 'schedule.actor') parts.add('Schedule');
    if (spec.resourceType === 'Provenance') parts.add('Appointment');
  }
  for (const part of own) parts.add(part);
  return [...parts];
}

/** The parts a written resource changes: its type, and for a slot its schedule's slots (before and after). */
export function partsWritten(resource: Resource, before?: Resource): Part[] {
  if (resource.resourceType !== 'Slot') return [resource.resourceType];
  const scheduleOf = (slot: Resource | undefined) =>
    slot?.resourceType === 'Slot' ? parseReference((slot as Slot).schedule?.reference)?.id : undefined;
  const schedules = new Set([resource, ...(before ? [before] : [])].map((slot) => scheduleOf(slot) ?? ''));
  return ['Slot', ...[...schedules].map(slotsOf)];
}

/** Kept results are shared by every search that finds them: frozen, so a caller that changed one would fail loudly. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

interface Kept {
  epoch: number;
  read: Array<[Part, number]>;
  result: SearchResult<Resource>;
}

export class SearchCache {
  private readonly generations = new Map<Part, number>();
  private readonly kept = new Map<string, Kept>();
  /** Raised when what a write changed cannot be known: everything kept before is stale. */
  private epoch = 0;

  constructor(private readonly capacity = 500) {}

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
      // Most recently used last: the first in the map is the one to drop when full.
      this.kept.delete(key);
      this.kept.set(key, found);
      return { hit: found.result };
    }
    const epoch = this.epoch;
    const read = parts.map((part): [Part, number] => [part, this.generation(part)]);
    return {
      keep: (result) => {
        if (this.kept.size >= this.capacity) this.kept.delete(this.kept.keys().next().value as string);
        this.kept.set(key, { epoch, read, result: deepFreeze(result) });
      },
    };
  }

  /** Called when a write has committed, before it is acknowledged. */
  written(parts: Iterable<Part>): void {
    for (const part of parts) this.generations.set(part, this.generation(part) + 1);
  }

  /** When what was written cannot be known (a write failed without saying whether it committed). */
  forgetAll(): void {
    this.epoch += 1;
    this.kept.clear();
  }
}
