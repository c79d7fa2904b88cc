/**
 * What the storage's caches keep (searchCache.ts on the server's thread, committedRows.ts in PGlite's
 * worker): objects handed to every caller that finds them, frozen, in maps bounded by recency of use.
 */

/**
 * Frozen all the way down, so a caller that changed what it was handed fails loudly instead of changing
 * it for the next. Walked without Object.values, which made an array for each of a week of slots'
 * 4,000 objects: the walk took 0.2 ms of each slot week search and left that much more for the collector.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) for (const inner of value) deepFreeze(inner);
  else for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

/** Most recently used last: the first in the map is the one to drop when full. */
export function mostRecentlyUsed<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key);
  map.set(key, value);
}

/** Kept, the least recently used dropped first when the map holds `capacity` already. */
export function keepWithin<T>(map: Map<string, T>, capacity: number, key: string, value: T): void {
  if (map.size >= capacity) map.delete(map.keys().next().value as string);
  map.set(key, value);
}
