/**
 * The resources as last committed, kept where the transactions run, so a transaction reads the
 * practitioner, location, schedule or patient it needs without a statement each (a booking and
 * its cancellation read nine). Only for a database whose transactions run one at a time and whose
 * resources only this process's store transactions write: PGlite's worker, where a transaction's
 * read of a row it has not written is the last committed version, and row locks change nothing.
 *
 * A transaction drops what it writes as it writes it (before it commits), and once committed puts
 * the versions it wrote, unless a later transaction has written that resource since. A transaction
 * run statement by statement (a bulk load, a reset) may write anything: it empties the cache.
 */
import type { Resource } from 'fhir/r4';
import type { StoreTransaction } from './fhirStore';
import { deepFreeze, keepWithin, mostRecentlyUsed } from './kept';

const keyOf = (type: string, id: string) => `${type}/${id}`;

export class CommittedRows {
  private readonly kept = new Map<string, Resource>();
  /** How many writes of each resource have begun: a committed write puts its version only if it was the last. */
  private readonly writes = new Map<string, number>();

  /** Room for a clinic's practitioners, locations, schedules, and the patients and slots of a busy spell. */
  constructor(private readonly capacity = 5_000) {}

  /**
   * The transaction, reading through this cache; `ended` is to be called once it has committed (the
   * versions it wrote are kept) or rolled back.
   */
  over(tx: StoreTransaction): { tx: StoreTransaction; ended: (committed: boolean) => void } {
    const wrote = new Map<string, { resource: Resource; write: number }>();
    const readThrough =
      (read: StoreTransaction['read']) =>
      async <T extends Resource>(type: T['resourceType'], id: string): Promise<T | undefined> => {
        const key = keyOf(type, id);
        const found = this.kept.get(key);
        if (found) {
          mostRecentlyUsed(this.kept, key, found);
          return found as T;
        }
        const resource = await read<T>(type, id);
        // Not written by this transaction (or it would have answered from what it holds): as committed.
        if (resource && !wrote.has(key)) this.keep(key, resource);
        return resource;
      };
    const writing = <T extends Resource>(stored: T): T => {
      const key = keyOf(stored.resourceType, stored.id as string);
      this.kept.delete(key);
      const write = (this.writes.get(key) ?? 0) + 1;
      this.writes.set(key, write);
      wrote.set(key, { resource: stored, write });
      return stored;
    };
    return {
      tx: {
        ...tx,
        read: readThrough(tx.read),
        readForUpdate: readThrough(tx.readForUpdate),
        create: async (resource, now, id) => writing(await tx.create(resource, now, id)),
        update: async (resource, now, before) => writing(await tx.update(resource, now, before)),
      },
      ended: (committed) => {
        for (const [key, { resource, write }] of wrote) {
          if (this.writes.get(key) !== write) continue;
          this.writes.delete(key);
          if (committed) this.keep(key, resource);
        }
      },
    };
  }

  /** A transaction that may have written any resource is under way. */
  forgetAll(): void {
    this.kept.clear();
    this.writes.clear();
  }

  private keep(key: string, resource: Resource): void {
    keepWithin(this.kept, this.capacity, key, deepFreeze(resource));
  }
}
