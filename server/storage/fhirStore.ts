/**
 * The storage interface the services use, whatever database is behind it. Every write keeps
 * `meta.versionId`/`meta.lastUpdated`, the history and the search projections in step, in the
 * caller's transaction.
 */
import type { Resource, Slot } from 'fhir/r4';
import type { QueuedMessage } from './outbox';
import type { SearchResult, SearchSpec } from './searchSpec';
import type { StoreOperation } from './storeOperation';

export interface StoreReader {
  read<T extends Resource>(resourceType: T['resourceType'], id: string): Promise<T | undefined>;
}

export interface StoreTransaction extends StoreReader {
  /** A search inside the transaction: it sees what the transaction wrote, and the rows its locks hold still. */
  search(spec: SearchSpec): Promise<SearchResult<Resource>>;
  /** Reads and locks the row until the transaction ends, so concurrent changes queue behind it. */
  readForUpdate<T extends Resource>(resourceType: T['resourceType'], id: string): Promise<T | undefined>;
  /** Stores a new resource with version 1 and a new id, or `id` when the caller made one up front (a UUID it must point at first). */
  create<T extends Resource>(resource: T, now: Date, id?: string): Promise<T>;
  /**
   * Stores a new version of a resource read (and locked) in this transaction: its `meta.versionId` is
   * the version it replaces. `before`, that version as read, lets the store leave what did not change.
   */
  update<T extends Resource>(resource: T, now: Date, before?: T): Promise<T>;
  /**
   * The slots of the practitioner's schedules (those whose actors include them) overlapping the period,
   * locked, each with whether a booked appointment of the practitioner overlaps it.
   */
  slotsOverlapping(practitionerId: string, start: Date, end: Date): Promise<Array<{ slot: Slot; booked: boolean }>>;
  /**
   * Whether any booked appointment of the practitioner, and any of the patient's with anyone, overlaps
   * the period, this one aside (one statement: each is a round trip into the database).
   */
  bookedOverlaps(
    who: { practitionerId: string; patientId: string },
    start: Date,
    end: Date,
    exceptAppointmentId?: string,
  ): Promise<{ practitioner: boolean; patient: boolean }>;
  /** How many booked appointments of the patient start after `now`, this one aside. */
  futureBookingsOf(patientId: string, now: Date, exceptAppointmentId?: string): Promise<number>;
  /** Queues emails in the outbox, committed (or rolled back) with the write that caused them. */
  queueMessages(messages: QueuedMessage[]): Promise<void>;
  /** Withdraws the appointments' reminders not yet sent (they were cancelled or moved). */
  withdrawReminders(appointmentIds: string[], reason: string): Promise<void>;
}

export interface HistoryPage {
  count: number;
  offset: number;
  /** Only versions written at or after this instant (`_since`). */
  since?: Date;
  /** Only the versions of this patient's appointments (a patient's token). */
  patient?: string;
}

export interface FhirStore extends StoreReader {
  vread<T extends Resource>(resourceType: T['resourceType'], id: string, versionId: string): Promise<T | undefined>;
  /** Every version of a resource, newest first; empty when there is no such resource. */
  history<T extends Resource>(resourceType: T['resourceType'], id: string): Promise<T[]>;
  search(spec: SearchSpec): Promise<SearchResult<Resource>>;
  /** A page of every version of every resource of the type, newest first (`_history` on the type), and how many there are. */
  typeHistory<T extends Resource>(
    resourceType: T['resourceType'],
    page: HistoryPage,
  ): Promise<{ total: number; versions: T[] }>;
  /**
   * Runs a service's transaction whole, where the database lives: committed when it resolves, rolled
   * back when it throws. A guard of the database it breaks (double booking) throws a StoreConflict.
   * `input` and the result cross threads by structured clone: plain data only.
   */
  run<Input, Output>(operation: StoreOperation<Input, Output>, input: Input): Promise<Output>;
  /** Inserts resources that carry their own ids, skipping ids already stored; returns how many were new. */
  bulkLoad(resources: Resource[], now: Date): Promise<number>;
  count(resourceType: Resource['resourceType']): Promise<number>;
  /** Whether any resource of the type is stored: one probe of the key, where counting reads every one (each start asks). */
  has(resourceType: Resource['resourceType']): Promise<boolean>;
  /** The last day that has slots for each schedule, so later starts can extend the horizon. */
  lastSlotStartBySchedule(): Promise<Map<string, Date>>;
  /** Removes every resource (the schema stays). */
  clear(): Promise<void>;
  close(): Promise<void>;
}
